using Strata.IntegrationTests.Infrastructure;
using Strata.Model;

namespace Strata.IntegrationTests.Cli;

[Collection(CliCollection.Name)]
public sealed class ResetTests(BuiltSample sample, PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    [Fact]
    public async Task Reset_drops_an_edited_table_and_its_data_and_recreates_exactly_the_migrated_schema()
    {
        using var copy = sample.CreateCopy();
        await using var database = await postgres.CreateDatabaseAsync("cli_reset");
        await copy.MigrateInitAsync(database);
        var migrated = await database.SchemaLinesAsync();
        await database.AddUserAsync();
        await database.ExecuteAsync("""
            CREATE COLLATION scratch_order (locale = 'C');
            ALTER TABLE users ADD COLUMN nickname text COLLATE scratch_order;
            DROP VIEW open_items;
            CREATE TABLE scratch (id int);
            CREATE TYPE mood AS ENUM ('ok');
            CREATE FUNCTION twice(int) RETURNS int LANGUAGE sql AS 'SELECT $1 * 2';
            """);
        Assert.NotEqual(migrated, await database.SchemaLinesAsync());

        var result = await copy.RunAsync(database, "reset");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("Dropped the schema public with all its data and the tracking table strata.__strata_migrations", result.Stdout);
        Assert.Contains("applied 0000_init", result.Stdout);
        Assert.Equal(migrated, await database.SchemaLinesAsync());
        Assert.Equal(0L, await database.CountRowsAsync("public.users"));
        Assert.False(await database.TableExistsAsync(new QualifiedName("public", "scratch")));
        Assert.Equal(0L, await database.ScalarAsync<long>("SELECT count(*) FROM pg_proc WHERE proname = 'twice'"));
        Assert.Equal(0L, await database.ScalarAsync<long>("SELECT count(*) FROM pg_collation WHERE collname = 'scratch_order'"));
        Assert.Equal(["0000_init"], await database.TrackedIdsAsync());
    }

    [Fact]
    public async Task Reset_leaves_other_schemas_and_their_data_alone()
    {
        using var copy = sample.CreateCopy();
        await using var database = await postgres.CreateDatabaseAsync("cli_reset_other");
        await copy.MigrateInitAsync(database);
        await database.ExecuteAsync("CREATE SCHEMA audit; CREATE TABLE audit.events (id int); INSERT INTO audit.events VALUES (1), (2);");

        var result = await copy.RunAsync(database, "reset", "--json");

        Assert.True(result.ExitCode == 0, result.ToString());
        var json = result.Json();
        Assert.Equal(["public"], json.GetProperty("droppedSchemas").EnumerateArray().Select(s => s.GetString()));
        Assert.Equal("0000_init", json.GetProperty("applied")[0].GetProperty("id").GetString());
        Assert.Equal(2L, await database.CountRowsAsync("audit.events"));
    }

    [Fact]
    public async Task Reset_refuses_before_dropping_anything_when_the_migrations_would_not_apply()
    {
        using var copy = sample.CreateCopy();
        await using var database = await postgres.CreateDatabaseAsync("cli_reset_refused");
        await copy.MigrateInitAsync(database);
        await database.AddUserAsync();
        await File.AppendAllTextAsync(Path.Combine(copy.MigrationsDirectory, "0000_init", "up.sql"), "\nSELECT 1;\n");

        var result = await copy.RunAsync(database, "reset");

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains("strata.sum", result.Stderr);
        Assert.Equal(1L, await database.CountRowsAsync("public.users"));
        Assert.Equal(["0000_init"], await database.TrackedIdsAsync());
    }

    [Fact]
    public async Task Reset_with_seed_migrates_again_and_then_seeds()
    {
        using var copy = sample.CreateCopy();
        copy.WriteConfig("\"seed\": \"db/seeds\"");
        copy.WriteSeedFile("01_users.sql", "INSERT INTO users (email, display_name) VALUES ('a@example.com', 'A'), ('b@example.com', 'B');\n");
        await using var database = await postgres.CreateDatabaseAsync("cli_reset_seed");
        await copy.MigrateInitAsync(database);
        await database.AddUserAsync("old@example.com");

        var result = await copy.RunAsync(database, "reset", "--seed");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.True(result.Stdout.Contains("Seeded development: 2 rows into public.users.", StringComparison.Ordinal), result.ToString());
        Assert.Equal(["a@example.com", "b@example.com"], (await database.QueryAsync("SELECT email FROM users ORDER BY email")).Select(r => (string)r[0]!));
    }
}
