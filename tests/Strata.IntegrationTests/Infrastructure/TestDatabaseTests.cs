using Npgsql;

namespace Strata.IntegrationTests.Infrastructure;

public sealed class TestDatabaseTests(PostgresFixture fixture) : IClassFixture<PostgresFixture>
{
    [Fact]
    public async Task Each_test_database_has_a_unique_name_and_is_dropped_on_dispose_even_with_connections_open()
    {
        var first = await fixture.CreateDatabaseAsync("Orders Test");
        var second = await fixture.CreateDatabaseAsync("Orders Test");
        Assert.NotEqual(first.Name, second.Name);
        Assert.StartsWith("orders_test_", first.Name);

        await using (var open = new NpgsqlConnection(first.ConnectionString))
        {
            await open.OpenAsync();
            await first.DisposeAsync();
        }
        await second.DisposeAsync();

        await using var admin = new NpgsqlConnection(fixture.ConnectionString);
        await admin.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT count(*) FROM pg_database WHERE datname = ANY($1)", admin);
        command.Parameters.Add(new NpgsqlParameter { Value = new[] { first.Name, second.Name } });
        Assert.Equal(0L, await command.ExecuteScalarAsync());
    }

    [Fact]
    public async Task A_database_created_with_a_script_has_run_it_and_the_helpers_read_it()
    {
        await using var database = await fixture.CreateDatabaseAsync("helpers", """
            CREATE SCHEMA "Billing";
            CREATE TABLE "Billing"."Invoice" (id int PRIMARY KEY, "Total" numeric);
            INSERT INTO "Billing"."Invoice" VALUES (1, 10), (2, 20);
            """);

        Assert.Equal(2, await database.CountRowsAsync(new Strata.Model.QualifiedName("Billing", "Invoice")));
        Assert.True(await database.TableExistsAsync(new Strata.Model.QualifiedName("Billing", "Invoice")));
        Assert.False(await database.TableExistsAsync(new Strata.Model.QualifiedName("public", "Invoice")));
        Assert.Equal(["id", "Total"], await database.ColumnNamesAsync(new Strata.Model.QualifiedName("Billing", "Invoice")));
        Assert.Equal(30m, await database.ScalarAsync<decimal>("""SELECT sum("Total") FROM "Billing"."Invoice" """));
    }

    [Fact]
    public async Task A_database_can_be_cloned_from_a_template_database()
    {
        await using var template = await fixture.CreateDatabaseAsync("template", "CREATE TABLE seeded (v int); INSERT INTO seeded VALUES (7);");
        await template.DataSource.DisposeAsync(); // a template must have no open connections while it is copied
        NpgsqlConnection.ClearAllPools();
        await using var clone = await fixture.CloneDatabaseAsync(template.Name);
        Assert.Equal(7, await clone.ScalarAsync<int>("SELECT v FROM seeded"));
    }

    [Fact]
    public async Task A_template_is_built_once_and_each_clone_is_a_separate_copy()
    {
        var builds = 0;
        var key = "orders_" + Guid.NewGuid().ToString("N")[..6];
        Task Build(Strata.Testing.TestDatabase database, CancellationToken ct)
        {
            Interlocked.Increment(ref builds);
            return database.ExecuteAsync("CREATE TABLE orders (id int); INSERT INTO orders VALUES (1), (2);", ct);
        }

        var templates = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => Strata.Testing.PostgresTestServer.GetTemplateAsync(key, Build)));
        Assert.Equal(1, builds);
        Assert.Single(templates.Distinct());

        await using var first = await templates[0].CloneAsync("clone");
        await using var second = await templates[0].CloneAsync("clone");
        await first.ExecuteAsync("DELETE FROM orders");
        Assert.Equal(0, await first.CountRowsAsync("orders"));
        Assert.Equal(2, await second.CountRowsAsync("orders"));

        await templates[0].DisposeAsync();
        await using var admin = new NpgsqlConnection(fixture.ConnectionString);
        await admin.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT count(*) FROM pg_database WHERE datname = $1", admin);
        command.Parameters.Add(new NpgsqlParameter { Value = templates[0].Name });
        Assert.Equal(0L, await command.ExecuteScalarAsync());
    }
}
