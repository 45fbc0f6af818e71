using Strata.Diffing;
using Strata.Dsl;
using Strata.IntegrationTests.Infrastructure;
using Strata.Model;
using Strata.Postgres.Introspection;
using Strata.Postgres.Sql;
using Strata.Testing;

namespace Strata.IntegrationTests.Introspection;

/// <summary>
/// Indexes on materialized views against PostgreSQL: a schema built from its generated SQL reads back as
/// the same model, and so do the next change and its down script.
/// </summary>
public sealed class MaterializedViewIndexRoundTripTests(PostgresFixture fixture) : IClassFixture<PostgresFixture>
{
    private static DatabaseModel Schema(string query, Action<ViewBuilder> indexes)
    {
        var db = new SchemaBuilder();
        db.Table("orders", t =>
        {
            t.Column("id", Types.Integer).PrimaryKey();
            t.Column("customer", Types.Text).NotNull();
            t.Column("total", Types.Numeric(10, 2)).NotNull();
        });
        var reports = db.Schema("reports");
        reports.MaterializedView("totals", query, indexes);
        return db.Build();
    }

    private static readonly DatabaseModel A = Schema(
        "SELECT customer, sum(total) AS total, count(*) AS n FROM orders GROUP BY customer",
        v =>
        {
            v.Index("customer").Unique();
            v.Index(IndexKey.Expression("lower(customer)").Desc()).Where("n > 1");
            v.Index("total").Include("n");
        });

    // Adds an index, drops one, changes the query (so the view and all its indexes are created again).
    private static readonly DatabaseModel B = Schema(
        "SELECT customer, count(*) AS n, max(total) AS top FROM orders GROUP BY customer",
        v =>
        {
            v.Index("customer").Unique().Concurrently();
            v.Index(IndexKey.Expression("lower(customer)").Desc()).Where("n > 1");
            v.Index("n", "top").Named("totals_by_size");
        });

    /// <summary>Reads the database; the view's query as PostgreSQL prints it is replaced by the schema's, the rest must be equal.</summary>
    private static async Task AssertReadsBackAsAsync(TestDatabase database, DatabaseModel expected, string step)
    {
        await using var connection = await database.OpenConnectionAsync();
        var read = await PostgresIntrospector.ReadAsync(connection);
        var declared = expected.Views.Single();
        var view = read.FindView(declared.QualifiedName);
        Assert.True(view is not null, $"{step}: the materialized view is missing");
        Assert.True(view.Materialized, step);
        // CONCURRENTLY is how an index is built, not something the catalog keeps.
        Assert.Equal(declared.Indexes.Select(i => i with { Concurrently = false }), view.Indexes);
        Assert.Equal(expected with { Views = [] }, read with { Views = [] });
        Assert.Equal(declared with { Definition = "", Indexes = [] }, view with { Definition = "", Indexes = [] });
    }

    private static async Task ApplyAsync(TestDatabase database, DatabaseModel from, DatabaseModel to)
    {
        foreach (var statement in PostgresSqlGenerator.Generate(SchemaDiffer.Diff(from, to, RenameDecisions.None)))
            await database.ExecuteAsync(statement.Sql);
    }

    [Fact]
    public async Task A_materialized_view_with_indexes_reads_back_equal_after_create_change_and_down()
    {
        await using var database = await fixture.CreateDatabaseAsync("matview_indexes");

        await ApplyAsync(database, DatabaseModel.Empty, A);
        await AssertReadsBackAsAsync(database, A, "created from A");

        // The unique index is what REFRESH ... CONCURRENTLY needs.
        await database.ExecuteAsync("INSERT INTO orders VALUES (1, 'Ada', 10), (2, 'Ada', 5), (3, 'Bob', 1)");
        await database.ExecuteAsync("REFRESH MATERIALIZED VIEW CONCURRENTLY reports.totals");
        Assert.Equal(2L, await database.ScalarAsync<long>("SELECT count(*) FROM reports.totals"));

        await ApplyAsync(database, A, B);
        await AssertReadsBackAsAsync(database, B, "migrated A→B");
        Assert.Equal(
            ["totals_by_size", "totals_customer_idx", "totals_expr_idx"],
            (await database.QueryAsync("SELECT indexname::text FROM pg_indexes WHERE schemaname = 'reports' AND tablename = 'totals' ORDER BY 1")).Select(r => (string)r[0]!));

        await ApplyAsync(database, B, A);
        await AssertReadsBackAsAsync(database, A, "down B→A");
    }

    [Fact]
    public async Task Adding_and_dropping_an_index_on_an_unchanged_materialized_view_keeps_the_view_and_its_rows()
    {
        const string query = "SELECT customer, count(*) AS n FROM orders GROUP BY customer";
        var before = Schema(query, v => v.Index("customer").Unique());
        var after = Schema(query, v => v.Index("n").Where("n > 1"));
        await using var database = await fixture.CreateDatabaseAsync("matview_index_change");
        await ApplyAsync(database, DatabaseModel.Empty, before);
        await database.ExecuteAsync("INSERT INTO orders VALUES (1, 'Ada', 10)");
        await database.ExecuteAsync("REFRESH MATERIALIZED VIEW reports.totals");
        var oid = await database.ScalarAsync<long>("SELECT 'reports.totals'::regclass::oid::int8");

        await ApplyAsync(database, before, after);

        await AssertReadsBackAsAsync(database, after, "indexes changed");
        // The same view, not a re-created one: its rows are still there without a refresh.
        Assert.Equal(oid, await database.ScalarAsync<long>("SELECT 'reports.totals'::regclass::oid::int8"));
        Assert.Equal(1L, await database.ScalarAsync<long>("SELECT count(*) FROM reports.totals"));

        await ApplyAsync(database, after, before);
        await AssertReadsBackAsAsync(database, before, "down");
    }
}
