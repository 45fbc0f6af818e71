using Strata.Model;

namespace Strata.Dsl;

public sealed class UniqueBuilder
{
    private readonly string[] _columns;
    private string? _name;
    private bool _nullsNotDistinct;
    private bool _deferrable;
    private bool _initiallyDeferred;
    private string? _comment;
    private readonly List<string> _options = [];

    internal UniqueBuilder(string[] columns) => _columns = columns;

    public UniqueBuilder Named(string name)
    {
        _name = name;
        return this;
    }

    /// <summary>UNIQUE NULLS NOT DISTINCT: two NULLs count as equal (PostgreSQL 15+).</summary>
    public UniqueBuilder NullsNotDistinct()
    {
        _nullsNotDistinct = true;
        return this;
    }

    /// <summary>
    /// DEFERRABLE: checked at the end of the statement rather than row by row, or with <paramref name="initiallyDeferred"/>
    /// at commit. PostgreSQL lets no foreign key reference a deferrable key.
    /// </summary>
    public UniqueBuilder Deferrable(bool initiallyDeferred = false)
    {
        _deferrable = true;
        _initiallyDeferred = initiallyDeferred;
        return this;
    }

    /// <summary>COMMENT ON CONSTRAINT.</summary>
    public UniqueBuilder Comment(string comment)
    {
        _comment = comment;
        return this;
    }

    /// <summary>
    /// A storage parameter of the constraint's index, <c>UNIQUE (…) WITH (fillfactor = 70)</c>: <c>.With("fillfactor", "70")</c>,
    /// the value as PostgreSQL keeps it. A change is made in place (ALTER INDEX … SET / RESET).
    /// </summary>
    public UniqueBuilder With(string name, string value)
    {
        _options.Add($"{name}={value}");
        return this;
    }

    internal UniqueConstraint Build(string table) =>
        new(_name ?? NamingConvention.Unique(table, _columns), _columns.ToValueList(), _nullsNotDistinct, _deferrable, _initiallyDeferred, _comment, _options.ToValueList());
}

public sealed class ForeignKeyBuilder
{
    private string? _comment;
    private readonly TableBuilder _table;
    private readonly string[] _columns;
    private QualifiedName? _referencedTable;
    private string[] _referencedColumns = [];
    private string? _name;
    private ReferentialAction _onDelete;
    private ReferentialAction _onUpdate;
    private bool _deferrable;
    private bool _initiallyDeferred;
    private bool _matchFull;

    internal ForeignKeyBuilder(TableBuilder table, string[] columns)
    {
        _table = table;
        _columns = columns;
    }

    /// <summary>The referenced table (<c>users</c> in this table's schema, or <c>billing.accounts</c>) and its key columns.</summary>
    public ForeignKeyBuilder References(string table, params string[] columns)
    {
        _referencedTable = table.Contains('.') ? QualifiedName.Parse(table) : new QualifiedName(_table.Schema, table);
        _referencedColumns = columns;
        return this;
    }

    /// <summary>The referenced table given as schema and name, for names that contain dots.</summary>
    public ForeignKeyBuilder References(QualifiedName table, params string[] columns)
    {
        _referencedTable = table;
        _referencedColumns = columns;
        return this;
    }

    public ForeignKeyBuilder Named(string name)
    {
        _name = name;
        return this;
    }

    public ForeignKeyBuilder OnDelete(ReferentialAction action)
    {
        _onDelete = action;
        return this;
    }

    public ForeignKeyBuilder OnUpdate(ReferentialAction action)
    {
        _onUpdate = action;
        return this;
    }

    /// <summary>MATCH FULL: a key whose columns are partly NULL is refused (by default, MATCH SIMPLE, it is not checked).</summary>
    public ForeignKeyBuilder MatchFull()
    {
        _matchFull = true;
        return this;
    }

    /// <summary>DEFERRABLE, and INITIALLY DEFERRED when asked: checked at commit instead of per statement.</summary>
    public ForeignKeyBuilder Deferrable(bool initiallyDeferred = false)
    {
        _deferrable = true;
        _initiallyDeferred = initiallyDeferred;
        return this;
    }

    /// <summary>COMMENT ON CONSTRAINT.</summary>
    public ForeignKeyBuilder Comment(string comment)
    {
        _comment = comment;
        return this;
    }

    internal ForeignKey Build()
    {
        if (_referencedTable is null)
            _table.DeclarationErrors.Add(new SchemaError($"{_table.Schema}.{_table.Name}", $"foreign key on ({string.Join(", ", _columns)}) has no References(table, columns…)"));
        return new ForeignKey(
            _name ?? NamingConvention.ForeignKey(_table.Name, _columns),
            _columns.ToValueList(),
            _referencedTable ?? new QualifiedName(_table.Schema, "?"),
            _referencedColumns.ToValueList(),
            _onDelete,
            _onUpdate,
            _deferrable,
            _initiallyDeferred,
            _matchFull,
            _comment);
    }
}

