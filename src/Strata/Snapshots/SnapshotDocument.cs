using System.Text.Json;
using System.Text.Json.Serialization;

namespace Strata.Snapshots;

// The on-disk shape of snapshot.json, one record per JSON object, apart from the model records so that
// renaming or reshaping a model type never changes the format (SnapshotMapping converts between them).
// Properties are declared in ordinal order of their JSON names: that is the order they are written in.
// A kind of object declares its own record, and its properties on these, in a partial part in its own file
// (Snapshots/{Kind}Document.cs). System.Text.Json's generated code lists a partial record's properties in
// the compiler's order of the files, so the writer puts the top-level keys in ordinal order itself
// (SnapshotSerializer.WriteObject), and a nested record that a kind adds to numbers its properties
// ([JsonPropertyOrder], which the generated code writes by).
// Every property is nullable and null means "absent", both ways: the writer leaves defaults out (false,
// 0, empty lists, default options) by mapping them to null, and the reader takes a JSON null as absent,
// as a hand edit may write it. Names of enum members stay strings here; SnapshotNames maps them.
// Mutable properties rather than constructor parameters: System.Text.Json reads those fastest. Flags and
// numbers are classes (Flag, WholeNumber), not bool? or long?: System.Text.Json's code for reference
// types is precompiled once for all of them, while each nullable value type would cost a command
// ~250 methods of JIT compilation on its first snapshot.

/// <summary>A whole snapshot.json.</summary>
internal sealed partial record SnapshotDocument
{
    public string? Dialect { get; set; }

    public List<EnumDocument?>? Enums { get; set; }

    public string? Id { get; set; }

    public string? ParentId { get; set; }

    public List<RenameDocument?>? Renames { get; set; }

    public List<string?>? Schemas { get; set; }

    public List<SequenceDocument?>? Sequences { get; set; }

    public List<TableDocument?>? Tables { get; set; }

    public WholeNumber? Version { get; set; }

    public List<ViewDocument?>? Views { get; set; }
}

/// <summary>The schema alone: the keys of <see cref="SnapshotDocument"/> that come from the model, which is what a snapshot id hashes.</summary>
internal sealed partial record SchemaDocument
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
    public WholeNumber? Cache { get; set; }

    public Flag? Cycle { get; set; }

    public string? DataType { get; set; }

    public WholeNumber? IncrementBy { get; set; }

    public WholeNumber? MaxValue { get; set; }

    public WholeNumber? MinValue { get; set; }

    public WholeNumber? StartWith { get; set; }
}

internal sealed record TableDocument
{
    public List<CheckDocument?>? Checks { get; set; }

    /// <summary>ALTER TABLE … CLUSTER ON: the clustered index's name; absent for none.</summary>
    public string? ClusterOn { get; set; }

    public List<ColumnDocument?>? Columns { get; set; }

    public string? Comment { get; set; }

    public List<ForeignKeyDocument?>? ForeignKeys { get; set; }

    public List<IndexDocument?>? Indexes { get; set; }

    /// <summary>INHERITS (parents…) in order; absent for a table that inherits from none.</summary>
    public List<QualifiedNameDocument?>? Inherits { get; set; }

    public string? Name { get; set; }

    public List<string?>? Options { get; set; }

    public string? PartitionBound { get; set; }

    public string? PartitionKey { get; set; }

    public QualifiedNameDocument? PartitionOf { get; set; }

    public PrimaryKeyDocument? PrimaryKey { get; set; }

    public string? Schema { get; set; }

    public List<UniqueDocument?>? Uniques { get; set; }

    public Flag? Unlogged { get; set; }
}

internal sealed record CheckDocument
{
    public string? Comment { get; set; }

    public string? Expression { get; set; }

    public string? Name { get; set; }

    public Flag? NoInherit { get; set; }

    public List<ReadDocument?>? Reads { get; set; }
}

/// <summary>
/// One object an expression reads (<c>Strata.Model.ReadObject</c>). An object's <c>reads</c> list is absent
/// when they are not known and present (perhaps empty) when PostgreSQL said what it reads.
/// </summary>
internal sealed record ReadDocument
{
    public string? Column { get; set; }

    public string? Kind { get; set; }

    public string? Name { get; set; }

    public string? Schema { get; set; }
}

internal sealed record ColumnDocument
{
    /// <summary>COLLATE, absent for the type's default collation.</summary>
    public string? Collation { get; set; }

    /// <summary>The schema of <see cref="Collation"/>, absent for one found on the search path (pg_catalog's, public's).</summary>
    public string? CollationSchema { get; set; }

    public string? Comment { get; set; }

    public string? Default { get; set; }

    public string? GeneratedAs { get; set; }

    public IdentityDocument? Identity { get; set; }

    public string? Name { get; set; }

    public Flag? NotNull { get; set; }

    public List<ReadDocument?>? Reads { get; set; }

    public ColumnTypeDocument? Type { get; set; }
}

internal sealed record IdentityDocument
{
    public string? Generation { get; set; }

    public SequenceOptionsDocument? Options { get; set; }
}

/// <remarks>
/// A kind that columns use as a type adds the field that names one (a partial part in its own file). The
/// properties are numbered in ordinal order of their JSON names, ten apart, so that such a field takes its place
/// by its number: the generated code writes them in that order whatever the order of the parts.
/// </remarks>
internal sealed partial record ColumnTypeDocument
{
    [JsonPropertyOrder(10)]
    public WholeNumber? ArrayDimensions { get; set; }

    [JsonPropertyOrder(30)]
    public QualifiedNameDocument? Enum { get; set; }

