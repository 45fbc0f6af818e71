using System.Text;
using System.Text.Json;

namespace Strata.Snapshots;

/// <summary>
/// Finds the line of a value in a JSON text by its path (<c>tables[2].columns[0].type</c>), because
/// the parsed tree does not keep positions and a user needs the line to find the problem.
/// </summary>
internal static class JsonLineLocator
{
    public static int? LineOf(string json, string path)
    {
        var bytes = Encoding.UTF8.GetBytes(json);
        if (path.Length == 0)
            return FirstTokenLine(bytes);

        var reader = new Utf8JsonReader(bytes);
        var containers = new Stack<Container>();
        try
        {
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.PropertyName:
                        var container = containers.Peek();
                        container.Property = reader.GetString();
                        if (container.PathOf(container.Property) == path)
                            return LineAt(bytes, reader.TokenStartIndex);
                        break;
                    case JsonTokenType.EndObject or JsonTokenType.EndArray:
                        containers.Pop();
                        break;
                    default:
                        var valuePath = containers.Count == 0 ? "" : containers.Peek().NextValuePath();
                        if (valuePath == path)
                            return LineAt(bytes, reader.TokenStartIndex);
                        if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
                            containers.Push(new Container(valuePath, reader.TokenType == JsonTokenType.StartArray));
                        break;
                }
            }
        }
        catch (JsonException)
        {
            // Only valid JSON gets here; if not, the caller reports the problem without a line.
        }
        return null;
    }

    /// <summary>The line of the first property whose name already appeared in the same object.</summary>
    public static int? LineOfDuplicateProperty(string json)
    {
        var bytes = Encoding.UTF8.GetBytes(json);
        var reader = new Utf8JsonReader(bytes);
        var objects = new Stack<HashSet<string>?>();
        try
        {
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.StartObject:
                        objects.Push(new HashSet<string>(StringComparer.Ordinal));
                        break;
                    case JsonTokenType.StartArray:
                        objects.Push(null);
                        break;
                    case JsonTokenType.EndObject or JsonTokenType.EndArray:
                        objects.Pop();
                        break;
                    case JsonTokenType.PropertyName when !objects.Peek()!.Add(reader.GetString()!):
                        return LineAt(bytes, reader.TokenStartIndex);
                }
            }
        }
        catch (JsonException)
        {
            // Not reached for JSON that only failed on a duplicate.
        }
        return null;
    }

    private static int? FirstTokenLine(byte[] bytes)
    {
        var reader = new Utf8JsonReader(bytes);
        try
        {
            return reader.Read() ? LineAt(bytes, reader.TokenStartIndex) : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static int LineAt(byte[] bytes, long index) => bytes.AsSpan(0, (int)index).Count((byte)'\n') + 1;

    private sealed class Container(string path, bool isArray)
    {
        private int _nextIndex;

        public string? Property { get; set; }

        public string PathOf(string? property) => path.Length == 0 ? property ?? "" : path + "." + property;

        public string NextValuePath() => isArray ? $"{path}[{_nextIndex++}]" : PathOf(Property);
    }
}
