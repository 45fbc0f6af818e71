using System.Text.Json;
using Strata.Model;

// Exclusion constraints in snapshot.json, in one file: the record of a table's exclusion constraints (the top-level
// "exclusions" list), the reader's fields for them, and the mappings both ways, as partial parts of the snapshot's
// central types, each registered once (see KindRegistry). A model without any has no "exclusions" key.
namespace Strata.Snapshots;

internal sealed record TableExclusionsDocument
{
    public List<ExclusionDocument?>? Constraints { get; set; }

    public string? Schema { get; set; }

    public string? Table { get; set; }
}

internal sealed record ExclusionDocument
{
    public Flag? Deferrable { get; set; }

    public List<ExclusionElementDocument?>? Elements { get; set; }

    public List<string?>? Include { get; set; }

    public Flag? InitiallyDeferred { get; set; }

    public string? Method { get; set; }

    public string? Name { get; set; }

    /// <summary>What the expressions and predicate read (<see cref="ReadDocument"/>); absent when not known.</summary>
    public List<ReadDocument?>? Reads { get; set; }

    /// <summary>WITH (…), each <c>name=value</c>; absent when none.</summary>
    public List<string?>? Storage { get; set; }

    public string? Where { get; set; }
}

/// <summary>An index key's fields (<see cref="IndexElementDocument"/>) and the operator it is compared with.</summary>
internal sealed record ExclusionElementDocument
{
    public string? Collation { get; set; }

    public string? CollationSchema { get; set; }

    public string? Column { get; set; }

    public string? Direction { get; set; }

    public string? Expression { get; set; }

    public string? Nulls { get; set; }

    public string? Operator { get; set; }

    public string? OperatorClass { get; set; }
}

internal sealed partial record SnapshotDocument
{
    public List<TableExclusionsDocument?>? Exclusions { get; set; }
}

internal sealed partial record SchemaDocument
{
    public List<TableExclusionsDocument?>? Exclusions { get; set; }
}

internal static partial class SnapshotDocumentReader
{
    internal static readonly KindFields ExclusionFields = Register(new(Order: 37,
        [
            Field<SnapshotDocument>("exclusions", (ref Utf8JsonReader r, SnapshotDocument d) => d.Exclusions = Objects(ref r, TableExclusionsShape)),
        ],
        static () => new()
        {
            [typeof(TableExclusionsDocument)] = TableExclusionsShape.Names,
            [typeof(ExclusionDocument)] = ExclusionShape.Names,
            [typeof(ExclusionElementDocument)] = ExclusionElementShape.Names,
        }));

    private static Shape<TableExclusionsDocument>? _tableExclusionsShape;

    private static Shape<TableExclusionsDocument> TableExclusionsShape => _tableExclusionsShape ??= new(() => new(),
        ("constraints", (ref Utf8JsonReader r, TableExclusionsDocument d) => d.Constraints = Objects(ref r, ExclusionShape)),
        ("schema", (ref Utf8JsonReader r, TableExclusionsDocument d) => d.Schema = String(ref r)),
        ("table", (ref Utf8JsonReader r, TableExclusionsDocument d) => d.Table = String(ref r)));

    private static Shape<ExclusionDocument>? _exclusionShape;

    private static Shape<ExclusionDocument> ExclusionShape => _exclusionShape ??= new(() => new(),
        ("deferrable", (ref Utf8JsonReader r, ExclusionDocument d) => d.Deferrable = Flag(ref r)),
        ("elements", (ref Utf8JsonReader r, ExclusionDocument d) => d.Elements = Objects(ref r, ExclusionElementShape)),
        ("include", (ref Utf8JsonReader r, ExclusionDocument d) => d.Include = Strings(ref r)),
        ("initiallyDeferred", (ref Utf8JsonReader r, ExclusionDocument d) => d.InitiallyDeferred = Flag(ref r)),
        ("method", (ref Utf8JsonReader r, ExclusionDocument d) => d.Method = String(ref r)),
        ("name", (ref Utf8JsonReader r, ExclusionDocument d) => d.Name = String(ref r)),
        ("reads", (ref Utf8JsonReader r, ExclusionDocument d) => d.Reads = Objects(ref r, ReadShape)),
        ("storage", (ref Utf8JsonReader r, ExclusionDocument d) => d.Storage = Strings(ref r)),
        ("where", (ref Utf8JsonReader r, ExclusionDocument d) => d.Where = String(ref r)));

