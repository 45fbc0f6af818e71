using System.Collections.Immutable;
using Strata.Diffing;
using Strata.Model;

namespace Strata.Snapshots;

/// <summary>
/// Converts between the model and the snapshot documents, the one place that knows both. Writing
/// leaves defaults out (null in the document); reading checks what the JSON shape cannot: required
/// values, the words for enum members, and the rules between values. A problem is thrown with its
/// path relative to the object being read; each enclosing object prefixes its own key on the way out,
/// so no path is built unless something is wrong.
/// </summary>
/// <remarks>
/// A kind of object brings its two mappings in a partial part in its own file (<see cref="KindMapping"/>).
/// </remarks>
internal static partial class SnapshotMapping
{
    // A kind of object declared in its own file brings its mappings in a partial part of this class (see KindRegistry).
    private static KindRegistry<KindMapping>? _kinds;
    private static TypeField[]? _typeFields;

    /// <summary>A kind's two mappings, run after the built-in kinds' in <see cref="Order"/>.</summary>
    /// <param name="Write">Sets the kind's property of the schema document from the model (normalized).</param>
    /// <param name="Read">The model with the kind's objects of the snapshot document (a problem's path relative to the document).</param>
    /// <param name="TypeField">For a kind that columns use as a type: the field of a column type's document that names one.</param>
    internal sealed record KindMapping(int Order, Action<DatabaseModel, SchemaDocument> Write, Func<SnapshotDocument, DatabaseModel, DatabaseModel> Read,
        TypeField? TypeField = null) : IKindPart;

    /// <summary>The field of a column type's document that names a type of a kind.</summary>
    /// <param name="Write">Sets the field from the column type.</param>
    /// <param name="Read">The column type with the field read, checked against the type's kind (a problem's path relative to the type).</param>
    internal sealed record TypeField(Action<ColumnType, ColumnTypeDocument> Write, Func<ColumnTypeDocument, ColumnType, ColumnType> Read);

    private static KindMapping Register(KindMapping kind) => (_kinds ??= new()).Add(kind);

    internal static KindMapping[] KindsInOrder => _kinds?.InOrder ?? [];

    private static TypeField[] TypeFields => _typeFields ??= [.. KindsInOrder.Where(kind => kind.TypeField is not null).Select(kind => kind.TypeField!)];

    // ---------------------------------------------------------------- model → document

    public static SchemaDocument ToDocument(DatabaseModel normalized)
    {
        var document = new SchemaDocument
        {
            Enums = Documents(normalized.Enums, ToDocument),
            Schemas = Strings(normalized.Schemas),
            Sequences = Documents(normalized.Sequences, ToDocument),
            Tables = Documents(normalized.Tables, ToDocument),
            Views = Documents(normalized.Views, ToDocument),
        };
        foreach (var kind in KindsInOrder)
            kind.Write(normalized, document);
        return document;
    }

    public static List<RenameDocument?>? ToDocuments(ValueList<Rename> renames) => Documents(renames, rename => new RenameDocument
    {
        From = rename.From,
        Kind = SnapshotNames.ObjectKinds.NameOf(rename.Kind),
        To = rename.To,
    });

    private static EnumDocument ToDocument(EnumType type) => new()
    {
        Comment = type.Comment,
        Name = type.Name,
        Schema = type.Schema,
        Values = Strings(type.Values),
    };

    private static SequenceDocument ToDocument(Sequence sequence) => new()
    {
        Comment = sequence.Comment,
        Name = sequence.Name,
        Options = ToDocument(sequence.Options),
        Schema = sequence.Schema,
    };

    private static SequenceOptionsDocument? ToDocument(SequenceOptions options) => options == SequenceOptions.Default ? null : new()
    {
        Cache = WholeNumber.Of(options.Cache),
        Cycle = Flag.Of(options.Cycle),
        DataType = options.DataType,
        IncrementBy = WholeNumber.Of(options.IncrementBy),
        MaxValue = WholeNumber.Of(options.MaxValue),
        MinValue = WholeNumber.Of(options.MinValue),
        StartWith = WholeNumber.Of(options.StartWith),
    };

