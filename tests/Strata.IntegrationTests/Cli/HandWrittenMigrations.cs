using System.Text.Json;
using Strata.IntegrationTests.Infrastructure;
using Strata.Model;
using Strata.Postgres.Migrations;
using Strata.Snapshots;
using Strata.Testing;

namespace Strata.IntegrationTests.Cli;

/// <summary>Hand-written migrations in a sample copy's folder, written the way <c>strata generate</c> does so that strata.sum stays right.</summary>
public static class HandWrittenMigrations
{
    /// <summary>Adds <paramref name="id"/> on top of the newest migration, with <paramref name="up"/> and <paramref name="down"/> as its scripts.</summary>
    public static async Task AddMigrationAsync(this SampleCopy copy, string id, string up, string down = "")
    {
        var directory = await MigrationDirectory.LoadAsync(copy.MigrationsDirectory);
        var parent = (await directory.LatestSnapshotAsync())?.Id;
        var snapshot = new Snapshot(Snapshot.ComputeId(parent, id, DatabaseModel.Empty), parent, DatabaseModel.Empty, default);
        await directory.WriteMigrationAsync(id, up, down, snapshot);
    }

    /// <summary>Three small migrations: tables a, b and c, each with a down script that drops it again.</summary>
    public static async Task AddThreeTablesAsync(this SampleCopy copy)
    {
        foreach (var table in new[] { "a", "b", "c" })
        {
            var index = table[0] - 'a';
            await copy.AddMigrationAsync($"000{index}_{table}", $"CREATE TABLE {table} (id int PRIMARY KEY);\n", $"DROP TABLE {table};\n");
        }
    }

    /// <summary>Runs <c>strata <paramref name="command"/> --connection &lt;database&gt; <paramref name="args"/></c> in the copy.</summary>
    public static Task<CliResult> RunAsync(this SampleCopy copy, TestDatabase database, string command, params string[] args) =>
        copy.RunAsync([command, "--connection", database.ConnectionString, .. args]);

    /// <summary>
    /// A database with 0000_a and 0002_c applied, and then 0001_b in the folder as a merged branch
    /// brings it: pending, but older than the newest applied migration.
    /// </summary>
    public static async Task AddOutOfOrderMigrationAsync(this SampleCopy copy, TestDatabase database)
    {
        await copy.AddMigrationAsync("0000_a", "CREATE TABLE a (id int PRIMARY KEY);\n");
        await copy.AddMigrationAsync("0002_c", "CREATE TABLE c (id int PRIMARY KEY);\n");
        var migrate = await copy.RunAsync(database, "migrate");
        Assert.True(migrate.ExitCode == 0, migrate.ToString());
        await copy.AddMigrationAsync("0001_b", "CREATE TABLE b (id int PRIMARY KEY);\n");
    }

    /// <summary>The ids in the tracking table, in order; empty when the table does not exist.</summary>
    public static async Task<string[]> TrackedIdsAsync(this TestDatabase database, string table = "strata.__strata_migrations")
    {
        if (!await database.ScalarAsync<bool>($"SELECT to_regclass('{table}') IS NOT NULL"))
            return [];
        return (await database.QueryAsync($"SELECT id FROM {table} ORDER BY id")).Select(row => (string)row[0]!).ToArray();
    }

    /// <summary>The one JSON document a <c>--json</c> run wrote to stdout.</summary>
    public static JsonElement Json(this CliResult result)
    {
        try
        {
            using var document = JsonDocument.Parse(result.Stdout);
            return document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            throw new Xunit.Sdk.XunitException($"stdout is not one JSON document ({e.Message}):\n{result}");
        }
    }
}
