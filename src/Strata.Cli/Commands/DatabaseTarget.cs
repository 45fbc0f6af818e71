using System.CommandLine;
using Npgsql;
using Spectre.Console;
using Strata.Cli.Configuration;
using Strata.Cli.Output;
using Strata.Postgres.LocalServer;

namespace Strata.Cli.Commands;

/// <summary>
/// The database a command works on: <c>--connection</c>, else <c>$STRATA_DATABASE_URL</c>, else the local
/// PostgreSQL that Strata runs in .strata/postgres next to strata.json (database <c>strata_dev</c>, left
/// running for the next command). Connected once up front, so that a wrong connection string gets its own
/// advice. Environments (issue 4) will replace the first two sources.
/// </summary>
internal sealed class DatabaseTarget : IAsyncDisposable
{
    private readonly LocalPostgres? _server;

    private DatabaseTarget(NpgsqlConnectionStringBuilder connection, NpgsqlDataSource dataSource, LocalPostgres? server, StrataEnvironment environment)
    {
        Environment = environment;
        Connection = connection;
        DataSource = dataSource;
        _server = server;
    }

    /// <summary>TEMPORARY SHIM (doctor branch) for the env helper's property of the same name.</summary>
    public StrataEnvironment Environment { get; }

    public NpgsqlConnectionStringBuilder Connection { get; }

    public NpgsqlDataSource DataSource { get; }

    /// <summary>user@host:port/database: enough to recognise the target, never the password.</summary>
    public string Description => DatabaseConnection.Describe(Connection);

    public static Option<string?> CreateOption() => new("--connection", "-c")
    {
        Description = $"The database: a postgres:// URL or an Npgsql connection string (default: ${DatabaseConnection.EnvironmentVariable}, else a local PostgreSQL that Strata starts)",
        HelpName = "url",
    };

    /// <summary>Resolves and connects to the database for <c>strata <paramref name="commandName"/></c>.</summary>
    /// <param name="stdoutIsData">True when stdout carries SQL (a dry run): the local server's notes then go to stderr.</param>
    public static async Task<DatabaseTarget> OpenAsync(CommandContext context, Option<string?> option, StrataConfig config, string commandName, DatabaseUse use, bool stdoutIsData, CancellationToken ct)
    {
        var output = context.Output;
        Action<string> note = stdoutIsData ? text => output.Status(text) : text => output.Line(Markup.Escape(text));

        var given = context.Get(option);
        var source = "--connection";
        if (given is null && System.Environment.GetEnvironmentVariable(DatabaseConnection.EnvironmentVariable) is { Length: > 0 } fromEnvironment)
            (given, source) = (fromEnvironment, "$" + DatabaseConnection.EnvironmentVariable);

        LocalPostgres? server = null;
        NpgsqlDataSource? dataSource = null;
        try
        {
            // TEMPORARY SHIM (doctor branch): the env helper's resolution replaces these lines.
            var environment = await context.ResolveEnvironmentAsync(config, ct);
            var environmentConnection = use == DatabaseUse.SchemaChange ? environment.MigrationConnection : environment.Connection;
            NpgsqlConnectionStringBuilder connection;
            if (given is not null)
                connection = DatabaseConnection.Parse(given, source);
            else if (environmentConnection is not null)
                (connection, source) = (new NpgsqlConnectionStringBuilder(environmentConnection.ConnectionString),
                    $"the {(environmentConnection == environment.DirectConnection ? "directUrl" : "url")} of the {environment.Name} environment");
            else
                (server, connection) = await StartLocalAsync(config, output, note, ct);

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
            catch (NpgsqlException e) when (e is not PostgresException || ((PostgresException)e).SqlState.StartsWith("28", StringComparison.Ordinal) || ((PostgresException)e).SqlState == "3D000")
            {
                throw CliException.Failure($"cannot connect to {DatabaseConnection.Describe(connection)}: {e.Message}",
                    remedy: "Check the host, port, database, user and password (and SSL mode) of the connection string.", inner: e);
            }

            // doctor: a schema change through a transaction-mode pooler stops here, before anything runs.
            if (use == DatabaseUse.SchemaChange && server is null)
                await PoolerCheck.EnsureSessionsAsync(connection, source, environment, output, ct);

            return new DatabaseTarget(connection, dataSource, server, environment);
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
        output.Status($"No --connection or ${DatabaseConnection.EnvironmentVariable}: using the local PostgreSQL in {CommandContext.Display(LocalDevDatabase.DataDirectory(config))}…");
        return await LocalDevDatabase.StartAsync(config, note, ct);
    }
}