    private static TableDocument ToDocument(Table table) => new()
    {
        Checks = Documents(table.Checks, ToDocument),
        ClusterOn = table.ClusterOn,
        Columns = Documents(table.Columns, ToDocument),
        Comment = table.Comment,
        ForeignKeys = Documents(table.ForeignKeys, ToDocument),
        Indexes = Documents(table.Indexes, ToDocument),
        Inherits = Documents(table.Inherits, ToDocument),
        Name = table.Name,
        Options = Strings(table.Options),
        PartitionBound = table.Partitioning?.Bound,
        PartitionKey = table.Partitioning?.Key,
        PartitionOf = table.Partitioning?.Parent is { } parent ? ToDocument(parent) : null,
        PrimaryKey = table.PrimaryKey is { } key
            ? new PrimaryKeyDocument { Columns = Strings(key.Columns), Comment = key.Comment, Deferrable = Flag.Of(key.Deferrable), InitiallyDeferred = Flag.Of(key.InitiallyDeferred), Name = key.Name, Options = Strings(key.Options) }
            : null,
        Schema = table.Schema,
        Uniques = Documents(table.Uniques, unique => new UniqueDocument
        {
            Columns = Strings(unique.Columns),
            Comment = unique.Comment,
            Deferrable = Flag.Of(unique.Deferrable),
            InitiallyDeferred = Flag.Of(unique.InitiallyDeferred),
            Name = unique.Name,
            NullsNotDistinct = Flag.Of(unique.NullsNotDistinct),
            Options = Strings(unique.Options),
        }),
        Unlogged = Flag.Of(table.Unlogged),
    };

    private static ColumnDocument ToDocument(Column column) => new()
    {
        Collation = column.Collation,
        CollationSchema = column.CollationSchema,
        Comment = column.Comment,
        Default = column.Default,
        GeneratedAs = column.GeneratedAs,
        Identity = column.Identity is { } identity
            ? new IdentityDocument { Generation = SnapshotNames.IdentityGenerations.NameOf(identity.Generation), Options = ToDocument(identity.Options) }
            : null,
        Name = column.Name,
        NotNull = Flag.Of(column.NotNull),
        Reads = ToDocuments(column.Reads),
        Type = ToDocument(column.Type),
    };

    private static CheckDocument ToDocument(CheckConstraint check) =>
        new() { Comment = check.Comment, Expression = check.Expression, Name = check.Name, NoInherit = Flag.Of(check.NoInherit), Reads = ToDocuments(check.Reads) };

    private static ColumnTypeDocument ToDocument(ColumnType type)
    {
        var document = new ColumnTypeDocument
        {
            ArrayDimensions = type.ArrayDimensions == 0 ? null : new WholeNumber(type.ArrayDimensions),
            Enum = type.EnumName is { } enumName ? ToDocument(enumName) : null,
            Kind = SnapshotNames.TypeKinds.NameOf(type.Kind),
            Length = WholeNumber.Of(type.Length),
            Precision = WholeNumber.Of(type.Precision),
            Raw = type.RawName,
            Scale = WholeNumber.Of(type.Scale),
        };
        foreach (var field in TypeFields)
            field.Write(type, document);
        return document;
    }

    private static ForeignKeyDocument ToDocument(ForeignKey key) => new()
    {
        Columns = Strings(key.Columns),
        Comment = key.Comment,
        Deferrable = Flag.Of(key.Deferrable),
        InitiallyDeferred = Flag.Of(key.InitiallyDeferred),
        MatchFull = Flag.Of(key.MatchFull),
        Name = key.Name,
        OnDelete = key.OnDelete == ReferentialAction.NoAction ? null : SnapshotNames.ReferentialActions.NameOf(key.OnDelete),
        OnUpdate = key.OnUpdate == ReferentialAction.NoAction ? null : SnapshotNames.ReferentialActions.NameOf(key.OnUpdate),
        ReferencedColumns = Strings(key.ReferencedColumns),
        References = ToDocument(key.ReferencedTable),
    };

    private static IndexDocument ToDocument(Model.Index index) => new()
    {
        Comment = index.Comment,
        Concurrently = Flag.Of(index.Concurrently),
        Elements = Documents(index.Elements, ToDocument) ?? [],
        Include = Strings(index.Include),
        Method = index.Method,
        Name = index.Name,
        NullsNotDistinct = Flag.Of(index.NullsNotDistinct),
        Options = Strings(index.Options),
        Reads = ToDocuments(index.Reads),
        Unique = Flag.Of(index.Unique),
        Where = index.Where,
    };

