using System.Text;
using Microsoft.Extensions.Configuration;

namespace Strata.Postgres.Configuration;

/// <summary>
/// A <c>.env</c> file: <c>KEY=value</c> lines, optionally after <c>export</c>; values unquoted (an
/// inline <c> #</c> starts a comment), in single quotes (taken literally) or in double quotes (with
/// <c>\n</c>, <c>\t</c>, <c>\"</c>, <c>\\</c> escapes, and they may span lines); <c>#</c> comment lines
/// and empty lines. Values are taken as written: no <c>${VAR}</c> expansion inside a .env file.
/// A malformed line is a usage error naming the file and line, never its text (it may hold a password).
/// </summary>
public static class DotEnvFile
{
    public static IReadOnlyList<(string Key, string Value, int Line)> Parse(string text, string file)
    {
        var variables = new List<(string, string, int)>();
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        for (var index = 0; index < lines.Length; index++)
        {
            var lineNumber = index + 1;
            // A NUL can end up in a file saved as UTF-16 or pasted from a binary; no variable can hold it.
            if (lines[index].IndexOf('\0') is var nul and >= 0)
                throw new ConfigurationException($"{file}:{lineNumber}: a NUL byte (\\0) at column {nul + 1}; a .env file is UTF-8 text, and no variable can hold a NUL",
                    remedy: "Remove it (a file saved as UTF-16 is full of them: save it as UTF-8).");
            var line = lines[index].Trim();
            if (index == 0)
                line = line.TrimStart('\uFEFF');
            if (line.Length == 0 || line[0] == '#')
                continue;
            if (line.StartsWith("export ", StringComparison.Ordinal) || line.StartsWith("export\t", StringComparison.Ordinal))
                line = line[7..].TrimStart();

            var equals = line.IndexOf('=');
            if (equals <= 0)
                throw Malformed(file, lineNumber, "expected KEY=value");
            var key = line[..equals].TrimEnd();
            if (!IsName(key))
                throw Malformed(file, lineNumber, "the name before '=' must be letters, digits and '_', not starting with a digit");
            var rest = line[(equals + 1)..].TrimStart();

            string value;
            if (rest.StartsWith('"'))
            {
                // A double-quoted value may go on over the next lines (a PEM certificate, say).
                var quoted = new StringBuilder(rest[1..]);
                var startLine = lineNumber;
                int close;
                while ((close = ClosingQuote(quoted)) < 0)
                {
                    if (++index >= lines.Length)
                        throw Malformed(file, startLine, "the double quote that starts the value of " + key + " is never closed");
                    quoted.Append('\n').Append(lines[index]);
                }
                var after = quoted.ToString(close + 1, quoted.Length - close - 1).Trim();
                if (after.Length > 0 && after[0] != '#')
                    throw Malformed(file, index + 1, "only a # comment may follow the closing quote of " + key);
                value = Unescape(quoted.ToString(0, close));
            }
            else if (rest.StartsWith('\''))
            {
                var close = rest.IndexOf('\'', 1);
                if (close < 0)
                    throw Malformed(file, lineNumber, "the single quote that starts the value of " + key + " is never closed");
                var after = rest[(close + 1)..].Trim();
                if (after.Length > 0 && after[0] != '#')
                    throw Malformed(file, lineNumber, "only a # comment may follow the closing quote of " + key);
                value = rest[1..close];
            }
            else
            {
                var comment = rest.IndexOf(" #", StringComparison.Ordinal);
                var tabComment = rest.IndexOf("\t#", StringComparison.Ordinal);
                if (tabComment >= 0 && (comment < 0 || tabComment < comment))
                    comment = tabComment;
                value = (comment < 0 ? rest : rest[..comment]).TrimEnd();
            }
            variables.Add((key, value, lineNumber));
        }
        return variables;
    }

    public static bool IsName(string name) =>
        name.Length > 0 && !char.IsAsciiDigit(name[0]) && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');

    private static int ClosingQuote(StringBuilder text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '\\')
                i++;
            else if (text[i] == '"')
                return i;
        }
        return -1;
    }

    private static string Unescape(string text)
    {
        var result = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] != '\\' || i + 1 == text.Length)
            {
                result.Append(text[i]);
                continue;
            }
            var next = text[++i];
            result.Append(next switch { 'n' => '\n', 'r' => '\r', 't' => '\t', _ => next });
        }
        return result.ToString();
    }

    private static ConfigurationException Malformed(string file, int line, string problem) =>
        new ConfigurationException($"{file}:{line}: {problem}",
            remedy: "Write each variable as KEY=value (quote a value with spaces or '#': KEY=\"a value\"); lines starting with # are comments.");
}

/// <summary>One .env file as a Microsoft.Extensions.Configuration layer; a file that does not exist gives no values.</summary>
internal sealed class DotEnvConfigurationSource(string path) : IConfigurationSource
{
    public string Path { get; } = path;

    public IConfigurationProvider Build(IConfigurationBuilder builder) => new DotEnvConfigurationProvider(Path);
}

internal sealed class DotEnvConfigurationProvider(string path) : ConfigurationProvider
{
    public string Path { get; } = path;

    /// <summary>The names the file sets.</summary>
    public IEnumerable<string> Names => Data.Keys;

    public override void Load()
    {
        // Ordinal: variable names are case-sensitive, as in the process environment.
        var data = new Dictionary<string, string?>(StringComparer.Ordinal);
        if (File.Exists(Path))
        {
            // Within one file the last assignment wins, as when a shell sources it.
            foreach (var (key, value, _) in DotEnvFile.Parse(File.ReadAllText(Path), Path))
                data[key] = value;
        }
        Data = data;
    }

    public override string ToString() => Path;
}