    private static Shape<ExclusionElementDocument>? _exclusionElementShape;

    private static Shape<ExclusionElementDocument> ExclusionElementShape => _exclusionElementShape ??= new(() => new(),
        ("collation", (ref Utf8JsonReader r, ExclusionElementDocument d) => d.Collation = String(ref r)),
        ("collationSchema", (ref Utf8JsonReader r, ExclusionElementDocument d) => d.CollationSchema = String(ref r)),
        ("column", (ref Utf8JsonReader r, ExclusionElementDocument d) => d.Column = String(ref r)),
        ("direction", (ref Utf8JsonReader r, ExclusionElementDocument d) => d.Direction = String(ref r)),
        ("expression", (ref Utf8JsonReader r, ExclusionElementDocument d) => d.Expression = String(ref r)),
        ("nulls", (ref Utf8JsonReader r, ExclusionElementDocument d) => d.Nulls = String(ref r)),
        ("operator", (ref Utf8JsonReader r, ExclusionElementDocument d) => d.Operator = String(ref r)),
        ("operatorClass", (ref Utf8JsonReader r, ExclusionElementDocument d) => d.OperatorClass = String(ref r)));
}

internal static partial class SnapshotMapping
{
    // After the built-in kinds: a snapshot's exclusion constraints are read after its tables.
    internal static readonly KindMapping ExclusionMapping = Register(new(Order: 37,
        static (model, document) => document.Exclusions = Documents(model.Exclusions, ToDocument),
        static (document, model) => model with { Exclusions = Items(document.Exclusions, "exclusions", ToTableExclusions) }));

    private static TableExclusionsDocument ToDocument(TableExclusions exclusions) => new()
    {
        Constraints = Documents(exclusions.Constraints, ToDocument),
        Schema = exclusions.Schema,
        Table = exclusions.Table,
    };

    private static ExclusionDocument ToDocument(ExclusionConstraint exclusion) => new()
    {
        Deferrable = Flag.Of(exclusion.Deferrable),
        Elements = Documents(exclusion.Elements, ToDocument) ?? [],
        Include = Strings(exclusion.Include),
        InitiallyDeferred = Flag.Of(exclusion.InitiallyDeferred),
        Method = exclusion.Method,
        Name = exclusion.Name,
        Reads = ToDocuments(exclusion.Reads),
        Storage = Strings(exclusion.StorageParameters),
        Where = exclusion.Where,
    };

    private static ExclusionElementDocument ToDocument(ExclusionElement element)
    {
        var key = ToDocument(element.Key);
        return new()
        {
            Collation = key.Collation,
            CollationSchema = key.CollationSchema,
            Column = key.Column,
            Direction = key.Direction,
            Expression = key.Expression,
            Nulls = key.Nulls,
            Operator = element.Operator,
            OperatorClass = key.OperatorClass,
        };
    }

    private static TableExclusions ToTableExclusions(TableExclusionsDocument document) => new(
        Required(document.Schema, "schema"),
        Required(document.Table, "table"),
        Items(document.Constraints, "constraints", ToExclusion));

    private static ExclusionConstraint ToExclusion(ExclusionDocument document) => new(
        Required(document.Name, "name"),
        Items(document.Elements, "elements", ToExclusionElement),
        Required(document.Method, "method"),
        Strings(document.Include, "include"),
        Strings(document.Storage, "storage"),
        document.Where,
        document.Deferrable is not null,
        document.InitiallyDeferred is not null,
        ToReads(document.Reads));

    private static ExclusionElement ToExclusionElement(ExclusionElementDocument document) => new(
        ToIndexElement(new IndexElementDocument
        {
            Collation = document.Collation,
            CollationSchema = document.CollationSchema,
            Column = document.Column,
            Direction = document.Direction,
            Expression = document.Expression,
            Nulls = document.Nulls,
            OperatorClass = document.OperatorClass,
        }),
        Required(document.Operator, "operator"));
}
