using Strata.Cli.Output;
using System.CommandLine;
using System.Text;
using Strata.Postgres.Configuration;
using Strata.Postgres.Migrations;

namespace Strata.Cli.Commands;

/// <summary>What migrate, status and rollback share: the migrations source, the lock wait option, dry-run output.</summary>
internal static class MigrationCommands
{
    public static Option<double> CreateLockWaitOption() => new("--lock-wait")
    {
        Description = "How long to wait for another migration run to release the migration lock before giving up",
        HelpName = "seconds",
        DefaultValueFactory = _ => 300,
        Validators =
        {
            result =>
            {
                if (result.GetValueOrDefault<double>() is < 0 or double.NaN or double.PositiveInfinity)
                    result.AddError("--lock-wait must be a number of seconds, 0 or more");
            },
        },
    };

    /// <param name="statement">What waits, in the help text: a migration statement for migrate and rollback.</param>
    public static Option<double?> CreateLockTimeoutOption(string statement = "a migration statement") => new("--lock-timeout")
    {
        Description = $"How long {statement} may wait for a table lock before it fails, naming the session that holds it (PostgreSQL lock_timeout; 0 waits without limit). "
            + $"Default: the environment's lockTimeout in strata.json, else {MigratorOptions.DefaultLockTimeout.TotalSeconds:0} s",
        HelpName = "seconds",
        Validators =
        {
            result =>
            {
                if (result.GetValueOrDefault<double?>() is < 0 or double.NaN or double.PositiveInfinity)
                    result.AddError("--lock-timeout must be a number of seconds, 0 or more");
            },
        },
    };

    /// <summary>The line migrate and rollback print when a statement that ran out of lock_timeout is tried again.</summary>
    public static string DescribeRetry(LockRetry retry) =>
        $"{retry.MigrationId}: {(retry.WholeTransaction ? "its transaction" : "a statement")} waited longer than lock_timeout "
        + $"({retry.Failure.LockTimeout?.TotalSeconds:0.###} s{(retry.Failure.Blockers.Count > 0 ? $", held by {string.Join("; ", retry.Failure.Blockers)}" : "")}) and gave way; "
        + $"attempt {retry.Attempt + 1} of {retry.MaxAttempts} in {CliFormat.Duration(retry.Pause)}";

    /// <summary>The lock_timeout of the migration statements: --lock-timeout, else the environment's lockTimeout, else the Migrator's default.</summary>
    public static TimeSpan LockTimeout(CommandContext context, Option<double?> option, DatabaseTarget target) =>
        context.Get(option) is { } seconds ? TimeSpan.FromSeconds(seconds)
        : target.Environment.Settings.LockTimeout ?? MigratorOptions.DefaultLockTimeout;

    /// <summary>strata.json and the migrations folder it names.</summary>
    public static async Task<(StrataConfig Config, MigrationSource Source)> LoadAsync(CommandContext context, CancellationToken ct)
    {
        var config = await context.LoadConfigAsync(ct);
        return (config, await MigrationSource.FromFolderAsync(config.MigrationsDirectory, ct));
    }

    /// <summary>
    /// The statements of a dry run as plain SQL (stdout stays pipeable): a comment header per migration
    /// naming it and its file, then its statements, each ending with a newline.
    /// </summary>
    private static string RenderPlan(IReadOnlyList<PlannedMigration> plan, string verb)
    {
        var text = new StringBuilder();
        foreach (var migration in plan)
        {
            text.Append("-- ").Append(verb).Append(' ').Append(migration.Id).Append(" (").Append(CommandContext.Display(migration.File)).Append(')').Append('\n');
            if (migration.OutOfOrder)
                text.Append("-- out of order: older than the newest applied migration\n");
            text.Append(migration.RunsInTransaction
                ? "-- runs in a transaction with its tracking row\n"
                : "-- runs statement by statement outside a transaction (-- strata:no-transaction)\n");
            if (migration.ResumeAtStatement > 0)
                text.Append("-- partially applied: resumes at statement ").Append(migration.ResumeAtStatement + 1).Append(" of ").Append(migration.Statements.Count).Append('\n');
            foreach (var statement in migration.Statements.Skip(migration.ResumeAtStatement))
                text.Append(statement.Sql).Append('\n');
            text.Append('\n');
        }
        return text.ToString();
    }

    /// <summary>A dry run's output: the plan as SQL on stdout, or with --json as data.</summary>
    public static async Task<int> WriteDryRunAsync(Output.CliOutput output, DatabaseTarget target, IReadOnlyList<PlannedMigration> plan, string verb, string nothingToDo)
    {
        await output.RawAsync(plan.Count == 0 ? $"-- {nothingToDo}\n" : RenderPlan(plan, verb));
        output.JsonResult(MigrationDryRunJson.From(plan, target.Environment.Name, target.Description));
        return ExitCodes.Success;
    }

    public static string Plural(int count, string noun) => $"{count} {noun}{(count == 1 ? "" : "s")}";
}
