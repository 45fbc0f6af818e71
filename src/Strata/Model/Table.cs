using Strata.Snapshots;

namespace Strata.Model;

/// <param name="Unlogged">CREATE UNLOGGED TABLE: not written to the WAL, so faster to write, emptied after a crash and not replicated.</param>
/// <param name="Partitioning">How a partitioned table (PARTITION BY) or a partition (PARTITION OF) is partitioned; null for a plain table.</param>
/// <param name="Inherits">INHERITS (parents…), in pg_inherits.inhseqno order. The table's <paramref name="Columns"/> are then
/// those it declares itself (attislocal), a parent's column included when it declares it again, as pg_dump prints it; the
/// other columns, and the checks PostgreSQL copies down, are the parents'.</param>
/// <param name="Options">
/// Its storage parameters, WITH ( ), as PostgreSQL keeps them (pg_class.reloptions), each <c>name=value</c>
/// (<c>fillfactor=70</c>, <c>autovacuum_enabled=false</c>), its TOAST table's with the <c>toast.</c> prefix; the same
/// representation as <see cref="View.Options"/>.
/// </param>
/// <param name="ClusterOn">
/// ALTER TABLE … CLUSTER ON: the index (or primary key or unique constraint, by its index's name) that a later
/// <c>CLUSTER</c> without an index orders the table by (pg_index.indisclustered). It only marks the index: it moves no row.
/// </param>
public sealed record Table(
    string Schema,
    string Name,
    ValueList<Column> Columns,
    PrimaryKey? PrimaryKey = null,
    ValueList<UniqueConstraint> Uniques = default,
    ValueList<CheckConstraint> Checks = default,
    ValueList<ForeignKey> ForeignKeys = default,
    ValueList<Index> Indexes = default,
    string? Comment = null,
    bool Unlogged = false,
    TablePartitioning? Partitioning = null,
    ValueList<QualifiedName> Inherits = default,
    ValueList<string> Options = default,
    string? ClusterOn = null)
{
    public QualifiedName QualifiedName => new(Schema, Name);

    /// <summary>The partitioned table this one is a partition of, or null.</summary>
    public QualifiedName? PartitionOf => Partitioning?.Parent;

    public Column? FindColumn(string name) => Columns.FirstOrDefault(c => c.Name == name);

    /// <summary>
    /// The columns this table inherits (INHERITS), parent by parent in order, a parent's own inherited ones before its
    /// declared ones, each name once; none from a parent not in <paramref name="tables"/>.
    /// </summary>
    public IEnumerable<Column> InheritedColumns(IReadOnlyDictionary<QualifiedName, Table> tables) => InheritedColumns(tables, []);

    private IEnumerable<Column> InheritedColumns(IReadOnlyDictionary<QualifiedName, Table> tables, HashSet<QualifiedName> seen)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var parentName in Inherits)
        {
            if (!seen.Add(parentName) || !tables.TryGetValue(parentName, out var parent))
                continue;
            foreach (var column in parent.InheritedColumns(tables, seen).Concat(parent.Columns))
            {
                if (names.Add(column.Name))
                    yield return column;
            }
            seen.Remove(parentName);
        }
    }

    /// <summary>Whether a parent (or one of its own parents) has <paramref name="column"/> NOT NULL, which CREATE TABLE … INHERITS gives a column declared again.</summary>
    internal bool InheritsNotNull(string column, IReadOnlyDictionary<QualifiedName, Table> tables) => InheritsNotNull(column, tables, []);

    private bool InheritsNotNull(string column, IReadOnlyDictionary<QualifiedName, Table> tables, HashSet<QualifiedName> seen)
    {
        foreach (var parentName in Inherits)
        {
            if (!seen.Add(parentName) || !tables.TryGetValue(parentName, out var parent))
                continue;
            if (parent.FindColumn(column) is { NotNull: true } || parent.InheritsNotNull(column, tables, seen))
                return true;
        }
        return false;
    }

    /// <summary>Canonical order: columns as declared, constraints and indexes by name, storage parameters by name.</summary>
    public Table Normalize() => this with
    {
        Options = Options.Order(StringComparer.Ordinal).ToValueList(),
        PrimaryKey = PrimaryKey?.Normalize(),
        Uniques = Uniques.OrderBy(u => u.Name, StringComparer.Ordinal).Select(u => u.Normalize()).ToValueList(),
        Checks = Checks.OrderBy(c => c.Name, StringComparer.Ordinal).ToValueList(),
        ForeignKeys = ForeignKeys.OrderBy(f => f.Name, StringComparer.Ordinal).ToValueList(),
        Indexes = Indexes.OrderBy(i => i.Name, StringComparer.Ordinal).Select(i => WithoutColumnCollations(i.Normalize())).ToValueList(),
    };

    /// <summary>
    /// A key on a column whose COLLATE is the column's own is a key without one: PostgreSQL records the same collation
    /// either way (and pull reads none), so the model says so once.
    /// </summary>
    private Index WithoutColumnCollations(Index index)
    {
        if (!index.Elements.Any(e => e is { Column: not null, Collation: not null }))
            return index;
        bool ColumnsOwn(IndexElement key) =>
            FindColumn(key.Column!) is { } column
            && (column.Collation is not null
                ? column.Collation == key.Collation && column.CollationSchema == key.CollationSchema
                // A user type may have a collation of its own, which "default" is not.
                : key is { Collation: "default", CollationSchema: null } && column.Type.UserTypeName is null);
        return index with
        {
            Elements = index.Elements.Select(e => e is { Column: not null, Collation: not null } && ColumnsOwn(e) ? e with { Collation = null, CollationSchema = null } : e).ToValueList(),
        };
    }
}