/// <summary>One key of an index: a column or an expression, with sort order, NULLS placement and operator class.</summary>
public sealed class IndexKey
{
    private IndexElement _element;

    private IndexKey(IndexElement element) => _element = element;

    public static IndexKey Column(string name) => new(IndexElement.OnColumn(name));

    /// <summary>An expression key such as <c>lower(email)</c>; Strata adds the parentheses.</summary>
    public static IndexKey Expression(string sql) => new(IndexElement.OnExpression(sql));

    public static implicit operator IndexKey(string column) => Column(column);

    public IndexKey Asc() => With(_element with { Direction = SortDirection.Ascending });

    public IndexKey Desc() => With(_element with { Direction = SortDirection.Descending });

    public IndexKey NullsFirst() => With(_element with { Nulls = NullsOrder.First });

    public IndexKey NullsLast() => With(_element with { Nulls = NullsOrder.Last });

    /// <summary>An operator class such as <c>text_pattern_ops</c> or <c>gin_trgm_ops</c>.</summary>
    public IndexKey OperatorClass(string name) => With(_element with { OperatorClass = name });

    /// <summary>
    /// The key's own COLLATE, by name (<c>"C"</c>, <c>"und-x-icu"</c>: one on the search path), when it is not the column's
    /// or expression's collation: <c>IndexKey.Column("name").Collate("C")</c>. A change re-creates the index.
    /// </summary>
    public IndexKey Collate(string name) => With(_element with { Collation = name, CollationSchema = null });

    /// <summary>COLLATE schema.name: a collation of <paramref name="schema"/> (one of db.Collation, or one created by other means).</summary>
    public IndexKey Collate(string schema, string name) => Collate(new QualifiedName(schema, name));

    /// <summary>COLLATE of a collation by its qualified name, as <c>db.Collation</c> returns it.</summary>
    public IndexKey Collate(QualifiedName collation) =>
        With(_element with { Collation = collation.Name, CollationSchema = CollationReference.SchemaOf(collation.Schema) });

    internal IndexElement Element => _element;

    private IndexKey With(IndexElement element)
    {
        _element = element;
        return this;
    }
}

public sealed class IndexBuilder
{
    private readonly IndexKey[] _keys;
    private string? _name;
    private bool _unique;
    private string _method = "btree";
    private string[] _include = [];
    private string? _where;
    private bool _nullsNotDistinct;
    private bool _concurrently;
    private string? _comment;
    private readonly List<string> _options = [];

    internal IndexBuilder(IndexKey[] keys) => _keys = keys;

    public IndexBuilder Named(string name)
    {
        _name = name;
        return this;
    }

    public IndexBuilder Unique()
    {
        _unique = true;
        return this;
    }

    /// <summary>The access method: btree (default), hash, gin, gist, brin, spgist.</summary>
    public IndexBuilder Using(string method)
    {
        _method = method;
        return this;
    }

    /// <summary>INCLUDE columns, stored in the index but not part of its key.</summary>
    public IndexBuilder Include(params string[] columns)
    {
        _include = columns;
        return this;
    }

    /// <summary>A partial index over the rows matching <paramref name="predicate"/>.</summary>
    public IndexBuilder Where(string predicate)
    {
        _where = predicate;
        return this;
    }

    public IndexBuilder NullsNotDistinct()
    {
        _nullsNotDistinct = true;
        return this;
    }

    /// <summary>CREATE INDEX CONCURRENTLY: no write lock on the table; the migration runs outside a transaction.</summary>
    public IndexBuilder Concurrently()
    {
        _concurrently = true;
        return this;
    }

    /// <summary>COMMENT ON INDEX.</summary>
    public IndexBuilder Comment(string comment)
    {
        _comment = comment;
        return this;
    }

    /// <summary>
    /// A storage parameter of WITH ( ): <c>.With("fillfactor", "70")</c>, <c>.With("deduplicate_items", "off")</c>,
    /// the value as PostgreSQL keeps it. A change is made in place (ALTER INDEX … SET / RESET).
    /// </summary>
    public IndexBuilder With(string name, string value)
    {
        _options.Add($"{name}={value}");
        return this;
    }

    internal Model.Index Build(string table)
    {
        var elements = _keys.Select(k => k.Element).ToValueList();
        return new Model.Index(
            _name ?? NamingConvention.Index(table, elements.Select(e => e.Column)),
            elements,
            _unique,
            _method,
            _include.ToValueList(),
            _where,
            _nullsNotDistinct,
            _concurrently,
            Comment: _comment,
            Options: _options.ToValueList());
    }
}
