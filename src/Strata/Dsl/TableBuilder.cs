using Strata.Model;

namespace Strata.Dsl;

/// <summary>Declares the columns, keys, checks and indexes of one table.</summary>
/// <remarks>
/// A kind of object bound to a table (policies) declares its methods in its own file, a partial part of this class,
/// and adds what it declared to the model through <see cref="AddToModel"/>.
/// </remarks>
public sealed partial class TableBuilder
{
    private readonly List<ColumnBuilder> _columns = [];
    private readonly List<UniqueBuilder> _uniques = [];
    private readonly List<CheckConstraint> _checks = [];
    private readonly List<ForeignKeyBuilder> _foreignKeys = [];
    private readonly List<IndexBuilder> _indexes = [];
    private (string? Name, string[] Columns)? _primaryKey;
    private string? _comment;
    private bool _withoutColumns;
    private bool _unlogged;
    private readonly List<string> _options = [];
    private (bool Deferrable, bool InitiallyDeferred) _primaryKeyTiming;
    private string? _primaryKeyComment;
    private readonly List<string> _primaryKeyOptions = [];
    private bool _reportedNoColumns;
    private string? _clusterOn;

    internal TableBuilder(string schema, string name)
    {
        Schema = schema;
        Name = name;
    }

    public string Schema { get; }

    public string Name { get; }

    /// <summary>Problems found while declaring (such as two primary keys) that the validator reports with the rest.</summary>
    internal List<SchemaError> DeclarationErrors { get; } = [];

    public ColumnBuilder Column(string name, ColumnType type)
    {
        var column = new ColumnBuilder(this, name, type);
        _columns.Add(column);
        return column;
    }

    /// <summary>A composite (or single-column) primary key named <c>{table}_pkey</c>.</summary>
    public TableBuilder PrimaryKey(params string[] columns) => PrimaryKeyNamed(null, columns);

    public TableBuilder PrimaryKeyNamed(string? name, params string[] columns)
    {
        if (_primaryKey is not null)
            DeclarationErrors.Add(new SchemaError($"{Schema}.{Name}", "declares more than one primary key; a table has at most one (use a composite key: PrimaryKey(\"a\", \"b\"))"));
        _primaryKey = (name, columns);
        return this;
    }

    /// <summary>
    /// Makes the primary key (declared on the table or a column) DEFERRABLE, or with <paramref name="initiallyDeferred"/>
    /// DEFERRABLE INITIALLY DEFERRED. PostgreSQL lets no foreign key reference a deferrable key.
    /// </summary>
    public TableBuilder DeferrablePrimaryKey(bool initiallyDeferred = false)
    {
        _primaryKeyTiming = (true, initiallyDeferred);
        return this;
    }

    /// <summary>
    /// A storage parameter of the primary key's index (declared on the table or a column), <c>PRIMARY KEY (…) WITH
    /// (fillfactor = 70)</c>: <c>t.PrimaryKeyWith("fillfactor", "70")</c>, the value as PostgreSQL keeps it. A change is made
    /// in place (ALTER INDEX … SET / RESET).
    /// </summary>
    public TableBuilder PrimaryKeyWith(string name, string value)
    {
        _primaryKeyOptions.Add($"{name}={value}");
        return this;
    }

    /// <summary>COMMENT ON CONSTRAINT of the primary key (declared on the table or a column).</summary>
    public TableBuilder PrimaryKeyComment(string comment)
    {
        _primaryKeyComment = comment;
        return this;
    }

    /// <summary>A unique constraint named <c>{table}_{columns}_key</c> unless <see cref="UniqueBuilder.Named"/> says otherwise.</summary>
    public UniqueBuilder Unique(params string[] columns)
    {
        var unique = new UniqueBuilder(columns);
        _uniques.Add(unique);
        return unique;
    }

    /// <summary>
    /// A check constraint; <paramref name="expression"/> is the SQL inside CHECK ( ). <paramref name="noInherit"/>: CHECK … NO INHERIT,
    /// which tables that inherit from this one do not get. <paramref name="comment"/>: COMMENT ON CONSTRAINT.
    /// </summary>
    public TableBuilder Check(string name, string expression, bool noInherit = false, string? comment = null)
    {
        _checks.Add(new CheckConstraint(name, expression, NoInherit: noInherit, Comment: comment));
        return this;
    }

    /// <summary>A foreign key from <paramref name="columns"/>; finish it with <see cref="ForeignKeyBuilder.References(string, string[])"/>.</summary>
    public ForeignKeyBuilder ForeignKey(params string[] columns)
    {
        var foreignKey = new ForeignKeyBuilder(this, columns);
        _foreignKeys.Add(foreignKey);
        return foreignKey;
    }

    /// <summary>An index on columns, named <c>{table}_{columns}_idx</c> unless named.</summary>
    public IndexBuilder Index(params string[] columns) => Index(columns.Select(IndexKey.Column).ToArray());

    /// <summary>An index on keys that may be expressions or carry a sort order: <c>t.Index(IndexKey.Expression("lower(email)"), IndexKey.Column("id").Desc())</c>.</summary>
    public IndexBuilder Index(params IndexKey[] keys)
    {
        var index = new IndexBuilder(keys);
        _indexes.Add(index);
        return index;
    }

