using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Strata.Snapshots;

/// <summary>
/// Reads and writes <c>snapshot.json</c>. The format is mapped by hand, never by reflection, so that it
/// does not change when the C# model is renamed; it is deterministic (sorted keys, canonical order,
/// 2-space indent, "\n" line endings, final newline) so the same schema gives the same bytes.
/// </summary>
public static partial class SnapshotSerializer
{
    public static string Serialize(Snapshot snapshot) => SnapshotWriter.Write(snapshot);

    /// <summary>The same bytes as <see cref="Serialize"/>, as UTF-8, for writing to a file without a detour through a string.</summary>
    public static byte[] SerializeToUtf8Bytes(Snapshot snapshot) => SnapshotWriter.WriteUtf8(snapshot);

    /// <summary>
    /// Reads a snapshot, upgrading an older format version first. Any problem throws a
    /// <see cref="SnapshotFormatException"/> naming <paramref name="sourceName"/> and, where it can, the line.
    /// </summary>
    public static Snapshot Deserialize(string json, string sourceName) =>
        SnapshotFastReader.TryRead(json) ?? Deserialize(json, sourceName, SnapshotUpgrader.Default);

    internal static Snapshot Deserialize(string json, string sourceName, SnapshotUpgrader upgrader)
    {
        using var document = Parse(json, sourceName);
        try
        {
            var version = upgrader.VersionOf(document.RootElement);
            if (version == upgrader.CurrentVersion)
                return SnapshotReader.Read(document.RootElement);

            // Upgrade steps edit a mutable tree; the result is read like any current document.
            var upgraded = upgrader.Upgrade(JsonObject.Create(document.RootElement)!, version);
            using var current = JsonDocument.Parse(upgraded.ToJsonString());
            return SnapshotReader.Read(current.RootElement);
        }
        catch (SnapshotPathException e)
        {
            throw new SnapshotFormatException(sourceName, JsonLineLocator.LineOf(json, e.Path), e.Problem, e.Remedy);
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

    /// <summary>The schema alone in canonical JSON (UTF-8): what <see cref="Snapshot.ComputeId"/> hashes.</summary>
    internal static ReadOnlySpan<byte> SerializeSchema(Model.DatabaseModel schema) => SnapshotWriter.WriteSchema(schema);

    // JsonException messages end with "Path: $ | LineNumber: 2 | BytePositionInLine: 3."; the line is reported separately.
    private static string WithoutPosition(string message) => PositionSuffix().Replace(message, "").TrimEnd();

    [GeneratedRegex(@"\s*(Path:|LineNumber:).*$", RegexOptions.Singleline)]
    private static partial Regex PositionSuffix();
}

/// <summary>A problem at a JSON path of the document being read; turned into a <see cref="SnapshotFormatException"/> with a line.</summary>
internal sealed class SnapshotPathException(string path, string problem, string? remedy = null)
    : Exception(path.Length == 0 ? problem : $"{path}: {problem}")
{
    public string Path { get; } = path;

    public string Problem { get; } = path.Length == 0 ? problem : $"{path}: {problem}";

    public string? Remedy { get; } = remedy;
}
