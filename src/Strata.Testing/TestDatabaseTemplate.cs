namespace Strata.Testing;

/// <summary>
/// A database built once (for example migrated to the app's latest schema) that tests copy with
/// <see cref="CloneAsync"/>: PostgreSQL copies a database in tens of milliseconds, far less than
/// running the migrations again. Get one from <see cref="PostgresTestServer.GetTemplateAsync"/>.
/// </summary>
public sealed class TestDatabaseTemplate : IAsyncDisposable
{
    private readonly TestDatabase _database;

    internal TestDatabaseTemplate(TestDatabase database) => _database = database;

    /// <summary>The template database's name.</summary>
    public string Name => _database.Name;

    /// <summary>A new database with the template's content, dropped when disposed.</summary>
    public Task<TestDatabase> CloneAsync(string prefix = "test", CancellationToken ct = default) =>
        PostgresTestServer.CreateDatabaseAsync(prefix, Name, ct);

    /// <summary>Drops the template (done for every template when the process exits).</summary>
    public ValueTask DisposeAsync() => _database.DisposeAsync();
}