    private static IndexElementDocument ToDocument(IndexElement element) => new()
    {
        Collation = element.Collation,
        CollationSchema = element.CollationSchema,
        Column = element.Column,
        Direction = element.Direction == SortDirection.Ascending ? null : SnapshotNames.SortDirections.NameOf(element.Direction),
        Expression = element.Expression,
        Nulls = element.Nulls == NullsOrder.Default ? null : SnapshotNames.NullsOrders.NameOf(element.Nulls),
        OperatorClass = element.OperatorClass,
    };

    private static ViewDocument ToDocument(View view) => new()
    {
        ClusterOn = view.ClusterOn,
        Comment = view.Comment,
        Definition = view.Definition,
        DependsOn = Documents(view.DependsOn, ToDocument),
        Indexes = Documents(view.Indexes, ToDocument),
        Materialized = Flag.Of(view.Materialized),
        Name = view.Name,
        Options = Strings(view.Options),
        Reads = ToDocuments(view.Reads),
        Schema = view.Schema,
    };

    private static QualifiedNameDocument ToDocument(QualifiedName name) => new() { Name = name.Name, Schema = name.Schema };

    /// <summary>Known reads as a list, empty when the expression reads nothing; unknown ones as absent.</summary>
    private static List<ReadDocument?>? ToDocuments(ExpressionReads reads) => !reads.IsKnown ? null
        : Documents(reads.Objects, read => new ReadDocument
        {
            Column = read.Column,
            Kind = SnapshotNames.ReadKinds.NameOf(read.Kind),
            Name = read.Name.Name,
            Schema = read.Name.Schema,
        }) ?? [];

    private static List<TDocument?>? Documents<T, TDocument>(ValueList<T> items, Func<T, TDocument> map) where TDocument : class
    {
        if (items.Count == 0)
            return null;
        var documents = new List<TDocument?>(items.Count);
        foreach (var item in items)
            documents.Add(map(item));
        return documents;
    }

    private static List<string?>? Strings(ValueList<string> values) => values.Count == 0 ? null : [.. values];

    // ---------------------------------------------------------------- document → model

    /// <summary>A document of the current version (the caller checked it) as a snapshot.</summary>
    public static Snapshot ToSnapshot(SnapshotDocument document)
    {
        var dialect = Required(document.Dialect, "dialect");
        if (dialect != "postgresql")
            throw new SnapshotPathException("dialect", $"the dialect is \"{dialect}\", but this Strata reads only \"postgresql\" snapshots");
        var id = Required(document.Id, "id");
        var schema = new DatabaseModel(
            Strings(document.Schemas, "schemas"),
            Items(document.Enums, "enums", ToEnum),
            Items(document.Sequences, "sequences", ToSequence),
            Items(document.Tables, "tables", ToTable),
            Items(document.Views, "views", ToView));
        foreach (var kind in KindsInOrder)
            schema = kind.Read(document, schema);
        return new Snapshot(id, document.ParentId, schema.Normalize(), Items(document.Renames, "renames", ToRename));
    }

    private static EnumType ToEnum(EnumDocument document) => new(
        Required(document.Schema, "schema"), Required(document.Name, "name"), Strings(document.Values, "values"), document.Comment);

    private static Sequence ToSequence(SequenceDocument document) => new(
        Required(document.Schema, "schema"), Required(document.Name, "name"), ToOptions(document.Options), document.Comment);

    private static SequenceOptions ToOptions(SequenceOptionsDocument? document) => document is null
        ? SequenceOptions.Default
        : new SequenceOptions(
            document.DataType,
            document.StartWith?.Value,
            document.IncrementBy?.Value,
            document.MinValue?.Value,
            document.MaxValue?.Value,
            document.Cache?.Value,
            document.Cycle is not null);

    private static Table ToTable(TableDocument document) => new(
        Required(document.Schema, "schema"),
        Required(document.Name, "name"),
        Items(document.Columns, "columns", ToColumn),
        document.PrimaryKey is { } key ? In(key, "primaryKey", ToPrimaryKey) : null,
        Items(document.Uniques, "uniques", ToUnique),
        Items(document.Checks, "checks", ToCheck),
        Items(document.ForeignKeys, "foreignKeys", ToForeignKey),
        Items(document.Indexes, "indexes", ToIndex),
        document.Comment,
        document.Unlogged is not null,
        document.PartitionKey is null && document.PartitionOf is null ? null
            : new TablePartitioning(document.PartitionKey, document.PartitionOf is { } parent ? In(parent, "partitionOf", ToQualifiedName) : null, document.PartitionBound),
        Items(document.Inherits, "inherits", ToQualifiedName),
        Strings(document.Options, "options"),
        document.ClusterOn);

