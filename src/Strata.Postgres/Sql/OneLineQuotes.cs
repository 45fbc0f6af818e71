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
        if (!SqlLexer.HasDirectiveLine(sql))
            return sql;
        var text = SqlLexer.Tokenize(sql);
        var output = new StringBuilder(sql.Length + 16);
        foreach (var token in text.Tokens)
        {
            var quote = text[token];
            // Only a quote over lines can hold a whole line. An E'' or U&'' string and a U&"" name are left as
            // written, and the generator then refuses the statement.
            var plain = token.Kind is SqlTokenKind.String or SqlTokenKind.QuotedIdentifier && quote[0] is '\'' or '"';
            if (!plain || !text.IsClosed(token) || !SqlLexer.HasDirectiveLine(quote))
                output.Append(quote);
            else if (token.Kind == SqlTokenKind.String)
                output.Append(SqlLiteral.Quote(SqlLexer.StringValue(quote)));
            else
                output.Append(SqlIdentifier.Quote(SqlLexer.IdentifierName(quote)));
        }
        return output.ToString();
    }
}
