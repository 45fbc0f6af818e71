using System.Text.Json;
using System.Text.Json.Serialization;
using Strata.Model;

// PostgreSQL domains in snapshot.json, in one file: their record (the top-level "domains" list), the "domain"
// a column type names one by, the reader's fields for both, and the mappings both ways, as partial parts of the
// snapshot's central types, each registered once (see KindRegistry).
namespace Strata.Snapshots;

internal sealed record DomainDocument
{
    public ColumnTypeDocument? BaseType { get; set; }

    public List<CheckDocument?>? Checks { get; set; }

    public string? Collation { get; set; }

    /// <summary>The schema of <see cref="Collation"/>, absent for one found on the search path.</summary>
    public string? CollationSchema { get; set; }

    public string? Comment { get; set; }

    public string? Default { get; set; }

    /// <summary>What the default reads (<see cref="ReadDocument"/>); absent when not known.</summary>
    public List<ReadDocument?>? DefaultReads { get; set; }

    public string? Name { get; set; }

    public Flag? NotNull { get; set; }

    public string? Schema { get; set; }
}

internal sealed partial record SnapshotDocument
{
    public List<DomainDocument?>? Domains { get; set; }
}

internal sealed partial record SchemaDocument
{
    public List<DomainDocument?>? Domains { get; set; }
}

internal sealed partial record ColumnTypeDocument
{
    // Between "arrayDimensions" (10) and "enum" (30).
    [JsonPropertyOrder(20)]
    public QualifiedNameDocument? Domain { get; set; }
}

internal static partial class SnapshotDocumentReader
{
    internal static readonly KindFields DomainFields = Register(new(Order: 10,
        [
            Field<SnapshotDocument>("domains", (ref Utf8JsonReader r, SnapshotDocument d) => d.Domains = Objects(ref r, DomainShape)),
            Field<ColumnTypeDocument>("domain", (ref Utf8JsonReader r, ColumnTypeDocument d) => d.Domain = Object(ref r, QualifiedNameShape)),
        ],
        static () => new() { [typeof(DomainDocument)] = DomainShape.Names }));

    private static Shape<DomainDocument>? _domainShape;

    private static Shape<DomainDocument> DomainShape => _domainShape ??= new(() => new(),
        ("baseType", (ref Utf8JsonReader r, DomainDocument d) => d.BaseType = Object(ref r, ColumnTypeShape)),
        ("checks", (ref Utf8JsonReader r, DomainDocument d) => d.Checks = Objects(ref r, CheckShape)),
        ("collation", (ref Utf8JsonReader r, DomainDocument d) => d.Collation = String(ref r)),
        ("collationSchema", (ref Utf8JsonReader r, DomainDocument d) => d.CollationSchema = String(ref r)),
        ("comment", (ref Utf8JsonReader r, DomainDocument d) => d.Comment = String(ref r)),
        ("default", (ref Utf8JsonReader r, DomainDocument d) => d.Default = String(ref r)),
        ("defaultReads", (ref Utf8JsonReader r, DomainDocument d) => d.DefaultReads = Objects(ref r, ReadShape)),
        ("name", (ref Utf8JsonReader r, DomainDocument d) => d.Name = String(ref r)),
        ("notNull", (ref Utf8JsonReader r, DomainDocument d) => d.NotNull = Flag(ref r)),
        ("schema", (ref Utf8JsonReader r, DomainDocument d) => d.Schema = String(ref r)));
}

internal static partial class SnapshotMapping
{
    // After the built-in kinds: a snapshot's domains are read after its views, as they always were.
    internal static readonly KindMapping DomainMapping = Register(new(Order: 10,
        static (model, document) => document.Domains = Documents(model.Domains, ToDocument),
        static (document, model) => model with { Domains = Items(document.Domains, "domains", ToDomain) },
        new TypeField(
            static (type, document) => document.Domain = type.DomainName is { } name ? ToDocument(name) : null,
            static (document, type) =>
            {
                if (document.Domain is { } domain)
                    type = type with { DomainName = In(domain, "domain", ToQualifiedName) };
                if (type.Kind == TypeKind.Domain && type.DomainName is null)
                    throw new SnapshotPathException("", "a domain type needs \"domain\": {\"schema\": …, \"name\": …}");
                return type;
            })));

    private static DomainDocument ToDocument(Domain domain) => new()
    {
        BaseType = ToDocument(domain.BaseType),
        Checks = Documents(domain.Checks, ToDocument),
        Collation = domain.Collation,
        CollationSchema = domain.CollationSchema,
        Comment = domain.Comment,
        Default = domain.Default,
        DefaultReads = ToDocuments(domain.DefaultReads),
        Name = domain.Name,
        NotNull = Flag.Of(domain.NotNull),
        Schema = domain.Schema,
    };

    private static Domain ToDomain(DomainDocument document) => new(
        Required(document.Schema, "schema"),
        Required(document.Name, "name"),
        document.BaseType is { } type ? In(type, "baseType", ToType) : throw Missing("baseType", "an object"),
        document.NotNull is not null,
        document.Default,
        Items(document.Checks, "checks", ToCheck),
        document.Collation,
        document.Comment,
        ToReads(document.DefaultReads, "defaultReads"),
        document.CollationSchema);
}
