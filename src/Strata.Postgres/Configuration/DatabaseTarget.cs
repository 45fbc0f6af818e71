using Npgsql;
using Strata.Model;
using Strata.Postgres.Comparison;
using Strata.Postgres.Diagnostics;
using Strata.Postgres.LocalServer;
using Strata.Postgres.Migrations;

namespace Strata.Postgres.Configuration;

/// <summary>
/// The database a command works on, as <see cref="EnvironmentDatabase.Choose"/> picks it: <c>--connection</c>,
/// else <c>$STRATA_DATABASE_URL</c>, else the environment's url (directUrl for schema changes); for
/// development without a url, the local PostgreSQL that Strata runs in .strata/postgres next to strata.json
/// (<see cref="LocalDevDatabase"/>, left running for the next command). Connected once up front, so that
/// every way of failing to connect gets its own exception (<see cref="DatabaseConnectionException"/>, <see cref="LocalDevDatabaseException"/>,
/// <see cref="ConfigurationException"/>) before anything is read or changed.
/// </summary>
public sealed class DatabaseTarget : IAsyncDisposable
{
    private readonly LocalPostgres? _server;
    private readonly string? _overriddenBy;
    private readonly bool _direct;

    private DatabaseTarget(StrataEnvironment environment, NpgsqlConnectionStringBuilder connection, NpgsqlDataSource dataSource, LocalPostgres? server, string? overriddenBy, bool direct)
    {
        Environment = environment;
        Connection = connection;
        DataSource = dataSource;
        _server = server;
        _overriddenBy = overriddenBy;
        _direct = direct;
    }

    /// <summary>The environment the command runs in (its name, protected, lock and statement timeouts), also when --connection replaces its URL.</summary>
    public StrataEnvironment Environment { get; }

    public NpgsqlConnectionStringBuilder Connection { get; }

    public NpgsqlDataSource DataSource { get; }

    /// <summary>
    /// A database on this machine: the local PostgreSQL of <c>strata dev</c>, or one that
    /// <see cref="EnvironmentDatabase.IsOnThisMachineAsync"/> finds local. Resetting anything else must be asked for.
    /// </summary>
    public async Task<bool> IsLocalAsync(CancellationToken ct) =>
        _server is not null
        || await RunAsync(() => EnvironmentDatabase.IsOnThisMachineAsync(DataSource, Connection, ct), "Nothing was changed; run the command again when the server is reachable.");

    /// <summary>Whether the server is the project's own local PostgreSQL (<c>strata dev</c>).</summary>
    public bool IsLocalDevServer => _server is not null;

    private DatabaseProtection? _protection;
    private bool _protectionRead;

    /// <summary>The protection the database itself records (see <see cref="DatabaseProtection"/>), read once.</summary>
    public async Task<DatabaseProtection?> ProtectionAsync(CancellationToken ct)
    {
        if (!_protectionRead)
        {
            _protection = await RunAsync(async () =>
            {
                await using var connection = await DataSource.OpenConnectionAsync(ct);
                return await DatabaseProtection.FindAsync(connection, ct);
            }, "Nothing was changed; run the command again when the server is reachable.");
            _protectionRead = true;
        }
        return _protection;
    }

    /// <summary>
    /// Whether the target is protected, and by what: its environment says <c>"protected": true</c> (then the database
    /// is not read), or the database itself records that a protected environment migrated it (<see cref="ProtectionAsync"/>),
    /// whichever way it was reached. Null when it is not protected.
    /// </summary>
    public async Task<TargetProtection?> ProtectedByAsync(CancellationToken ct)
    {
        if (Environment.Protected)
            return new TargetProtection(Environment.Name, Recorded: null);
        return await ProtectionAsync(ct) is { } recorded ? new TargetProtection(recorded.Environment, recorded) : null;
    }

    /// <summary>
    /// Writes the database's own record that the protected environment <paramref name="environment"/> migrated it
    /// (<see cref="DatabaseProtection.RecordAsync"/>), so that reaching it by a URL later finds it protected.
    /// </summary>
    /// <param name="lostConnectionRemedy">What to do when the connection is lost before the record is written.</param>
    /// <returns>Null when it is written (or there is no tracking table yet); else PostgreSQL's refusal, when the role may not comment on the table (only its owner may).</returns>
    public Task<string?> RecordProtectionAsync(QualifiedName trackingTable, string environment, string lostConnectionRemedy, CancellationToken ct) =>
        RunAsync(async () =>
        {
            await using var connection = await DataSource.OpenConnectionAsync(ct);
            try
            {
                await DatabaseProtection.RecordAsync(connection, trackingTable, environment, ct);
                return null;
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.InsufficientPrivilege)
            {
                return (string?)e.MessageText;
            }
        }, lostConnectionRemedy);

    /// <summary>user@host:port/database: enough to recognise the target, never the password.</summary>
    public string Description => DatabaseConnection.Describe(Connection);

    /// <summary>The target as the comparison library reads it: its pool, connection settings and description.</summary>
    public LiveDatabase Live() => new(DataSource, Connection, Description);

    /// <summary>
    /// The environment and the database, for the first line of a command's output:
    /// <c>production (app@db.example.com:5432/shop)</c>, or with an override
    /// <c>me@localhost:5432/shop (--connection overrides environment production)</c>.
    /// </summary>
    public string Title => _overriddenBy is not null
        ? $"{Description} ({_overriddenBy} overrides environment {Environment.Name})"
        : $"{Environment.Name} ({Description}{(_direct ? " via directUrl" : "")})";

