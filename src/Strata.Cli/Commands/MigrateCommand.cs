using System.CommandLine;
using System.Diagnostics;
using Spectre.Console;
using Strata.Cli.Output;
using Strata.Diffing;
using Strata.Postgres.Comparison;
using Strata.Postgres.Configuration;
using Strata.Postgres.Introspection;
using Strata.Postgres.Migrations;

namespace Strata.Cli.Commands;

/// <summary>
/// <c>strata migrate</c>: applies the pending migrations through the <see cref="Migrator"/> (lock, checks,
/// a transaction per migration), or with <c>--dry-run</c> prints the SQL it would run.
/// </summary>
internal static class MigrateCommand
{
    public static Command Create(GlobalOptions global)
    {
        var connection = ConnectionOption.Create();
        var to = new Option<string?>("--to")
        {
            Description = "Stop after this migration: its id or its prefix (0003)",
            HelpName = "id",
        };
        var dryRun = new Option<bool>("--dry-run")
        {
            Description = "Print the SQL that would run (a comment names each migration and its file) and change nothing",
        };
        var allowOutOfOrder = new Option<bool>("--allow-out-of-order")
        {
            Description = "Also apply pending migrations older than the newest applied one (a merged branch); check first that they do not depend on the newer ones",
        };
        var transaction = new Option<string>("--transaction")
        {
            Description = "per-migration: each migration in its own transaction with its tracking row; all: every pending migration in one transaction, all or nothing",
            HelpName = "per-migration|all",
            DefaultValueFactory = _ => "per-migration",
        };
        transaction.AcceptOnlyFromAmong("per-migration", "all");
        var lockWait = MigrationCommands.CreateLockWaitOption();
        var lockTimeout = MigrationCommands.CreateLockTimeoutOption();
        var baseline = new Option<bool>("--baseline")
        {
            Description = "Mark the first migration (strata pull's baseline) as applied without running it, after checking that the database matches its snapshot; only on a database with no applied migrations",
        };

        var command = new Command("migrate", """
            Apply the pending migrations, each in its own transaction with its row in the tracking table.
            Refuses before running anything when an applied migration was edited or deleted, strata.sum
            disagrees with the folder, or a pending migration is older than the newest applied one.
            Exit codes: 0 applied (or nothing to apply), 1 refused or failed, 2 usage or configuration error.
            """)
        {
            connection, to, dryRun, allowOutOfOrder, transaction, lockWait, lockTimeout, baseline,
        };
        command.SetRun(global, async (context, ct) =>
        {
            var output = context.Output;
            var (config, source) = await MigrationCommands.LoadAsync(context, ct);
            var isDryRun = context.Get(dryRun);
            await using var target = await ConnectionOption.OpenAsync(context, connection, config, "migrate", DatabaseUse.SchemaChange, stdoutIsData: isDryRun, ct);

            var options = config.MigratorOptionsFor(target.Environment) with
            {
                LockWaitTimeout = TimeSpan.FromSeconds(context.Get(lockWait)),
                TransactionMode = context.Get(transaction) == "all" ? TransactionMode.All : TransactionMode.PerMigration,
                AllowOutOfOrder = context.Get(allowOutOfOrder),
                TargetId = context.Get(to),
                LockTimeout = MigrationCommands.LockTimeout(context, lockTimeout, target),
                LockRetrying = retry => output.Warning(MigrationCommands.DescribeRetry(retry)),
            };
            const string lostConnection = "Migrations recorded as applied stay applied and the one in its transaction was rolled back; run strata migrate again when the server is reachable.";

            if (context.Get(baseline))
            {
                if (isDryRun || context.Get(to) is not null)
                    throw CliException.Usage("--baseline cannot be combined with --dry-run or --to", remedy: "Run strata migrate --baseline alone, then strata migrate for the migrations after the baseline.");
                return await BaselineAsync(context, target, config, source, options, ct);
            }

            if (isDryRun)
            {
                output.Status($"Dry run against {target.Title}: the SQL that strata migrate would run now, from {CommandContext.Display(source.Location)}. Nothing is changed.");
                var plan = await target.RunAsync(() => new Migrator(target.DataSource, source, options).PlanAsync(ct), lostConnection);
                return await MigrationCommands.WriteDryRunAsync(output, target, plan, "migration", "nothing to apply: every migration is applied");
            }

            output.Line($"Migrating [bold]{Markup.Escape(target.Title)}[/] from {Markup.Escape(CommandContext.Display(source.Location))}");
            var started = Stopwatch.StartNew();
            var result = output.IsTerminal
                ? await MigrationProgressView.WithProgressBarAsync(output, progress => target.RunAsync(() => new Migrator(target.DataSource, source, options with { Progress = progress }).ApplyAsync(ct), lostConnection))
                : await target.RunAsync(() => new Migrator(target.DataSource, source, options with { Progress = new MigrationProgressView.StatusLines(output) }).ApplyAsync(ct), lostConnection);
            await ProtectedEnvironmentGuard.RecordAsync(output, target, config.TrackingTable, target.Environment.Protected ? target.Environment.Name : null, ct);

            if (result.LockWait >= TimeSpan.FromSeconds(1))
                output.Line($"Waited {result.LockWait.TotalSeconds:0.0} s for another migration run to release the lock.");
            foreach (var migration in result.Applied)
                output.Line($"  applied [bold]{Markup.Escape(migration.Id)}[/] in {CliFormat.Duration(migration.Duration)}");
            output.Line(result.Applied.Count == 0
                ? NothingToApply(result.AlreadyApplied, options.TargetId)
                : $"Applied {MigrationCommands.Plural(result.Applied.Count, "migration")} in {started.Elapsed.TotalSeconds:0.00} s"
                  + (result.AlreadyApplied > 0 ? $" ({result.AlreadyApplied} already applied)." : "."));
            output.JsonResult(MigrateJson.From(result, target.Environment.Name, target.Description));
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>
    /// <c>migrate --baseline</c>: the database was read by pull (or built by hand to match), so its first
    /// migration is recorded as applied without running it, once the live schema is proven to be the
    /// baseline's snapshot. Any difference refuses, naming the objects: recording a baseline the database
    /// does not match would make every later migration start from a wrong schema.
    /// </summary>
    private static async Task<int> BaselineAsync(CommandContext context, DatabaseTarget target, Postgres.Configuration.StrataConfig config, MigrationSource source, MigratorOptions options, CancellationToken ct)
    {
        var output = context.Output;
        var directory = await MigrationDirectory.LoadAsync(config.MigrationsDirectory, ct);
        if (directory.Migrations.Count == 0)
            throw CliException.Failure($"there is no migration in {CommandContext.Display(directory.Path)} to mark as the baseline; nothing was recorded",
                remedy: "Run strata pull first: it writes the baseline migration 0000_baseline from this database.");
        var first = directory.Migrations[0];
        var expected = (await first.ReadSnapshotAsync(ct)).Schema;

        var recorded = await target.RunAsync(() => new Migrator(target.DataSource, source, options).BaselineAsync(async connection =>
        {
            var live = await LiveDatabase.ReadAsync(connection, config.TrackingTable, new IntrospectionOptions(), ct);
            var differences = DriftView.Describe(SchemaDiffer.Diff(expected, LiveExpressions.Align(expected, live), RenameDecisions.None).Changes)
                .Select(line => line.Replace(" by hand", "", StringComparison.Ordinal)).ToList();
            if (differences.Count > 0)
                throw CliException.Failure(
                    $"refused: {target.Description} does not match the baseline {first.Id} (against its snapshot, the database has these differences); nothing was recorded",
                    differences,
                    remedy: "Mark the baseline only on the database it was pulled from, unchanged since; or pull again (strata pull --force) to take the database as it is now.");
        }, ct), "Nothing was recorded; run strata migrate --baseline again when the server is reachable.");

        output.Line($"Recorded [bold]{Markup.Escape(recorded.Id)}[/] as applied on [bold]{Markup.Escape(target.Title)}[/] without running it: the database matches its snapshot.");
        var later = directory.Migrations.Count - 1;
        if (later > 0)
            output.Line($"{MigrationCommands.Plural(later, "later migration")} pending: run [bold]strata migrate[/] to apply {(later == 1 ? "it" : "them")}.");
        output.JsonResult(new BaselineJson(target.Environment.Name, target.Description, recorded.Id, later));
        return ExitCodes.Success;
    }

    private static string NothingToApply(int alreadyApplied, string? targetId) => (alreadyApplied, targetId) switch
    {
        (_, not null) => $"Nothing to apply: {Markup.Escape(targetId)} and the migrations before it are already applied.",
        (0, _) => "Nothing to apply: there are no migrations yet (run strata generate).",
        (1, _) => "Nothing to apply: the one migration is already applied.",
        _ => $"Nothing to apply: all {alreadyApplied} migrations are already applied.",
    };
}
