using Strata.Model;
using Strata.Sql;

namespace Strata.Diffing;

/// <summary>
/// The key that names an object in a rename decision, a candidate and a rename hint: its name's parts joined by
/// dots (<c>billing</c>, <c>public.users</c>, <c>public.users.email</c>), a part quoted as PostgreSQL quotes a name
/// (<c>public.users."special.column"</c>, a double quote doubled) when it holds a character of the hint syntax
/// (<c>.</c> <c>:</c> <c>=</c> <c>"</c>) or one that would start a string, comment or dollar quote. A plain name's
/// key is the same as before quoting existed, so the keys in older snapshots read as they did.
/// </summary>
public static class ObjectKey
{
    public static string Of(string name) => Part(name);

    public static string Of(QualifiedName name) => Part(name.Schema) + "." + Part(name.Name);

    public static string Of(QualifiedName table, string column) => Of(table) + "." + Part(column);

    /// <summary>One part of a key, quoted when needed.</summary>
    public static string Part(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var quoted = name.Length == 0 || name.Trim().Length != name.Length
            || name.AsSpan().IndexOfAny(".:=\"'$") >= 0
            || name.Contains("--", StringComparison.Ordinal) || name.Contains("/*", StringComparison.Ordinal);
        return quoted ? "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : name;
    }

    /// <summary>
    /// The parts of <paramref name="key"/>, read with the SQL lexer: a quoted part is the name it stands for, the text
    /// between dots elsewhere is the name as written (no case folding: a hint names an object exactly). Null, with
    /// <paramref name="problem"/>, when a quote is not closed or a quoted name does not stand alone between dots.
    /// </summary>
    public static IReadOnlyList<string>? Parts(string key, out string problem)
    {
        ArgumentNullException.ThrowIfNull(key);
        problem = "";
        var text = SqlLexer.Tokenize(key);
        var parts = new List<string>();
        var part = new System.Text.StringBuilder();
        var quotedPart = false;
        foreach (var token in text.Tokens)
        {
            if (token.Kind == SqlTokenKind.QuotedIdentifier)
            {
                if (!text.IsClosed(token))
                {
                    problem = $"the quoted name {text[token]} is not closed";
                    return null;
                }
                if (part.Length > 0 || quotedPart)
                {
                    problem = $"a quoted name stands alone between dots, got {key}";
                    return null;
                }
                part.Append(SqlLexer.IdentifierName(text[token]));
                quotedPart = true;
                continue;
            }
            // Anything else is the name as written, dots apart (a lone quote in a plain name is no string).
            foreach (var c in text[token])
            {
                if (c == '.')
                {
                    parts.Add(part.ToString());
                    part.Clear();
                    quotedPart = false;
                }
                else if (quotedPart)
                {
                    problem = $"a quoted name stands alone between dots, got {key}";
                    return null;
                }
                else
                {
                    part.Append(c);
                }
            }
        }
        parts.Add(part.ToString());
        return parts;
    }

    /// <summary>
    /// <paramref name="key"/> read as <paramref name="count"/> parts. A key written before quoting existed, with more
    /// dots than parts and no quote, reads as it did then: the schema up to the first dot, a column after the last.
    /// </summary>
    public static IReadOnlyList<string>? Parts(string key, int count, out string problem)
    {
        if (Parts(key, out problem) is not { } parts)
            return null;
        if (parts.Count > count && !key.Contains('"', StringComparison.Ordinal))
        {
            parts = count switch
            {
                1 => [key],
                2 => [parts[0], string.Join('.', parts.Skip(1))],
                _ => [parts[0], string.Join('.', parts.Skip(1).Take(parts.Count - 2)), parts[^1]],
            };
        }
        return parts.Count == count ? parts : null;
    }

    /// <summary>The schema-qualified name a two-part key names; a key that is not one stays as written in Name, as it cannot match.</summary>
    public static QualifiedName Name(string key) =>
        Parts(key, 2, out _) is { } parts ? new QualifiedName(parts[0], parts[1]) : new QualifiedName("", key);

    /// <summary>The table and column a column key names; the key as the column when it is not one (it cannot match).</summary>
    public static (QualifiedName Table, string Column) Column(string key) =>
        Parts(key, 3, out _) is { } parts ? (new QualifiedName(parts[0], parts[1]), parts[2]) : (new QualifiedName("", ""), key);

    /// <summary>The schema a one-part key names.</summary>
    public static string Schema(string key) => Parts(key, 1, out _) is { } parts ? parts[0] : key;

    /// <summary>The quoted name <paramref name="text"/> leaves open at its end, from its opening quote; null when none is.</summary>
    internal static string? UnclosedQuote(string text)
    {
        var lexed = SqlLexer.Tokenize(text);
        return lexed.OpenAtEnd == SqlTokenKind.QuotedIdentifier && lexed.Tokens.Count > 0 ? lexed[lexed.Tokens[^1]] : null;
    }

    /// <summary>Where <paramref name="c"/> first stands in <paramref name="text"/> outside a quoted name; -1 when it does not.</summary>
    internal static int IndexOutsideQuotes(string text, char c)
    {
        var lexed = SqlLexer.Tokenize(text);
        foreach (var token in lexed.Tokens)
        {
            if (token.Kind == SqlTokenKind.QuotedIdentifier)
                continue;
            var at = text.IndexOf(c, token.Start, token.End - token.Start);
            if (at >= 0)
                return at;
        }
        return -1;
    }
}
