using Strata.Cli.Output;
using System.CommandLine;
using System.Globalization;
using Spectre.Console;
using Strata.Postgres.Configuration;
using Strata.Postgres.LocalServer;

namespace Strata.Cli.Commands;

/// <summary><c>strata dev start|stop|status|url</c>: the project's local PostgreSQL in .strata/postgres.</summary>
internal static class DevCommand
{
    public static Command Create(GlobalOptions global)
    {
        var command = new Command("dev", """
            The project's local PostgreSQL: a cluster in .strata/postgres next to strata.json, run from the
            PostgreSQL programs on this machine (no Docker), with the database strata_dev. The development
            environment uses it when it has no url; migrate, status and rollback start it when needed.
            """);
        command.Subcommands.Add(Start(global));
        command.Subcommands.Add(Stop(global));
        command.Subcommands.Add(Status(global));
        command.Subcommands.Add(Url(global));
        command.Subcommands.Add(WatchCommand.Create(global));
        return command;
    }

    private static Command Start(GlobalOptions global) => Subcommand(global, "start", "Start the local PostgreSQL (creating it and the database strata_dev the first time), or report that it is running",
        async (context, config, ct) =>
        {
            var output = context.Output;
            WarnWhenDevelopmentHasUrl(context, config);
            var (server, _) = await LocalDevDatabase.StartAsync(config, ConnectionOption.LocalDevNotes(text => output.Line(Markup.Escape(text))), ct);
            await using (server)
            {
                output.Line($"The local PostgreSQL is running on 127.0.0.1:{server.Port}, data in {Markup.Escape(CommandContext.Display(server.DataDirectory))}, database {LocalDevDatabase.Name}.");
                output.Line($"URL: {Markup.Escape(LocalDevDatabase.Url(server))}");
                output.JsonResult(new DevStartJson(Running: true, server.StartedHere, server.Port, server.DataDirectory, LocalDevDatabase.Name, LocalDevDatabase.Url(server)));
            }
            return ExitCodes.Success;
        });

    private static Command Stop(GlobalOptions global) => Subcommand(global, "stop", "Stop the local PostgreSQL (its data stays in .strata/postgres); nothing to do when it is not running",
        async (context, config, ct) =>
        {
            var output = context.Output;
            var dataDirectory = LocalDevDatabase.DataDirectory(config);
            await using var server = await LocalDevDatabase.FindRunningAsync(config, ct);
            if (server is null)
            {
                output.Line(LocalPostgres.ClusterExists(dataDirectory)
                    ? $"The local PostgreSQL in {Markup.Escape(CommandContext.Display(dataDirectory))} is not running."
                    : $"There is no local PostgreSQL in {Markup.Escape(CommandContext.Display(dataDirectory))}: nothing to stop.");
                output.JsonResult(new DevStopJson(Stopped: false, Port: null, dataDirectory));
                return ExitCodes.Success;
            }

            try
            {
                await server.StopAsync(ct);
            }
            catch (LocalPostgresException e)
            {
                throw CliException.Failure($"could not stop the local PostgreSQL: {e.Message}",
                    remedy: $"Look at the server log {server.LogFile}; pg_ctl stop -D {dataDirectory} -m immediate stops it at once.", inner: e);
            }
            output.Line($"Stopped the local PostgreSQL on 127.0.0.1:{server.Port} (data kept in {Markup.Escape(CommandContext.Display(dataDirectory))}).");
            output.JsonResult(new DevStopJson(Stopped: true, server.Port, dataDirectory));
            return ExitCodes.Success;
        });

    private static Command Status(GlobalOptions global) => Subcommand(global, "status", "Show whether the local PostgreSQL is running: its port, data folder, PostgreSQL version and size on disk. Exit 0 either way",
        async (context, config, ct) =>
        {
            var output = context.Output;
            var dataDirectory = LocalDevDatabase.DataDirectory(config);
            var shown = CommandContext.Display(dataDirectory);
            if (await LocalDevDatabase.StatusAsync(config, ct) is not { } status)
            {
                output.Line($"The local PostgreSQL is not created yet ({Markup.Escape(shown)} holds no cluster): strata dev start creates it.");
                output.JsonResult(new DevNoClusterJson(Exists: false, Running: false, dataDirectory));
                return ExitCodes.Success;
            }

            output.Line(status.Running
                ? $"The local PostgreSQL is [green]running[/] on 127.0.0.1:{status.Port}."
                : "The local PostgreSQL is [grey]stopped[/] (strata dev start starts it).");
            output.Line($"  data:     {Markup.Escape(shown)}");
            output.Line($"  version:  PostgreSQL {Markup.Escape(status.Version)}");
            output.Line($"  size:     {(status.SizeBytes is { } bytes ? Size(bytes) : "unknown (the folder is not readable)")}");
            if (status.Running)
            {
                output.Line($"  database: {LocalDevDatabase.Name}{(status.DatabaseExists == true ? "" : " (not created yet)")}");
                output.Line($"  url:      {Markup.Escape(status.Url!)}");
            }
            output.JsonResult(new DevStatusJson(Exists: true, Running: status.Running, status.Port, dataDirectory, status.Version, status.SizeBytes, LocalDevDatabase.Name, status.DatabaseExists,
                status.Url));
            return ExitCodes.Success;
        });

    private static Command Url(GlobalOptions global) => Subcommand(global, "url", """
            Print the connection URL of the local database strata_dev, and nothing else on stdout, for scripts:
            export DATABASE_URL=$(strata dev url). Starts the local PostgreSQL when it is not running (notes go to stderr).
            """,
        async (context, config, ct) =>
        {
            var output = context.Output;
            WarnWhenDevelopmentHasUrl(context, config);
            var (server, _) = await LocalDevDatabase.StartAsync(config, ConnectionOption.LocalDevNotes(output.Status), ct);
            await using (server)
            {
                var url = LocalDevDatabase.Url(server);
                await output.RawAsync(url + Environment.NewLine);
                output.JsonResult(new DevUrlJson(url, server.Port, LocalDevDatabase.Name));
            }
            return ExitCodes.Success;
        });

    /// <summary>A dev subcommand: they all start from strata.json, which says where the project's .strata folder is.</summary>
    private static Command Subcommand(GlobalOptions global, string name, string description, Func<CommandContext, StrataConfig, CancellationToken, Task<int>> run)
    {
        var command = new Command(name, description);
        command.SetRun(global, async (context, ct) => await run(context, await context.LoadConfigAsync(ct), ct));
        return command;
    }

    /// <summary>A development environment with its own url does not use this server: say so, on stderr, so that nobody migrates one and queries the other.</summary>
    private static void WarnWhenDevelopmentHasUrl(CommandContext context, StrataConfig config)
    {
        if (config.Environments?.GetValueOrDefault(StrataEnvironment.Development)?.Url is not null)
            context.Output.Status(
                $"Note: the development environment in {CommandContext.Display(config.ConfigPath)} has a url, so migrate and the other commands use that database, not this local one.");
    }

    private static string Size(long bytes) => bytes switch
    {
        >= 1L << 30 => (bytes / (double)(1L << 30)).ToString("0.0", CultureInfo.InvariantCulture) + " GB",
        >= 1L << 20 => (bytes / (double)(1L << 20)).ToString("0.0", CultureInfo.InvariantCulture) + " MB",
        >= 1L << 10 => (bytes / (double)(1L << 10)).ToString("0.0", CultureInfo.InvariantCulture) + " kB",
        _ => bytes.ToString(CultureInfo.InvariantCulture) + " bytes",
    };
}
