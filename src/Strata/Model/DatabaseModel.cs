namespace Strata.Model;

/// <summary>
/// The whole schema of one database as Strata manages it: what a snapshot stores, what the DSL
/// builds, what the introspector reads back and what the differ compares.
/// </summary>
/// <remarks>
/// Collections are kept in a canonical order (see <see cref="Normalize"/>): schemas and every kind of object sorted
/// by qualified name; columns in declaration order; constraints and indexes sorted by name. Two models with the same
/// content are then equal and serialize to the same bytes. Kinds beyond the built-in ones declare their collection
/// in a partial part in their own file and register a <see cref="ModelKind"/>, which the operations here loop over.
/// </remarks>
public sealed partial record DatabaseModel(
    ValueList<string> Schemas,
    ValueList<EnumType> Enums,
    ValueList<Sequence> Sequences,
    ValueList<Table> Tables,
    ValueList<View> Views)
{
    // No initializer: the kinds' parts register from their own files' static initializers, in an unspecified order.
    private static KindRegistry<ModelKind>? _kinds;

    private static T Register<T>(T kind) where T : ModelKind => (T)(_kinds ??= new()).Add(kind);

    /// <summary>The kinds registered from their own files, by order.</summary>
    internal static ModelKind[] Kinds => _kinds?.InOrder ?? [];

    public static DatabaseModel Empty { get; } = new([], [], [], [], []);

    public Table? FindTable(QualifiedName name) => Tables.FirstOrDefault(t => t.QualifiedName == name);

    public EnumType? FindEnum(QualifiedName name) => Enums.FirstOrDefault(e => e.QualifiedName == name);

    public View? FindView(QualifiedName name) => Views.FirstOrDefault(v => v.QualifiedName == name);

    public Sequence? FindSequence(QualifiedName name) => Sequences.FirstOrDefault(s => s.QualifiedName == name);

    /// <summary>
    /// The schemas that hold an object of the model (a table, enum, view, sequence or an object of a registered kind),
    /// each once, in the order first met. The one place that knows which kinds of object live in a schema.
    /// </summary>
    public IEnumerable<string> ObjectSchemas()
    {
        var schemas = Tables.Select(t => t.Schema).Concat(Enums.Select(e => e.Schema))
            .Concat(Views.Select(v => v.Schema)).Concat(Sequences.Select(s => s.Schema));
        foreach (var kind in Kinds)
            schemas = schemas.Concat(kind.SchemasOf(this));
        return schemas.Distinct(StringComparer.Ordinal);
    }

    /// <summary>
    /// The same model with only the schemas <paramref name="includesSchema"/> keeps and the objects of those schemas
    /// that are not relations (enums, sequences and the registered kinds); tables and views are left as they are.
    /// </summary>
    public DatabaseModel InSchemas(Func<string, bool> includesSchema)
    {
        var model = this with
        {
            Schemas = Schemas.Where(includesSchema).ToValueList(),
            Enums = Enums.Where(e => includesSchema(e.Schema)).ToValueList(),
            Sequences = Sequences.Where(s => includesSchema(s.Schema)).ToValueList(),
            SchemaComments = SchemaComments.Where(c => includesSchema(c.Schema)).ToValueList(),
        };
        foreach (var kind in Kinds)
            model = kind.InSchemas(model, includesSchema);
        return model;
    }

    /// <summary>
    /// The same model with only the objects bound to a table (policies) whose table <paramref name="includesRelation"/>
    /// keeps; tables, views and the other kinds are left as they are.
    /// </summary>
    public DatabaseModel InRelations(Func<QualifiedName, bool> includesRelation)
    {
        var model = this;
        foreach (var kind in Kinds)
            model = kind.InRelations(model, includesRelation);
        return model;
    }

    private static string? _schemaObjectKinds;

    /// <summary>The kinds of object <see cref="ObjectSchemas"/> counts, in words: what an empty model has none of.</summary>
    public static string SchemaObjectKinds => _schemaObjectKinds ??= ListSchemaObjectKinds();

    private static string ListSchemaObjectKinds()
    {
        // In the order of Counts: a kind's Order places it among the built-in ones.
        var words = new List<(int Order, string Plural)> { (10, "tables"), (20, "views"), (30, "enums"), (50, "sequences") };
        foreach (var kind in Kinds)
        {
            if (!kind.IsTableBound)
                words.Add((kind.Order, kind.Plural));
        }
        words.Sort((a, b) => a.Order.CompareTo(b.Order));
        return string.Join(", ", words.Take(words.Count - 1).Select(w => w.Plural)) + " or " + words[^1].Plural;
    }

    /// <summary>How many objects of each kind the model holds, in a fixed order: the summary pull prints.</summary>
    public IReadOnlyList<ObjectCount> Counts()
    {
        var counts = new List<(int Order, ObjectCount Count)>
        {
            (0, new("schemas", "schema", "schemas", Schemas.Count)),
            (10, new("tables", "table", "tables", Tables.Count)),
            (11, new("columns", "column", "columns", Tables.Sum(t => t.Columns.Count))),
            (20, new("views", "view", "views", Views.Count(v => !v.Materialized))),
            (21, new("materializedViews", "materialized view", "materialized views", Views.Count(v => v.Materialized))),
            (30, new("enums", "enum", "enums", Enums.Count)),
            (50, new("sequences", "sequence", "sequences", Sequences.Count)),
            (60, new("indexes", "index", "indexes", Tables.Sum(t => t.Indexes.Count) + Views.Sum(v => v.Indexes.Count))),
            (61, new("foreignKeys", "foreign key", "foreign keys", Tables.Sum(t => t.ForeignKeys.Count))),
            (62, new("checks", "check constraint", "check constraints", Tables.Sum(t => t.Checks.Count))),
        };
        foreach (var kind in Kinds)
            counts.Add((kind.Order, kind.Count(this)));
        counts.Sort((a, b) => a.Order.CompareTo(b.Order));
        return counts.Select(c => c.Count).ToList();
    }

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

    // The normal form of each model instance normalized so far (a normal form is its own), by reference and weakly:
    // pull and generate normalize the same model up to five times (the introspection or the DSL, the C# writer, both
    // diffs of a baseline, the snapshot), each a new copy of every table. Models are immutable, so the answer keeps;
    // a copy made with `with` is another instance and is normalized afresh.
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<DatabaseModel, DatabaseModel> NormalForms = new();

    /// <summary>Returns the same model with every collection in canonical order.</summary>
    public DatabaseModel Normalize()
    {
        if (NormalForms.TryGetValue(this, out var known))
            return known;
        var normal = NormalizeCollections();
        NormalForms.AddOrUpdate(normal, normal);
        NormalForms.AddOrUpdate(this, normal);
        return normal;
    }

    private DatabaseModel NormalizeCollections()
    {
        var model = this with
        {
            Schemas = Schemas.Where(s => s != QualifiedName.DefaultSchema).Distinct().Order(StringComparer.Ordinal).ToValueList(),
            Enums = Enums.OrderBy(e => e.QualifiedName).ToValueList(),
            Sequences = Sequences.OrderBy(s => s.QualifiedName).ToValueList(),
            Tables = Tables.OrderBy(t => t.QualifiedName).Select(t => t.Normalize()).ToValueList(),
            Views = Views.OrderBy(v => v.QualifiedName).Select(v => v.Normalize()).ToValueList(),
            SchemaComments = NormalizedSchemaComments(),
        };
        foreach (var kind in Kinds)
            model = kind.Normalize(model);
        return model;
    }
}