    private static PrimaryKey ToPrimaryKey(PrimaryKeyDocument document) =>
        new(Required(document.Name, "name"), Strings(document.Columns, "columns"), document.Deferrable is not null, document.InitiallyDeferred is not null, document.Comment,
            Strings(document.Options, "options"));

    private static UniqueConstraint ToUnique(UniqueDocument document) =>
        new(Required(document.Name, "name"), Strings(document.Columns, "columns"), document.NullsNotDistinct is not null,
            document.Deferrable is not null, document.InitiallyDeferred is not null, document.Comment, Strings(document.Options, "options"));

    private static CheckConstraint ToCheck(CheckDocument document) =>
        new(Required(document.Name, "name"), Required(document.Expression, "expression"), ToReads(document.Reads), document.NoInherit is not null, document.Comment);

    private static Column ToColumn(ColumnDocument document) => new(
        Required(document.Name, "name"),
        document.Type is { } type ? In(type, "type", ToType) : throw Missing("type", "an object"),
        document.NotNull is not null,
        document.Default,
        document.Identity is { } identity ? In(identity, "identity", ToIdentity) : null,
        document.GeneratedAs,
        document.Comment,
        ToReads(document.Reads),
        document.Collation,
        document.CollationSchema);

    private static Identity ToIdentity(IdentityDocument document) =>
        new(Name(document.Generation, "generation", SnapshotNames.IdentityGenerations), ToOptions(document.Options));

    private static ColumnType ToType(ColumnTypeDocument document)
    {
        var type = new ColumnType(
            Name(document.Kind, "kind", SnapshotNames.TypeKinds),
            Int(document.Length, "length"),
            Int(document.Precision, "precision"),
            Int(document.Scale, "scale"),
            document.Enum is { } name ? In(name, "enum", ToQualifiedName) : null,
            document.Raw,
            Int(document.ArrayDimensions, "arrayDimensions") ?? 0);
        // The kinds' fields are read before the checks, which are one per type kind: a problem in one is reported first, as always.
        foreach (var field in TypeFields)
            type = field.Read(document, type);
        if (type.Kind == TypeKind.Enum && type.EnumName is null)
            throw new SnapshotPathException("", "an enum type needs \"enum\": {\"schema\": …, \"name\": …}");
        if (type.Kind == TypeKind.Raw && type.RawName is null)
            throw new SnapshotPathException("", "a raw type needs \"raw\": the type's SQL name");
        return type;
    }

    private static ForeignKey ToForeignKey(ForeignKeyDocument document) => new(
        Required(document.Name, "name"),
        Strings(document.Columns, "columns"),
        document.References is { } references ? In(references, "references", ToQualifiedName) : throw Missing("references", "an object"),
        Strings(document.ReferencedColumns, "referencedColumns"),
        OptionalName(document.OnDelete, "onDelete", SnapshotNames.ReferentialActions) ?? ReferentialAction.NoAction,
        OptionalName(document.OnUpdate, "onUpdate", SnapshotNames.ReferentialActions) ?? ReferentialAction.NoAction,
        document.Deferrable is not null,
        document.InitiallyDeferred is not null,
        document.MatchFull is not null,
        document.Comment);

    private static Model.Index ToIndex(IndexDocument document) => new(
        Required(document.Name, "name"),
        Items(document.Elements, "elements", ToIndexElement),
        document.Unique is not null,
        Required(document.Method, "method"),
        Strings(document.Include, "include"),
        document.Where,
        document.NullsNotDistinct is not null,
        document.Concurrently is not null,
        ToReads(document.Reads),
        document.Comment,
        Strings(document.Options, "options"));

    private static IndexElement ToIndexElement(IndexElementDocument document)
    {
        if ((document.Column is null) == (document.Expression is null))
            throw new SnapshotPathException("", "an index element needs exactly one of \"column\" and \"expression\"");
        return new IndexElement(
            document.Column,
            document.Expression,
            OptionalName(document.Direction, "direction", SnapshotNames.SortDirections) ?? SortDirection.Ascending,
            OptionalName(document.Nulls, "nulls", SnapshotNames.NullsOrders) ?? NullsOrder.Default,
            document.OperatorClass,
            document.Collation,
            document.CollationSchema);
    }

