using System.Text.Json;
using Strata.Model;

// PostgreSQL extensions in snapshot.json, in one file: their record (the top-level "extensions" list), the reader's
// fields for it, and the mappings both ways, as partial parts of the snapshot's central types (see KindRegistry).
namespace Strata.Snapshots;

internal sealed record ExtensionDocument
{
    public string? Comment { get; set; }

    public string? Name { get; set; }

    public string? Schema { get; set; }

    public string? Version { get; set; }
}

internal sealed partial record SnapshotDocument
{
    public List<ExtensionDocument?>? Extensions { get; set; }
}

internal sealed partial record SchemaDocument
{
    public List<ExtensionDocument?>? Extensions { get; set; }
}

internal static partial class SnapshotDocumentReader
{
    internal static readonly KindFields ExtensionFields = Register(new(Order: 3,
        [
            Field<SnapshotDocument>("extensions", (ref Utf8JsonReader r, SnapshotDocument d) => d.Extensions = Objects(ref r, ExtensionShape)),
        ],
        static () => new() { [typeof(ExtensionDocument)] = ExtensionShape.Names }));

    private static Shape<ExtensionDocument>? _extensionShape;

    private static Shape<ExtensionDocument> ExtensionShape => _extensionShape ??= new(() => new(),
        ("comment", (ref Utf8JsonReader r, ExtensionDocument d) => d.Comment = String(ref r)),
        ("name", (ref Utf8JsonReader r, ExtensionDocument d) => d.Name = String(ref r)),
        ("schema", (ref Utf8JsonReader r, ExtensionDocument d) => d.Schema = String(ref r)),
        ("version", (ref Utf8JsonReader r, ExtensionDocument d) => d.Version = String(ref r)));
}

internal static partial class SnapshotMapping
{
    internal static readonly KindMapping ExtensionMapping = Register(new(Order: 3,
        static (model, document) => document.Extensions = Documents(model.Extensions, ToDocument),
        static (document, model) => model with { Extensions = Items(document.Extensions, "extensions", ToExtension) }));

    private static ExtensionDocument ToDocument(Extension extension) => new()
    {
        Comment = extension.Comment,
        Name = extension.Name,
        Schema = extension.Schema,
        Version = extension.Version,
    };

    private static Extension ToExtension(ExtensionDocument document) => new(
        Required(document.Name, "name"),
        Required(document.Schema, "schema"),
        document.Version,
        document.Comment);
}
