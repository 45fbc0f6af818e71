using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Strata.Snapshots;

/// <summary>
/// Says in the format's words why System.Text.Json refused a well-formed snapshot document. Its own
/// messages name .NET types; the exception's JSON path, walked through the documents' generated
/// metadata and the parsed JSON side by side, gives what was expected there and what was found.
/// </summary>
internal static class SnapshotDocumentErrors
{
    public static SnapshotPathException Explain(JsonException error, JsonElement root)
    {
        JsonTypeInfo? type = SnapshotJsonContext.Default.SnapshotDocument;
        JsonElement? found = root;
        var path = "";
        foreach (var segment in Segments(error.Path ?? "$"))
        {
            if (segment.Index is { } index)
            {
                path += $"[{index}]";
                type = type?.ElementType is { } element ? SnapshotJsonContext.Default.GetTypeInfo(element) : null;
                found = found is { ValueKind: JsonValueKind.Array } array && index < array.GetArrayLength() ? array[index] : null;
            }
            else
            {
                var name = segment.Name!;
                path = path.Length == 0 ? name : path + "." + name;
                if (type is { Kind: JsonTypeInfoKind.Object } && !type.Properties.Any(p => p.Name == name))
                    return new SnapshotPathException(path, $"unknown property \"{name}\"");
                var property = type?.Properties.FirstOrDefault(p => p.Name == name);
                type = property is null ? null : SnapshotJsonContext.Default.GetTypeInfo(property.PropertyType);
                found = found is { ValueKind: JsonValueKind.Object } obj && obj.TryGetProperty(name, out var value) ? value : null;
            }
        }
        return type is not null && found is { } foundValue
            ? new SnapshotPathException(path, $"expected {Expected(type)}, found {Describe(foundValue)}")
            : new SnapshotPathException(path, "the snapshot could not be read");
    }

    private static string Expected(JsonTypeInfo type) =>
        type.Type switch
        {
            var t when t == typeof(string) => "a string",
            var t when t == typeof(Flag) => "true or false",
            var t when t == typeof(WholeNumber) => "a whole number",
            _ => type.Kind == JsonTypeInfoKind.Enumerable ? "an array" : "an object",
        };

    private static string Describe(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        _ => value.GetRawText(),
    };

    /// <summary>The steps of a System.Text.Json path: <c>$.tables[0].columns</c>, <c>$['odd key']</c>.</summary>
    private static IEnumerable<(string? Name, int? Index)> Segments(string path)
    {
        var i = path.StartsWith('$') ? 1 : 0;
        while (i < path.Length)
        {
            if (path[i] == '.')
            {
                var end = path.IndexOfAny(['.', '['], i + 1);
                end = end < 0 ? path.Length : end;
                yield return (path[(i + 1)..end], null);
                i = end;
            }
            else if (path.AsSpan(i).StartsWith("['"))
            {
                var end = path.IndexOf("']", i + 2, StringComparison.Ordinal);
                end = end < 0 ? path.Length : end;
                yield return (path[(i + 2)..end], null);
                i = end + 2;
            }
            else if (path[i] == '[')
            {
                var end = path.IndexOf(']', i);
                end = end < 0 ? path.Length : end;
                yield return int.TryParse(path.AsSpan(i + 1, end - i - 1), out var index) ? (null, index) : (path[(i + 1)..end], null);
                i = end + 1;
            }
            else
            {
                yield break;
            }
        }
    }
}
