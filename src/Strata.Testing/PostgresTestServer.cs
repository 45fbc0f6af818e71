using System.Collections.Concurrent;
using System.Text;
using Npgsql;
using Strata.Postgres.LocalServer;

namespace Strata.Testing;

/// <summary>
/// The PostgreSQL server a test run uses: the one named by the <c>STRATA_TEST_CONNECTION</c> environment
/// variable, or else one throwaway local cluster per process, started on first use and stopped when the
/// process exits. Tests get their own databases from it with <see cref="CreateDatabaseAsync"/>.
/// </summary>
public static class PostgresTestServer
{
    /// <summary>A connection string (to a user allowed to create databases) that replaces the throwaway cluster.</summary>
    public const string ConnectionVariable = "STRATA_TEST_CONNECTION";

    private static readonly SemaphoreSlim StartLock = new(1, 1);
    private static readonly ConcurrentDictionary<string, Lazy<Task<TestDatabaseTemplate>>> Templates = new(StringComparer.Ordinal);
    private static Server? _server;

    /// <summary>A connection string to the server's maintenance database (where databases are created and dropped).</summary>
    public static async Task<string> GetConnectionStringAsync(CancellationToken ct = default) => (await GetServerAsync(ct)).ConnectionString;

    /// <summary>
    /// A new empty database named <paramref name="prefix"/> plus a short random suffix, copied from
    /// <paramref name="template"/> (default <c>template0</c>), dropped when the result is disposed.
    /// </summary>
    public static async Task<TestDatabase> CreateDatabaseAsync(string prefix = "test", string? template = null, CancellationToken ct = default)
    {
        var server = await GetServerAsync(ct);
        var name = UniqueName(prefix);
        await using (var command = server.Admin.CreateCommand(
            $"CREATE DATABASE {QuoteIdentifier(name)} TEMPLATE {QuoteIdentifier(template ?? "template0")} ENCODING 'UTF8'"))
        {
            await command.ExecuteNonQueryAsync(ct);
        }
        return new TestDatabase(name, server.ConnectionStringFor(name), server.Admin);
    }

    /// <summary>
    /// The template database for <paramref name="key"/>, built once per process by <paramref name="build"/>
    /// (typically: apply the app's migrations) and then cloned by each test with
    /// <see cref="TestDatabaseTemplate.CloneAsync"/>, which is much faster than building again.
    /// Templates are dropped when the process exits.
    /// </summary>
    public static async Task<TestDatabaseTemplate> GetTemplateAsync(string key, Func<TestDatabase, CancellationToken, Task> build, CancellationToken ct = default)
    {
        var lazy = Templates.GetOrAdd(key, k => new Lazy<Task<TestDatabaseTemplate>>(() => BuildTemplateAsync(k, build, ct)));
        try
        {
            return await lazy.Value;
        }
        catch
        {
            // A failed build is not cached: the next caller tries again (and sees the error itself).
            Templates.TryRemove(new KeyValuePair<string, Lazy<Task<TestDatabaseTemplate>>>(key, lazy));
            throw;
        }
    }

    private static async Task<TestDatabaseTemplate> BuildTemplateAsync(string key, Func<TestDatabase, CancellationToken, Task> build, CancellationToken ct)
    {
        var database = await CreateDatabaseAsync(key + "_template", ct: ct);
        try
        {
            await build(database, ct);
            await database.CloseConnectionsAsync();
            return new TestDatabaseTemplate(database);
        }
        catch
        {
            await database.DisposeAsync();
            throw;
        }
    }

    private static async Task<Server> GetServerAsync(CancellationToken ct)
    {
        if (Volatile.Read(ref _server) is { } ready)
            return ready;
        await StartLock.WaitAsync(ct);
        try
        {
            if (_server is not null)
                return _server;
            _server = Environment.GetEnvironmentVariable(ConnectionVariable) is { Length: > 0 } given
                ? new Server(given, null)
                : new Server(null, await LocalPostgres.StartAsync(new LocalPostgresOptions(), ct));
            // Test hosts exit without disposing statics. A throwaway cluster also has a watchdog for hosts that are killed.
            AppDomain.CurrentDomain.ProcessExit += (_, _) => CleanUpAsync().GetAwaiter().GetResult();
            return _server;
        }
        finally
        {
            StartLock.Release();
        }
    }

    private static async Task CleanUpAsync()
    {
        if (_server is not { } server)
            return;
        if (server.Local is { } local)
        {
            await local.DisposeAsync(); // the templates go with the cluster
            return;
        }
        foreach (var template in Templates.Values.Where(t => t.IsValueCreated && t.Value.IsCompletedSuccessfully))
            await template.Value.Result.DisposeAsync();
    }

    /// <summary>Lower-case letters, digits and '_' from the prefix, then '_' and 8 random hex digits.</summary>
    internal static string UniqueName(string prefix)
    {
        var name = new StringBuilder();
        foreach (var c in prefix.ToLowerInvariant())
            name.Append(c is >= 'a' and <= 'z' or >= '0' and <= '9' or '_' ? c : '_');
        if (name.Length > 40)
            name.Length = 40;
        return name.Append('_').Append(Guid.NewGuid().ToString("N")[..8]).ToString();
    }

    internal static string QuoteIdentifier(string name) => "\"" + name.Replace("\"", "\"\"") + "\"";

    private sealed class Server
    {
        private readonly NpgsqlConnectionStringBuilder _builder;

        public Server(string? connectionString, LocalPostgres? local)
        {
            connectionString ??= local!.ConnectionString;
            ConnectionString = connectionString;
            Local = local;
            _builder = new NpgsqlConnectionStringBuilder(connectionString);
            Admin = NpgsqlDataSource.Create(connectionString);
        }

        public string ConnectionString { get; }

        public LocalPostgres? Local { get; }

        public NpgsqlDataSource Admin { get; }

        public string ConnectionStringFor(string database) =>
            new NpgsqlConnectionStringBuilder(_builder.ConnectionString) { Database = database }.ConnectionString;
    }
}
