using System.CommandLine;
using System.Diagnostics;
using Strata.Cli.Output;
using Spectre.Console;
using Strata.Diffing;
using Strata.Model;
using Strata.Postgres.Comparison;
using Strata.Postgres.Configuration;
using Strata.Postgres.Execution;
using Strata.Postgres.Introspection;
using Strata.Postgres.Migrations;
using Strata.Postgres.Sql;
using Strata.Renaming;

namespace Strata.Cli.Commands;

/// <summary>
/// <c>strata push</c>, the development loop: the live database against the C# schema, and the difference
/// applied directly (no migration is written). Data loss is reported with row counts and asked about, or
/// refused without a terminal unless <c>--accept-data-loss</c>. A protected environment is refused unless
/// <c>--force</c> and the database name are given: push bypasses the migrations, so such a database would
/// stop matching its migration history.
/// </summary>
internal static class PushCommand
{
    public static Command Create(GlobalOptions global)
    {
        var connection = ConnectionOption.Create();
        var acceptDataLoss = new Option<bool>("--accept-data-loss")
        {
            Description = "Apply changes that drop tables or columns or narrow types without asking (needed without a terminal)",
        };
        var dryRun = new Option<bool>("--dry-run") { Description = "Print the SQL that push would run, and change nothing" };
        var (rename, renamesFile) = RenameResolution.CreateOptions();
        var lockWait = MigrationCommands.CreateLockWaitOption();
        var lockTimeout = MigrationCommands.CreateLockTimeoutOption("a statement");
        var guard = new ProtectedEnvironmentGuard();
        var filter = new IntrospectionFilterOptions();

        var command = new Command("push", """
            Compare the live database with the C# schema and apply the difference directly, without writing a
            migration: for development. Runs in one transaction, except statements PostgreSQL refuses inside one
            (CREATE INDEX CONCURRENTLY), which run after it. Changes that lose data are listed with row counts
            and asked about on a terminal; without one, push refuses unless --accept-data-loss. A protected
            environment needs --force and the database name confirmed. Exit codes: 0 pushed or nothing to do,
            1 refused or failed, 2 usage or configuration error.
            """)
        {
            connection, acceptDataLoss, dryRun, rename, renamesFile, lockWait, lockTimeout,
        };
        guard.AddTo(command);
        filter.AddTo(command);
        command.SetRun(global, async (context, ct) =>
        {
            var output = context.Output;
            var config = await context.LoadConfigAsync(ct);
            var selection = filter.Read(context.ParseResult);
            var hints = await RenameHints.ReadAsync(context.Get(rename) ?? [], context.Get(renamesFile), ct);
            var schema = await context.LoadSchemaAsync(config, ct);
            var dry = context.Get(dryRun);
            await using var target = await ConnectionOption.OpenAsync(context, connection, config, "push", use: DatabaseUse.SchemaChange, stdoutIsData: dry, ct: ct);
            const string lostConnection = "The transaction was rolled back unless it had committed (then only statements after it, such as CREATE INDEX CONCURRENTLY, may be missing); run strata push again when the server is reachable: it applies what is left.";

            // Before anything is read or built on the server: push bypasses the migrations, so on a protected
            // environment every run but a dry run needs the same confirmation as reset.
            if (!dry)
                await guard.EnsureAllowedAsync(context, target, "push",
                    "change the schema directly, bypassing the migrations (the database would then no longer match its migration history; "
                    + "a protected environment should change through strata generate and strata migrate)", ct);

            var started = Stopwatch.StartNew();
            IReadOnlyList<DataLoss> losses = [];
            var options = new PushOptions(config.TrackingTable, selection, RenameResolution.Parse(hints),
                new SessionTimeouts(MigrationCommands.LockTimeout(context, lockTimeout, target), target.Environment.Settings.StatementTimeout),
                TimeSpan.FromSeconds(context.Get(lockWait)), dry, PrintedFormCache.Folder(config.ProjectRoot));
            var callbacks = new PushCallbacks
            {
                WaitingForLock = holder => output.Status($"Waiting for the migration lock, held by {holder ?? "another session"}…"),
                Warning = output.Warning,
                Renames = RenameResolution.Questions(output),
                Applying = async (plan, counted, token) =>
                {
                    losses = counted;
                    output.Line($"Pushing the C# schema to [bold]{Markup.Escape(target.Title)}[/]: {MigrationCommands.Plural(plan.Statements.Count, "statement")} to apply.");
                    if (losses.Count > 0)
                    {
                        output.Line("[yellow]These changes lose data:[/]");
                        foreach (var loss in losses)
                            output.Line($"  {Markup.Escape(loss.Describe())}");
                    }
                    // The library refuses a data-losing plan that is not accepted; on a terminal the user is asked first.
                    if (!plan.LosesData || context.Get(acceptDataLoss) || !output.IsInteractive)
                        return context.Get(acceptDataLoss);
                    if (!await new ConfirmationPrompt("Apply these changes and lose that data?") { DefaultValue = false }.ShowAsync(output.Terminal, token))
                        throw CliException.Failure("not confirmed; nothing was changed");
                    return true;
                },
            };

            PushResult result;
            try
            {
                result = await target.RunAsync(() => SchemaPush.PushAsync(target.Live(), schema, options, callbacks, ct), lostConnection);
            }
            catch (Exception e) when (RenameResolution.Translate(e, "nothing was changed") is { } unresolved)
            {
                throw unresolved;
            }
            catch (DataLossNotAcceptedException)
            {
                throw CliException.Failure(
                    $"refused: pushing would lose data ({string.Join("; ", losses.Select(l => l.Describe()))}), and there is no terminal to ask; nothing was changed",
                    remedy: "If the data may go, run it again with --accept-data-loss; to keep it, change the C# schema (or write a migration that moves the data).");
            }

            var plan = result.Plan;
            if (plan.IsEmpty)
            {
                if (dry)
                    output.Status($"No changes: {target.Description} matches the schema{IntrospectionFilterOptions.Describe(selection)}.");
                else
                    output.Line($"No changes: {Markup.Escape(target.Description)} matches the schema{Markup.Escape(IntrospectionFilterOptions.Describe(selection))}.");
                output.JsonResult(new PushUnchangedJson(Changed: false, target.Description, target.Environment.Name));
                return ExitCodes.Success;
            }
            if (dry)
            {
                await DryRunAsync(context, target, plan);
                foreach (var column in plan.ColumnsOutOfOrder)
                    output.Status("note: " + ColumnOrderNote(column));
                return ExitCodes.Success;
            }

            var statements = plan.Statements;
            var outside = statements.Count(s => !s.Transactional);
            output.Line($"Pushed {MigrationCommands.Plural(statements.Count, "statement")} to {Markup.Escape(target.Description)} in {started.Elapsed.TotalSeconds:0.00} s"
                + (outside == 0 ? "." : $" ({outside} of them outside the transaction, as PostgreSQL requires)."));
            foreach (var column in plan.ColumnsOutOfOrder)
                output.Line($"[yellow]note:[/] {Markup.Escape(ColumnOrderNote(column))}");
            output.JsonResult(PushJson.From(plan, losses, target.Description, target.Environment.Name));
            return ExitCodes.Success;
        });
        return command;
    }

    private static string ColumnOrderNote(ColumnOutOfOrder column) =>
        $"{column.Table}: column {column.Column} goes at the end of the table, not before {column.Before} as in the C# schema "
        + "(PostgreSQL adds a column after the last one; push does not rebuild a table to reorder it, see docs/commands.md)";

    private static string Describe(this DataLoss loss) => loss.Rows is { } rows
        ? $"{loss.What} ({loss.Table} has {MigrationCommands.Plural((int)Math.Min(rows, int.MaxValue), "row")})"
        : loss.What;

    private static async Task DryRunAsync(CommandContext context, DatabaseTarget target, PushPlan plan)
    {
        if (context.Output.Json)
        {
            context.Output.JsonResult(PushDryRunJson.From(plan, target.Description, target.Environment.Name));
            return;
        }
        await context.Output.RawAsync(plan.Script.Text);
        context.Output.Status("Dry run: nothing was changed.");
    }
}
