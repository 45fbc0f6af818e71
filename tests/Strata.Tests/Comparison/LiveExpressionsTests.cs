using Strata.Dsl;
using Strata.Model;
using Strata.Postgres.Comparison;
using static Strata.Tests.Sql.MigrationSql;

namespace Strata.Tests.Comparison;

/// <summary>
/// The drift check's fallback without a scratch database: a live expression that says what the snapshot's says,
/// as PostgreSQL prints it, takes the snapshot's text; one changed by hand stays as the database has it.
/// </summary>
public sealed class LiveExpressionsTests
{
    [Theory]
    [InlineData("status <> 'cancelled'", "(status <> 'cancelled'::text)")]
    [InlineData("length(code) > 2", "(length((code)::text) > 2)")]
    [InlineData("amount::numeric(10,2) > 0", "((amount)::numeric(10,2) > (0)::numeric)")]
    [InlineData("tags <> '{}'", "(tags <> '{}'::character varying(20)[])")]
    [InlineData("at > '2020-01-01'", "(at > '2020-01-01'::timestamp(3) with time zone)")]
    [InlineData("at > '2020-01-01'", "(at > '2020-01-01'::public.\"My Time\")")]
    [InlineData("STATUS <> 'cancelled'", "(status <> 'cancelled'::text)")]
    [InlineData("\"status\" <> 'cancelled'", "(status <> 'cancelled'::text)")]
    [InlineData("status <> 'cancelled' -- kept for old rows", "(status <> 'cancelled'::text)")]
    [InlineData("status /* open */ <> 'cancelled'", "(status <> 'cancelled'::text)")]
    [InlineData("note <> E'it\\'s'", "(note <> 'it''s'::text)")]
    public void A_check_PostgreSQL_prints_its_own_way_takes_the_snapshot_s_text(string expected, string live)
    {
        var aligned = LiveExpressions.Align(WithCheck(expected), WithCheck(live));

        Assert.Equal(expected, aligned.Tables[0].Checks[0].Expression);
    }

    // What a search of the text in lower case without white space and casts took for the same expression.
    [Theory]
    [InlineData("status <> 'Done'", "(status <> 'done'::text)")]
    [InlineData("note <> 'a b'", "(note <> 'ab'::text)")]
    [InlineData("note <> 'x::text'", "(note <> 'x'::text)")]
    [InlineData("note <> '(x)'", "(note <> 'x'::text)")]
    [InlineData("\"Status\" <> 'done'", "(status <> 'done'::text)")]
    public void A_check_changed_by_hand_in_a_string_or_a_quoted_name_stays_as_the_database_has_it(string expected, string live)
    {
        var aligned = LiveExpressions.Align(WithCheck(expected), WithCheck(live));

        Assert.Equal(live, aligned.Tables[0].Checks[0].Expression);
    }

    [Fact]
    public void A_view_whose_query_has_a_comment_PostgreSQL_dropped_takes_the_snapshot_s_text()
    {
        const string query = "SELECT id -- the key\nFROM orders /* all of them */";
        var expected = WithView(query);
        var live = WithView(" SELECT id\n   FROM orders;");

        var aligned = LiveExpressions.Align(expected, live);

        Assert.Equal(query, aligned.Views[0].Definition);
    }

    private static DatabaseModel WithCheck(string expression) => Build(db =>
        db.Table("orders", t =>
        {
            t.Column("id", Types.Integer);
            t.Check("orders_valid", expression);
        }));

    private static DatabaseModel WithView(string query) => Build(db =>
    {
        db.Table("orders", t => t.Column("id", Types.Integer));
        db.View("open_orders", query);
    });
}