    public TableBuilder Comment(string comment)
    {
        _comment = comment;
        return this;
    }

    /// <summary>
    /// CREATE UNLOGGED TABLE: its writes skip the WAL, so they are faster, but PostgreSQL empties the table after a
    /// crash and does not replicate it. Only an unlogged table may reference an unlogged one.
    /// </summary>
    public TableBuilder Unlogged()
    {
        _unlogged = true;
        return this;
    }

    /// <summary>
    /// A storage parameter of WITH ( ): <c>t.With("fillfactor", "70")</c>, <c>t.With("autovacuum_enabled", "false")</c>,
    /// its TOAST table's with the prefix (<c>t.With("toast.autovacuum_enabled", "false")</c>). Write the value as
    /// PostgreSQL keeps it, as <c>strata pull</c> does, so that <c>strata check</c> stays quiet. A change is made in
    /// place (ALTER TABLE … SET / RESET). A partitioned table takes none: PostgreSQL keeps them on its partitions.
    /// </summary>
    public TableBuilder With(string name, string value)
    {
        _options.Add($"{name}={value}");
        return this;
    }

    /// <summary>
    /// ALTER TABLE … CLUSTER ON: marks the index (or the primary key or a unique constraint, by name) that a later
    /// <c>CLUSTER</c> of the table orders its rows by: <c>t.ClusterOn("invoices_issued_idx")</c>. It marks, and moves
    /// no row; one per table.
    /// </summary>
    public TableBuilder ClusterOn(string index)
    {
        _clusterOn = index;
        return this;
    }

    /// <summary>
    /// Says that the table has no columns on purpose (<c>CREATE TABLE t ()</c>, which PostgreSQL allows: a table whose
    /// columns are added later, or one that only its row count matters for). Without it a table with no columns is
    /// taken for an unfinished declaration.
    /// </summary>
    public TableBuilder WithoutColumns()
    {
        _withoutColumns = true;
        return this;
    }

    internal void SetPrimaryKeyFromColumn(string column)
    {
        if (_primaryKey is not null)
            DeclarationErrors.Add(new SchemaError($"{Schema}.{Name}.{column}", "is marked PrimaryKey() but the table already has a primary key; declare a composite key with t.PrimaryKey(\"a\", \"b\") instead"));
        _primaryKey = (null, [column]);
    }

    internal void AddCheck(CheckConstraint check) => _checks.Add(check);

    private List<Func<DatabaseModel, DatabaseModel>>? _modelAdditions;

    /// <summary>Adds to the model what a declaration of another kind on this table declared, when the model is built.</summary>
    private void AddToModel(Func<DatabaseModel, DatabaseModel> addition) => (_modelAdditions ??= []).Add(addition);

    /// <summary><paramref name="model"/> with what the table's declarations of other kinds add to it.</summary>
    internal DatabaseModel WithAdditions(DatabaseModel model) =>
        _modelAdditions is null ? model : _modelAdditions.Aggregate(model, (built, add) => add(built));

    internal Table Build()
    {
        if (_columns.Count == 0 && !_withoutColumns && !_reportedNoColumns && !IsPartition && !InheritsAny)
        {
            _reportedNoColumns = true;
            DeclarationErrors.Add(new SchemaError($"{Schema}.{Name}",
                "the table has no columns; add at least one with t.Column(name, type), or call t.WithoutColumns() if it has none on purpose"));
        }
        var primaryKey = _primaryKey is { } pk
            ? new Model.PrimaryKey(pk.Name ?? NamingConvention.PrimaryKey(Name), pk.Columns.ToValueList(), _primaryKeyTiming.Deferrable, _primaryKeyTiming.InitiallyDeferred, _primaryKeyComment, _primaryKeyOptions.ToValueList())
            : null;
        var keyless = new SchemaError($"{Schema}.{Name}",
            "PrimaryKeyComment(), PrimaryKeyWith() or DeferrablePrimaryKey() is called but the table declares no primary key; declare one with t.PrimaryKey(columns) or a column's .PrimaryKey(), or remove the call");
        if (primaryKey is null && (_primaryKeyComment is not null || _primaryKeyTiming.Deferrable || _primaryKeyOptions.Count > 0) && !DeclarationErrors.Contains(keyless))
            DeclarationErrors.Add(keyless);
        var keyColumns = primaryKey?.Columns.ToHashSet() ?? [];

        // PostgreSQL makes primary-key, identity and serial columns NOT NULL; the model says so too,
        // so that a schema built here and one read back from the catalog compare equal.
        var columns = _columns.Select(c => c.Build()).Select(c =>
            keyColumns.Contains(c.Name) || c.Identity is not null || c.Type.IsSerial ? c with { NotNull = true } : c);

        return new Table(
            Schema,
            Name,
            columns.ToValueList(),
            primaryKey,
            _uniques.Select(u => u.Build(Name)).ToValueList(),
            _checks.ToValueList(),
            _foreignKeys.Select(f => f.Build()).ToValueList(),
            _indexes.Select(i => i.Build(Name)).ToValueList(),
            _comment,
            _unlogged,
            BuildPartitioning(),
            _inherits.ToValueList(),
            _options.ToValueList(),
            _clusterOn);
    }
}
