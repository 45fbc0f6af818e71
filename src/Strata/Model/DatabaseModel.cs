namespace Strata.Model;

/// <summary>
/// The whole schema of one database as Strata manages it: what a snapshot stores, what the DSL
/// builds, what the introspector reads back and what the differ compares.
/// </summary>
/// <remarks>
/// Collections are kept in a canonical order (see <see cref="Normalize"/>): schemas, enums, sequences,
/// tables, views and domains sorted by qualified name; columns in declaration order; constraints and
/// indexes sorted by name. Two models with the same content are then equal and serialize to the
/// same bytes.
/// </remarks>
public sealed record DatabaseModel(
    ValueList<string> Schemas,
    ValueList<EnumType> Enums,
    ValueList<Sequence> Sequences,
    ValueList<Table> Tables,
    ValueList<View> Views,
    ValueList<Domain> Domains = default)
{
    public static DatabaseModel Empty { get; } = new([], [], [], [], []);

    public Table? FindTable(QualifiedName name) => Tables.FirstOrDefault(t => t.QualifiedName == name);

    public EnumType? FindEnum(QualifiedName name) => Enums.FirstOrDefault(e => e.QualifiedName == name);

    public View? FindView(QualifiedName name) => Views.FirstOrDefault(v => v.QualifiedName == name);

    public Sequence? FindSequence(QualifiedName name) => Sequences.FirstOrDefault(s => s.QualifiedName == name);

    public Domain? FindDomain(QualifiedName name) => Domains.FirstOrDefault(d => d.QualifiedName == name);

    /// <summary>
    /// The schemas that hold an object of the model (a table, enum, view, sequence or domain), each once, in the
    /// order first met. The one place that knows which kinds of object live in a schema.
    /// </summary>
    public IEnumerable<string> ObjectSchemas() =>
        Tables.Select(t => t.Schema).Concat(Enums.Select(e => e.Schema))
            .Concat(Views.Select(v => v.Schema)).Concat(Sequences.Select(s => s.Schema))
            .Concat(Domains.Select(d => d.Schema))
            .Distinct(StringComparer.Ordinal);

    /// <summary>
    /// The same model with only the schemas <paramref name="includesSchema"/> keeps and the objects of those schemas
    /// that are not relations (enums, sequences, domains); tables and views are left as they are.
    /// </summary>
    public DatabaseModel InSchemas(Func<string, bool> includesSchema) => this with
    {
        Schemas = Schemas.Where(includesSchema).ToValueList(),
        Enums = Enums.Where(e => includesSchema(e.Schema)).ToValueList(),
        Sequences = Sequences.Where(s => includesSchema(s.Schema)).ToValueList(),
        Domains = Domains.Where(d => includesSchema(d.Schema)).ToValueList(),
    };

    /// <summary>The kinds of object <see cref="ObjectSchemas"/> counts, in words: what an empty model has none of.</summary>
    public const string SchemaObjectKinds = "tables, views, enums, domains or sequences";

    /// <summary>How many objects of each kind the model holds, in a fixed order: the summary pull prints.</summary>
    public IReadOnlyList<ObjectCount> Counts() =>
    [
        new("schemas", "schema", "schemas", Schemas.Count),
        new("tables", "table", "tables", Tables.Count),
        new("columns", "column", "columns", Tables.Sum(t => t.Columns.Count)),
        new("views", "view", "views", Views.Count(v => !v.Materialized)),
        new("materializedViews", "materialized view", "materialized views", Views.Count(v => v.Materialized)),
        new("enums", "enum", "enums", Enums.Count),
        new("domains", "domain", "domains", Domains.Count),
        new("sequences", "sequence", "sequences", Sequences.Count),
        new("indexes", "index", "indexes", Tables.Sum(t => t.Indexes.Count) + Views.Sum(v => v.Indexes.Count)),
        new("foreignKeys", "foreign key", "foreign keys", Tables.Sum(t => t.ForeignKeys.Count)),
        new("checks", "check constraint", "check constraints", Tables.Sum(t => t.Checks.Count)),
    ];

    /// <summary>
    /// The schemas the model uses: the ones it declares and the ones it puts an object in (<c>public</c>
    /// only when it holds an object or is declared), in ordinal order. What a reset empties, and what doctor checks.
    /// </summary>
    public IReadOnlyList<string> SchemasInUse() =>
        Schemas.Concat(ObjectSchemas())
            .Where(s => !string.IsNullOrEmpty(s))
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .ToList();

    /// <summary>Returns the same model with every collection in canonical order.</summary>
    public DatabaseModel Normalize() => new(
        Schemas.Where(s => s != QualifiedName.DefaultSchema).Distinct().Order(StringComparer.Ordinal).ToValueList(),
        Enums.OrderBy(e => e.QualifiedName).ToValueList(),
        Sequences.OrderBy(s => s.QualifiedName).ToValueList(),
        Tables.OrderBy(t => t.QualifiedName).Select(t => t.Normalize()).ToValueList(),
        Views.OrderBy(v => v.QualifiedName).Select(v => v.Normalize()).ToValueList(),
        Domains.OrderBy(d => d.QualifiedName).Select(d => d.Normalize()).ToValueList());
}

