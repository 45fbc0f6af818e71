using System.Text.Json;
using Strata.Model;

// PostgreSQL collations in snapshot.json, in one file: their record (the top-level "collations" list), the reader's
// fields for it, and the mappings both ways, as partial parts of the snapshot's central types (see KindRegistry).
// A libc collation's provider and every default are absent.
namespace Strata.Snapshots;

internal sealed record CollationDocument
{
    public string? Comment { get; set; }

    public string? LcCollate { get; set; }

    public string? LcCtype { get; set; }

    public string? Locale { get; set; }

    public string? Name { get; set; }

    /// <summary>Present when the collation is not deterministic (DETERMINISTIC = false).</summary>
    public Flag? Nondeterministic { get; set; }

    /// <summary>Absent for libc.</summary>
    public string? Provider { get; set; }

    public string? Schema { get; set; }
}

internal sealed partial record SnapshotDocument
{
    public List<CollationDocument?>? Collations { get; set; }
}

internal sealed partial record SchemaDocument
{
    public List<CollationDocument?>? Collations { get; set; }
}

internal static partial class SnapshotDocumentReader
{
    internal static readonly KindFields CollationFields = Register(new(Order: 4,
        [
            Field<SnapshotDocument>("collations", (ref Utf8JsonReader r, SnapshotDocument d) => d.Collations = Objects(ref r, CollationShape)),
        ],
        static () => new() { [typeof(CollationDocument)] = CollationShape.Names }));

    private static Shape<CollationDocument>? _collationShape;

    private static Shape<CollationDocument> CollationShape => _collationShape ??= new(() => new(),
        ("comment", (ref Utf8JsonReader r, CollationDocument d) => d.Comment = String(ref r)),
        ("lcCollate", (ref Utf8JsonReader r, CollationDocument d) => d.LcCollate = String(ref r)),
        ("lcCtype", (ref Utf8JsonReader r, CollationDocument d) => d.LcCtype = String(ref r)),
        ("locale", (ref Utf8JsonReader r, CollationDocument d) => d.Locale = String(ref r)),
        ("name", (ref Utf8JsonReader r, CollationDocument d) => d.Name = String(ref r)),
        ("nondeterministic", (ref Utf8JsonReader r, CollationDocument d) => d.Nondeterministic = Flag(ref r)),
        ("provider", (ref Utf8JsonReader r, CollationDocument d) => d.Provider = String(ref r)),
        ("schema", (ref Utf8JsonReader r, CollationDocument d) => d.Schema = String(ref r)));
}

internal static partial class SnapshotMapping
{
    internal static readonly KindMapping CollationMapping = Register(new(Order: 4,
        static (model, document) => document.Collations = Documents(model.Collations, ToDocument),
        static (document, model) => model with { Collations = Items(document.Collations, "collations", ToCollation) }));

    private static CollationDocument ToDocument(Collation collation) => new()
    {
        Comment = collation.Comment,
        LcCollate = collation.LcCollate,
        LcCtype = collation.LcCtype,
        Locale = collation.Locale,
        Name = collation.Name,
        Nondeterministic = Flag.Of(!collation.Deterministic),
        Provider = collation.Provider == Collation.Libc ? null : collation.Provider,
        Schema = collation.Schema,
    };

    private static Collation ToCollation(CollationDocument document) => new(
        Required(document.Schema, "schema"),
        Required(document.Name, "name"),
        document.Provider ?? Collation.Libc,
        document.Locale,
        document.LcCollate,
        document.LcCtype,
        document.Nondeterministic is null,
        document.Comment);
}
