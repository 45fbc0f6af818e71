using Strata.Postgres.Migrations;
using Strata.Testing;
using TaskTracker.Web;

namespace TaskTracker.Tests;

/// <summary>
/// Where the tests get their databases: the one place that uses Strata's test helpers. A template database
/// is migrated once (Strata.Testing keys it by a hash of the migrations, so it is rebuilt only when they
/// change), and each test gets a clone of it, dropped when the test disposes it. The server is
/// STRATA_TEST_CONNECTION's, or a throwaway local cluster.
/// </summary>
public static class TestDatabases
{
    private static readonly MigrationSource Migrations = MigrationSource.FromAssembly(typeof(TaskTrackerApp).Assembly);

    /// <summary>A database of its own with the app's schema (all migrations applied).</summary>
    public static async Task<TestDatabase> CreateMigratedAsync()
    {
        var template = await PostgresTestServer.GetTemplateAsync(Migrations, new TestTemplateOptions { Name = "tasktracker_template" });
        return await template.CloneAsync("tasktracker");
    }

    /// <summary>An empty database, for what the app does on a first start.</summary>
    public static Task<TestDatabase> CreateEmptyAsync() => PostgresTestServer.CreateDatabaseAsync("tasktracker_empty");
}
