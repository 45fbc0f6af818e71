using System.CommandLine;
using Npgsql;
using Spectre.Console;
using Strata.Postgres.Configuration;
using Strata.Cli.Output;
using Strata.Postgres.LocalServer;
using Strata.Postgres.Migrations;

namespace Strata.Cli.Commands;

/// <summary>What a command does with the database: schema changes go through directUrl when an environment has one.</summary>
public enum DatabaseUse
{
    /// <summary>Reads and ordinary statements: the environment's url (which may go through a pooler).</summary>
    Query,

    /// <summary>migrate, rollback, reset, push: directUrl when set (session state, advisory locks and DDL need a direct connection), else url.</summary>
    SchemaChange,
}

/// <summary>
/// The database a command works on: <c>--connection</c>, else <c>$STRATA_DATABASE_URL</c>, else the
/// environment's url (directUrl for schema changes); for development without a url, the local PostgreSQL
/// that Strata runs in .strata/postgres next to strata.json (database <c>strata_dev</c>, left running for
/// the next command). Connected once up front, so that every way of failing to connect gets its own
/// message and exit 2 before anything is read or changed.
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
    /// A database on this machine: the local PostgreSQL of <c>strata dev</c>, or a server reached through
    /// localhost, a loopback address or a Unix socket that also says it was reached so (<c>inet_server_addr()</c>
    /// is a loopback address, or null for a socket). The second half catches a local port that forwards to
    /// another machine (a cloud SQL proxy, a pooler on localhost in front of a remote server): the remote
    /// server sees the connection arrive on its own network address. Resetting anything else must be asked for.
    /// </summary>
    public async Task<bool> IsLocalAsync(CancellationToken ct)
    {
        if (_server is not null)
            return true;
        if ((Connection.Host ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries) is not { Length: > 0 } hosts
            || !hosts.All(IsLocalHost))
            return false;
        return await RunAsync(async () =>
        {
            await using var connection = await DataSource.OpenConnectionAsync(ct);
            await using var command = new NpgsqlCommand("SELECT host(inet_server_addr())", connection);
            return await command.ExecuteScalarAsync(ct) is not string address
                || System.Net.IPAddress.TryParse(address, out var ip) && System.Net.IPAddress.IsLoopback(ip);
        }, "Nothing was changed; run the command again when the server is reachable.");
    }

    /// <summary>Whether the server is the project's own local PostgreSQL (<c>strata dev</c>).</summary>
    public bool IsLocalDevServer => _server is not null;

    // One entry of Host: a name, an address, [v6]:port or name:port (multi-host lists), or a Unix socket directory.
    private static bool IsLocalHost(string host)
    {
        if (host.StartsWith('/'))
            return true;
        var name = host.StartsWith('[') && host.IndexOf(']') is > 0 and var end ? host[1..end]
            : host.Count(c => c == ':') == 1 ? host[..host.IndexOf(':')]
            : host;
        return name.Equals("localhost", StringComparison.OrdinalIgnoreCase)
            || System.Net.IPAddress.TryParse(name, out var address) && System.Net.IPAddress.IsLoopback(address);
    }

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
    public static (string? Given, string Source) GivenConnection(CommandContext context, Option<string?> option)
    {
        if (context.Get(option) is { } given)
            return (given, "--connection");
        if (System.Environment.GetEnvironmentVariable(DatabaseConnection.EnvironmentVariable) is { Length: > 0 } fromEnvironment)
            return (fromEnvironment, "$" + DatabaseConnection.EnvironmentVariable);
        return (null, "--connection");
    }

    /// <summary>
    /// Connects to the database of the environment named <paramref name="environmentName"/>, whatever
    /// <c>--env</c> chose: for commands that visit several environments (<c>strata check --env a,b</c>).
    /// <c>--connection</c> and <c>$STRATA_DATABASE_URL</c> do not apply: they name one database.
    /// </summary>
    public static async Task<DatabaseTarget> OpenEnvironmentAsync(CommandContext context, StrataConfig config, string environmentName, string commandName, CancellationToken ct)
    {
        var output = context.Output;
        var environment = EnvironmentResolver.Resolve(config, environmentName);
        return await ConnectAsync(output, text => output.Status(text), environment, null, "", config, commandName, DatabaseUse.Query, ct);
    }

    private static async Task<DatabaseTarget> ConnectAsync(CliOutput output, Action<string> note, StrataEnvironment environment, string? given, string source,
        StrataConfig config, string commandName, DatabaseUse use, CancellationToken ct)
    {
        LocalPostgres? server = null;
        NpgsqlDataSource? dataSource = null;
        try
        {
            NpgsqlConnectionStringBuilder connection;
            var direct = false;
            if (given is not null)
            {
                connection = DatabaseConnection.Parse(given, source);
            }
            else if ((use == DatabaseUse.SchemaChange ? environment.MigrationConnection : environment.Connection) is { } configured)
            {
                // A copy: the settings below are this command's, not the environment's.
                connection = new NpgsqlConnectionStringBuilder(configured.ConnectionString);
                direct = use == DatabaseUse.SchemaChange && environment.DirectConnection is not null;
                source = $"\"{(direct ? "directUrl" : "url")}\" of environment \"{environment.Name}\"";
            }
            else
            {
                (server, connection) = await StartLocalAsync(config, output, note, ct);
                source = "the local PostgreSQL";
            }

            // Npgsql hides PostgreSQL's DETAIL (it may quote row values) unless asked; the person
            // running a migration needs it to act on a failure, and it never holds the password.
            connection.IncludeErrorDetail = true;
            // pg_stat_activity shows it: the message of a run that waits for the migration lock names
            // the holder by it. A name the user chose is kept.
            if (string.IsNullOrEmpty(connection.ApplicationName))
                connection.ApplicationName = "strata " + commandName;

            dataSource = NpgsqlDataSource.Create(connection);
            try
            {
                await using var probe = await dataSource.OpenConnectionAsync(ct);
            }
            catch (NpgsqlException e)
            {
                var sslModeFrom = given is not null
                    ? (DatabaseConnection.SetsSslMode(given) ? $"sslmode in {source}" : null)
                    : environment.SslModeSources?.GetValueOrDefault(direct ? "directUrl" : "url");
                throw ConnectionErrors.Describe(e, connection, source, sslModeFrom);
            }

            // A schema change through a transaction-mode pooler stops here, before anything runs.
            if (use == DatabaseUse.SchemaChange && server is null)
                await PoolerCheck.EnsureSessionsAsync(connection, source, environment, output, ct);

            return new DatabaseTarget(environment, connection, dataSource, server, given is null ? null : source, direct);
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
        return await LocalDevDatabase.StartAsync(config, note, ct);
    }
}
