using Strata.Cli.Output;
using System.CommandLine;
using Spectre.Console;
using Strata.Postgres.Configuration;
using Strata.Postgres.Migrations;

namespace Strata.Cli.Commands;

/// <summary><c>strata drop</c>: removes the newest migration folder and its lines of strata.sum.</summary>
internal static class DropCommand
{
    public static Command Create(GlobalOptions global)
    {
        var connection = ConnectionOption.Create();
        var guard = new ProtectedEnvironmentGuard();
        var command = new Command("drop", """
            Remove the newest migration (one not applied anywhere yet) and repair strata.sum. It first checks
            the migration is not applied to the database of the run (--connection, $STRATA_DATABASE_URL, or
            the environment's: for development without a url the local PostgreSQL of strata dev, started if
            needed): an applied one is refused unless --force, and on a protected database --force needs the
            database name confirmed.
            """)
        {
            connection,
        };
        guard.AddTo(command);
        command.SetRun(global, async (context, ct) =>
        {
            var config = await context.LoadConfigAsync(ct);
            var directory = await MigrationDirectory.LoadAsync(config.MigrationsDirectory, ct);

            // Dropping rewrites strata.sum, which would hide an edit in a migration that stays. Problems
            // within the newest migration itself leave with it.
            var newest = directory.Migrations.Count > 0 ? directory.Migrations[^1].Id + "/" : null;
            var problems = (await directory.VerifySumAsync(ct))
                .Where(p => newest is null || !p.File.StartsWith(newest, StringComparison.Ordinal))
                .Select(p => p.Message)
                .ToList();
            if (problems.Count > 0)
                throw CliException.Failure("strata.sum does not match the migrations that would stay, so nothing was dropped", problems,
                    remedy: "Mend those first as each problem says (strata check shows them again), then run strata drop.");

            var checkedDatabase = newest is not null && await IsAppliedGuardAsync(context, connection, guard, config, directory.Migrations[^1].Id, ct);

            var removed = await directory.DropNewestAsync(ct)
                ?? throw CliException.Failure($"there is no migration to drop in {CommandContext.Display(config.MigrationsDirectory)}");

            var remaining = directory.Migrations.Count > 0 && directory.Migrations[^1].Id != removed.Id ? directory.Migrations[^1].Id : null;
            context.Output.Line($"Removed [bold]{Markup.Escape(CommandContext.Display(removed.FolderPath))}[/] and its lines of strata.sum.");
            context.Output.Line(remaining is null ? "There are no migrations left." : $"The newest migration is now {Markup.Escape(remaining)}.");
            if (!checkedDatabase)
                context.Output.Line($"Strata did not check whether {Markup.Escape(removed.Id)} was applied to a database (name one with --env or --connection to check): where it was, roll it back there first (its down.sql).");
            context.Output.JsonResult(new DropJson(removed.Id));
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>
    /// Whether <paramref name="id"/> is applied to the database of the run (--connection, $STRATA_DATABASE_URL,
    /// the environment's url, or for development without one the local PostgreSQL of strata dev): refused
    /// unless --force (and, on a protected database, the confirmed database name). True once checked.
    /// </summary>
    private static async Task<bool> IsAppliedGuardAsync(CommandContext context, Option<string?> connection, ProtectedEnvironmentGuard guard, StrataConfig config, string id, CancellationToken ct)
    {
        var given = context.Get(connection) is not null
            || Environment.GetEnvironmentVariable(DatabaseConnection.EnvironmentVariable) is { Length: > 0 };
        if (!given && (await context.ResolveEnvironmentAsync(config, ct)) is { Connection: null } local
            && !Strata.Postgres.LocalServer.LocalPostgres.ClusterExists(LocalDevDatabase.DataDirectory(config)))
        {
            // Development without a url is the local PostgreSQL of strata dev; never created, it has applied nothing.
            context.Output.Line($"{Markup.Escape(id)} is not applied to the {Markup.Escape(local.Name)} database: the local PostgreSQL in {Markup.Escape(CommandContext.Display(LocalDevDatabase.DataDirectory(config)))} was never created.");
            return true;
        }

        // The local PostgreSQL of strata dev is a database like any other: started if it is stopped, and checked.
        await using var target = await ConnectionOption.OpenAsync(context, connection, config, "drop", use: DatabaseUse.Query, stdoutIsData: false, ct: ct);
        var history = await target.RunAsync(async () =>
        {
            await using var open = await target.DataSource.OpenConnectionAsync(ct);
            return await new HistoryTable(config.TrackingTable).ReadAsync(open, ct);
        }, "Nothing was dropped; run strata drop again when the server is reachable.");
        if (!history.ContainsKey(id))
        {
            context.Output.Line($"{Markup.Escape(id)} is not applied to {Markup.Escape(target.Description)}.");
            return true;
        }

        var what = $"remove the migration {id}, which is applied there (its row in {config.TrackingTable} stays, and strata migrate refuses until the folder is restored)";
        if (await ProtectedEnvironmentGuard.ProtectionAsync(target, ct) is not null)
        {
            await guard.EnsureAllowedAsync(context, target, "drop", what, ct);
        }
        else if (!context.Get(guard.Force))
        {
            throw CliException.Failure($"refused: {id} is applied to {target.Description}; nothing was dropped",
                remedy: $"Roll it back there first (strata rollback), then drop it; or, to drop the files anyway, run again with --force.");
        }
        context.Output.Warning($"{id} is applied to {target.Description}: roll it back there (its down.sql) or restore the folder before the next strata migrate.");
        return true;
    }
}
