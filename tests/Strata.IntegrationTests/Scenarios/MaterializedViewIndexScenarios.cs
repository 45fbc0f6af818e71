using Strata.Diffing;
using Strata.Dsl;
using Strata.Model;

namespace Strata.IntegrationTests.Scenarios;

/// <summary>Indexes on materialized views: each change migrated, compared with a database built fresh, and rolled back.</summary>
public sealed class MaterializedViewIndexScenarios(ScenarioFixture fixture) : ScenarioTests(fixture)
{
    private const string Totals = "SELECT customer, sum(total) AS total, count(*) AS n FROM orders GROUP BY customer";

    private static void Orders(TableBuilder t)
    {
        t.Column("id", Types.Integer).PrimaryKey();
        t.Column("customer", Types.Text).NotNull();
        t.Column("total", Types.Numeric(10, 2)).NotNull();
    }

    private static Action<SchemaBuilder> WithTotals(string query, Action<ViewBuilder> indexes) => db =>
    {
        db.Table("orders", Orders);
        db.MaterializedView("totals", query, indexes);
    };

    [Fact]
    public Task Creating_a_materialized_view_with_a_unique_an_expression_and_a_partial_index() => RoundTripAsync(
        db => db.Table("orders", Orders),
        WithTotals(Totals, v =>
        {
            v.Index("customer").Unique();
            v.Index(IndexKey.Expression("lower(customer)").Desc().NullsLast());
            v.Index("total").Include("n").Where("n > 1");
        }));

    [Fact]
    public Task Adding_dropping_and_changing_indexes_of_an_unchanged_materialized_view() => RoundTripAsync(
        WithTotals(Totals, v =>
        {
            v.Index("customer").Unique();
            v.Index("n");
            v.Index("total");
        }),
        WithTotals(Totals, v =>
        {
            v.Index("customer").Unique().NullsNotDistinct();
            v.Index("total").Where("n > 1");
            v.Index(IndexKey.Expression("lower(customer)")).Using("hash");
        }));

    [Fact]
    public Task Renaming_an_index_of_a_materialized_view() => RoundTripAsync(
        WithTotals(Totals, v => v.Index("customer").Unique()),
        WithTotals(Totals, v => v.Index("customer").Unique().Named("totals_by_customer")));

    [Fact]
    public async Task Changing_the_query_of_a_materialized_view_creates_its_indexes_again()
    {
        var result = await RoundTripAsync(
            WithTotals(Totals, v =>
            {
                v.Index("customer").Unique();
                v.Index("total");
            }),
            WithTotals("SELECT customer, count(*) AS n FROM orders GROUP BY customer", v =>
            {
                v.Index("customer").Unique();
                v.Index("n").Where("n > 1");
            }));

        Assert.DoesNotContain(result.Up, s => s.Sql.StartsWith("DROP INDEX", StringComparison.Ordinal));
        Assert.Contains(result.Down, s => s.Sql.StartsWith("CREATE INDEX \"totals_total_idx\"", StringComparison.Ordinal));
    }

    [Fact]
    public Task Retyping_a_column_a_materialized_view_with_indexes_reads() => RoundTripAsync(
        WithTotals(Totals, v => v.Index("customer").Unique()),
        db =>
        {
            db.Table("orders", t =>
            {
                t.Column("id", Types.Integer).PrimaryKey();
                t.Column("customer", Types.Varchar(200)).NotNull();
                t.Column("total", Types.Numeric(12, 2)).NotNull();
            });
            db.MaterializedView("totals", Totals, v => v.Index("customer").Unique());
        });

    [Fact]
    public async Task A_unique_index_on_a_materialized_view_created_concurrently_runs_outside_a_transaction()
    {
        var result = await RoundTripAsync(
            WithTotals(Totals, _ => { }),
            WithTotals(Totals, v => v.Index("customer").Unique().Concurrently()));

        Assert.Contains(result.Up, s => s.Sql.StartsWith("CREATE UNIQUE INDEX CONCURRENTLY \"totals_customer_idx\" ON \"public\".\"totals\"", StringComparison.Ordinal) && !s.Transactional);
        Assert.Contains(result.Down, s => s.Sql == "DROP INDEX CONCURRENTLY \"public\".\"totals_customer_idx\";" && !s.Transactional);
    }

    [Fact]
    public Task Moving_a_materialized_view_with_indexes_to_a_renamed_schema() => RoundTripAsync(
        db =>
        {
            db.Table("orders", Orders);
            db.Schema("reports").MaterializedView("totals", Totals, v => v.Index("customer").Unique());
        },
        db =>
        {
            db.Table("orders", Orders);
            db.Schema("reporting").MaterializedView("totals", Totals, v =>
            {
                v.Index("customer").Unique().Named("totals_customer_key");
                v.Index("n");
            });
        },
        new RenameDecisions([new Rename(ObjectKind.Schema, "reports", "reporting")], []));
}
