using System.Text.Json;
using System.Text.Json.Serialization;
using Strata.Model;

// PostgreSQL composite types in snapshot.json, in one file: their record (the top-level "composites" list), the
// "composite" a column type names one by, the reader's fields for both, and the mappings both ways, as partial parts of
// the snapshot's central types, each registered once (see KindRegistry).
namespace Strata.Snapshots;

internal sealed record CompositeDocument
{
    public string? Comment { get; set; }

    public List<CompositeFieldDocument?>? Fields { get; set; }

    public string? Name { get; set; }

    public string? Schema { get; set; }
}

internal sealed record CompositeFieldDocument
{
    public string? Collation { get; set; }

    /// <summary>The schema of <see cref="Collation"/>, absent for one found on the search path (pg_catalog's, public's).</summary>
    public string? CollationSchema { get; set; }

    public string? Name { get; set; }

    public ColumnTypeDocument? Type { get; set; }
}

internal sealed partial record SnapshotDocument
{
    public List<CompositeDocument?>? Composites { get; set; }
}

internal sealed partial record SchemaDocument
{
    public List<CompositeDocument?>? Composites { get; set; }
}

internal sealed partial record ColumnTypeDocument
{
    // Between "arrayDimensions" (10) and the next field by name (20).
    [JsonPropertyOrder(15)]
    public QualifiedNameDocument? Composite { get; set; }
}

internal static partial class SnapshotDocumentReader
{
    internal static readonly KindFields CompositeFields = Register(new(Order: 13,
        [
            Field<SnapshotDocument>("composites", (ref Utf8JsonReader r, SnapshotDocument d) => d.Composites = Objects(ref r, CompositeShape)),
            Field<ColumnTypeDocument>("composite", (ref Utf8JsonReader r, ColumnTypeDocument d) => d.Composite = Object(ref r, QualifiedNameShape)),
        ],
        static () => new() { [typeof(CompositeDocument)] = CompositeShape.Names, [typeof(CompositeFieldDocument)] = CompositeFieldShape.Names }));

    private static Shape<CompositeDocument>? _compositeShape;
    private static Shape<CompositeFieldDocument>? _compositeFieldShape;

    private static Shape<CompositeDocument> CompositeShape => _compositeShape ??= new(() => new(),
        ("comment", (ref Utf8JsonReader r, CompositeDocument d) => d.Comment = String(ref r)),
        ("fields", (ref Utf8JsonReader r, CompositeDocument d) => d.Fields = Objects(ref r, CompositeFieldShape)),
        ("name", (ref Utf8JsonReader r, CompositeDocument d) => d.Name = String(ref r)),
        ("schema", (ref Utf8JsonReader r, CompositeDocument d) => d.Schema = String(ref r)));

    private static Shape<CompositeFieldDocument> CompositeFieldShape => _compositeFieldShape ??= new(() => new(),
        ("collation", (ref Utf8JsonReader r, CompositeFieldDocument d) => d.Collation = String(ref r)),
        ("collationSchema", (ref Utf8JsonReader r, CompositeFieldDocument d) => d.CollationSchema = String(ref r)),
        ("name", (ref Utf8JsonReader r, CompositeFieldDocument d) => d.Name = String(ref r)),
        ("type", (ref Utf8JsonReader r, CompositeFieldDocument d) => d.Type = Object(ref r, ColumnTypeShape)));
}

internal static partial class SnapshotMapping
{
    internal static readonly KindMapping CompositeMapping = Register(new(Order: 13,
        static (model, document) => document.Composites = Documents(model.Composites, ToDocument),
        static (document, model) => model with { Composites = Items(document.Composites, "composites", ToComposite) },
        new TypeField(
            static (type, document) => document.Composite = type.CompositeName is { } name ? ToDocument(name) : null,
            static (document, type) =>
            {
                if (document.Composite is { } composite)
                    type = type with { CompositeName = In(composite, "composite", ToQualifiedName) };
                if (type.Kind == TypeKind.Composite && type.CompositeName is null)
                    throw new SnapshotPathException("", "a composite type needs \"composite\": {\"schema\": …, \"name\": …}");
                return type;
            })));

    private static CompositeDocument ToDocument(CompositeType composite) => new()
    {
        Comment = composite.Comment,
        Fields = Documents(composite.Fields, ToDocument),
        Name = composite.Name,
        Schema = composite.Schema,
    };

    private static CompositeFieldDocument ToDocument(CompositeField field) => new()
    {
        Collation = field.Collation,
        CollationSchema = field.CollationSchema,
        Name = field.Name,
        Type = ToDocument(field.Type),
    };

    private static CompositeType ToComposite(CompositeDocument document) => new(
        Required(document.Schema, "schema"),
        Required(document.Name, "name"),
        Items(document.Fields, "fields", ToField),
        document.Comment);

    private static CompositeField ToField(CompositeFieldDocument document) => new(
        Required(document.Name, "name"),
        document.Type is { } type ? In(type, "type", ToType) : throw Missing("type", "an object"),
        document.Collation,
        document.CollationSchema);
}
