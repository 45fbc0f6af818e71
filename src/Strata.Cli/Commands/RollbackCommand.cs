using System.CommandLine;
using System.Diagnostics;
using Spectre.Console;
using Strata.Cli.Output;
using Strata.Postgres.Configuration;
using Strata.Postgres.Migrations;

namespace Strata.Cli.Commands;

/// <summary><c>strata rollback</c>: runs the down.sql of the newest applied migrations, newest first.</summary>
internal static class RollbackCommand
{
    public static Command Create(GlobalOptions global)
    {
        var connection = ConnectionOption.Create();
        var steps = new Option<int?>("--steps")
        {
            Description = "How many of the newest applied migrations to undo (default: 1)",
            HelpName = "n",
            Validators =
            {
                result =>
                {
                    if (result.GetValueOrDefault<int?>() is < 1)
                        result.AddError("--steps must be 1 or more");
                },
            },
        };
        var to = new Option<string?>("--to")
        {
            Description = "Undo every applied migration after this one (its id or its prefix, 0003); it stays applied",
            HelpName = "id",
        };
        var acceptDataLoss = new Option<bool>("--accept-data-loss")
        {
            Description = "Run down scripts that destroy data (their header says -- strata:data-loss)",
        };
        var dryRun = new Option<bool>("--dry-run")
        {
            Description = "Print the down SQL that would run (a comment names each migration and its file) and change nothing",
        };
        var lockWait = MigrationCommands.CreateLockWaitOption();
        var lockTimeout = MigrationCommands.CreateLockTimeoutOption();
        var guard = new ProtectedEnvironmentGuard();

        var command = new Command("rollback", """
            Undo the newest applied migrations by running their down.sql in reverse order, each in a transaction
            with the removal of its tracking row. Refuses, before undoing anything, a down script that destroys
            data (unless --accept-data-loss), a migration without a down script (a custom one), and a partially
            applied migration. Exit codes: 0 rolled back (or nothing applied), 1 refused or failed, 2 usage or
            configuration error.
            """)
        {
            connection, steps, to, acceptDataLoss, dryRun, lockWait, lockTimeout,
        };
        guard.AddTo(command);
        command.Validators.Add(result =>
        {
            if (result.GetResult(steps) is { Implicit: false } && result.GetResult(to) is { Implicit: false })
                result.AddError("--steps and --to cannot be used together: --to undoes every migration after the one it names");
        });
        command.SetRun(global, async (context, ct) =>
        {
            var output = context.Output;
            var (config, source) = await MigrationCommands.LoadAsync(context, ct);
            var isDryRun = context.Get(dryRun);
            await using var target = await ConnectionOption.OpenAsync(context, connection, config, "rollback", DatabaseUse.SchemaChange, stdoutIsData: isDryRun, ct);

            var migrator = new Migrator(target.DataSource, source, config.MigratorOptionsFor(target.Environment) with
            {
                LockWaitTimeout = TimeSpan.FromSeconds(context.Get(lockWait)),
                LockTimeout = MigrationCommands.LockTimeout(context, lockTimeout, target),
                LockRetrying = retry => output.Warning(MigrationCommands.DescribeRetry(retry)),
            });
            var rollback = new RollbackOptions
            {
                Steps = context.Get(steps) ?? 1,
                TargetId = context.Get(to),
                AcceptDataLoss = context.Get(acceptDataLoss),
            };
            const string lostConnection = "Each migration is undone in a transaction with its tracking row: those undone stay undone, the one in progress was rolled back. Run strata status to see where the database is.";

            if (isDryRun)
            {
                output.Status($"Dry run against {target.Title}: the SQL that strata rollback would run now. Nothing is changed.");
                var plan = await target.RunAsync(() => migrator.PlanRollbackAsync(rollback, ct), lostConnection);
                return await MigrationCommands.WriteDryRunAsync(output, target, plan, "rollback of", "nothing to roll back: no migration is applied");
            }

            if (await ProtectedEnvironmentGuard.ProtectionAsync(target, ct) is not null)
            {
                // Only a rollback that destroys data needs the confirmation; the plan says (and refuses
                // such a rollback outright without --accept-data-loss).
                var losses = (await target.RunAsync(() => migrator.PlanRollbackAsync(rollback, ct), lostConnection))
                    .SelectMany(m => (m.DataLoss ?? []).Select(loss => $"{m.Id}: {loss}")).ToList();
                if (losses.Count > 0)
                    await guard.EnsureAllowedAsync(context, target, "rollback", $"run down scripts that destroy data ({string.Join("; ", losses)})", ct);
            }

            output.Line($"Rolling back [bold]{Markup.Escape(target.Title)}[/] with the down scripts in {Markup.Escape(CommandContext.Display(source.Location))}");
            var started = Stopwatch.StartNew();
            var undone = await target.RunAsync(() => migrator.RollbackAsync(rollback, ct), lostConnection);

            foreach (var migration in undone)
            {
                output.Line($"  rolled back [bold]{Markup.Escape(migration.Id)}[/] in {CliFormat.Duration(migration.Duration)}");
                foreach (var lost in migration.Irreversible)
                    output.Warning($"{migration.Id}: {lost}");
            }
            output.Line(undone.Count == 0
                ? "Nothing to roll back: no migration is applied."
                : $"Rolled back {MigrationCommands.Plural(undone.Count, "migration")} in {started.Elapsed.TotalSeconds:0.00} s.");
            output.JsonResult(RollbackJson.From(undone, target.Environment.Name, target.Description));
            return ExitCodes.Success;
        });
        return command;
    }
}
