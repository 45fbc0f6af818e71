using System.CommandLine;
using Spectre.Console;
using Strata.Cli.Output;
using Strata.Postgres.Configuration;
using Strata.Postgres.Diagnostics;
using Strata.Postgres.LocalServer;

namespace Strata.Cli.Commands;

/// <summary>
/// The <c>--connection</c> option and how a command opens its <see cref="DatabaseTarget"/> from it: the
/// environment <c>--env</c> chooses, the connection given for the run, and what opening it tells the user.
/// </summary>
internal static class ConnectionOption
{
    public static Option<string?> Create() => new("--connection", "-c")
    {
        Description = $"The database, instead of the environment's url: a postgres:// URL or an Npgsql connection string (default: ${DatabaseConnection.EnvironmentVariable}, else the environment's url)",
        HelpName = "url",
    };

    /// <summary>Resolves the environment and connects to its database for <c>strata <paramref name="commandName"/></c>.</summary>
    /// <param name="use">SchemaChange connects through the environment's directUrl when it has one.</param>
    /// <param name="stdoutIsData">True when stdout carries SQL (a dry run): the local server's notes then go to stderr.</param>
    public static Task<DatabaseTarget> OpenAsync(CommandContext context, Option<string?> option, StrataConfig config, string commandName, DatabaseUse use, bool stdoutIsData, CancellationToken ct)
    {
        var output = context.Output;
        Action<string> note = stdoutIsData ? text => output.Status(text) : text => output.Line(Markup.Escape(text));

        var (given, source) = Given(context, option);
        var environment = context.ResolveEnvironment(config, withConnections: given is null);
        return DatabaseTarget.OpenAsync(config, environment, given, source, commandName, use, Events(output, note), ct);
    }

    /// <summary>
    /// The connection given for this run, which replaces the environment's url: <c>--connection</c>, else
    /// <c>$STRATA_DATABASE_URL</c>; with the name of where it came from, for messages. Null when neither is set.
    /// </summary>
    public static (string? Given, string Source) Given(CommandContext context, Option<string?> option) =>
        EnvironmentDatabase.GivenConnection(context.Get(option), "--connection");

    /// <summary>
    /// Connects to the database of the environment named <paramref name="environmentName"/>, whatever
    /// <c>--env</c> chose (see <see cref="DatabaseTarget.OpenEnvironmentAsync"/>); a failure to open it as the CLI's
    /// own error, which a command visiting several environments reports for this one and goes on.
    /// </summary>
    public static async Task<DatabaseTarget> OpenEnvironmentAsync(CommandContext context, StrataConfig config, string environmentName, string commandName, CancellationToken ct)
    {
        try
        {
            return await DatabaseTarget.OpenEnvironmentAsync(config, environmentName, commandName, Events(context.Output, context.Output.Status), ct);
        }
        catch (Exception e) when (e is ConfigurationException or LocalDevDatabaseException or DatabaseConnectionException)
        {
            throw KnownErrors.Translate(e)!;
        }
    }

    /// <summary>What opening a target tells the user: the local PostgreSQL's steps through <paramref name="note"/>, the rest as status lines.</summary>
    public static DatabaseTargetEvents Events(CliOutput output, Action<string> note) => new()
    {
        UsingLocalDevDatabase = dataDirectory => output.Status($"Development has no url in strata.json, and there is no --connection or ${DatabaseConnection.EnvironmentVariable}: "
            + $"using the local PostgreSQL in {CommandContext.Display(dataDirectory)}…"),
        LocalDevDatabaseStep = LocalDevNotes(note),
        Note = output.Status,
    };

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