/// <summary>How many objects of one kind a model holds.</summary>
/// <param name="Key">The count's name in JSON output (<c>materializedViews</c>).</param>
public sealed record ObjectCount(string Key, string Singular, string Plural, int Value);

/// <summary>
/// A PostgreSQL domain: a base type (built-in, enum, array or another domain) with a NOT NULL, a
/// default, named checks (their expressions read the value as <c>VALUE</c>) and a collation. Columns use
/// it as their type (<see cref="TypeKind.Domain"/>).
/// </summary>
/// <param name="Default">The default as a SQL expression, as after DEFAULT (a literal is already quoted).</param>
/// <param name="Collation">A collation other than the base type's, by name (<c>C</c>, <c>en_US</c>).</param>
/// <param name="DefaultReads">What <paramref name="Default"/> reads, as PostgreSQL recorded it (not part of equality); unknown without a default.</param>
public sealed record Domain(
    string Schema,
    string Name,
    ColumnType BaseType,
    bool NotNull = false,
    string? Default = null,
    ValueList<CheckConstraint> Checks = default,
    string? Collation = null,
    string? Comment = null,
    ExpressionReads DefaultReads = default)
{
    public QualifiedName QualifiedName => new(Schema, Name);

    /// <summary>Canonical order: checks by name.</summary>
    public Domain Normalize() => this with { Checks = Checks.OrderBy(c => c.Name, StringComparer.Ordinal).ToValueList() };
}

/// <summary>A PostgreSQL enum type; the order of <see cref="Values"/> is the sort order of the type.</summary>
public sealed record EnumType(string Schema, string Name, ValueList<string> Values, string? Comment = null)
{
    public QualifiedName QualifiedName => new(Schema, Name);
}

/// <summary>A stand-alone sequence (identity and serial columns own theirs implicitly).</summary>
public sealed record Sequence(string Schema, string Name, SequenceOptions Options, string? Comment = null)
{
    public QualifiedName QualifiedName => new(Schema, Name);
}

/// <summary>
/// Options of a sequence or an identity column. A null option means PostgreSQL's default, which
/// depends on the data type and direction (for example MAXVALUE).
/// </summary>
public sealed record SequenceOptions(
    string? DataType = null,
    long? StartWith = null,
    long? IncrementBy = null,
    long? MinValue = null,
    long? MaxValue = null,
    long? Cache = null,
    bool Cycle = false)
{
    public static SequenceOptions Default { get; } = new();
}

/// <summary>
/// A plain or materialized view. <see cref="DependsOn"/> lists the tables and views its query reads;
/// <see cref="Indexes"/> are a materialized view's (a plain view has none). <see cref="Reads"/> is what
/// PostgreSQL recorded that the query reads (the columns of those relations, types, functions); not part
/// of equality. Where it is known, <see cref="Definition"/> is PostgreSQL's printed form of the query
/// (pg_get_viewdef), in which a <c>*</c> is already expanded into the columns it stood for.
/// </summary>
public sealed record View(
    string Schema,
    string Name,
    string Definition,
    bool Materialized = false,
    ValueList<QualifiedName> DependsOn = default,
    string? Comment = null,
    ValueList<Index> Indexes = default,
    ExpressionReads Reads = default)
{
    public QualifiedName QualifiedName => new(Schema, Name);

    /// <summary>Canonical order: dependencies by name, without repeats; indexes by name.</summary>
    public View Normalize() => this with
    {
        DependsOn = DependsOn.Distinct().Order().ToValueList(),
        Indexes = Indexes.OrderBy(i => i.Name, StringComparer.Ordinal).ToValueList(),
    };
}