    [JsonPropertyOrder(40)]
    public string? Kind { get; set; }

    [JsonPropertyOrder(50)]
    public WholeNumber? Length { get; set; }

    [JsonPropertyOrder(60)]
    public WholeNumber? Precision { get; set; }

    [JsonPropertyOrder(70)]
    public string? Raw { get; set; }

    [JsonPropertyOrder(80)]
    public WholeNumber? Scale { get; set; }
}

internal sealed record ForeignKeyDocument
{
    public List<string?>? Columns { get; set; }

    public string? Comment { get; set; }

    public Flag? Deferrable { get; set; }

    public Flag? InitiallyDeferred { get; set; }

    public Flag? MatchFull { get; set; }

    public string? Name { get; set; }

    public string? OnDelete { get; set; }

    public string? OnUpdate { get; set; }

    public List<string?>? ReferencedColumns { get; set; }

    public QualifiedNameDocument? References { get; set; }
}

internal sealed record IndexDocument
{
    public string? Comment { get; set; }

    public Flag? Concurrently { get; set; }

    // Written even when empty (the one list that is): the format has always had it.
    public List<IndexElementDocument?>? Elements { get; set; }

    public List<string?>? Include { get; set; }

    public string? Method { get; set; }

    public string? Name { get; set; }

    public Flag? NullsNotDistinct { get; set; }

    public List<string?>? Options { get; set; }

    public List<ReadDocument?>? Reads { get; set; }

    public Flag? Unique { get; set; }

    public string? Where { get; set; }
}

internal sealed record IndexElementDocument
{
    /// <summary>The key's own COLLATE, absent when the key uses its column's or expression's collation.</summary>
    public string? Collation { get; set; }

    /// <summary>The schema of <see cref="Collation"/>, absent for one found on the search path (pg_catalog's, public's).</summary>
    public string? CollationSchema { get; set; }

    public string? Column { get; set; }

    public string? Direction { get; set; }

    public string? Expression { get; set; }

    public string? Nulls { get; set; }

    public string? OperatorClass { get; set; }
}

internal sealed record PrimaryKeyDocument
{
    public List<string?>? Columns { get; set; }

    public string? Comment { get; set; }

    public Flag? Deferrable { get; set; }

    public Flag? InitiallyDeferred { get; set; }

    public string? Name { get; set; }

    /// <summary>The storage parameters of the key's index, absent when it has none.</summary>
    public List<string?>? Options { get; set; }
}

internal sealed record UniqueDocument
{
    public List<string?>? Columns { get; set; }

    public string? Comment { get; set; }

    public Flag? Deferrable { get; set; }

    public Flag? InitiallyDeferred { get; set; }

    public string? Name { get; set; }

    public Flag? NullsNotDistinct { get; set; }

    /// <summary>The storage parameters of the key's index, absent when it has none.</summary>
    public List<string?>? Options { get; set; }
}

internal sealed record ViewDocument
{
    /// <summary>A materialized view's clustered index (ALTER MATERIALIZED VIEW … CLUSTER ON); absent for none.</summary>
    public string? ClusterOn { get; set; }

    public string? Comment { get; set; }

    public string? Definition { get; set; }

    public List<QualifiedNameDocument?>? DependsOn { get; set; }

    public List<IndexDocument?>? Indexes { get; set; }

    public Flag? Materialized { get; set; }

    public string? Name { get; set; }

    public List<string?>? Options { get; set; }

    public List<ReadDocument?>? Reads { get; set; }

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

/// <summary>A flag that is set: <c>true</c>. An unset flag is absent (null); <c>false</c> reads as absent too.</summary>
[JsonConverter(typeof(FlagConverter))]
internal sealed class Flag
{
    public static Flag True { get; } = new();

    public static Flag? Of(bool value) => value ? True : null;

    private Flag()
    {
    }
}

internal sealed class FlagConverter : JsonConverter<Flag>
{
    public override Flag? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.TokenType switch
    {
        JsonTokenType.True => Flag.True,
        JsonTokenType.False => null,
        // No message: the path and line are added by the serializer and the words by SnapshotDocumentErrors.
        _ => throw new JsonException(),
    };

    public override void Write(Utf8JsonWriter writer, Flag value, JsonSerializerOptions options) => writer.WriteBooleanValue(true);
}

/// <summary>A whole number (a JSON integer that fits in 64 bits).</summary>
[JsonConverter(typeof(WholeNumberConverter))]
internal sealed record WholeNumber(long Value)
{
    public static WholeNumber? Of(long? value) => value is { } v ? new WholeNumber(v) : null;
}

internal sealed class WholeNumberConverter : JsonConverter<WholeNumber>
{
    public override WholeNumber Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var value) ? new WholeNumber(value) : throw new JsonException();

    public override void Write(Utf8JsonWriter writer, WholeNumber value, JsonSerializerOptions options) => writer.WriteNumberValue(value.Value);
}

/// <summary>
/// The System.Text.Json metadata of the snapshot documents, generated at build time: no reflection, and
/// strict reading: an unknown property is an error, not silently dropped. A repeated one is found before
/// (<see cref="JsonLineLocator.FindDuplicateProperty"/>): the deserializer's own check doubled the time.
/// Indentation, newlines and escaping come from the writer <see cref="SnapshotSerializer"/> hands it.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    WriteIndented = true,
    IndentSize = 2,
    NewLine = "\n")]
[JsonSerializable(typeof(SnapshotDocument))]
[JsonSerializable(typeof(SchemaDocument))]
internal sealed partial class SnapshotJsonContext : JsonSerializerContext;
