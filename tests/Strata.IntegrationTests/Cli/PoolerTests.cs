using System.Text.Json.Nodes;
using Npgsql;
using Strata.IntegrationTests.Infrastructure;
using Strata.Testing;

namespace Strata.IntegrationTests.Cli;

/// <summary>migrate and rollback through a real PgBouncer: refused in transaction mode without directUrl, fine with it.</summary>
[Collection(CliCollection.Name)]
public sealed class PoolerTests(BuiltSample sample, PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    [Fact]
    public async Task Migrate_through_pgbouncer_in_transaction_mode_without_directUrl_stops_before_anything_runs_and_names_directUrl()
    {
        using var copy = sample.CreateCopy();
        await copy.AddThreeTablesAsync();
        await using var database = await postgres.CreateDatabaseAsync("pooler_refused");
        await using var bouncer = await PgBouncer.StartAsync(postgres.ConnectionString, "transaction");
        SetEnvironment(copy, new JsonObject { ["url"] = PooledUrl(bouncer, database) });

        var result = await copy.RunAsync("migrate");

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains($"127.0.0.1:{bouncer.Port}/{database.Name} (\"url\" of environment \"development\") goes through a transaction-mode pooler", result.Stderr);
        Assert.Contains("session-level advisory lock", result.Stderr);
        Assert.Contains("Set \"directUrl\" in the \"development\" environment of strata.json", result.Stderr);
        Assert.DoesNotContain("   at ", result.Output);
        Assert.False(await database.ScalarAsync<bool>("SELECT to_regclass('strata.__strata_migrations') IS NOT NULL"), "no tracking table may be created");
        Assert.Equal(0L, await database.ScalarAsync<long>("SELECT count(*) FROM pg_tables WHERE tablename IN ('a', 'b', 'c')"));
    }

    [Fact]
    public async Task A_pooled_connection_given_with_connection_is_refused_for_migrate_and_rollback_too()
    {
        using var copy = sample.CreateCopy();
        await copy.AddThreeTablesAsync();
        await using var database = await postgres.CreateDatabaseAsync("pooler_flag");
        await using var bouncer = await PgBouncer.StartAsync(postgres.ConnectionString, "transaction");

        var migrate = await copy.RunAsync("migrate", "--connection", PooledUrl(bouncer, database));
        var rollback = await copy.RunAsync("rollback", "--connection", PooledUrl(bouncer, database));

        foreach (var result in new[] { migrate, rollback })
        {
            Assert.True(result.ExitCode == 2, result.ToString());
            Assert.Contains("(--connection) goes through a transaction-mode pooler", result.Stderr);
            Assert.Contains("directUrl", result.Stderr);
        }
        Assert.Empty(await database.TrackedIdsAsync());
    }

    [Fact]
    public async Task With_directUrl_migrate_applies_through_the_server_and_the_pooled_url_reads_the_migrated_tables()
    {
        using var copy = sample.CreateCopy();
        await copy.AddThreeTablesAsync();
        await using var database = await postgres.CreateDatabaseAsync("pooler_direct_url");
        await using var bouncer = await PgBouncer.StartAsync(postgres.ConnectionString, "transaction");
        SetEnvironment(copy, new JsonObject { ["url"] = PooledUrl(bouncer, database), ["directUrl"] = DirectUrl(database) });

        var result = await copy.RunAsync("migrate");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("applied 0002_c", result.Stdout);
        Assert.Equal(["0000_a", "0001_b", "0002_c"], await database.TrackedIdsAsync());
        // What an application does: query through the pooler (Npgsql must not reset the session PgBouncer shares).
        var pooled = new NpgsqlConnectionStringBuilder(bouncer.ConnectionStringFor(postgres.ConnectionString, database.Name)) { NoResetOnClose = true };
        await using var dataSource = NpgsqlDataSource.Create(pooled);
        await using var insert = dataSource.CreateCommand("INSERT INTO c (id) VALUES (1), (2)");
        await insert.ExecuteNonQueryAsync();
        await using var count = dataSource.CreateCommand("SELECT count(*) FROM c");
        Assert.Equal(2L, await count.ExecuteScalarAsync());
    }

    [Fact]
    public async Task Migrate_through_pgbouncer_in_session_mode_is_not_refused()
    {
        using var copy = sample.CreateCopy();
        await copy.AddThreeTablesAsync();
        await using var database = await postgres.CreateDatabaseAsync("pooler_session_mode");
        await using var bouncer = await PgBouncer.StartAsync(postgres.ConnectionString, "session");
        SetEnvironment(copy, new JsonObject { ["url"] = PooledUrl(bouncer, database) });

        var result = await copy.RunAsync("migrate");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(["0000_a", "0001_b", "0002_c"], await database.TrackedIdsAsync());
    }

    internal static string PooledUrl(PgBouncer bouncer, TestDatabase database) =>
        $"postgres://{User(database)}@127.0.0.1:{bouncer.Port}/{database.Name}?sslmode=disable";

    internal static string DirectUrl(TestDatabase database)
    {
        var server = new NpgsqlConnectionStringBuilder(database.ConnectionString);
        var password = string.IsNullOrEmpty(server.Password) ? "" : ":" + Uri.EscapeDataString(server.Password);
        return $"postgres://{User(database)}{password}@{server.Host}:{server.Port}/{database.Name}?sslmode=disable";
    }

    /// <summary>Writes the development environment (the one chosen by default) into the copy's strata.json.</summary>
    internal static void SetEnvironment(SampleCopy copy, JsonObject environment)
    {
        var path = Path.Combine(copy.Directory, "strata.json");
        var config = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        config["environments"] = new JsonObject { ["development"] = environment };
        File.WriteAllText(path, config.ToJsonString());
    }

    private static string User(TestDatabase database) => Uri.EscapeDataString(new NpgsqlConnectionStringBuilder(database.ConnectionString).Username!);
}
