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
            var removed = await directory.DropNewestAsync(ct)
                ?? throw CliException.Failure($"there is no migration to drop in {CommandContext.Display(config.MigrationsDirectory)}");

            var remaining = directory.Migrations.Count > 0 && directory.Migrations[^1].Id != removed.Id ? directory.Migrations[^1].Id : null;
            context.Output.Line($"Removed [bold]{Markup.Escape(CommandContext.Display(removed.FolderPath))}[/] and its lines of strata.sum.");
            context.Output.Line(remaining is null ? "There are no migrations left." : $"The newest migration is now {Markup.Escape(remaining)}.");
            context.Output.JsonResult(new JsonObject { ["ok"] = true, ["removed"] = removed.Id });
            return ExitCodes.Success;
        });
        return command;
    }
}
