namespace Strata.Testing;

/// <summary>
/// A database built once (migrated to the app's latest schema, maybe seeded) that tests copy with
/// <see cref="CloneAsync"/>: PostgreSQL copies a small database in milliseconds, far less than running the
/// migrations again. Get one from <see cref="TestDatabaseServer.GetTemplateAsync(Strata.Postgres.Migrations.MigrationSource, TestTemplateOptions?, CancellationToken)"/>.
/// </summary>
public sealed class TestDatabaseTemplate : IAsyncDisposable
{
    private readonly TestDatabaseServer _server;
    private readonly TestDatabase? _owned;

    internal TestDatabaseTemplate(TestDatabaseServer server, string name, string key, bool wasBuilt, TestDatabase? owned)
    {
        _server = server;
        Name = name;
        Key = key;
        WasBuilt = wasBuilt;
        _owned = owned;
    }

    /// <summary>The template database's name.</summary>
    public string Name { get; }

    /// <summary>What the template was built from: for a migrated template, the hash recorded in its comment.</summary>
    public string Key { get; }

    /// <summary>True when this process built the template; false when it reused one already on the server.</summary>
    public bool WasBuilt { get; }

    /// <summary>The server the template is on; clones go there too.</summary>
    public TestDatabaseServer Server => _server;

    /// <summary>A new database with the template's content, named <paramref name="prefix"/> plus a random suffix, dropped when disposed.</summary>
    public Task<TestDatabase> CloneAsync(string prefix = "test", CancellationToken ct = default) =>
        _server.CreateDatabaseAsync(prefix, Name, ct);

    /// <summary>Drops the template now, migrated or not: the next run builds it again.</summary>
    public async Task DropAsync(CancellationToken ct = default)
    {
        if (_owned is not null)
            await _owned.DisposeAsync();
        else
            await _server.DropTemplateAsync(Name, ct);
    }

    /// <summary>
    /// Drops a process-only template (from <see cref="TestDatabaseServer.GetTemplateAsync(string, Func{TestDatabase, CancellationToken, Task}, CancellationToken)"/>);
    /// a migrated template stays on the server for the next run (see <see cref="DropAsync"/>).
    /// </summary>
    public ValueTask DisposeAsync() => _owned?.DisposeAsync() ?? ValueTask.CompletedTask;
}
