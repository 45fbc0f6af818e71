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
    public void An_E_string_continued_on_a_later_line_reads_backslash_escapes_in_every_part()
    {
        // PostgreSQL reads E'it\'s' and the '…' after the line break as one constant, escapes included.
        var lexer = new SqlLexer();
        Scan(lexer, "SELECT E'it\\'s'", 1);
        Scan(lexer, "  -- a comment between the parts is allowed", 2);
        var tokens = Scan(lexer, "  '; still \\' inside'; SELECT 1;", 3);

        Assert.Equal(SqlTokenKind.Code, lexer.Open);
        Assert.Contains((SqlTokenKind.String, "'; still \\' inside'"), tokens);
        Assert.Equal(2, tokens.Count(t => t.Kind == SqlTokenKind.Semicolon));
    }

    [Theory]
    [InlineData("SELECT 'plain'", "'a\\'")]                   // a plain string has no backslash escapes to continue
    [InlineData("SELECT E'esc' AS x", "'a\\'")]                // code after the E string ends the chance to continue
    public void A_plain_string_after_a_line_break_takes_no_backslash_escapes(string first, string second)
    {
        var lexer = new SqlLexer();
        Scan(lexer, first, 1);
        var tokens = Scan(lexer, second, 2);

        Assert.Equal([(SqlTokenKind.String, "'a\\'")], tokens);
        Assert.Equal(SqlTokenKind.Code, lexer.Open);
    }

    [Fact]
    public void A_quoted_identifier_holding_a_breakpoint_marker_is_one_identifier_token()
    {
        var tokens = Scan(new SqlLexer(), "DROP TABLE \"public\".\"x--> statement-breakpoint\";");

        Assert.Contains((SqlTokenKind.QuotedIdentifier, "\"x--> statement-breakpoint\""), tokens);
        Assert.DoesNotContain(tokens, t => t.Kind == SqlTokenKind.LineComment);
    }

    [Fact]
    public void A_U_ampersand_string_or_identifier_is_one_token_with_its_prefix()
    {
        var tokens = Scan(new SqlLexer(), """SELECT U&'\0041', u&"a\000Ab", menu&'x'""");

        Assert.Equal(
        [
            (SqlTokenKind.Code, "SELECT "), (SqlTokenKind.String, @"U&'\0041'"), (SqlTokenKind.Code, ", "), (SqlTokenKind.QuotedIdentifier, @"u&""a\000Ab"""),
            (SqlTokenKind.Code, ", menu&"), (SqlTokenKind.String, "'x'"),
        ], tokens);
    }

    [Fact]
    public void A_whole_text_is_covered_by_tokens_and_a_quote_over_lines_is_one_token()
    {
        var text = SqlLexer.Tokenize("SELECT 'a\n--> statement-breakpoint\nb', $$x\n$$ -- c\n  /* d\n */ FROM \"t\n\";\n'open");

        Assert.Equal(
        [
            (SqlTokenKind.Code, "SELECT "), (SqlTokenKind.String, "'a\n--> statement-breakpoint\nb'"), (SqlTokenKind.Code, ", "),
            (SqlTokenKind.DollarQuoted, "$$x\n$$"), (SqlTokenKind.Code, " "), (SqlTokenKind.LineComment, "-- c"), (SqlTokenKind.Code, "\n  "),
            (SqlTokenKind.BlockComment, "/* d\n */"), (SqlTokenKind.Code, " FROM "), (SqlTokenKind.QuotedIdentifier, "\"t\n\""),
            (SqlTokenKind.Semicolon, ";"), (SqlTokenKind.Code, "\n"), (SqlTokenKind.String, "'open"),
        ], text.Tokens.Select(t => (t.Kind, text[t])));
        Assert.Equal(SqlTokenKind.String, text.OpenAtEnd);
        Assert.False(text.IsClosed(text.Tokens[^1]));
        Assert.True(text.IsClosed(text.Tokens[1]));
    }

    [Fact]
    public void String_values_are_read_with_their_escapes_from_strings_and_dollar_quotes_only()
    {
        var text = SqlLexer.Tokenize("""
            'it''s' || E'a\'b\n\x41\101\u00e9\U0001F600\q' || U&'\0041\+01F600\\' || "q'uoted" -- don't
            || $$it's$$ /* it's */ || e'\\' || 'x
            y'
            """);

        Assert.Equal(["it's", "a'b\nAAé😀q", "A😀\\", "it's", "\\", "x\ny"], text.StringValues());
    }

    [Fact]
    public void Names_are_folded_as_PostgreSQL_folds_them_and_quoted_ones_are_read_exactly()
    {
        var text = SqlLexer.Tokenize(""""
            SELECT "Odd ""x""", Price, t.col_1, U&"a\000Ab", $1, 2.5e3, a$b FROM t -- Comment
            WHERE x = 'Word' AND $$Body$$ = 'y' /* Note */
            """");

        Assert.Equal(["select", "Odd \"x\"", "price", "t", "col_1", "a\nb", "a$b", "from", "t", "where", "x", "and"], text.Names());
    }

    [Theory]
    [InlineData("(a)", 0, 2)]
    [InlineData("(a || ')' || \"b)\" || $$)$$ || E'\\')' /* ) */)", 0, 44)]
    [InlineData("f((a), (b))", 1, 10)]
    [InlineData("(a || ')'", 0, -1)]
    public void The_closing_parenthesis_is_found_counting_only_parentheses_in_code(string sql, int open, int close) =>
        Assert.Equal(close, SqlLexer.Tokenize(sql).ClosingParenthesis(open));

    [Theory]
    [InlineData("a\n  --> statement-breakpoint  \nb", true)]
    [InlineData("x --> statement-breakpoint", true)]
    [InlineData("a\n -- strata:no-transaction", true)]
    [InlineData("'--> statement-breakpoint'", false)]
    [InlineData("a -- strata:no-transaction", false)]
    public void A_line_that_a_migration_file_reads_as_a_directive_is_found_wherever_it_stands(string text, bool found) =>
        Assert.Equal(found, SqlLexer.HasDirectiveLine(text));
}
