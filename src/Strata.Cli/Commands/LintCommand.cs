using System.CommandLine;
using Strata.Cli.Output;
using Strata.Postgres.Configuration;
using Strata.Postgres.Linting;
using Strata.Postgres.Migrations;

namespace Strata.Cli.Commands;

/// <summary>
/// <c>strata lint</c>: the migrations folder's scripts, generated and hand-written alike, against the rules that keep
/// a migration from blocking production or losing data (<see cref="MigrationLinter"/>). Exit 1 on an error-level finding.
/// </summary>
internal static class LintCommand
{
    public const string TextFormat = "text";
    public const string GitHubFormat = "github";

    public static Command Create(GlobalOptions global)
    {
        var folder = new Option<string?>("--migrations-folder")
        {
            Description = "The migrations folder to lint (default: strata.json's \"migrations\"; strata.json is optional with this option)",
            HelpName = "path",
        };
        var since = new Option<string?>("--since")
        {
            Description = "Report only on the migrations after this one (the ones before are still read for the tables they create)",
            HelpName = "migration",
        };
        var format = new Option<string>("--format")
        {
            Description = "text (default), or github: GitHub Actions annotations (::error file=…,line=…::…) on the pull request's lines",
            HelpName = "format",
            DefaultValueFactory = _ => TextFormat,
        };
        format.AcceptOnlyFromAmong(TextFormat, GitHubFormat);
        var command = new Command("lint", """
            Check the migration scripts for changes that block production or lose data: indexes built without CONCURRENTLY,
            constraints added without NOT VALID, SET NOT NULL, type changes that rewrite a table, renames and drops the
            running application still uses, and more (docs/lint.md lists every rule with its safe form). Silence a rule for
            one statement with a line -- strata:lint-ignore <rule>[, <rule>] above it, for a file with
            -- strata:lint-ignore-file <rule> in its header, for the project in strata.json's "lint": { "rules": { … } }.
            Exit codes: 0 no error-level finding, 1 an error-level finding (or a script that cannot be read), 2 usage error.
            """)
        {
            folder,
            since,
            format,
        };
        command.SetRun(global, async (context, ct) =>
        {
            var output = context.Output;
            var folderPath = context.Get(folder);
            // With --migrations-folder, strata.json is read only when there is one (for its "lint" levels).
            var config = folderPath is null || context.Get(global.Config) is not null || StrataConfigLoader.Find(Directory.GetCurrentDirectory()) is not null
                ? await context.LoadConfigAsync(ct)
                : null;
            var path = folderPath is null ? config!.MigrationsDirectory : Path.GetFullPath(folderPath);
            var directory = await MigrationDirectory.LoadAsync(path, ct);
            var sinceId = context.Get(since);
            if (sinceId is not null && directory.Find(sinceId) is null)
            {
                throw CliException.Usage($"--since names {sinceId}, which is not a migration in {CommandContext.Display(path)}",
                    remedy: directory.Migrations.Count == 0 ? "The folder has no migrations." : $"Name one of its migrations, such as {directory.Migrations[^1].Id}.");
            }
            bool Selected(Migration m) => sinceId is null || string.CompareOrdinal(m.Id, sinceId) > 0;
            var findings = await MigrationLinter.LintFolderAsync(directory, config?.LintSettings ?? LintSettings.Default, Selected, ct);
            var linted = directory.Migrations.Count(Selected);

            var exitCode = findings.Any(f => f.Level == LintLevel.Error) ? ExitCodes.Failure : ExitCodes.Success;
            if (context.Get(format) == GitHubFormat)
            {
                await output.RawAsync(LintView.GitHub(findings));
            }
            else
            {
                LintView.Write(output, findings);
                output.Line(findings.Count == 0 ? $"[green]ok[/]    {LintView.Summary(findings, linted)}" : LintView.Summary(findings, linted));
            }
            output.JsonResult(new LintJson(exitCode, linted, findings.Select(LintFindingJson.From).ToList()) { Ok = exitCode == ExitCodes.Success });
            return exitCode;
        });
        return command;
    }
}
