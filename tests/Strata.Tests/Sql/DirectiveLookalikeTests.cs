using Strata.Dsl;
using Strata.Postgres.Sql;
using static Strata.Tests.Sql.MigrationSql;

namespace Strata.Tests.Sql;

public class DirectiveLookalikeTests
{
    [Theory]
    [InlineData("first\n--> statement-breakpoint\nsecond", @"E'first\n--> statement-breakpoint\nsecond'")]
    [InlineData("a\n  -- strata:no-transaction", @"E'a\n  -- strata:no-transaction'")]
    [InlineData("it's\\n\r\n--> statement-breakpoint", @"E'it''s\\n\r\n--> statement-breakpoint'")]
    [InlineData("x --> statement-breakpoint\ny", @"E'x --> statement-breakpoint\ny'")]
    public void A_string_with_a_line_that_reads_as_a_directive_is_written_on_one_line_in_escape_form(string text, string literal)
    {
        Assert.Equal(literal, SqlIdentifier.Literal(text));
        Assert.DoesNotContain('\n', literal);
    }

    [Theory]
    [InlineData("plain", "'plain'")]
    [InlineData("two\nlines -- strata: in the middle", "'two\nlines -- strata: in the middle'")]
    [InlineData("back\\slash", "'back\\slash'")]
    public void Other_strings_keep_the_standard_form(string text, string literal) =>
        Assert.Equal(literal, SqlLiteral.Quote(text));

    [Fact]
    public void An_escape_form_default_reads_back_as_its_text() =>
        Assert.Equal("a\n--> statement-breakpoint\\", SqlLiteral.TryReadString(SqlLiteral.Quote("a\n--> statement-breakpoint\\")));

    [Fact]
    public void A_comment_holding_a_breakpoint_line_is_written_in_escape_form()
    {
        var sql = Up(
            db => db.Table("t", t => t.Column("a", Types.Integer)),
            db => db.Table("t", t => t.Column("a", Types.Integer)).Comment("first\n--> statement-breakpoint\nsecond"));

        Assert.Equal("""
            COMMENT ON TABLE "public"."t" IS E'first\n--> statement-breakpoint\nsecond';
            """, sql);
    }

    [Fact]
    public void A_view_query_with_a_directive_line_is_refused_naming_the_view()
    {
        var error = Assert.Throws<MigrationTextException>(() => Up(Empty,
            db => db.View("v", "SELECT 1\n-- strata:no-transaction\n")));

        Assert.Contains("View public.v", error.Message);
        Assert.Contains("-- strata:", error.Message);
    }
}
