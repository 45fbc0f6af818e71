using Strata.Testing;

namespace Strata.IntegrationTests.Infrastructure;

/// <summary>
/// The test server (see <see cref="PostgresTestServer"/>: <c>STRATA_TEST_CONNECTION</c> or one throwaway
/// cluster per test process). Every test gets a database of its own, so test classes can run in parallel:
/// take it as <c>IClassFixture&lt;PostgresFixture&gt;</c> for that, or join <c>[Collection("postgres")]</c>
/// for tests that must not run alongside each other.
/// </summary>
public sealed class PostgresFixture : IAsyncLifetime
{
    /// <summary>A connection string to the server's maintenance database.</summary>
    public string ConnectionString { get; private set; } = "";

    // Starting the server here, not in the first test, keeps its start-up time out of a test's timing.
    public async Task InitializeAsync() => ConnectionString = await PostgresTestServer.GetConnectionStringAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    /// <summary>A new empty database, dropped when disposed: <c>await using var db = await fixture.CreateDatabaseAsync("users");</c></summary>
    public Task<TestDatabase> CreateDatabaseAsync(string prefix = "test") => PostgresTestServer.CreateDatabaseAsync(prefix);

    /// <summary>A copy of <paramref name="template"/> (which must have no open connections), dropped when disposed.</summary>
    public Task<TestDatabase> CloneDatabaseAsync(string template, string prefix = "clone") =>
        PostgresTestServer.CreateDatabaseAsync(prefix, template);

    /// <summary>A template built once per test process by running <paramref name="script"/>; clone it per test.</summary>
    public Task<TestDatabaseTemplate> GetTemplateAsync(string key, string script) =>
        PostgresTestServer.GetTemplateAsync(key, (database, ct) => database.ExecuteAsync(script, ct));

    /// <summary>A new database with <paramref name="script"/> already run in it.</summary>
    public async Task<TestDatabase> CreateDatabaseAsync(string prefix, string script)
    {
        var database = await CreateDatabaseAsync(prefix);
        try
        {
            await database.ExecuteAsync(script);
            return database;
        }
        catch
        {
            await database.DisposeAsync();
            throw;
        }
    }
}

[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresFixture>
{
    public const string Name = "postgres";
}
