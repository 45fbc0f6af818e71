using System.Text;
using Strata.Dsl;
using Strata.Sql;

namespace Strata.Postgres.Sql;

/// <summary>
/// Rewrites the string literals and quoted identifiers of SQL from the schema (a view query, a default, a
/// check, as a database prints them) that run over lines one of which a migration file would read as a
/// statement breakpoint or directive: each becomes its one-line form (<c>E'a\n…'</c>, <c>U&amp;"a\000A…"</c>),
/// which PostgreSQL reads as the same value, so a generated file parses back to the same statements.
/// Comments and dollar-quoted bodies are left as they are: they cannot be rewritten without changing the SQL.
/// </summary>
internal static class OneLineQuotes
{
    public static string Rewrite(string sql)
    {
        if (!SqlLiteral.HasDirectiveLine(sql))
            return sql;
        var lexer = new SqlLexer();
        var tokens = new List<SqlToken>();
        var output = new StringBuilder(sql.Length + 16);
        StringBuilder? open = null; // the quote running over lines, as written so far
        var lines = sql.Split('\n');
        for (var n = 0; n < lines.Length; n++)
        {
            var line = lines[n];
            if (n > 0)
                (open ?? output).Append('\n');
            lexer.ScanLine(line, n + 1, tokens);
            for (var t = 0; t < tokens.Count; t++)
            {
                var token = tokens[t];
                var text = line.AsSpan(token.Start, token.End - token.Start);
                var isLast = t == tokens.Count - 1;
                if (open is not null && t == 0)
                {
                    open.Append(text);
                    if (isLast && lexer.Open != SqlTokenKind.Code)
                        continue;
                    output.Append(OneLine(open.ToString()));
                    open = null;
                }
                // (A U&"…" identifier is left as it is: its escapes would have to be read.)
                else if (isLast && lexer.Open != SqlTokenKind.Code && token.Kind is SqlTokenKind.String or SqlTokenKind.QuotedIdentifier
                    && !(token.Start > 0 && line[token.Start - 1] == '&'))
                {
                    open = new StringBuilder().Append(text);
                }
                else
                {
                    output.Append(text);
                }
            }
        }
        if (open is not null)
            output.Append(open);
        return output.ToString();
    }

    /// <summary>A whole quote that ran over lines, in its one-line form where it holds a directive line.</summary>
    private static string OneLine(string quote)
    {
        if (!SqlLiteral.HasDirectiveLine(quote))
            return quote;
        if (quote.Length >= 2 && quote[0] == '\'' && quote[^1] == '\'')
            return SqlLiteral.Quote(quote[1..^1].Replace("''", "'", StringComparison.Ordinal));
        if (quote.Length >= 2 && quote[0] == '"' && quote[^1] == '"')
            return SqlIdentifier.Quote(quote[1..^1].Replace("\"\"", "\"", StringComparison.Ordinal));
        // An E'' string (its escapes would have to be read) stays as it is, and is refused.
        return quote;
    }
}