    /// <summary>
    /// Connects to the database of <paramref name="environment"/> for the command <paramref name="commandName"/>: the
    /// <paramref name="given"/> connection when there is one (see <see cref="EnvironmentDatabase.GivenConnection"/>),
    /// else the environment's url (directUrl for <see cref="DatabaseUse.SchemaChange"/>), else, for development
    /// without a url, the local PostgreSQL, started if need be and left running.
    /// </summary>
    /// <param name="givenSource">Where <paramref name="given"/> came from, for messages (<c>--connection</c>).</param>
    /// <exception cref="ConfigurationException"><paramref name="given"/> is not a valid URL or connection string.</exception>
    /// <exception cref="LocalDevDatabaseException">The local PostgreSQL could not be started.</exception>
    /// <exception cref="DatabaseConnectionException">The connection failed, or a schema change would go through a transaction-mode pooler.</exception>
    public static Task<DatabaseTarget> OpenAsync(StrataConfig config, StrataEnvironment environment, string? given, string givenSource,
        string commandName, DatabaseUse use, DatabaseTargetEvents? events, CancellationToken ct) =>
        ConnectAsync(events ?? DatabaseTargetEvents.None, environment, given, givenSource, config, commandName, use, ct);

    /// <summary>
    /// Connects to the database of the environment named <paramref name="environmentName"/>, for reading: for
    /// commands that visit several environments (<c>strata check --env a,b</c>) and for generate's reads from
    /// the development database. A connection given for the run does not apply: it names one database.
    /// </summary>
    /// <exception cref="ConfigurationException">The environment is unknown or its settings are wrong.</exception>
    /// <exception cref="LocalDevDatabaseException">The local PostgreSQL could not be started.</exception>
    /// <exception cref="DatabaseConnectionException">The connection failed.</exception>
    public static Task<DatabaseTarget> OpenEnvironmentAsync(StrataConfig config, string environmentName, string commandName, DatabaseTargetEvents? events, CancellationToken ct) =>
        ConnectAsync(events ?? DatabaseTargetEvents.None, EnvironmentResolver.Resolve(config, environmentName), null, "", config, commandName, DatabaseUse.Query, ct);

    private static async Task<DatabaseTarget> ConnectAsync(DatabaseTargetEvents events, StrataEnvironment environment, string? given, string source,
        StrataConfig config, string commandName, DatabaseUse use, CancellationToken ct)
    {
        LocalPostgres? server = null;
        NpgsqlDataSource? dataSource = null;
        try
        {
            var choice = EnvironmentDatabase.Choose(environment, given, source, use);
            var connection = choice.Connection;
            if (connection is null)
            {
                events.UsingLocalDevDatabase?.Invoke(LocalDevDatabase.DataDirectory(config));
                (server, connection) = await LocalDevDatabase.StartAsync(config, (step, started) => events.LocalDevDatabaseStep?.Invoke(step, started), ct);
            }
            source = choice.Source;
            EnvironmentDatabase.ForCommand(connection, commandName);

            dataSource = NpgsqlDataSource.Create(connection);
            try
            {
                await using var probe = await dataSource.OpenConnectionAsync(ct);
            }
            catch (NpgsqlException e)
            {
                throw ConnectionErrors.Describe(e, connection, source, choice.SslModeSource);
            }

            // A schema change through a transaction-mode pooler stops here, before anything runs.
            if (use == DatabaseUse.SchemaChange && server is null)
                await PoolerCheck.EnsureSessionsAsync(connection, source, environment, text => events.Note?.Invoke(text), ct);

            return new DatabaseTarget(environment, connection, dataSource, server, choice.Overridden ? source : null, choice.ViaDirectUrl);
        }
        catch
        {
            if (dataSource is not null)
                await dataSource.DisposeAsync();
            if (server is not null)
                await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Runs <paramref name="work"/> on the database, turning a lost connection or a server error outside
    /// any migration (reading the tracking table, say) into a <see cref="DatabaseTargetException"/> that names the database.
    /// </summary>
    /// <param name="lostConnectionRemedy">What to do when the connection is lost: what the work left, and whether to run it again.</param>
    public async Task<T> RunAsync<T>(Func<Task<T>> work, string lostConnectionRemedy)
    {
        try
        {
            return await work();
        }
        catch (PostgresException e)
        {
            throw new DatabaseTargetException($"{Description}: {e.SqlState}: {e.MessageText}",
                details: new[] { e.Detail, e.Hint }.OfType<string>().ToList(), inner: e);
        }
        catch (NpgsqlException e)
        {
            throw new DatabaseTargetException($"the connection to {Description} failed: {e.Message}", remedy: lostConnectionRemedy, inner: e);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await DataSource.DisposeAsync();
        if (_server is not null)
            await _server.DisposeAsync();
    }
}

/// <summary>Why a <see cref="DatabaseTarget"/> is protected.</summary>
/// <param name="Environment">The protected environment: the target's own, or the one the database's record names.</param>
/// <param name="Recorded">The database's own record, when that is what protects it (the target's environment is not protected); null when its environment is.</param>
public sealed record TargetProtection(string Environment, DatabaseProtection? Recorded);
