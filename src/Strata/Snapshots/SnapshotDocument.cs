using System.Text.Json.Serialization;

namespace Strata.Snapshots;

// The on-disk shape of snapshot.json, one record per JSON object, apart from the model records so that
// renaming or reshaping a model type never changes the format (SnapshotMapping converts between them).
// Properties are declared in ordinal order of their JSON names: that is the order they are written in.
// Every property is nullable and null means "absent", both ways: the writer leaves defaults out (false,
// 0, empty lists, default options) by mapping them to null, and the reader takes a JSON null as absent,
// as a hand edit may write it. Names of enum members stay strings here; SnapshotNames maps them.
// Mutable properties rather than constructor parameters: System.Text.Json reads those fastest.

/// <summary>A whole snapshot.json.</summary>
internal sealed record SnapshotDocument
{
    public string? Dialect { get; set; }

    public List<EnumDocument?>? Enums { get; set; }

    public string? Id { get; set; }

    public string? ParentId { get; set; }

    public List<RenameDocument?>? Renames { get; set; }

    public List<string?>? Schemas { get; set; }

    public List<SequenceDocument?>? Sequences { get; set; }

    public List<TableDocument?>? Tables { get; set; }

    public int? Version { get; set; }

    public List<ViewDocument?>? Views { get; set; }
}

/// <summary>The schema alone: the keys of <see cref="SnapshotDocument"/> that come from the model, which is what a snapshot id hashes.</summary>
internal sealed record SchemaDocument
{
    public List<EnumDocument?>? Enums { get; set; }

    public List<string?>? Schemas { get; set; }

    public List<SequenceDocument?>? Sequences { get; set; }

    public List<TableDocument?>? Tables { get; set; }

    public List<ViewDocument?>? Views { get; set; }
}

internal sealed record EnumDocument
{
    public string? Comment { get; set; }

    public string? Name { get; set; }

    public string? Schema { get; set; }

    public List<string?>? Values { get; set; }
}

internal sealed record SequenceDocument
{
    public string? Comment { get; set; }

    public string? Name { get; set; }

    public SequenceOptionsDocument? Options { get; set; }

    public string? Schema { get; set; }
}

internal sealed record SequenceOptionsDocument
{
    public long? Cache { get; set; }

    public bool? Cycle { get; set; }

    public string? DataType { get; set; }

    public long? IncrementBy { get; set; }

    public long? MaxValue { get; set; }

    public long? MinValue { get; set; }

    public long? StartWith { get; set; }
}

internal sealed record TableDocument
{
    public List<CheckDocument?>? Checks { get; set; }

    public List<ColumnDocument?>? Columns { get; set; }

    public string? Comment { get; set; }

    public List<ForeignKeyDocument?>? ForeignKeys { get; set; }

    public List<IndexDocument?>? Indexes { get; set; }

    public string? Name { get; set; }

    public PrimaryKeyDocument? PrimaryKey { get; set; }

    public string? Schema { get; set; }

    public List<UniqueDocument?>? Uniques { get; set; }
}

internal sealed record CheckDocument
{
    public string? Expression { get; set; }

    public string? Name { get; set; }
}

internal sealed record ColumnDocument
{
    public string? Comment { get; set; }

    public string? Default { get; set; }

    public string? GeneratedAs { get; set; }

    public IdentityDocument? Identity { get; set; }

    public string? Name { get; set; }

    public bool? NotNull { get; set; }

    public ColumnTypeDocument? Type { get; set; }
}

internal sealed record IdentityDocument
{
    public string? Generation { get; set; }

    public SequenceOptionsDocument? Options { get; set; }
}

internal sealed record ColumnTypeDocument
{
    public int? ArrayDimensions { get; set; }

    public QualifiedNameDocument? Enum { get; set; }

    public string? Kind { get; set; }

    public int? Length { get; set; }

    public int? Precision { get; set; }

    public string? Raw { get; set; }

    public int? Scale { get; set; }
}

internal sealed record ForeignKeyDocument
{
    public List<string?>? Columns { get; set; }

    public bool? Deferrable { get; set; }

    public bool? InitiallyDeferred { get; set; }

    public string? Name { get; set; }

    public string? OnDelete { get; set; }

    public string? OnUpdate { get; set; }

    public List<string?>? ReferencedColumns { get; set; }

    public QualifiedNameDocument? References { get; set; }
}

internal sealed record IndexDocument
{
    public bool? Concurrently { get; set; }

    // Written even when empty (the one list that is): the format has always had it.
    public List<IndexElementDocument?>? Elements { get; set; }

    public List<string?>? Include { get; set; }

    public string? Method { get; set; }

    public string? Name { get; set; }

    public bool? NullsNotDistinct { get; set; }

    public bool? Unique { get; set; }

    public string? Where { get; set; }
}

internal sealed record IndexElementDocument
{
    public string? Column { get; set; }

    public string? Direction { get; set; }

    public string? Expression { get; set; }

    public string? Nulls { get; set; }

    public string? OperatorClass { get; set; }
}

internal sealed record PrimaryKeyDocument
{
    public List<string?>? Columns { get; set; }

    public string? Name { get; set; }
}

internal sealed record UniqueDocument
{
    public List<string?>? Columns { get; set; }

    public string? Name { get; set; }

    public bool? NullsNotDistinct { get; set; }
}

internal sealed record ViewDocument
{
    public string? Comment { get; set; }

    public string? Definition { get; set; }

    public List<QualifiedNameDocument?>? DependsOn { get; set; }

    public List<IndexDocument?>? Indexes { get; set; }

    public bool? Materialized { get; set; }

    public string? Name { get; set; }

    public string? Schema { get; set; }
}

internal sealed record QualifiedNameDocument
{
    public string? Name { get; set; }

    public string? Schema { get; set; }
}

internal sealed record RenameDocument
{
    public string? From { get; set; }

    public string? Kind { get; set; }

    public string? To { get; set; }
}

/// <summary>
/// The System.Text.Json metadata of the snapshot documents, generated at build time: no reflection, and
/// strict reading (an unknown or repeated property is an error, not silently dropped or overwritten).
/// Indentation, newlines and escaping come from the writer <see cref="SnapshotSerializer"/> hands it.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    AllowDuplicateProperties = false,
    WriteIndented = true,
    IndentSize = 2,
    NewLine = "\n")]
[JsonSerializable(typeof(SnapshotDocument))]
[JsonSerializable(typeof(SchemaDocument))]
internal sealed partial class SnapshotJsonContext : JsonSerializerContext;
