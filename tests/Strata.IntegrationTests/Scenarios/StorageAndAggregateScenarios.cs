using Strata.Dsl;

namespace Strata.IntegrationTests.Scenarios;

/// <summary>Storage parameters of tables and indexes, view options changed in place, and aggregates, up and down on PostgreSQL.</summary>
public sealed class StorageAndAggregateScenarios(ScenarioFixture fixture) : ScenarioTests(fixture)
{
    private static Action<SchemaBuilder> Items(string? fillfactor, string? dedup, bool toast) => db =>
        db.Table("items", t =>
        {
            t.Column("id", Types.Integer).PrimaryKey();
            t.Column("owner", Types.Text);
            if (fillfactor is not null)
                t.With("fillfactor", fillfactor);
            if (toast)
                t.With("toast.autovacuum_enabled", "false");
            var index = t.Index(IndexKey.Column("owner").OperatorClass("text_pattern_ops")).Where("owner IS NOT NULL");
            if (dedup is not null)
                index.With("deduplicate_items", dedup);
        });

    [Fact]
    public Task Creating_tables_and_indexes_with_storage_parameters() => RoundTripAsync(_ => { }, Items("70", "off", toast: true));

    [Fact]
    public Task Changing_storage_parameters_in_place() => RoundTripAsync(Items("70", "off", toast: false), Items("50", null, toast: true));

    [Fact]
    public Task Changing_view_options_in_place_under_a_view_that_reads_it() => RoundTripAsync(
        db =>
        {
            db.Table("orders", t => t.Column("id", Types.Integer).PrimaryKey());
            db.View("own", "SELECT id FROM orders WHERE id > 0").With("security_barrier", "true");
            db.View("own_big", "SELECT id FROM own WHERE id > 100");
            db.MaterializedView("counted", "SELECT count(*) AS n FROM orders", v => v.Index("n").With("fillfactor", "60")).With("fillfactor", "50");
        },
        db =>
        {
            db.Table("orders", t => t.Column("id", Types.Integer).PrimaryKey());
            db.View("own", "SELECT id FROM orders WHERE id > 0").With("check_option", "cascaded");
            db.View("own_big", "SELECT id FROM own WHERE id > 100");
            db.MaterializedView("counted", "SELECT count(*) AS n FROM orders", v => v.Index("n").With("fillfactor", "80"));
        });

    private static Action<SchemaBuilder> Aggregates(string state, string initial, string widenedType) => db =>
    {
        db.Function("product_step", f => f.Argument(state, Types.DoublePrecision).Argument("value", Types.DoublePrecision)
            .Returns(Types.DoublePrecision).Language("sql").Immutable().Body($"SELECT {state} * value"));
        db.Aggregate("product(double precision)", $"SFUNC = product_step, STYPE = double precision, INITCOND = '{initial}'").Comment("multiplies");
        db.Aggregate("widened(integer)", widenedType == "integer" ? "SFUNC = int4pl, STYPE = integer" : "SFUNC = int4_sum, STYPE = bigint");
        db.Table("readings", t => t.Column("value", Types.DoublePrecision));
        db.View("reading_product", "SELECT product(value) AS p FROM readings");
    };

    [Fact]
    public Task Creating_aggregates_used_by_a_view() => RoundTripAsync(_ => { }, Aggregates("state", "1", "integer"));

    [Fact]
    public Task Replacing_an_aggregate_in_place_and_re_creating_one_with_a_new_state_type() =>
        RoundTripAsync(Aggregates("state", "1", "integer"), Aggregates("state", "2", "bigint"));

    [Fact]
    public Task Re_creating_the_function_of_an_aggregate_used_by_a_view() =>
        RoundTripAsync(Aggregates("state", "1", "integer"), Aggregates("acc", "1", "integer"));
}
