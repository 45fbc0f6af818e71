using System.Collections.Concurrent;
using Npgsql;
using Strata.Postgres.LocalServer;
using Strata.Postgres.Migrations;
using Strata.Postgres.Sql;

namespace Strata.Testing;

/// <summary>
/// A PostgreSQL server that tests take databases from: one given by a connection string
/// (<see cref="Connect"/>) or a throwaway local cluster (<see cref="StartLocalAsync"/>).
/// <see cref="GetTemplateAsync"/> migrates a template database once, and each test clones it with
/// <see cref="TestDatabaseTemplate.CloneAsync"/>.
/// </summary>
/// <remarks>
/// Most test projects need one server per test run: <see cref="PostgresTestServer.GetServerAsync"/> gives
/// the one named by <c>STRATA_TEST_CONNECTION</c>, else one throwaway cluster per process.
/// </remarks>
public sealed class TestDatabaseServer : IAsyncDisposable
{
    private readonly NpgsqlConnectionStringBuilder _builder;
    private readonly LocalPostgres? _local;
    private readonly ConcurrentDictionary<string, Lazy<Task<TestDatabaseTemplate>>> _templates = new(StringComparer.Ordinal);

    private TestDatabaseServer(string connectionString, LocalPostgres? local)
    {
        ConnectionString = connectionString;
        _local = local;
        _builder = new NpgsqlConnectionStringBuilder(connectionString);
        Admin = NpgsqlDataSource.Create(connectionString);
    }

    /// <summary>
    /// A connection string to the server's maintenance database, where databases are created and dropped
    /// (its role needs CREATEDB; rebuilding a template made by another role needs that role or a superuser).
    /// </summary>
    public string ConnectionString { get; }

    /// <summary>True when this is a throwaway cluster that <see cref="DisposeAsync"/> stops and deletes.</summary>
    public bool IsLocal => _local is not null;

    internal NpgsqlDataSource Admin { get; }

    /// <summary>The server at <paramref name="connectionString"/>; nothing is opened until a database is asked for.</summary>
    public static TestDatabaseServer Connect(string connectionString)
    {
        ArgumentException.ThrowIfNullOrEmpty(connectionString);
        return new TestDatabaseServer(connectionString, null);
    }

    /// <summary>
    /// Starts a throwaway cluster from the machine's PostgreSQL binaries (<c>STRATA_PG_BIN</c>,
    /// <c>pg_config --bindir</c>, or the newest <c>/usr/lib/postgresql/*/bin</c>), stopped and deleted on dispose.
    /// As root, the server programs run as the <c>postgres</c> user (PostgreSQL refuses root).
    /// </summary>
    /// <exception cref="LocalPostgresException">No binaries, or the cluster did not start (the message says why).</exception>
    public static async Task<TestDatabaseServer> StartLocalAsync(LocalPostgresOptions? options = null, CancellationToken ct = default)
    {
        var local = await LocalPostgres.StartAsync(options ?? new LocalPostgresOptions(), ct);
        // The cluster shares the machine with the test run: on a busy CI box a connection (sixteen processes
        // connecting at once) or a query can wait far past Npgsql's 15 s and 30 s defaults without anything being wrong.
        var patient = new NpgsqlConnectionStringBuilder(local.ConnectionString) { Timeout = GenerousTimeoutSeconds, CommandTimeout = GenerousTimeoutSeconds };
        return new TestDatabaseServer(patient.ConnectionString, local);
    }

    /// <summary>The connect and command timeout, in seconds, of a throwaway cluster's connection strings (Npgsql allows at most 1024 for connecting).</summary>
    public const int GenerousTimeoutSeconds = 600;

    /// <summary>A connection string to <paramref name="database"/> on this server, with the same user and settings.</summary>
    public string ConnectionStringFor(string database) =>
        new NpgsqlConnectionStringBuilder(_builder.ConnectionString) { Database = database }.ConnectionString;

