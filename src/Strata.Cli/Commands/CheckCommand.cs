using System.CommandLine;
using System.Text.Json.Nodes;
using Spectre.Console;
using Strata.Cli.Output;
using Strata.Diffing;
using Strata.Model;
using Strata.Postgres.Migrations;

namespace Strata.Cli.Commands;

/// <summary>
/// <c>strata check</c>, the CI gate for the files: strata.sum against the files, branch conflicts, and the
/// C# schema against the last snapshot. Exit 1 for broken files, 3 for changes not generated yet.
/// </summary>
internal static class CheckCommand
{
    public static Command Create(GlobalOptions global)
    {
        var command = new Command("check", "Check the migrations folder (strata.sum, branch conflicts) and that the C# schema has no changes left to generate");
        command.SetRun(global, async (context, ct) =>
        {
            var output = context.Output;
            var config = await context.LoadConfigAsync(ct);
            var directory = await MigrationDirectory.LoadAsync(config.MigrationsDirectory, ct);

            var sumProblems = await directory.VerifySumAsync(ct);
            if (sumProblems.Count == 0)
                output.Line($"[green]ok[/]    strata.sum matches the files of {directory.Migrations.Count} migration{(directory.Migrations.Count == 1 ? "" : "s")}");
            foreach (var problem in sumProblems)
                output.Line($"[red]error[/] {Markup.Escape(problem.Message)}");

            var conflicts = await directory.FindBranchConflictsAsync(ct);
            if (conflicts.Count == 0)
                output.Line("[green]ok[/]    no branch conflicts");
            foreach (var conflict in conflicts)
                output.Line($"[red]error[/] branch conflict: {Markup.Escape(conflict.Message)}");

            var latest = await directory.LatestSnapshotAsync(ct);
            var schema = await context.LoadSchemaAsync(config, ct);
            var diff = SchemaDiffer.Diff(latest?.Schema ?? DatabaseModel.Empty, schema, RenameDecisions.None);
            var last = directory.Migrations.Count > 0 ? directory.Migrations[^1].Id : null;
            if (diff.IsEmpty)
            {
                output.Line(last is null
                    ? "[green]ok[/]    the C# schema is empty, and so is the migrations folder"
                    : $"[green]ok[/]    the C# schema matches the last migration, {Markup.Escape(last)}");
            }
            else
            {
                output.Line($"[yellow]changes[/] the C# schema has {diff.Changes.Count} change{(diff.Changes.Count == 1 ? "" : "s")} that no migration holds yet{(last is null ? "" : $" (after {Markup.Escape(last)})")}:");
                foreach (var change in diff.Changes)
                    output.Line("        " + Markup.Escape(ChangeDescriptions.Describe(change)));
            }

            var exitCode = sumProblems.Count > 0 || conflicts.Count > 0 ? ExitCodes.Failure
                : !diff.IsEmpty ? ExitCodes.DifferenceFound
                : ExitCodes.Success;
            if (exitCode == ExitCodes.DifferenceFound)
                output.Line("Run [bold]strata generate[/] to write them as a migration.");
            if (exitCode == ExitCodes.Failure && !output.Json)
                output.Error(CliException.Failure("the migrations folder has problems (see above)"));

            output.JsonResult(new JsonObject
            {
                ["ok"] = exitCode == ExitCodes.Success,
                ["exitCode"] = exitCode,
                ["sumProblems"] = new JsonArray(sumProblems.Select(p => (JsonNode?)new JsonObject
                {
                    ["kind"] = p.Kind.ToString(),
                    ["file"] = p.File,
                    ["recorded"] = p.RecordedHash,
                    ["actual"] = p.ActualHash,
                    ["message"] = p.Message,
                }).ToArray()),
                ["branchConflicts"] = new JsonArray(conflicts.Select(c => (JsonNode?)new JsonObject
                {
                    ["parent"] = c.ParentMigrationId,
                    ["migrations"] = new JsonArray(c.MigrationIds.Select(id => (JsonNode?)JsonValue.Create(id)).ToArray()),
                    ["message"] = c.Message,
                }).ToArray()),
                ["pendingChanges"] = new JsonArray(diff.Changes.Select(c => (JsonNode?)JsonValue.Create(ChangeDescriptions.Describe(c))).ToArray()),
            });
            return exitCode;
        });
        return command;
    }
}
