using System.Text;
using System.Text.Json;

namespace Strata.Postgres.Configuration;

/// <summary>
/// Where each property of a JSON file starts, as <c>file(line,column)</c>: JsonDocument does not keep
/// positions, and a nested key such as <c>"url"</c> appears once per environment, so a text search
/// would point at the wrong one. Paths are the property names joined by '/' (<c>environments/test/url</c>).
/// </summary>
internal sealed class JsonPositions
{
    private readonly string _file;
    private readonly byte[] _utf8;
    private readonly Dictionary<string, int> _offsets = new(StringComparer.Ordinal);

    public JsonPositions(string file, string text, JsonReaderOptions options)
    {
        _file = file;
        _utf8 = Encoding.UTF8.GetBytes(text);
        var reader = new Utf8JsonReader(_utf8, options);
        var path = new List<string>();
        string? pending = null;
        // Only objects name their members; an array's items share their parent's path.
        var containers = new Stack<bool>();
        while (reader.Read())
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.PropertyName:
                    pending = reader.GetString()!;
                    _offsets.TryAdd(string.Join('/', path.Append(pending)), (int)reader.TokenStartIndex);
                    continue;
                case JsonTokenType.StartObject:
                case JsonTokenType.StartArray:
                    var named = pending is not null;
                    if (named)
                        path.Add(pending!);
                    containers.Push(named);
                    break;
                case JsonTokenType.EndObject:
                case JsonTokenType.EndArray:
                    if (containers.Pop())
                        path.RemoveAt(path.Count - 1);
                    break;
            }
            pending = null;
        }
    }

    /// <summary><c>file(line,column)</c> of the property at <paramref name="path"/>, or just the file when it is not there.</summary>
    public string Of(string path)
    {
        if (!_offsets.TryGetValue(path, out var offset))
            return _file;
        var line = 1;
        var lineStart = 0;
        for (var i = 0; i < offset; i++)
        {
            if (_utf8[i] == (byte)'\n')
            {
                line++;
                lineStart = i + 1;
            }
        }
        return $"{_file}({line},{offset - lineStart + 1})";
    }
}
