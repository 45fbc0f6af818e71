using System.Security.Cryptography;
using Strata.Postgres.Migrations;
using Strata.Testing;
using TaskTracker.Web;

namespace TaskTracker.Tests;

/// <summary>
/// Where the tests get their databases: the one place that uses Strata's test helpers. A template database
/// is migrated once per test run (per version of the migrations: the key is the hash of the embedded
/// strata.sum), and each test gets a clone of it, dropped when the test disposes it. The server is
/// STRATA_TEST_CONNECTION's, or a throwaway local cluster.
/// </summary>
public static class TestDatabases
{
    private static readonly MigrationSource Migrations = MigrationSource.FromAssembly(typeof(TaskTrackerApp).Assembly);

    /// <summary>A database of its own with the app's schema (all migrations applied).</summary>
    public static async Task<TestDatabase> CreateMigratedAsync()
    {
        var template = await PostgresTestServer.GetTemplateAsync("tasktracker_" + MigrationsHash(), async (database, ct) =>
            await new Migrator(database.DataSource, Migrations).ApplyAsync(ct));
        return await template.CloneAsync("tasktracker");
    }

    /// <summary>An empty database, for what the app does on a first start.</summary>
    public static Task<TestDatabase> CreateEmptyAsync() => PostgresTestServer.CreateDatabaseAsync("tasktracker_empty");

    private static string MigrationsHash()
    {
        using var sum = typeof(TaskTrackerApp).Assembly.GetManifestResourceStream("strata/migrations/strata.sum")
            ?? throw new InvalidOperationException("TaskTracker.Web does not embed strata/migrations/strata.sum");
        return Convert.ToHexStringLower(SHA256.HashData(sum))[..12];
    }
}
