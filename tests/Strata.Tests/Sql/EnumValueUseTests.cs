using Strata.Diffing;
using Strata.Dsl;
using static Strata.Tests.Sql.MigrationSql;

namespace Strata.Tests.Sql;

public class EnumValueUseTests
{
    [Fact]
    public void String_literals_include_escaped_quotes_and_array_elements()
    {
        var literals = DiffRun.StringLiterals("""'it''s' || E'a\'b' = ANY('{happy, "very sad",{x}}'::mood[]) AND "q'uoted" = 'z'""");

        Assert.Contains("it's", literals);
        Assert.Contains("a'b", literals);
        Assert.Contains("happy", literals);
        Assert.Contains("very sad", literals);
        Assert.Contains("x", literals);
        Assert.Contains("z", literals);
        Assert.DoesNotContain("uoted", literals);
        Assert.DoesNotContain("sad", literals);
    }

    // Read by the SQL lexer: every form of string constant with its escapes, and nothing from a comment.
    [Fact]
    public void String_literals_are_read_in_every_form_PostgreSQL_has_and_not_from_comments()
    {
        var literals = DiffRun.StringLiterals("""E'\'' || E'\x41\u00e9' || U&'\0073ad' || $$dollar$$ || $t$tagged$t$ /* 'commented' */ -- 'lined'""");

        Assert.Equal(["'", "Aé", "dollar", "sad", "tagged"], literals.Order(StringComparer.Ordinal));
        Assert.DoesNotContain("commented", literals);
        Assert.DoesNotContain("lined", literals);
    }

    [Fact]
    public void A_new_value_used_in_an_array_default_re_creates_the_enum_instead_of_adding_the_value()
    {
        var sql = Up(
            db =>
            {
                var mood = db.Enum("mood", "sad", "ok");
                db.Table("people", t => t.Column("moods", Types.ArrayOf(mood)));
            },
            db =>
            {
                var mood = db.Enum("mood", "sad", "ok", "happy");
                db.Table("people", t => t.Column("moods", Types.ArrayOf(mood)).DefaultSql("'{happy}'"));
            });

        Assert.DoesNotContain("ADD VALUE", sql);
        Assert.Contains("""CREATE TYPE "public"."mood" AS ENUM ('sad', 'ok', 'happy');""", sql);
    }

    [Fact]
    public void A_new_value_only_inside_a_longer_literal_is_added_in_place()
    {
        var sql = Up(
            db =>
            {
                var mood = db.Enum("mood", "sad", "ok");
                db.Table("people", t => t.Column("mood", mood));
            },
            db =>
            {
                var mood = db.Enum("mood", "sad", "ok", "happy");
                db.Table("people", t =>
                {
                    t.Column("mood", mood);
                    t.Column("note", Types.Text).DefaultSql("'happy days'");
                });
            });

        Assert.Contains("""ALTER TYPE "public"."mood" ADD VALUE 'happy';""", sql);
    }
}
