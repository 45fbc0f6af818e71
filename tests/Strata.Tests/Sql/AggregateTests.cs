using Strata.Diffing;
using Strata.Dsl;
using Strata.Model;
using static Strata.Tests.Sql.MigrationSql;

namespace Strata.Tests.Sql;

public class AggregateTests
{
    private const string ProductDefinition = "SFUNC = product_step, STYPE = double precision, INITCOND = '1'";

    private static void Step(SchemaBuilder db, string state = "state") =>
        db.Function("product_step", f => f.Argument(state, Types.DoublePrecision).Argument("value", Types.DoublePrecision)
            .Returns(Types.DoublePrecision).Language("sql").Immutable().Body($"SELECT {state} * value"));

    private static Action<SchemaBuilder> Schema(string definition = ProductDefinition, string state = "state", string? comment = null, bool view = false) => db =>
    {
        Step(db, state);
        var aggregate = db.Aggregate("product(double precision)", definition);
        if (comment is not null)
            aggregate.Comment(comment);
        if (view)
        {
            db.Table("readings", t => t.Column("value", Types.DoublePrecision));
            db.View("reading_product", "SELECT product(value) AS p FROM readings");
        }
    };

    [Fact]
    public void An_aggregate_is_created_after_its_function_with_its_comment_and_dropped_before_it()
    {
        var create = Up(Empty, Schema(comment: "multiplies"));
        var drop = Up(Schema(comment: "multiplies"), Empty);

        Assert.Contains("""
            CREATE AGGREGATE "public"."product"(double precision) (SFUNC = product_step, STYPE = double precision, INITCOND = '1');
            COMMENT ON AGGREGATE "public"."product"(double precision) IS 'multiplies';
            """, create);
        Assert.True(create.IndexOf("CREATE FUNCTION", StringComparison.Ordinal) < create.IndexOf("CREATE AGGREGATE", StringComparison.Ordinal));
        Assert.True(drop.IndexOf("""DROP AGGREGATE "public"."product"(double precision);""", StringComparison.Ordinal) >= 0);
        Assert.True(drop.IndexOf("DROP AGGREGATE", StringComparison.Ordinal) < drop.IndexOf("DROP FUNCTION", StringComparison.Ordinal));
    }

    [Fact]
    public void A_definition_that_keeps_the_result_type_is_replaced_in_place_and_a_comment_set_in_place()
    {
        Assert.Equal("""
            CREATE OR REPLACE AGGREGATE "public"."product"(double precision) (SFUNC = product_step, STYPE = double precision, INITCOND = '2');
            """, Up(Schema(view: true), Schema("SFUNC = product_step, STYPE = double precision, INITCOND = '2'", view: true)));
        Assert.Equal("""COMMENT ON AGGREGATE "public"."product"(double precision) IS 'x';""", Up(Schema(), Schema(comment: "x")));
        Assert.Equal("", Up(Schema(view: true), Schema(view: true)));
    }

    [Fact]
    public void A_new_state_type_drops_and_creates_the_aggregate_again_with_the_view_that_uses_it()
    {
        var sql = Up(Schema(view: true), Schema("SFUNC = product_step, STYPE = double precision, FINALFUNC = round", view: true));

        AssertInOrder(sql, "DROP VIEW \"public\".\"reading_product\"", "DROP AGGREGATE", "CREATE AGGREGATE", "CREATE VIEW \"public\".\"reading_product\"");
        Assert.False(DiffRun.CanReplaceAggregate(new Aggregate("p", "a", "integer", "SFUNC = f, STYPE = integer"), new Aggregate("p", "a", "integer", "SFUNC = f, STYPE = bigint")));
        Assert.True(DiffRun.CanReplaceAggregate(new Aggregate("p", "a", "integer", "SFUNC = f, STYPE = integer"), new Aggregate("p", "a", "integer", "SFUNC = g, STYPE = integer, INITCOND = '0'")));
    }

    [Fact]
    public void A_re_created_function_re_creates_the_aggregate_over_it_and_the_view_that_uses_it()
    {
        var sql = Up(Schema(view: true), Schema(state: "acc", view: true));

        AssertInOrder(sql, "DROP VIEW", "DROP AGGREGATE", "DROP FUNCTION", "CREATE FUNCTION", "CREATE AGGREGATE", "CREATE VIEW");
    }

    [Fact]
    public void Aggregates_are_kept_in_snapshots_only_when_declared_and_written_back_by_pull()
    {
        var model = Build(db =>
        {
            Schema(comment: "multiplies")(db);
            db.Schema("billing").Aggregate("row_total(*)", "SFUNC = int8inc, STYPE = bigint, INITCOND = '0'");
            db.Aggregate("pct(double precision ORDER BY anyelement)", "SFUNC = ordered_set_transition, STYPE = internal, FINALFUNC = percentile_disc_final, FINALFUNC_EXTRA");
        });

        Assert.Equal(["row_total(*)", "pct(double precision ORDER BY anyelement)", "product(double precision)"], model.Aggregates.Select(a => a.Signature));
        Assert.Equal(["billing.row_total()", "public.pct(double precision,anyelement)", "public.product(double precision)"], model.Aggregates.Select(a => a.Key.ToString()));
        AssertSnapshotNamesOnlyWhenUsed(model, model with { Aggregates = [] }, "aggregates");
        Assert.Equal(model, Strata.Tests.CodeGeneration.GeneratedSchemas.RoundTrip([model]).Single());
    }

    [Fact]
    public void An_aggregate_without_sfunc_or_stype_or_hypothetical_without_order_by_is_refused_naming_the_remedy()
    {
        var error = Assert.Throws<SchemaValidationException>(() => Build(db =>
        {
            db.Aggregate("a(integer)", "STYPE = integer");
            db.Aggregate("b(integer)", "SFUNC = int4pl");
            db.Aggregate("c(integer)", "SFUNC = int4pl, STYPE = integer, HYPOTHETICAL");
        }));

        Assert.Contains("aggregate public.a(integer): has no SFUNC", error.Message);
        Assert.Contains("aggregate public.b(integer): has no STYPE", error.Message);
        Assert.Contains("aggregate public.c(integer): is HYPOTHETICAL without ORDER BY arguments", error.Message);
    }

    private static void AssertInOrder(string sql, params string[] parts)
    {
        var at = 0;
        foreach (var part in parts)
        {
            var found = sql.IndexOf(part, at, StringComparison.Ordinal);
            Assert.True(found >= 0, $"'{part}' does not follow in:\n{sql}");
            at = found + part.Length;
        }
    }
}
