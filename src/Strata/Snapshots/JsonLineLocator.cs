using System.Runtime.InteropServices;
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
        return FindDuplicateProperty(bytes) is { Found: true } duplicate ? LineAt(bytes, duplicate.Index) : null;
    }

    /// <summary>
    /// Whether some object of the JSON repeats a property name, and where (the index of the repeat), in
    /// one pass over the bytes: far cheaper than the duplicate check of System.Text.Json's deserializer,
    /// which took as long as the rest of the reading. <c>Sure</c> is false when the bytes do not settle
    /// it here (not valid JSON, an escaped name): the caller then asks a parser that knows.
    /// </summary>
    public static (bool Sure, bool Found, long Index) FindDuplicateProperty(ReadOnlySpan<byte> utf8)
    {
        var reader = new Utf8JsonReader(utf8);
        // The names of the open objects, outermost first, as ranges of utf8; where each open container's
        // names start (-1 for an array, which has none).
        var names = new List<(int Start, int Length)>();
        var containers = new Stack<int>();
        try
        {
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.StartObject:
                        containers.Push(names.Count);
                        break;
                    case JsonTokenType.StartArray:
                        containers.Push(-1);
                        break;
                    case JsonTokenType.EndObject:
                        CollectionsMarshal.SetCount(names, containers.Pop());
                        break;
                    case JsonTokenType.EndArray:
                        containers.Pop();
                        break;
                    case JsonTokenType.PropertyName:
                        if (reader.ValueIsEscaped)
                            return (false, false, 0);
                        var name = reader.ValueSpan;
                        for (var i = containers.Peek(); i < names.Count; i++)
                        {
                            if (utf8.Slice(names[i].Start, names[i].Length).SequenceEqual(name))
                                return (true, true, reader.TokenStartIndex);
                        }
                        // The name's bytes follow its opening quote.
                        names.Add(((int)reader.TokenStartIndex + 1, name.Length));
                        break;
                }
            }
        }
        catch (JsonException)
        {
            return (false, false, 0);
        }
        return (true, false, 0);
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

    private static int LineAt(ReadOnlySpan<byte> bytes, long index) => bytes[..(int)index].Count((byte)'\n') + 1;

    private sealed class Container(string path, bool isArray)
    {
        private int _nextIndex;

        public string? Property { get; set; }

        public string PathOf(string? property) => path.Length == 0 ? property ?? "" : path + "." + property;

        public string NextValuePath() => isArray ? $"{path}[{_nextIndex++}]" : PathOf(Property);
    }
}