/// <summary>
/// A table's place in partitioning: <paramref name="Key"/> is its PARTITION BY (the table is partitioned: rows live in
/// its partitions), <paramref name="Parent"/> and <paramref name="Bound"/> make it a partition (PARTITION OF parent bound);
/// a sub-partition has all three. A partition's columns are its parent's: the model gives it none.
/// </summary>
/// <param name="Key">The partition key as pg_get_partkeydef prints it: <c>RANGE (at)</c>, <c>LIST (region)</c>, <c>HASH (tenant)</c>, expressions, opclasses and collations included.</param>
/// <param name="Parent">The partitioned table this table is a partition of.</param>
/// <param name="Bound">The bound as pg_get_expr(relpartbound) prints it: <c>FOR VALUES FROM (…) TO (…)</c>, <c>FOR VALUES IN (…)</c>, <c>FOR VALUES WITH (modulus m, remainder r)</c> or <c>DEFAULT</c>.</param>
public sealed record TablePartitioning(string? Key = null, QualifiedName? Parent = null, string? Bound = null)
{
    public bool IsPartitioned => Key is not null;

    public bool IsPartition => Parent is not null;
}

/// <param name="Default">The default as a SQL expression, exactly as it goes after DEFAULT (a literal is already quoted).</param>
/// <param name="GeneratedAs">The expression of a stored generated column (GENERATED ALWAYS AS (…) STORED).</param>
/// <param name="Reads">What <paramref name="Default"/> or <paramref name="GeneratedAs"/> reads, as PostgreSQL recorded it (not part of equality).</param>
/// <param name="Collation">COLLATE: a collation other than the type's default, by name (<c>C</c>, <c>und-x-icu</c>).</param>
/// <param name="CollationSchema">The schema of <paramref name="Collation"/>; null for one found on the search path (pg_catalog's, public's).</param>
public sealed record Column(
    string Name,
    ColumnType Type,
    bool NotNull = false,
    string? Default = null,
    Identity? Identity = null,
    string? GeneratedAs = null,
    string? Comment = null,
    ExpressionReads Reads = default,
    string? Collation = null,
    string? CollationSchema = null);

public enum IdentityGeneration
{
    [SnapshotName("always")]
    Always,
    [SnapshotName("by default")]
    ByDefault,
}

public sealed record Identity(IdentityGeneration Generation, SequenceOptions Options)
{
    public static Identity Always { get; } = new(IdentityGeneration.Always, SequenceOptions.Default);

    public static Identity ByDefault { get; } = new(IdentityGeneration.ByDefault, SequenceOptions.Default);
}

/// <param name="Deferrable">DEFERRABLE: checked at the end of the statement or, when <paramref name="InitiallyDeferred"/>, of the transaction; no foreign key can reference it.</param>
/// <param name="Comment">COMMENT ON CONSTRAINT (changed in place; not part of what makes the key the same key).</param>
/// <param name="Options">
/// WITH ( ): the storage parameters of the index behind the key, each <c>name=value</c> as PostgreSQL keeps them
/// (<c>fillfactor=70</c>), as <see cref="Index.Options"/>; changed in place (ALTER INDEX … SET / RESET).
/// </param>
public sealed record PrimaryKey(string Name, ValueList<string> Columns, bool Deferrable = false, bool InitiallyDeferred = false, string? Comment = null,
    ValueList<string> Options = default)
{
    /// <summary>Canonical order: storage parameters by name.</summary>
    public PrimaryKey Normalize() => Options.Count < 2 ? this : this with { Options = Options.Order(StringComparer.Ordinal).ToValueList() };
}

