using Strata.Cli.Output;
using System.CommandLine;
using Strata.Postgres.Migrations;

namespace Strata.Cli.Commands;

/// <summary><c>strata hash</c>: accepts the migration files as they are now by rewriting strata.sum.</summary>
internal static class HashCommand
{
    public static Command Create(GlobalOptions global)
    {
        var command = new Command("hash", "Rewrite strata.sum from the migration files as they are now (after a deliberate edit)");
        command.SetRun(global, async (context, ct) =>
        {
            var config = await context.LoadConfigAsync(ct);
            var directory = await MigrationDirectory.LoadAsync(config.MigrationsDirectory, ct);
            var sum = await directory.RehashAsync(ct);
            context.Output.Line($"Rewrote {CommandContext.Display(directory.SumPath)}: {sum.Files.Count} file{(sum.Files.Count == 1 ? "" : "s")}.");
            context.Output.JsonResult(new HashJson(sum.Files.Count));
            return ExitCodes.Success;
        });
        return command;
    }
}
