using Strata.Postgres.Migrations;

namespace Strata.Postgres.Seeding;

/// <summary>
/// Splits hand-written SQL into its statements at the semicolons that end them, so that each runs as its
/// own command and a failure names its own line. Semicolons inside quotes ('…', E'…', "…"), dollar
/// quotes ($$…$$, $tag$…$tag$) and comments (--, nested /* */) do not split.
/// </summary>
public static class SqlScriptSplitter
{
    public static IReadOnlyList<ScriptStatement> Split(ScriptStatement chunk)
    {
        var sql = chunk.Sql;
        var statements = new List<ScriptStatement>();
        var start = 0;
        var i = 0;
        while (i < sql.Length)
        {
            var c = sql[i];
            if (c == '-' && At(sql, i + 1, '-'))
            {
                i = sql.IndexOf('\n', i) is var end && end < 0 ? sql.Length : end;
            }
            else if (c == '/' && At(sql, i + 1, '*'))
            {
                i = SkipBlockComment(sql, i);
            }
            else if (c == '\'')
            {
                var backslashEscapes = i > 0 && (sql[i - 1] is 'E' or 'e') && (i < 2 || !IsIdentifierChar(sql[i - 2]));
                i = SkipQuoted(sql, i, '\'', backslashEscapes);
            }
            else if (c == '"')
            {
                i = SkipQuoted(sql, i, '"', false);
            }
            else if (c == '$' && DollarTag(sql, i) is { } tag)
            {
                var close = sql.IndexOf(tag, i + tag.Length, StringComparison.Ordinal);
                i = close < 0 ? sql.Length : close + tag.Length;
            }
            else if (c == ';')
            {
                Add(chunk, start, i + 1, statements);
                start = i + 1;
                i++;
            }
            else
            {
                i++;
            }
        }
        Add(chunk, start, sql.Length, statements);
        return statements;
    }

    private static void Add(ScriptStatement chunk, int start, int end, List<ScriptStatement> statements)
    {
        // Leading blanks and comments belong to no statement: the reported line is the statement's own.
        var text = chunk.Sql[start..end];
        var offset = 0;
        while (offset < text.Length)
        {
            if (char.IsWhiteSpace(text[offset]))
                offset++;
            else if (text[offset] == '-' && At(text, offset + 1, '-'))
                offset = text.IndexOf('\n', offset) is var e && e < 0 ? text.Length : e;
            else if (text[offset] == '/' && At(text, offset + 1, '*'))
                offset = SkipBlockComment(text, offset);
            else
                break;
        }
        var body = text[offset..].TrimEnd();
        if (body.Length == 0 || body == ";")
            return;
        var line = chunk.Line + chunk.Sql.AsSpan(0, start + offset).Count('\n');
        statements.Add(new ScriptStatement(body, line));
    }

    private static bool At(string sql, int index, char c) => index < sql.Length && sql[index] == c;

    private static bool IsIdentifierChar(char c) => char.IsLetterOrDigit(c) || c == '_';

    private static int SkipBlockComment(string sql, int i)
    {
        var depth = 0;
        while (i < sql.Length)
        {
            if (sql[i] == '/' && At(sql, i + 1, '*'))
            {
                depth++;
                i += 2;
            }
            else if (sql[i] == '*' && At(sql, i + 1, '/'))
            {
                i += 2;
                if (--depth == 0)
                    return i;
            }
            else
            {
                i++;
            }
        }
        return i;
    }

    private static int SkipQuoted(string sql, int i, char quote, bool backslashEscapes)
    {
        i++;
        while (i < sql.Length)
        {
            if (backslashEscapes && sql[i] == '\\')
                i += 2;
            else if (sql[i] == quote && At(sql, i + 1, quote))
                i += 2;
            else if (sql[i] == quote)
                return i + 1;
            else
                i++;
        }
        return i;
    }

    // $$ or $tag$ where the tag is an identifier; $1 (a parameter) is not a dollar quote.
    private static string? DollarTag(string sql, int i)
    {
        if (i > 0 && IsIdentifierChar(sql[i - 1]))
            return null;
        var j = i + 1;
        while (j < sql.Length && IsIdentifierChar(sql[j]))
            j++;
        if (j >= sql.Length || sql[j] != '$' || (j > i + 1 && char.IsDigit(sql[i + 1])))
            return null;
        return sql[i..(j + 1)];
    }
}