/// <summary>How many objects of one kind a model holds.</summary>
/// <param name="Key">The count's name in JSON output (<c>materializedViews</c>).</param>
public sealed record ObjectCount(string Key, string Singular, string Plural, int Value);

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
/// <see cref="Options"/> are its WITH ( ) options as PostgreSQL keeps them (pg_class.reloptions), each
/// <c>name=value</c>: a view's <c>security_barrier</c>, <c>security_invoker</c> and <c>check_option</c> (WITH
/// CHECK OPTION), a materialized view's storage parameters. <see cref="ClusterOn"/> is a materialized view's clustered
/// index (ALTER MATERIALIZED VIEW … CLUSTER ON), as <see cref="Table.ClusterOn"/>.
/// </summary>
public sealed record View(
    string Schema,
    string Name,
    string Definition,
    bool Materialized = false,
    ValueList<QualifiedName> DependsOn = default,
    string? Comment = null,
    ValueList<Index> Indexes = default,
    ExpressionReads Reads = default,
    ValueList<string> Options = default,
    string? ClusterOn = null)
{
    public QualifiedName QualifiedName => new(Schema, Name);

    /// <summary>Canonical order: dependencies by name, without repeats; indexes by name; options by name.</summary>
    public View Normalize() => this with
    {
        DependsOn = DependsOn.Distinct().Order().ToValueList(),
        Indexes = Indexes.OrderBy(i => i.Name, StringComparer.Ordinal).Select(i => i.Normalize()).ToValueList(),
        Options = Options.OrderBy(o => o, StringComparer.Ordinal).ToValueList(),
    };
}
