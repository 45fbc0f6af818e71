using Strata.Cli.Output;
using System.CommandLine;
using Spectre.Console;
using Strata.Diffing;
using Strata.Postgres.Comparison;
using Strata.Postgres.Configuration;
using Strata.Model;
using Strata.Postgres.Migrations;
using Strata.Postgres.Sql;
using Strata.Renaming;

namespace Strata.Cli.Commands;

/// <summary><c>strata generate</c>: the C# schema against the last snapshot, written as a new migration folder.</summary>
internal static class GenerateCommand
{
    public static Command Create(GlobalOptions global)
    {
        var name = new Option<string?>("--name", "-n") { Description = "The migration's name (default: a random adjective_noun)", HelpName = "name" };
        var custom = new Option<bool>("--custom") { Description = "Write an empty migration for hand-written SQL (data fixes, functions, extensions)" };
        var prefix = new Option<string?>("--prefix") { Description = "Number the folder by index (0001_…) or UTC timestamp (default: strata.json, else index)", HelpName = "index|timestamp" };
        prefix.AcceptOnlyFromAmong("index", "timestamp");
        var safety = new Option<string?>("--safety")
        {
            Description = "on: changes to existing tables in their safe forms (indexes CONCURRENTLY, constraints NOT VALID then validated, "
                + "in a second migration outside a transaction); off: the plain forms (default: strata.json's \"safety\", else on)",
            HelpName = "on|off",
        };
        safety.AcceptOnlyFromAmong("on", "off");
        var (rename, renamesFile) = RenameResolution.CreateOptions();

        var command = new Command("generate", "Write a migration that takes the database from the last migration's schema to the C# schema")
        {
            name, custom, prefix, rename, renamesFile, safety,
        };
        command.SetRun(global, async (context, ct) =>
        {
            context.Phase("started");
            var config = await context.LoadConfigAsync(ct);
            context.Phase("read strata.json");
            var migrationName = context.Get(name);
            if (migrationName is not null && MigrationDirectory.NameProblem(migrationName) is { } problem)
                throw CliException.Usage($"--name {migrationName}: {problem}");
            var folderPrefix = context.Get(prefix) is { } text && StrataConfigLoader.TryParsePrefix(text, out var chosen) ? chosen : config.Prefix;
            var hints = await RenameHints.ReadAsync(context.Get(rename) ?? [], context.Get(renamesFile), ct);

            var directory = await MigrationDirectory.LoadAsync(config.MigrationsDirectory, ct);
            await RequireIntactFolderAsync(directory, ct);
            context.Phase("listed and verified the migrations");
            var previous = await directory.LatestSnapshotAsync(ct);
            context.Phase("read the last snapshot");
            var previousSchema = previous?.Schema ?? DatabaseModel.Empty;

            var safetyChosen = context.Get(safety) is { } safetyText && StrataConfigLoader.TryParseSafety(safetyText, out var given) ? given : config.Safety;
            IReadOnlyList<WrittenMigration> written;
            GenerateReadsResult? reads = null;
            if (context.Get(custom))
            {
                written = [await MigrationWriter.WriteCustomAsync(directory, NextId(directory, folderPrefix, migrationName), previous, ct)];
            }
            else
            {
                var schema = GenerateReads.CarriedOver(previousSchema, await context.LoadSchemaAsync(config, ct));
                context.Phase("loaded the C# schema");
                var (diff, decisions) = RenameResolution.Resolve(previousSchema, schema, hints, context.Output);
                context.Phase("diffed");
                reads = await DecideFromRecordedReadsAsync(context, config, previousSchema, schema, diff, decisions, ct);
                (diff, schema) = (reads.Diff, reads.Schema);
                if (previous is not null)
                    previous = previous with { Schema = reads.Previous };
                if (diff.IsEmpty)
                {
                    var last = directory.Migrations.Count > 0 ? directory.Migrations[^1].Id : null;
                    context.Output.Line(last is null
                        ? "No changes: the C# schema is empty and there are no migrations yet. Nothing was written."
                        : $"No changes: the C# schema matches the last migration ({Markup.Escape(last)}). Nothing was written.");
                    context.Output.JsonResult(new GenerateUnchangedJson(Changed: false));
                    return ExitCodes.Success;
                }
                written = await MigrationWriter.WriteChangesAsync(directory, NextId(directory, folderPrefix, migrationName), previous, schema, diff, decisions, safetyChosen, ct);
            }
            context.Phase("wrote the migration");

            Report(context, written, context.Get(custom), safetyChosen, reads is { Source: ReadsSource.Text } ? reads : null);
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>
    /// The diff with its decisions taken from what PostgreSQL records that expressions read, when one needs them
    /// (<see cref="GenerateReads"/>): only then is the development environment's database opened (the local
    /// PostgreSQL Strata runs, started if need be, unless development has a url). Without one, the text decides, as
    /// one line says.
    /// </summary>
    private static async Task<GenerateReadsResult> DecideFromRecordedReadsAsync(CommandContext context, StrataConfig config,
        DatabaseModel previous, DatabaseModel schema, SchemaDiff diff, RenameDecisions decisions, CancellationToken ct)
    {
        var result = await GenerateReads.DecideAsync(previous, schema, diff, decisions, config,
            asking: () => context.Output.Status($"What {Describe(diff.DecidedFromText)} read decides this migration: asking PostgreSQL (the development environment's database)…"),
            ConnectionOption.Events(context.Output, context.Output.Status), ct);
        context.Phase("read what expressions read");
        if (result.Source == ReadsSource.Text)
            context.Output.Warning($"{Describe(result.DecidedFromText)} decided by searching SQL text, as PostgreSQL could not say what they read ({result.Unavailable}); "
                + "start the development server (strata dev start) or give the development environment a url in strata.json, then run strata drop and strata generate again to decide from PostgreSQL.");
        return result;
    }

    private static string Describe(IReadOnlyList<TextDecision> objects)
    {
        var names = objects.Select(o => o.Object).Distinct(StringComparer.Ordinal).ToList();
        return names.Count <= 3 ? string.Join(", ", names) : $"{string.Join(", ", names.Take(3))} and {names.Count - 3} more";
    }

    /// <summary>
    /// A migration written on top of a hand-edited folder or of two merged branches would start from the
    /// wrong schema (after a merge it would repeat the other branch's changes), so generate refuses, as
    /// check would fail.
    /// </summary>
    private static async Task RequireIntactFolderAsync(MigrationDirectory directory, CancellationToken ct)
    {
        var problems = (await directory.VerifySumAsync(ct)).Select(p => p.Message)
            .Concat((await directory.FindBranchConflictsAsync(ct)).Select(c => "branch conflict: " + c.Message))
            .ToList();
        if (problems.Count > 0)
            throw CliException.Failure("the migrations folder has problems, so no migration was written", problems,
                remedy: "Mend the folder as each problem says (strata check shows them again), then run strata generate.");
    }

    private static string NextId(MigrationDirectory directory, MigrationPrefix prefix, string? name)
    {
        try
        {
            return directory.NextId(prefix, name, DateTimeOffset.UtcNow);
        }
        catch (InvalidOperationException e)
        {
            throw CliException.Usage(e.Message, remedy: "Pass --prefix timestamp (or set \"prefix\" in strata.json) to match the existing folders.");
        }
    }

    /// <param name="written">One migration, or the pair of a change in its safe forms: the transactional part, then the online one.</param>
    /// <param name="fromText">When the text decided what PostgreSQL could not be asked (the warning said so), for --json.</param>
    private static void Report(CommandContext context, IReadOnlyList<WrittenMigration> written, bool custom, MigrationSafety safety, GenerateReadsResult? fromText)
    {
        var output = context.Output;
        var migration = written[0].Migration;
        var statements = written.SelectMany(w => w.Statements).ToList();
        var folder = CommandContext.Display(migration.FolderPath);
        if (custom)
        {
            output.Line($"Wrote [bold]{Markup.Escape(folder)}[/]: an empty migration for your own SQL.");
            output.Line($"  Write it in {Markup.Escape(Path.Combine(folder, Migration.UpFile))} (and its undo in {Migration.DownFile}), then update strata.sum with [bold]strata hash[/].");
        }
        else
        {
            foreach (var (part, partStatements) in written)
            {
                var partFolder = CommandContext.Display(part.FolderPath);
                output.Line($"Wrote [bold]{Markup.Escape(partFolder)}[/]: {partStatements.Count} statement{(partStatements.Count == 1 ? "" : "s")} ({Migration.UpFile}, {Migration.DownFile}, {Migration.SnapshotFile}); strata.sum updated.");
                if (partStatements.Any(s => !s.Transactional) || (written.Count > 1 && part == written[^1].Migration))
                {
                    // An index declared .Concurrently() with the safe forms off is the one case where a plain migration goes outside a transaction.
                    output.Line(written.Count > 1 || safety == MigrationSafety.On
                        ? "  It runs outside a transaction ([bold]-- strata:no-transaction[/]), a statement at a time: it builds indexes CONCURRENTLY "
                          + "and validates constraints without blocking writes (strata.json's \"safety\": \"off\" or generate --safety off gives the plain forms in one migration)."
                        : "  It runs outside a transaction ([bold]-- strata:no-transaction[/]): a statement cannot run inside one.");
                    // Every statement of the file then runs on its own, so a failure part-way leaves the ones before applied.
                    // With the safe forms, what shares the file with a concurrent build is what belongs there (validations, USING INDEX).
                    if (safety == MigrationSafety.Off && partStatements.Any(s => s.Transactional))
                        output.Warning("the other statements of this migration run outside a transaction too; to keep them all-or-nothing, "
                            + "generate the CONCURRENTLY index in a migration of its own (add it to the schema after generating the rest)");
                }
            }
            foreach (var statement in statements.Where(s => s.DataLoss is not null))
                output.Warning($"{FirstLine(statement.Sql)}: {statement.DataLoss}");
            foreach (var statement in statements.Where(s => s.Rewrite is not null))
                output.Warning($"{FirstLine(statement.Sql)}: {statement.Rewrite}");
        }

        output.JsonResult(new GenerateJson(Changed: true, migration.Id, migration.FolderPath, custom, statements.Count,
            statements.Where(s => s.DataLoss is not null).Select(s => new DataLossStatementJson(s.Sql, s.DataLoss)).ToList(),
            fromText?.DecidedFromText.Select(d => d.ToString()).ToList() ?? [], fromText?.Unavailable,
            written.Count > 1 ? written[^1].Migration.Id : null,
            statements.Where(s => s.Rewrite is not null).Select(s => new RewriteStatementJson(s.Sql, s.Rewrite!)).ToList()));
    }

    private static string FirstLine(string sql)
    {
        var end = sql.IndexOf('\n');
        return end < 0 ? sql : sql[..end] + " …";
    }
}
