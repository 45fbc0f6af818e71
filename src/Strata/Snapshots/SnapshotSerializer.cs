using System.Buffers;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using System.Text.RegularExpressions;
using Strata.Model;

namespace Strata.Snapshots;

/// <summary>
/// Reads and writes <c>snapshot.json</c>: the snapshot documents (<see cref="SnapshotDocument"/>, the
/// format's own records, never the model's) through System.Text.Json's generated metadata, so the format
/// does not change when the C# model is renamed; it is deterministic (sorted keys, canonical order,
/// 2-space indent, "\n" line endings, final newline) so the same schema gives the same bytes.
/// </summary>
public static partial class SnapshotSerializer
{
    // A property, not a field: the encoder's assembly is loaded only by a command that writes a snapshot.
    private static JsonWriterOptions WriterOptions => new()
    {
        Indented = true,
        IndentSize = 2,
        NewLine = "\n",
        // Default escaping turns every ' in a SQL default into \u0027; the file is never embedded in HTML.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        SkipValidation = true,
    };

    private static SnapshotJsonContext Context => SnapshotJsonContext.Default;

    // generate hashes a schema's JSON for the snapshot id and then writes the same JSON inside the
    // snapshot: both come from one serialization, remembered per model instance (by reference, weakly).
    private static readonly ConditionalWeakTable<DatabaseModel, SchemaJson> SchemaJsonByModel = new();

    public static string Serialize(Snapshot snapshot) => Encoding.UTF8.GetString(SerializeToUtf8Bytes(snapshot));

    /// <summary>The same bytes as <see cref="Serialize"/>, as UTF-8, for writing to a file without a detour through a string.</summary>
    public static byte[] SerializeToUtf8Bytes(Snapshot snapshot)
    {
        var schema = SchemaJsonByModel.GetValue(snapshot.Schema, CreateSchemaJson);
        var document = new SnapshotDocument
        {
            Dialect = "postgresql",
            Id = snapshot.Id,
            ParentId = snapshot.ParentId,
            Renames = SnapshotMapping.ToDocuments(snapshot.Renames),
            Version = new WholeNumber(Snapshot.CurrentVersion),
        };
        return WriteObject(Context.SnapshotDocument, document, schema, valueRanges: null);
    }

    /// <summary>The schema alone in canonical JSON (UTF-8): what <see cref="Snapshot.ComputeId"/> hashes.</summary>
    internal static ReadOnlySpan<byte> SerializeSchema(DatabaseModel schema) => SchemaJsonByModel.GetValue(schema, CreateSchemaJson).Bytes;

    /// <summary>
    /// The schema alone as a JSON object, and where each top-level value sits in it. The snapshot is the
    /// same object with more keys, at the same depth, so those values are copied byte for byte.
    /// </summary>
    private sealed class SchemaJson(byte[] bytes, Dictionary<string, Range> values)
    {
        public byte[] Bytes { get; } = bytes;

        public ReadOnlySpan<byte> ValueOf(string key) => values.TryGetValue(key, out var range) ? Bytes.AsSpan()[range] : default;
    }

    private static SchemaJson CreateSchemaJson(DatabaseModel schema)
    {
        var values = new Dictionary<string, Range>(StringComparer.Ordinal);
        var bytes = WriteObject(Context.SchemaDocument, SnapshotMapping.ToDocument(schema.Normalize()), copied: null, values);
        return new SchemaJson(bytes, values);
    }