    private static View ToView(ViewDocument document) => new(
        Required(document.Schema, "schema"),
        Required(document.Name, "name"),
        Required(document.Definition, "definition"),
        document.Materialized is not null,
        Items(document.DependsOn, "dependsOn", ToQualifiedName),
        document.Comment,
        Items(document.Indexes, "indexes", ToIndex),
        ToReads(document.Reads),
        Strings(document.Options, "options"),
        document.ClusterOn);

    /// <summary>An absent list: not known (a snapshot written before Strata recorded reads, or from the DSL).</summary>
    private static ExpressionReads ToReads(List<ReadDocument?>? documents, string key = "reads") =>
        documents is null ? ExpressionReads.Unknown : new ExpressionReads(Items(documents, key, ToRead));

    private static ReadObject ToRead(ReadDocument document)
    {
        var kind = Name(document.Kind, "kind", SnapshotNames.ReadKinds);
        var name = new QualifiedName(Required(document.Schema, "schema"), Required(document.Name, "name"));
        if ((kind == ReadKind.Column) != (document.Column is not null))
            throw new SnapshotPathException("", "a read has \"column\" exactly when its kind is \"column\"");
        return new ReadObject(kind, name, document.Column);
    }

    private static QualifiedName ToQualifiedName(QualifiedNameDocument document) =>
        new(Required(document.Schema, "schema"), Required(document.Name, "name"));

    private static Rename ToRename(RenameDocument document) =>
        new(Name(document.Kind, "kind", SnapshotNames.ObjectKinds), Required(document.From, "from"), Required(document.To, "to"));

    /// <summary>Maps a nested object, putting its key in front of the path of any problem in it.</summary>
    private static T In<TDocument, T>(TDocument document, string key, Func<TDocument, T> map)
    {
        try
        {
            return map(document);
        }
        catch (SnapshotPathException e)
        {
            throw e.Within(key);
        }
    }

    private static ValueList<T> Items<TDocument, T>(List<TDocument?>? documents, string key, Func<TDocument, T> map) where TDocument : class
    {
        if (documents is null || documents.Count == 0)
            return [];
        var items = ImmutableArray.CreateBuilder<T>(documents.Count);
        for (var i = 0; i < documents.Count; i++)
        {
            var document = documents[i] ?? throw new SnapshotPathException($"{key}[{i}]", "expected an object, found null");
            try
            {
                items.Add(map(document));
            }
            catch (SnapshotPathException e)
            {
                throw e.Within($"{key}[{i}]");
            }
        }
        return items.MoveToImmutable();
    }

    private static ValueList<string> Strings(List<string?>? values, string key)
    {
        if (values is null || values.Count == 0)
            return [];
        var items = ImmutableArray.CreateBuilder<string>(values.Count);
        for (var i = 0; i < values.Count; i++)
            items.Add(values[i] ?? throw new SnapshotPathException($"{key}[{i}]", "expected a string, found null"));
        return items.MoveToImmutable();
    }

    private static int? Int(WholeNumber? number, string key) => number is null ? null
        : number.Value is >= int.MinValue and <= int.MaxValue ? (int)number.Value
        : throw new SnapshotPathException(key, $"expected a whole number, found {number.Value}");

    private static string Required(string? value, string key) => value ?? throw Missing(key, "a string");

    private static T Name<T>(string? name, string key, SnapshotNames.Names<T> names) where T : struct, Enum =>
        OptionalName(name, key, names) ?? throw Missing(key, "one of " + Choices(names));

    private static T? OptionalName<T>(string? name, string key, SnapshotNames.Names<T> names) where T : struct, Enum
    {
        if (name is null)
            return null;
        return names.TryParse(name, out var value)
            ? value
            : throw new SnapshotPathException(key, $"unknown {names.What} \"{name}\"; expected one of {Choices(names)}");
    }

    private static SnapshotPathException Missing(string key, string expected) =>
        new("", $"the property \"{key}\" is missing; it must be {expected}");

    private static string Choices<T>(SnapshotNames.Names<T> names) where T : struct, Enum =>
        string.Join(", ", names.All.Select(n => "\"" + n + "\""));

    /// <summary>The same for <see cref="ObjectKind"/>, a class whose members carry their words.</summary>
    private static ObjectKind Name(string? name, string key, SnapshotNames.ObjectKindNames names)
    {
        var choices = string.Join(", ", names.All.Select(n => "\"" + n + "\""));
        if (name is null)
            throw Missing(key, "one of " + choices);
        return names.TryParse(name, out var value)
            ? value
            : throw new SnapshotPathException(key, $"unknown {names.What} \"{name}\"; expected one of {choices}");
    }
}
