using System.Globalization;
using System.Text;

namespace Strata.CodeGeneration;

/// <summary>C# spellings of strings and names, for the code <see cref="CSharpSchemaWriter"/> writes.</summary>
internal static class CSharpLiterals
{
    private static readonly HashSet<string> Keywords =
    [
        "abstract", "as", "base", "bool", "break", "byte", "case", "catch", "char", "checked", "class", "const",
        "continue", "decimal", "default", "delegate", "do", "double", "else", "enum", "event", "explicit", "extern",
        "false", "finally", "fixed", "float", "for", "foreach", "goto", "if", "implicit", "in", "int", "interface",
        "internal", "is", "lock", "long", "namespace", "new", "null", "object", "operator", "out", "override",
        "params", "private", "protected", "public", "readonly", "ref", "return", "sbyte", "sealed", "short",
        "sizeof", "stackalloc", "static", "string", "struct", "switch", "this", "throw", "true", "try", "typeof",
        "uint", "ulong", "unchecked", "unsafe", "ushort", "using", "virtual", "void", "volatile", "while",
    ];

    /// <summary>A C# identifier: a keyword gets its @ (<c>@class</c>).</summary>
    public static string Identifier(string name) => Keywords.Contains(name) ? "@" + name : name;

    /// <summary>
    /// A PascalCase identifier part made of the ASCII letters and digits of <paramref name="name"/>
    /// (<c>order items</c> → <c>OrderItems</c>); <paramref name="fallback"/> when none are left or it would start with a digit.
    /// </summary>
    public static string PascalCase(string name, string fallback)
    {
        var builder = new StringBuilder();
        var upper = true;
        foreach (var c in name)
        {
            if (char.IsAsciiLetterOrDigit(c))
            {
                builder.Append(upper ? char.ToUpperInvariant(c) : c);
                upper = false;
            }
            else
            {
                upper = true;
            }
        }
        if (builder.Length == 0)
            return fallback;
        return char.IsAsciiDigit(builder[0]) ? fallback + builder : builder.ToString();
    }

    /// <summary>
    /// A string literal for <paramref name="text"/>, the most readable that holds it exactly: <c>"plain"</c>,
    /// a raw <c>"""…"""</c> literal for text with double quotes (SQL with quoted names), a multi-line raw
    /// literal indented one level deeper than <paramref name="indent"/> for text of several lines, else an escaped one.
    /// </summary>
    public static string String(string text, string indent = "")
    {
        if (text.Contains('\n'))
            return MultiLineRaw(text, indent) ?? Escaped(text);
        if (!HasControlCharacters(text))
        {
            if (!text.Contains('"') && !text.Contains('\\'))
                return "\"" + text + "\"";
            if (!text.StartsWith('"') && !text.EndsWith('"'))
            {
                var quotes = new string('"', Math.Max(3, LongestQuoteRun(text) + 1));
                return quotes + text + quotes;
            }
        }
        return Escaped(text);
    }

    /// <summary>A regular string literal with escapes; every text has one.</summary>
    public static string Escaped(string text)
    {
        var builder = new StringBuilder("\"");
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            var pair = char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]);
            if (pair)
            {
                builder.Append(c).Append(text[++i]);
                continue;
            }
            builder.Append(c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                _ when char.IsControl(c) || char.IsSurrogate(c) || c is '\u2028' or '\u2029' or '\u0085'
                    => "\\u" + ((int)c).ToString("x4", CultureInfo.InvariantCulture),
                _ => c.ToString(),
            });
        }
        return builder.Append('"').ToString();
    }

    /// <summary>
    /// A multi-line raw literal, or null when the text cannot be one exactly: carriage returns or other
    /// control characters (the file's line ends would decide them), lines of only blanks (the compiler
    /// trims them), or a first or last line that is blank.
    /// </summary>
    private static string? MultiLineRaw(string text, string indent)
    {
        var lines = text.Split('\n');
        foreach (var c in text)
            if (c != '\n' && c != '\t' && char.IsControl(c) || c is '\u2028' or '\u2029' or '\u0085')
                return null;
        if (lines.Any(l => l.Length > 0 && string.IsNullOrWhiteSpace(l)))
            return null;
        // The text one level deeper than the statement it belongs to, as C# code formats raw strings.
        indent += "    ";
        var quotes = new string('"', Math.Max(3, LongestQuoteRun(text) + 1));
        var builder = new StringBuilder(quotes).Append('\n');
        foreach (var line in lines)
        {
            if (line.Length > 0)
                builder.Append(indent).Append(line);
            builder.Append('\n');
        }
        return builder.Append(indent).Append(quotes).ToString();
    }

    private static bool HasControlCharacters(string text) =>
        text.Any(c => char.IsControl(c) || char.IsSurrogate(c) || c is '\u2028' or '\u2029' or '\u0085');

    private static int LongestQuoteRun(string text)
    {
        var longest = 0;
        var run = 0;
        foreach (var c in text)
        {
            run = c == '"' ? run + 1 : 0;
            longest = Math.Max(longest, run);
        }
        return longest;
    }

    public static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);
}