    /// <summary>
    /// A new database named <paramref name="prefix"/> plus a short random suffix, copied from
    /// <paramref name="template"/> (default <c>template0</c>, an empty database), dropped when the result is disposed.
    /// </summary>
    public async Task<TestDatabase> CreateDatabaseAsync(string prefix = "test", string? template = null, CancellationToken ct = default)
    {
        var name = TestDatabaseNames.Unique(prefix);
        await ExecuteAsync($"CREATE DATABASE {SqlIdentifier.Quote(name)} TEMPLATE {SqlIdentifier.Quote(template ?? "template0")} ENCODING 'UTF8'", ct);
        return new TestDatabase(name, ConnectionStringFor(name), Admin);
    }

    /// <summary>
    /// The template database holding <paramref name="migrations"/> (and the seed of <paramref name="options"/>),
    /// migrated at most once: a template of the same name whose recorded key matches the migrations' hash is
    /// reused — by every test in this process, and by later runs and other processes on the same server. When
    /// the migrations change, the template is dropped and built again. Several processes asking at once build
    /// it once: the build holds an advisory lock, and the others wait for it and reuse its result.
    /// </summary>
    /// <exception cref="MigrationRefusedException">The migrations do not apply (for example, strata.sum does not match them).</exception>
    /// <exception cref="MigrationFailedException">A migration failed; no template is left that later runs would reuse.</exception>
    public Task<TestDatabaseTemplate> GetTemplateAsync(MigrationSource migrations, TestTemplateOptions? options = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(migrations);
        options ??= new TestTemplateOptions();
        return CachedAsync("migrated:" + options.Name + ":" + migrations.Location, ct2 => new MigratedTemplateBuilder(this, migrations, options).GetAsync(ct2), ct);
    }

    /// <summary>
    /// A template for this process only, built by <paramref name="build"/> (for example: run a script) the first
    /// time <paramref name="key"/> is asked for, and dropped when it is disposed or the process exits.
    /// </summary>
    public Task<TestDatabaseTemplate> GetTemplateAsync(string key, Func<TestDatabase, CancellationToken, Task> build, CancellationToken ct = default) =>
        CachedAsync("process:" + key, async ct2 =>
        {
            var database = await CreateDatabaseAsync(key + "_template", ct: ct2);
            try
            {
                await build(database, ct2);
                await database.CloseConnectionsAsync();
                return new TestDatabaseTemplate(this, database.Name, key, wasBuilt: true, owned: database);
            }
            catch
            {
                await database.DisposeAsync();
                throw;
            }
        }, ct);

    private async Task<TestDatabaseTemplate> CachedAsync(string key, Func<CancellationToken, Task<TestDatabaseTemplate>> make, CancellationToken ct)
    {
        var lazy = _templates.GetOrAdd(key, _ => new Lazy<Task<TestDatabaseTemplate>>(() => make(ct)));
        try
        {
            var template = await lazy.Value;
            return template;
        }
        catch
        {
            // A failed build is not cached: the next caller tries again (and sees the error itself).
            _templates.TryRemove(new KeyValuePair<string, Lazy<Task<TestDatabaseTemplate>>>(key, lazy));
            throw;
        }
    }

    /// <summary>
    /// Drops the template database <paramref name="name"/> if it is there, so that the next run builds it again
    /// (for example to remove the template of a test project that was deleted).
    /// </summary>
    public Task DropTemplateAsync(string name, CancellationToken ct = default) => MigratedTemplateBuilder.DropAsync(this, name, ct);

    internal async Task ExecuteAsync(string sql, CancellationToken ct)
    {
        await using var command = Admin.CreateCommand(sql);
        await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>
    /// Drops the process-only templates and, for a throwaway cluster, stops and deletes it. Migrated templates
    /// stay on a given server for the next run.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        if (_local is not null)
        {
            await Admin.DisposeAsync();
            await _local.DisposeAsync(); // the databases go with the cluster
            return;
        }
        foreach (var template in _templates.Values.Where(t => t.IsValueCreated && t.Value.IsCompletedSuccessfully))
            await template.Value.Result.DisposeAsync();
        await Admin.DisposeAsync();
    }
}
