using System.CommandLine;
using System.Text.Json.Nodes;
using Spectre.Console;
using Strata.Postgres.Migrations;

namespace Strata.Cli.Commands;

/// <summary><c>strata drop</c>: removes the newest migration folder and its lines of strata.sum.</summary>
internal static class DropCommand
{
    public static Command Create(GlobalOptions global)
    {
        var command = new Command("drop", "Remove the newest migration (one not applied anywhere yet) and repair strata.sum");
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

            var removed = await directory.DropNewestAsync(ct)
                ?? throw CliException.Failure($"there is no migration to drop in {CommandContext.Display(config.MigrationsDirectory)}");

            var remaining = directory.Migrations.Count > 0 && directory.Migrations[^1].Id != removed.Id ? directory.Migrations[^1].Id : null;
            context.Output.Line($"Removed [bold]{Markup.Escape(CommandContext.Display(removed.FolderPath))}[/] and its lines of strata.sum.");
            context.Output.Line(remaining is null ? "There are no migrations left." : $"The newest migration is now {Markup.Escape(remaining)}.");
            // Without environments Strata cannot look at the databases; say what that means.
            context.Output.Line($"Strata did not check whether {Markup.Escape(removed.Id)} was applied to a database: where it was, roll it back there first (its down.sql).");
            context.Output.JsonResult(new JsonObject { ["ok"] = true, ["removed"] = removed.Id });
            return ExitCodes.Success;
        });
        return command;
    }
}
