using Strata.Sql;

namespace Strata.Tests.Sql;

public sealed class SqlLexerTests
{
    private static List<(SqlTokenKind Kind, string Text)> Scan(SqlLexer lexer, string line, int number = 1)
    {
        var tokens = new List<SqlToken>();
        lexer.ScanLine(line, number, tokens);
        return tokens.Select(t => (t.Kind, line[t.Start..t.End])).ToList();
    }

    [Fact]
    public void A_line_is_covered_by_code_strings_identifiers_comments_and_semicolons()
    {
        var tokens = Scan(new SqlLexer(), """SELECT 'a;b', E'it\'s', "odd;name" /* c; */ ; -- rest; of line""");

        Assert.Equal(
        [
            (SqlTokenKind.Code, "SELECT "), (SqlTokenKind.String, "'a;b'"), (SqlTokenKind.Code, ", "), (SqlTokenKind.String, @"E'it\'s'"),
            (SqlTokenKind.Code, ", "), (SqlTokenKind.QuotedIdentifier, "\"odd;name\""), (SqlTokenKind.Code, " "), (SqlTokenKind.BlockComment, "/* c; */"),
            (SqlTokenKind.Code, " "), (SqlTokenKind.Semicolon, ";"), (SqlTokenKind.Code, " "), (SqlTokenKind.LineComment, "-- rest; of line"),
        ], tokens);
    }

    [Fact]
    public void A_dollar_quote_stays_open_across_lines_until_its_own_tag_and_remembers_where_it_opened()
    {
        var lexer = new SqlLexer();
        Scan(lexer, "CREATE FUNCTION f() RETURNS int AS $body$", 4);
        Assert.Equal(SqlTokenKind.DollarQuoted, lexer.Open);
        Assert.Equal("$body$", lexer.DollarTag);

        Assert.Equal([(SqlTokenKind.DollarQuoted, "  SELECT $$;$$; -- still the body")], Scan(lexer, "  SELECT $$;$$; -- still the body", 5));
        Assert.Equal(4, lexer.OpenedOnLine);

        Assert.Equal([(SqlTokenKind.DollarQuoted, "$body$"), (SqlTokenKind.Code, " LANGUAGE sql"), (SqlTokenKind.Semicolon, ";")], Scan(lexer, "$body$ LANGUAGE sql;", 6));
        Assert.Equal(SqlTokenKind.Code, lexer.Open);
    }

    [Theory]
    [InlineData("SELECT $1, a$b$c", SqlTokenKind.Code)]
    [InlineData("SELECT 'open", SqlTokenKind.String)]
    [InlineData("SELECT \"open", SqlTokenKind.QuotedIdentifier)]
    [InlineData("/* one /* two */ still one", SqlTokenKind.BlockComment)]
    [InlineData("SELECT E'\\'", SqlTokenKind.String)]
    [InlineData("SELECT 'it''s' -- done", SqlTokenKind.Code)]
    public void What_a_line_leaves_open_is_what_the_next_line_starts_in(string line, SqlTokenKind open)
    {
        var lexer = new SqlLexer();
        Scan(lexer, line);
        Assert.Equal(open, lexer.Open);
    }

    [Fact]
    public void A_quoted_identifier_holding_a_breakpoint_marker_is_one_identifier_token()
    {
        var tokens = Scan(new SqlLexer(), "DROP TABLE \"public\".\"x--> statement-breakpoint\";");

        Assert.Contains((SqlTokenKind.QuotedIdentifier, "\"x--> statement-breakpoint\""), tokens);
        Assert.DoesNotContain(tokens, t => t.Kind == SqlTokenKind.LineComment);
    }
}
