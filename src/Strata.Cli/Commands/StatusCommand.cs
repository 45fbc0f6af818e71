using System.CommandLine;
using System.Globalization;
using Spectre.Console;
using Strata.Cli.Output;
using Strata.Postgres.Configuration;
using Strata.Postgres.Migrations;

namespace Strata.Cli.Commands;

/// <summary><c>strata status</c>: every migration of the folder and of the tracking table, and what state it is in. Reads only.</summary>
internal static class StatusCommand
{
    public static Command Create(GlobalOptions global)
    {
        var connection = ConnectionOption.Create();
        var command = new Command("status", """
            Show every migration: applied (when, how long, by whom), pending, out of order, missing on disk,
            checksum mismatch or partially applied, and the problems strata.sum finds in the folder. Changes nothing.
            Exit codes: 0 nothing is wrong (pending and out-of-order migrations included), 1 an applied migration
            was edited or deleted, one is partially applied, strata.sum disagrees with the folder, or two
            migrations were generated on the same parent (a branch conflict);
            2 usage or configuration error.
            """)
        {
            connection,
        };
        command.SetRun(global, async (context, ct) =>
        {
            var output = context.Output;
            var (config, source) = await MigrationCommands.LoadAsync(context, ct);
            await using var target = await ConnectionOption.OpenAsync(context, connection, config, "status", DatabaseUse.Query, stdoutIsData: false, ct);
            var migrator = new Migrator(target.DataSource, source, new MigratorOptions { HistoryTable = config.TrackingTable });
            var report = await target.RunAsync(() => migrator.StatusAsync(ct), "Run strata status again when the server is reachable.");
            var wrong = HasProblems(report);

            if (output.Json)
            {
                output.JsonResult(Json(report, target, config.TrackingTable.ToString(), wrong));
                return wrong ? ExitCodes.Failure : ExitCodes.Success;
            }

            output.Line($"Migrations of [bold]{Markup.Escape(target.Title)}[/] from {Markup.Escape(CommandContext.Display(source.Location))}");
            if (!report.TrackingTableExists)
                output.Line($"The database has no tracking table {Markup.Escape(config.TrackingTable.ToString())} yet: no migration is applied.");
            if (report.Migrations.Count > 0)
                WriteTable(output, report);
            else
                output.Line("There are no migrations yet (run strata generate).");

            foreach (var migration in report.Migrations)
            {
                if (migration.Explain() is { } explanation)
                {
                    if (migration.State == MigrationState.OutOfOrder)
                        output.Warning(explanation);
                    else
                        output.Line($"[red]problem:[/] {Markup.Escape(explanation)}");
                }
                if (migration.EmptyProblem is { } empty)
                    output.Warning(empty + " migrate refuses to apply it.");
            }
            if (report.SumProblems.Count > 0)
            {
                output.Line("[red]strata.sum problems:[/]");
                foreach (var problem in report.SumProblems)
                    output.Line($"  {Markup.Escape(problem.Message)}");
            }
            foreach (var conflict in report.BranchConflicts)
                output.Line($"[red]branch conflict:[/] {Markup.Escape(conflict.Message)} strata migrate and strata rollback refuse this folder until then.");
            output.Line(Summary(report));
            return wrong ? ExitCodes.Failure : ExitCodes.Success;
        });
        return command;
    }

    /// <summary>What makes the exit code 1: everything <see cref="MigrationStatusReport.HasProblems"/> counts, and a partially applied migration.</summary>
    private static bool HasProblems(MigrationStatusReport report) =>
        report.HasProblems || report.Migrations.Any(m => m.State == MigrationState.Partial);

    private static void WriteTable(Output.CliOutput output, MigrationStatusReport report)
    {
        var table = new Table { Border = TableBorder.Rounded };
        table.AddColumn("Migration");
        table.AddColumn("State");
        table.AddColumn("Applied at (UTC)");
        table.AddColumn(new TableColumn("Duration").RightAligned());
        table.AddColumn("Applied by");
        foreach (var migration in report.Migrations)
        {
            var applied = migration.Applied;
            table.AddRow(
                Markup.Escape(migration.Id),
                $"[{Color(migration.State)}]{migration.State.Text()}[/]",
                applied is null ? "" : applied.AppliedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
                applied is null ? "" : CliFormat.Duration(TimeSpan.FromMilliseconds(applied.ExecutionMs)),
                applied is null ? "" : Markup.Escape(applied.AppliedBy));
        }

        var console = output.Terminal;
        // Redirected output has no width of its own; Spectre would fold the table into 80 columns.
        if (!output.IsTerminal)
            console.Profile.Width = 200;
        console.Write(table);
    }

    private static string Summary(MigrationStatusReport report)
    {
        var counts = report.Migrations.GroupBy(m => m.State).ToDictionary(g => g.Key, g => g.Count());
        var parts = new List<string>
        {
            $"{counts.GetValueOrDefault(MigrationState.Applied)} applied",
            $"{counts.GetValueOrDefault(MigrationState.Pending)} pending",
        };
        foreach (var state in new[] { MigrationState.OutOfOrder, MigrationState.Partial, MigrationState.ChecksumMismatch, MigrationState.MissingOnDisk })
        {
            if (counts.GetValueOrDefault(state) is var count and > 0)
                parts.Add($"{count} {state.Text()}");
        }
        if (report.SumProblems.Count > 0)
            parts.Add(MigrationCommands.Plural(report.SumProblems.Count, "strata.sum problem"));
        if (report.BranchConflicts.Count > 0)
            parts.Add(MigrationCommands.Plural(report.BranchConflicts.Count, "branch conflict"));
        return string.Join(", ", parts) + ".";
    }

    private static string JsonState(MigrationState state) => state switch
    {
        MigrationState.Applied => "applied",
        MigrationState.Pending => "pending",
        MigrationState.OutOfOrder => "outOfOrder",
        MigrationState.MissingOnDisk => "missingOnDisk",
        MigrationState.ChecksumMismatch => "checksumMismatch",
        MigrationState.Partial => "partial",
        _ => state.ToString(),
    };

    private static string Color(MigrationState state) => state switch
    {
        MigrationState.Applied => "green",
        MigrationState.Pending => "grey",
        MigrationState.OutOfOrder => "yellow",
        _ => "red",
    };

    private static StatusJson Json(MigrationStatusReport report, DatabaseTarget target, string trackingTable, bool wrong) =>
        new(target.Environment.Name, target.Description, report.Location, trackingTable, report.TrackingTableExists,
            report.Migrations.Select(m => MigrationStatusJson.From(m, JsonState(m.State))).ToList(),
            report.SumProblems.Select(SumProblemJson.From).ToList(),
            report.BranchConflicts.Select(BranchConflictJson.From).ToList(),
            Summary(report))
        {
            Ok = !wrong,
        };
}