/// <param name="Deferrable">DEFERRABLE (with <paramref name="InitiallyDeferred"/>), as on <see cref="PrimaryKey"/>.</param>
/// <param name="Comment">COMMENT ON CONSTRAINT, as on <see cref="PrimaryKey"/>.</param>
/// <param name="Options">WITH ( ): the storage parameters of the index behind the key, as on <see cref="PrimaryKey"/>.</param>
public sealed record UniqueConstraint(string Name, ValueList<string> Columns, bool NullsNotDistinct = false, bool Deferrable = false, bool InitiallyDeferred = false, string? Comment = null,
    ValueList<string> Options = default)
{
    /// <summary>Canonical order: storage parameters by name.</summary>
    public UniqueConstraint Normalize() => Options.Count < 2 ? this : this with { Options = Options.Order(StringComparer.Ordinal).ToValueList() };
}

/// <param name="Expression">The boolean SQL expression, without the surrounding CHECK ( ).</param>
/// <param name="Reads">What the expression reads, as PostgreSQL recorded it (not part of equality).</param>
/// <param name="NoInherit">NO INHERIT: the check holds for this table only, not for tables that inherit from it.</param>
/// <param name="Comment">COMMENT ON CONSTRAINT, as on <see cref="PrimaryKey"/>.</param>
public sealed record CheckConstraint(string Name, string Expression, ExpressionReads Reads = default, bool NoInherit = false, string? Comment = null);

public enum ReferentialAction
{
    [SnapshotName("no action")]
    NoAction,
    [SnapshotName("restrict")]
    Restrict,
    [SnapshotName("cascade")]
    Cascade,
    [SnapshotName("set null")]
    SetNull,
    [SnapshotName("set default")]
    SetDefault,
}

/// <param name="MatchFull">MATCH FULL: a key with some NULL columns must have all of them NULL (MATCH SIMPLE, the default, skips it).</param>
/// <param name="Comment">COMMENT ON CONSTRAINT, as on <see cref="PrimaryKey"/>.</param>
public sealed record ForeignKey(
    string Name,
    ValueList<string> Columns,
    QualifiedName ReferencedTable,
    ValueList<string> ReferencedColumns,
    ReferentialAction OnDelete = ReferentialAction.NoAction,
    ReferentialAction OnUpdate = ReferentialAction.NoAction,
    bool Deferrable = false,
    bool InitiallyDeferred = false,
    bool MatchFull = false,
    string? Comment = null);

public enum SortDirection
{
    [SnapshotName("asc")]
    Ascending,
    [SnapshotName("desc")]
    Descending,
}

/// <summary>NULLS FIRST / LAST; <see cref="Default"/> is PostgreSQL's (LAST for ascending, FIRST for descending).</summary>
public enum NullsOrder
{
    [SnapshotName("default")]
    Default,
    [SnapshotName("first")]
    First,
    [SnapshotName("last")]
    Last,
}

/// <summary>One key of an index: a column or a parenthesised expression, with its ordering and optional operator class and collation.</summary>
/// <param name="Collation">
/// The key's own COLLATE, by name (<c>C</c>): set only when it is not the column's or the expression's own collation,
/// which a key without one uses (PostgreSQL records the collation of every collatable key).
/// </param>
/// <param name="CollationSchema">The schema of <paramref name="Collation"/>; null for one found on the search path (pg_catalog's, public's).</param>
public sealed record IndexElement(
    string? Column = null,
    string? Expression = null,
    SortDirection Direction = SortDirection.Ascending,
    NullsOrder Nulls = NullsOrder.Default,
    string? OperatorClass = null,
    string? Collation = null,
    string? CollationSchema = null)
{
    public static IndexElement OnColumn(string column) => new(Column: column);

    public static IndexElement OnExpression(string expression) => new(Expression: expression);
}

/// <param name="Method">The access method: btree, hash, gin, gist, brin, spgist.</param>
/// <param name="Where">The predicate of a partial index, without WHERE.</param>
/// <param name="Concurrently">Create (and drop) with CONCURRENTLY, outside a transaction. Not part of the index's identity.</param>
/// <param name="Comment">COMMENT ON INDEX (changed in place; not part of the index's identity).</param>
/// <param name="Reads">
/// What the index reads, as PostgreSQL recorded it (not part of equality): its key and included columns and
/// what its expressions and predicate read (pg_depend does not tell a plain key from a column an expression reads).
/// </param>
/// <param name="Options">Its storage parameters, WITH ( ), each <c>name=value</c> as PostgreSQL keeps them (<c>fillfactor=70</c>, <c>deduplicate_items=off</c>).</param>
public sealed record Index(
    string Name,
    ValueList<IndexElement> Elements,
    bool Unique = false,
    string Method = "btree",
    ValueList<string> Include = default,
    string? Where = null,
    bool NullsNotDistinct = false,
    bool Concurrently = false,
    ExpressionReads Reads = default,
    string? Comment = null,
    ValueList<string> Options = default)
{
    /// <summary>Canonical order: storage parameters by name.</summary>
    public Index Normalize() => Options.Count < 2 ? this : this with { Options = Options.Order(StringComparer.Ordinal).ToValueList() };
}