    /// <summary>
    /// Writes a document object and a final newline, its properties in ordinal order of their names (null
    /// ones left out), each value serialized or, when <paramref name="copied"/> has it, copied; records in
    /// <paramref name="valueRanges"/> where each value landed.
    /// </summary>
    private static byte[] WriteObject(JsonTypeInfo type, object document, SchemaJson? copied, Dictionary<string, Range>? valueRanges)
    {
        var buffer = new ArrayBufferWriter<byte>(64 * 1024);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            writer.WriteStartObject();
            foreach (var property in InNameOrder(type))
            {
                var raw = copied is null ? default : copied.ValueOf(property.Name);
                var value = raw.IsEmpty ? property.Get!(document) : null;
                if (raw.IsEmpty && value is null)
                    continue;
                // The key is written with its `: `, so after a flush the buffer ends where the value starts.
                writer.WritePropertyName(property.Name);
                writer.Flush();
                var start = buffer.WrittenCount;
                if (raw.IsEmpty)
                    JsonSerializer.Serialize(writer, value, Context.GetTypeInfo(property.PropertyType)!);
                else
                    writer.WriteRawValue(raw, skipInputValidation: true);
                writer.Flush();
                if (valueRanges is not null)
                    valueRanges[property.Name] = new Range(start, buffer.WrittenCount);
            }
            writer.WriteEndObject();
        }
        buffer.Write("\n"u8);
        return buffer.WrittenSpan.ToArray();
    }

    // The generated metadata lists a partial record's properties part by part, in the compiler's order of the
    // files: a kind's top-level list, declared in its own file, takes its place among the others by name here.
    private static JsonPropertyInfo[] InNameOrder(JsonTypeInfo type)
    {
        var properties = new JsonPropertyInfo[type.Properties.Count];
        type.Properties.CopyTo(properties, 0);
        Array.Sort(properties, static (a, b) => string.CompareOrdinal(a.Name, b.Name));
        return properties;
    }

    /// <summary>
    /// Reads a snapshot, upgrading an older format version first. Any problem throws a
    /// <see cref="SnapshotFormatException"/> naming <paramref name="sourceName"/> and, where it can, the line.
    /// </summary>
    public static Snapshot Deserialize(string json, string sourceName) => Deserialize(json, sourceName, SnapshotUpgrader.Default);

    internal static Snapshot Deserialize(string json, string sourceName, SnapshotUpgrader upgrader)
    {
        // The usual case, a well-formed document of the current version, without the serializer.
        var document = SnapshotDocumentReader.TryRead(json);
        if (document?.Version?.Value != upgrader.CurrentVersion)
            return DeserializeUnusual(json, sourceName, upgrader);
        try
        {
            return SnapshotMapping.ToSnapshot(document);
        }
        catch (SnapshotPathException e)
        {
            throw new SnapshotFormatException(sourceName, JsonLineLocator.LineOf(json, e.Path), e.Problem, e.Remedy);
        }
    }

    // What the document reader gave up on, read again through the serializer, which explains the problem.
    private static Snapshot DeserializeUnusual(string json, string sourceName, SnapshotUpgrader upgrader)
    {
        SnapshotDocument? document = null;
        JsonException? failure = null;
        var buffer = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetByteCount(json));
        try
        {
            var utf8 = buffer.AsSpan(0, Encoding.UTF8.GetBytes(json, buffer));
            // The deserializer lets a repeated property overwrite the first; a snapshot must not have one.
            var duplicates = JsonLineLocator.FindDuplicateProperty(utf8);
            if (duplicates.Found || !duplicates.Sure)
                Parse(json, sourceName).Dispose();
            document = JsonSerializer.Deserialize(utf8, Context.SnapshotDocument);
        }
        catch (JsonException e)
        {
            // Explained below, once the version says which format the document is in.
            failure = e;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
        try
        {
            if (document?.Version?.Value == upgrader.CurrentVersion)
                return SnapshotMapping.ToSnapshot(document);
            return ReadUnusual(json, sourceName, upgrader, failure);
        }
        catch (SnapshotPathException e)
        {
            throw new SnapshotFormatException(sourceName, JsonLineLocator.LineOf(json, e.Path), e.Problem, e.Remedy);
        }
    }

    // Not a well-formed document of the current version: broken JSON, a repeated property, another
    // version (upgraded here, or refused when newer), or a value the documents do not accept.
    private static Snapshot ReadUnusual(string json, string sourceName, SnapshotUpgrader upgrader, JsonException? failure)
    {
        using var parsed = Parse(json, sourceName);
        var version = upgrader.VersionOf(parsed.RootElement);
        if (version == upgrader.CurrentVersion)
            throw failure is null ? new SnapshotPathException("", "the snapshot could not be read") : SnapshotDocumentErrors.Explain(failure, parsed.RootElement);

        // Upgrade steps edit a mutable tree; the result is read like any current document.
        var upgraded = upgrader.Upgrade(JsonObject.Create(parsed.RootElement)!, version).ToJsonString();
        try
        {
            return SnapshotMapping.ToSnapshot(JsonSerializer.Deserialize(upgraded, Context.SnapshotDocument)!);
        }
        catch (JsonException e)
        {
            using var current = JsonDocument.Parse(upgraded);
            throw SnapshotDocumentErrors.Explain(e, current.RootElement);
        }
    }

    private static JsonDocument Parse(string json, string sourceName)
    {
        try
        {
            return JsonDocument.Parse(json, new JsonDocumentOptions { AllowDuplicateProperties = false });
        }
        catch (JsonException e)
        {
            // The parser gives no position for a duplicate property, only its name.
            var line = e.LineNumber is { } l ? (int)l + 1 : JsonLineLocator.LineOfDuplicateProperty(json);
            throw new SnapshotFormatException(sourceName, line, "not valid JSON: " + WithoutPosition(e.Message));
        }
    }

    /// <summary>
    /// The id and parent id of a snapshot without mapping its schema, for checks of the migration
    /// chain that look at every snapshot of a folder. Anything unusual is left to <see cref="Deserialize(string, string)"/>.
    /// </summary>
    /// <summary>
    /// Reads the id and parent id from the first bytes of a snapshot file without the rest. Snapshots are
    /// written with sorted keys, so both come before the (large) tables: a prefix settles them. Returns
    /// false whenever the prefix does not (another key order, a cut-off value, anything unusual); the
    /// caller then reads the whole file.
    /// </summary>
    public static bool TryReadIds(ReadOnlySpan<byte> utf8, bool isWholeFile, out string id, out string? parentId)
    {
        (id, parentId) = ("", null);
        string? foundId = null, foundParentId = null;
        try
        {
            var reader = new Utf8JsonReader(utf8, isWholeFile, state: default);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
                return false;
            while (true)
            {
                if (!reader.Read())
                    return false;
                if (reader.TokenType == JsonTokenType.EndObject)
                    break;
                if (reader.TokenType != JsonTokenType.PropertyName)
                    return false;
                var key = reader.GetString()!;
                // Past where "parentId" sorts, with the id in hand: a missing parentId means none.
                if (foundId is not null && string.CompareOrdinal(key, "parentId") > 0)
                    break;
                if (!reader.Read())
                    return false;
                switch (key)
                {
                    case "id" when reader.TokenType == JsonTokenType.String:
                        foundId = reader.GetString();
                        break;
                    case "parentId" when reader.TokenType == JsonTokenType.String:
                        foundParentId = reader.GetString();
                        break;
                    case "id" or "parentId":
                        return false;
                    default:
                        if (!reader.TrySkip())
                            return false;
                        break;
                }
            }
        }
        catch (JsonException)
        {
            return false;
        }
        if (foundId is null)
            return false;
        (id, parentId) = (foundId, foundParentId);
        return true;
    }

    public static (string Id, string? ParentId) ReadIds(string json, string sourceName)
    {
        try
        {
            var reader = new Utf8JsonReader(System.Text.Encoding.UTF8.GetBytes(json));
            if (reader.Read() && reader.TokenType == JsonTokenType.StartObject)
            {
                int? version = null;
                string? id = null, parentId = null;
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    var key = reader.GetString();
                    reader.Read();
                    switch (key)
                    {
                        case "version" when reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out var v):
                            version = v;
                            break;
                        case "id" when reader.TokenType == JsonTokenType.String:
                            id = reader.GetString();
                            break;
                        case "parentId" when reader.TokenType == JsonTokenType.String:
                            parentId = reader.GetString();
                            break;
                        default:
                            reader.Skip();
                            break;
                    }
                }
                if (version == Snapshot.CurrentVersion && id is not null)
                    return (id, parentId);
            }
        }
        catch (JsonException)
        {
            // Deserialize reports it with the line.
        }
        var snapshot = Deserialize(json, sourceName);
        return (snapshot.Id, snapshot.ParentId);
    }

    // JsonException messages end with "Path: $ | LineNumber: 2 | BytePositionInLine: 3."; the line is reported separately.
    private static string WithoutPosition(string message) => PositionSuffix().Replace(message, "").TrimEnd();

    [GeneratedRegex(@"\s*(Path:|LineNumber:).*$", RegexOptions.Singleline)]
    private static partial Regex PositionSuffix();
}

/// <summary>A problem at a JSON path of the document being read; turned into a <see cref="SnapshotFormatException"/> with a line.</summary>
internal sealed class SnapshotPathException(string path, string problem, string? remedy = null)
    : Exception(path.Length == 0 ? problem : $"{path}: {problem}")
{
    private readonly string _problem = problem;

    public string Path { get; } = path;

    public string Problem { get; } = path.Length == 0 ? problem : $"{path}: {problem}";

    public string? Remedy { get; } = remedy;

    /// <summary>The same problem seen from the object that holds this one under <paramref name="key"/> (<c>name</c> or <c>name[3]</c>).</summary>
    public SnapshotPathException Within(string key) =>
        new(Path.Length == 0 ? key : Path[0] == '[' ? key + Path : key + "." + Path, _problem, Remedy);
}
