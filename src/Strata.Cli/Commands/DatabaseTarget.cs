using System.CommandLine;
using Npgsql;
using Spectre.Console;
using Strata.Postgres.Comparison;
using Strata.Postgres.Configuration;
using Strata.Postgres.Diagnostics;
using Strata.Cli.Output;
using Strata.Postgres.LocalServer;
using Strata.Postgres.Migrations;

namespace Strata.Cli.Commands;

/// <summary>
/// The database a command works on, as <see cref="EnvironmentDatabase.Choose"/> picks it: <c>--connection</c>,
/// else <c>$STRATA_DATABASE_URL</c>, else the environment's url (directUrl for schema changes); for
/// development without a url, the local PostgreSQL that Strata runs in .strata/postgres next to strata.json
/// (<see cref="LocalDevDatabase"/>, left running for the next command). Connected once up front, so that
/// every way of failing to connect gets its own message and exit 2 before anything is read or changed.
/// </summary>
internal sealed class DatabaseTarget : IAsyncDisposable
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

    public static Option<string?> CreateOption() => new("--connection", "-c")
    {
        Description = $"The database, instead of the environment's url: a postgres:// URL or an Npgsql connection string (default: ${DatabaseConnection.EnvironmentVariable}, else the environment's url)",
        HelpName = "url",
    };

    /// <summary>Resolves the environment and connects to its database for <c>strata <paramref name="commandName"/></c>.</summary>
    /// <param name="use">SchemaChange connects through the environment's directUrl when it has one.</param>
    /// <param name="stdoutIsData">True when stdout carries SQL (a dry run): the local server's notes then go to stderr.</param>
    public static async Task<DatabaseTarget> OpenAsync(CommandContext context, Option<string?> option, StrataConfig config, string commandName, DatabaseUse use, bool stdoutIsData, CancellationToken ct)
    {
        var output = context.Output;
        Action<string> note = stdoutIsData ? text => output.Status(text) : text => output.Line(Markup.Escape(text));

        var (given, source) = GivenConnection(context, option);
        var environment = context.ResolveEnvironment(config, withConnections: given is null);
        return await ConnectAsync(output, note, environment, given, source, config, commandName, use, ct);
    }

    /// <summary>
    /// The connection given for this run, which replaces the environment's url: <c>--connection</c>, else
    /// <c>$STRATA_DATABASE_URL</c>; with the name of where it came from, for messages. Null when neither is set.
    /// </summary>
    public static (string? Given, string Source) GivenConnection(CommandContext context, Option<string?> option) =>
        EnvironmentDatabase.GivenConnection(context.Get(option), "--connection");

    /// <summary>
    /// Connects to the database of the environment named <paramref name="environmentName"/>, whatever
    /// <c>--env</c> chose: for commands that visit several environments (<c>strata check --env a,b</c>).
    /// <c>--connection</c> and <c>$STRATA_DATABASE_URL</c> do not apply: they name one database.
    /// </summary>
    public static async Task<DatabaseTarget> OpenEnvironmentAsync(CommandContext context, StrataConfig config, string environmentName, string commandName, CancellationToken ct)
    {
        var output = context.Output;
        try
        {
            var environment = EnvironmentResolver.Resolve(config, environmentName);
            return await ConnectAsync(output, text => output.Status(text), environment, null, "", config, commandName, DatabaseUse.Query, ct);
        }
        catch (Exception e) when (e is ConfigurationException or LocalDevDatabaseException or DatabaseConnectionException)
        {
            // As the CLI's own error, which a command visiting several environments reports for this one and goes on.
            throw KnownErrors.Translate(e)!;
        }
    }

    private static async Task<DatabaseTarget> ConnectAsync(CliOutput output, Action<string> note, StrataEnvironment environment, string? given, string source,
        StrataConfig config, string commandName, DatabaseUse use, CancellationToken ct)
    {
        LocalPostgres? server = null;
        NpgsqlDataSource? dataSource = null;
        try
        {
            var choice = EnvironmentDatabase.Choose(environment, given, source, use);
            var connection = choice.Connection;
            if (connection is null)
                (server, connection) = await StartLocalAsync(config, output, note, ct);
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
                await PoolerCheck.EnsureSessionsAsync(connection, source, environment, output.Status, ct);

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
    /// any migration (reading the tracking table, say) into a message without a stack trace.
    /// </summary>
    public async Task<T> RunAsync<T>(Func<Task<T>> work, string lostConnectionRemedy)
    {
        try
        {
            return await work();
        }
        catch (PostgresException e)
        {
            throw CliException.Failure($"{Description}: {e.SqlState}: {e.MessageText}",
                details: new[] { e.Detail, e.Hint }.OfType<string>().ToList(), inner: e);
        }
        catch (NpgsqlException e)
        {
            throw CliException.Failure($"the connection to {Description} failed: {e.Message}", remedy: lostConnectionRemedy, inner: e);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await DataSource.DisposeAsync();
        if (_server is not null)
            await _server.DisposeAsync();
    }

    private static async Task<(LocalPostgres Server, NpgsqlConnectionStringBuilder Target)> StartLocalAsync(StrataConfig config, CliOutput output, Action<string> note, CancellationToken ct)
    {
        output.Status($"Development has no url in strata.json, and there is no --connection or ${DatabaseConnection.EnvironmentVariable}: using the local PostgreSQL in {CommandContext.Display(LocalDevDatabase.DataDirectory(config))}…");
        return await LocalDevDatabase.StartAsync(config, LocalDevNotes(note), ct);
    }

    /// <summary>What <see cref="LocalDevDatabase.StartAsync"/> did, told through <paramref name="note"/>.</summary>
    public static Action<LocalDevDatabaseStep, LocalPostgres> LocalDevNotes(Action<string> note) => (step, server) => note(step switch
    {
        LocalDevDatabaseStep.ServerStarted => $"Started the local PostgreSQL on 127.0.0.1:{server.Port} (data in {CommandContext.Display(server.DataDirectory)}); "
            + "it keeps running for the next commands. Stop it with: strata dev stop",
        LocalDevDatabaseStep.ServerAlreadyRunning => $"Using the local PostgreSQL already running on 127.0.0.1:{server.Port}.",
        _ => $"Created the database {LocalDevDatabase.Name}.",
    });

    /// <summary>What to do when the local PostgreSQL cannot start (its error already says how to install PostgreSQL or point STRATA_PG_BIN at it).</summary>
    public const string LocalDevRemedy = "Or give the development environment a url (or pass --connection) to use a PostgreSQL server you run yourself.";
}
