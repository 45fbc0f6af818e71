using System.CommandLine;
using Spectre.Console;
using Strata.Postgres.Configuration;
using Strata.Cli.Output;
using Strata.Diffing;
using Strata.Model;
using Strata.Postgres.Comparison;
using Strata.Postgres.Introspection;
using Strata.Postgres.Linting;
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
        var allEnvs = new Option<bool>("--all-envs")
        {
            Description = "Also check the database of every environment in strata.json, as --env a,b does for the ones named",
        };
        var filter = new IntrospectionFilterOptions();
        var command = new Command("check", """
            Check the migrations folder (strata.sum, branch conflicts) and that the C# schema has no changes left to generate.
            With --env a,b,c (comma-separated; for check, --env names the environments whose databases to check) or
            --all-envs, also check each environment's database: its applied migrations against the folder, and its live
            schema against the snapshot of its newest applied migration (objects added, removed or altered by hand).
            --schema and --table limit which schemas and tables of each database (and of the snapshot) are compared.
            Without either, check reads no database.
            With an environment, the migrations not yet applied there are linted as strata lint does (an error-level finding is exit 1).
            Exit codes: 0 everything matches, 1 the migrations folder is broken or a lint error, 2 usage or configuration error or an
            environment that could not be checked (unreachable), 3 changes not generated yet, or a database that differs.
            """)
        {
            allEnvs,
        };
        filter.AddTo(command);
        command.SetRun(global, async (context, ct) =>
        {
            var output = context.Output;
            var config = await context.LoadConfigAsync(ct);
            var directory = await MigrationDirectory.LoadAsync(config.MigrationsDirectory, ct);
            // Only an --env given on this command line reads databases: $STRATA_ENV keeps check offline.
            var envOption = context.Get(global.Env);
            var environments = context.Get(allEnvs) || envOption is not null
                ? Environments(config, envOption, context.Get(allEnvs))
                : [];
            var selection = filter.Read(context.ParseResult);
            if (environments.Count == 0 && (selection.IncludeSchemas.Count > 0 || selection.Tables.Count > 0))
                throw CliException.Usage("--schema and --table select what check --env compares, and no --env or --all-envs is given",
                    remedy: "Add --env <names> or --all-envs, or leave --schema and --table out.");

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

            if (!diff.IsEmpty)
                output.Line("Run [bold]strata generate[/] to write them as a migration.");

            var drifts = new List<EnvironmentDrift>();
            if (environments.Count > 0)
            {
                var source = await MigrationSource.FromFolderAsync(config.MigrationsDirectory, ct);
                foreach (var name in environments)
                    drifts.Add(await CheckAsync(context, config, directory, source, name, selection, ct));
                if (!output.Json)
                {
                    output.Line();
                    DriftView.Write(output, drifts);
                }
            }

            // "New" migrations are the ones not yet applied in the environments checked: what the next migrate there
            // runs. Without an environment check cannot know them, and lints nothing (strata lint reads them all).
            var pending = drifts.SelectMany(d => d.Pending).ToHashSet(StringComparer.Ordinal);
            IReadOnlyList<LintFinding>? lintFindings = null;
            if (pending.Count > 0)
            {
                lintFindings = await MigrationLinter.LintFolderAsync(directory, config.LintSettings, m => pending.Contains(m.Id), ct);
                if (!output.Json)
                {
                    output.Line();
                    LintView.Write(output, lintFindings);
                    var summary = $"lint of the {pending.Count} migration{(pending.Count == 1 ? "" : "s")} not yet applied in {string.Join(", ", environments)}: "
                        + LintView.Summary(lintFindings, pending.Count);
                    output.Line(lintFindings.Count == 0 ? $"[green]ok[/]    {Markup.Escape(summary)}" : Markup.Escape(summary));
                }
            }
            var lintErrors = lintFindings?.Count(f => f.Level == LintLevel.Error) ?? 0;

            // An environment that could not be checked wins: nothing is known about it.
            var exitCode = drifts.Any(d => d.Error is not null) ? ExitCodes.UsageError
                : sumProblems.Count > 0 || conflicts.Count > 0 || lintErrors > 0 ? ExitCodes.Failure
                : !diff.IsEmpty || drifts.Any(d => !d.Matches) ? ExitCodes.DifferenceFound
                : ExitCodes.Success;
            if (exitCode == ExitCodes.Failure && !output.Json)
                output.Error(CliException.Failure(sumProblems.Count > 0 || conflicts.Count > 0
                    ? "the migrations folder has problems (see above)"
                    : $"the migrations not yet applied have {lintErrors} lint error{(lintErrors == 1 ? "" : "s")} (see above)"));
            if (exitCode == ExitCodes.UsageError && !output.Json)
                output.Error(CliException.Usage($"could not check {string.Join(", ", drifts.Where(d => d.Error is not null).Select(d => d.Environment))} (see above)"));

            output.JsonResult(new CheckJson(exitCode, sumProblems.Select(SumProblemJson.From).ToList(), conflicts.Select(BranchConflictJson.From).ToList(),
                diff.Changes.Select(ChangeDescriptions.Describe).ToList(), environments.Count > 0 ? drifts.Select(EnvironmentDriftJson.From).ToList() : null)
            {
                Ok = exitCode == ExitCodes.Success,
                Lint = lintFindings?.Select(LintFindingJson.From).ToList(),
            });
            return exitCode;
        });
        return command;
    }

    /// <summary>
    /// The environments named by <c>--env</c> (comma-separated) or, with <paramref name="all"/>, every one
    /// in strata.json (development alone when it has none). An unknown name is a usage error up front.
    /// </summary>
    private static IReadOnlyList<string> Environments(StrataConfig config, string? envOption, bool all)
    {
        var configured = config.Environments ?? new Dictionary<string, EnvironmentSettings>();
        if (all)
            return configured.Count == 0 ? [StrataEnvironment.Development] : configured.Keys.ToList();
        var names = (envOption ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Distinct(StringComparer.Ordinal).ToList();
        if (names.Count == 0)
            throw CliException.Usage("--env names no environment", remedy: "Give one or more names separated by commas (--env test,production), or --all-envs.");
        // A misspelt name is a usage error before any database is read (its variables are checked later, per environment).
        foreach (var name in names)
            EnvironmentResolver.Resolve(config, name, withConnections: false);
        return names;
    }

    /// <summary>Checks one environment; an environment that cannot be resolved or reached is reported, not thrown.</summary>
    private static async Task<EnvironmentDrift> CheckAsync(CommandContext context, StrataConfig config, MigrationDirectory directory, MigrationSource source,
        string name, IntrospectionOptions selection, CancellationToken ct)
    {
        DatabaseTarget target;
        try
        {
            target = await ConnectionOption.OpenEnvironmentAsync(context, config, name, "check", ct);
        }
        catch (CliException e)
        {
            return new EnvironmentDrift(name, null, e.Message, [], [], false, null, null, []);
        }

        await using (target)
        {
            try
            {
                return await target.RunAsync(() => DriftCheck.CompareAsync(target.Live(), target.Environment.Name, directory, source,
                    config.TrackingTable, selection, PrintedFormCache.Folder(config.ProjectRoot), context.Output.Warning, ct), "Run strata check again when the server is reachable.");
            }
            catch (DatabaseTargetException e)
            {
                return new EnvironmentDrift(name, target.Description, e.Message, [], [], false, null, null, []);
            }
        }
    }
}
