using System.Text.Json;
using Strata.Model;

// Comments on schemas in snapshot.json, in one file: their record (the top-level "schemaComments" list, absent when no
// schema's comment differs from PostgreSQL's default), the reader's fields for it, and the mappings both ways.
namespace Strata.Snapshots;

internal sealed record SchemaCommentDocument
{
    /// <summary>Absent: no comment (public's removed).</summary>
    public string? Comment { get; set; }

    public string? Schema { get; set; }
}

internal sealed partial record SnapshotDocument
{
    public List<SchemaCommentDocument?>? SchemaComments { get; set; }
}

internal sealed partial record SchemaDocument
{
    public List<SchemaCommentDocument?>? SchemaComments { get; set; }
}

internal static partial class SnapshotDocumentReader
{
    internal static readonly KindFields SchemaCommentFields = Register(new(Order: 2,
        [
            Field<SnapshotDocument>("schemaComments", (ref Utf8JsonReader r, SnapshotDocument d) => d.SchemaComments = Objects(ref r, SchemaCommentShape)),
        ],
        static () => new() { [typeof(SchemaCommentDocument)] = SchemaCommentShape.Names }));

    private static Shape<SchemaCommentDocument>? _schemaCommentShape;

    private static Shape<SchemaCommentDocument> SchemaCommentShape => _schemaCommentShape ??= new(() => new(),
        ("comment", (ref Utf8JsonReader r, SchemaCommentDocument d) => d.Comment = String(ref r)),
        ("schema", (ref Utf8JsonReader r, SchemaCommentDocument d) => d.Schema = String(ref r)));
}

internal static partial class SnapshotMapping
{
    internal static readonly KindMapping SchemaCommentMapping = Register(new(Order: 2,
        static (model, document) => document.SchemaComments = Documents(model.SchemaComments, ToDocument),
        static (document, model) => model with { SchemaComments = Items(document.SchemaComments, "schemaComments", ToSchemaComment) }));

    private static SchemaCommentDocument ToDocument(SchemaComment comment) => new() { Comment = comment.Comment, Schema = comment.Schema };

    private static SchemaComment ToSchemaComment(SchemaCommentDocument document) => new(Required(document.Schema, "schema"), document.Comment);
}
