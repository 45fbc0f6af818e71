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
                : await StartLocalAsync(ct);
            return _server;
        }
        finally
        {
            StartLock.Release();
        }
    }

    private static async Task<Server> StartLocalAsync(CancellationToken ct)
    {
        var local = await LocalPostgres.StartAsync(new LocalPostgresOptions(), ct);
        // Test hosts exit without disposing statics: stop the cluster and delete its folder on the way out.
        AppDomain.CurrentDomain.ProcessExit += (_, _) => local.DisposeAsync().AsTask().GetAwaiter().GetResult();
        return new Server(local.ConnectionString, local);
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

        public Server(string connectionString, LocalPostgres? local)
        {
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
