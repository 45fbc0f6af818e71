using System.Text.Json;
using Strata.Model;

// PostgreSQL aggregates in snapshot.json, in one file: their record (the top-level "aggregates" list), the reader's
// fields for it, and the mappings both ways, as partial parts of the snapshot's central types (see KindRegistry).
namespace Strata.Snapshots;

internal sealed record AggregateDocument
{
    public string? Arguments { get; set; }

    public string? Comment { get; set; }

    public string? Definition { get; set; }

    public string? Name { get; set; }

    public string? Schema { get; set; }
}

internal sealed partial record SnapshotDocument
{
    public List<AggregateDocument?>? Aggregates { get; set; }
}

internal sealed partial record SchemaDocument
{
    public List<AggregateDocument?>? Aggregates { get; set; }
}

internal static partial class SnapshotDocumentReader
{
    internal static readonly KindFields AggregateFields = Register(new(Order: 22,
        [
            Field<SnapshotDocument>("aggregates", (ref Utf8JsonReader r, SnapshotDocument d) => d.Aggregates = Objects(ref r, AggregateShape)),
        ],
        static () => new() { [typeof(AggregateDocument)] = AggregateShape.Names }));

    private static Shape<AggregateDocument>? _aggregateShape;

    private static Shape<AggregateDocument> AggregateShape => _aggregateShape ??= new(() => new(),
        ("arguments", (ref Utf8JsonReader r, AggregateDocument d) => d.Arguments = String(ref r)),
        ("comment", (ref Utf8JsonReader r, AggregateDocument d) => d.Comment = String(ref r)),
        ("definition", (ref Utf8JsonReader r, AggregateDocument d) => d.Definition = String(ref r)),
        ("name", (ref Utf8JsonReader r, AggregateDocument d) => d.Name = String(ref r)),
        ("schema", (ref Utf8JsonReader r, AggregateDocument d) => d.Schema = String(ref r)));
}

internal static partial class SnapshotMapping
{
    internal static readonly KindMapping AggregateMapping = Register(new(Order: 22,
        static (model, document) => document.Aggregates = Documents(model.Aggregates, ToDocument),
        static (document, model) => model with { Aggregates = Items(document.Aggregates, "aggregates", ToAggregate) }));

    private static AggregateDocument ToDocument(Aggregate aggregate) => new()
    {
        Arguments = aggregate.Arguments,
        Comment = aggregate.Comment,
        Definition = aggregate.Definition,
        Name = aggregate.Name,
        Schema = aggregate.Schema,
    };

    private static Aggregate ToAggregate(AggregateDocument document) => new(
        Required(document.Schema, "schema"),
        Required(document.Name, "name"),
        Required(document.Arguments, "arguments"),
        Required(document.Definition, "definition"),
        document.Comment);
}
