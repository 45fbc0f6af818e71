using Strata.Postgres.LocalServer;
using Strata.Postgres.Migrations;

namespace Strata.Testing;

/// <summary>
/// The PostgreSQL server a test run uses: the one named by the <c>STRATA_TEST_CONNECTION</c> environment
/// variable, or else one throwaway local cluster per process, started on first use and stopped when the
/// process exits. A shortcut to one shared <see cref="TestDatabaseServer"/>.
/// </summary>
public static class PostgresTestServer
{
    /// <summary>A connection string (to a user allowed to create databases) that replaces the throwaway cluster.</summary>
    public const string ConnectionVariable = "STRATA_TEST_CONNECTION";

    private static readonly SemaphoreSlim StartLock = new(1, 1);
    private static TestDatabaseServer? _server;

    /// <summary>The shared server, started (or connected) on first use; stopped, with its process-only templates dropped, when the process exits.</summary>
    /// <exception cref="LocalPostgresException">No <c>STRATA_TEST_CONNECTION</c>, and the throwaway cluster did not start.</exception>
    public static async Task<TestDatabaseServer> GetServerAsync(CancellationToken ct = default)
    {
        if (Volatile.Read(ref _server) is { } ready)
            return ready;
        await StartLock.WaitAsync(ct);
        try
        {
            if (_server is not null)
                return _server;
            var server = Environment.GetEnvironmentVariable(ConnectionVariable) is { Length: > 0 } given
                ? TestDatabaseServer.Connect(given)
                : await TestDatabaseServer.StartLocalAsync(new LocalPostgresOptions(), ct);
            // Test hosts exit without disposing statics. A throwaway cluster also has a watchdog for hosts that are killed.
            AppDomain.CurrentDomain.ProcessExit += (_, _) => server.DisposeAsync().AsTask().GetAwaiter().GetResult();
            Volatile.Write(ref _server, server);
            return server;
        }
        finally
        {
            StartLock.Release();
        }
    }

    /// <summary>A connection string to the server's maintenance database (where databases are created and dropped).</summary>
    public static async Task<string> GetConnectionStringAsync(CancellationToken ct = default) => (await GetServerAsync(ct)).ConnectionString;

    /// <summary>See <see cref="TestDatabaseServer.CreateDatabaseAsync"/>.</summary>
    public static async Task<TestDatabase> CreateDatabaseAsync(string prefix = "test", string? template = null, CancellationToken ct = default) =>
        await (await GetServerAsync(ct)).CreateDatabaseAsync(prefix, template, ct);

    /// <summary>The migrated template on the shared server: see <see cref="TestDatabaseServer.GetTemplateAsync(MigrationSource, TestTemplateOptions?, CancellationToken)"/>.</summary>
    public static async Task<TestDatabaseTemplate> GetTemplateAsync(MigrationSource migrations, TestTemplateOptions? options = null, CancellationToken ct = default) =>
        await (await GetServerAsync(ct)).GetTemplateAsync(migrations, options, ct);

    /// <summary>A process-only template on the shared server: see <see cref="TestDatabaseServer.GetTemplateAsync(string, Func{TestDatabase, CancellationToken, Task}, CancellationToken)"/>.</summary>
    public static async Task<TestDatabaseTemplate> GetTemplateAsync(string key, Func<TestDatabase, CancellationToken, Task> build, CancellationToken ct = default) =>
        await (await GetServerAsync(ct)).GetTemplateAsync(key, build, ct);
}
