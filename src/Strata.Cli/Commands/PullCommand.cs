using Strata.Cli.Output;
using System.CommandLine;
using System.Diagnostics;
using Spectre.Console;
using Strata.Postgres.Configuration;
using Strata.Design.Scaffolding;
using Strata.Design.SchemaSource;
using Strata.Model;
using Strata.Postgres.Comparison;
using Strata.Postgres.Introspection;
using Strata.Postgres.Migrations;

namespace Strata.Cli.Commands;

/// <summary>
/// <c>strata pull</c>: adopts an existing database. Reads it with the introspector, writes it as the C# of
/// the schema project and as a baseline migration <c>0000_baseline</c> (the same writer as generate), so
/// that generate then finds no change and <c>migrate --baseline</c> marks the original as migrated.
/// </summary>
internal static class PullCommand
{
    public const string DefaultName = "baseline";

    public static Command Create(GlobalOptions global)
    {
        var connection = ConnectionOption.Create();
        var name = new Option<string?>("--name", "-n") { Description = $"The baseline migration's name (default: {DefaultName})", HelpName = "name" };
        var filter = new IntrospectionFilterOptions();
        var force = new Option<bool>("--force")
        {
            Description = "Replace the schema project's C# files and the migrations already in the folder",
        };
        var command = new Command("pull", """
            Read an existing database and turn it into this project: the C# schema in the schema project (one
            file per PostgreSQL schema, large ones split into groups of tables) and a baseline migration 0000
            with its snapshot. Afterwards strata generate finds no change, strata migrate builds the same
            database from scratch, and strata migrate --baseline marks the original as migrated. Refuses to
            replace C# files other than strata init's untouched example, or to write into a migrations folder
            that has migrations, unless --force. Exit codes: 0 written, 1 failed, 2 refused or usage error.
            """)
        {
            connection, name, force,
        };
        filter.AddTo(command);
        command.SetRun(global, async (context, ct) =>
        {
            context.Phase("started");
            var config = await context.LoadConfigAsync(ct);
            context.Phase("read strata.json");
            var migrationName = context.Get(name) ?? DefaultName;
            if (MigrationDirectory.NameProblem(migrationName) is { } problem)
                throw CliException.Usage($"--name {migrationName}: {problem}");
            var overwrite = context.Get(force);
            var selection = filter.Read(context.ParseResult);

            var project = SchemaProject.Read(config.SchemaProject);
            var directory = await MigrationDirectory.LoadAsync(config.MigrationsDirectory, ct);
            if (directory.Migrations.Count > 0 && !overwrite)
                throw CliException.Usage(
                    $"{CommandContext.Display(directory.Path)} already has {MigrationCommands.Plural(directory.Migrations.Count, "migration")}; a baseline must be the first; nothing was written",
                    directory.Migrations.Select(m => CommandContext.Display(m.FolderPath)).ToList(),
                    remedy: "Pull into a new project (strata init), or pass --force to delete these migrations and start again from the database.");

            await using var target = await ConnectionOption.OpenAsync(context, connection, config, "pull", DatabaseUse.Query, stdoutIsData: false, ct);
            context.Phase("connected");
            var started = Stopwatch.StartNew();
            var (model, notCarried) = await target.RunAsync(
                () => LiveDatabase.ReadWithUnmodelledAsync(target.DataSource, config.TrackingTable, selection, ct),
                "Nothing was written; run strata pull again when the server is reachable.");
            var readIn = started.Elapsed;
            context.Phase("read the database");
            if (!model.ObjectSchemas().Any() && model.Schemas.Count == 0)
                throw CliException.Failure($"{target.Description} has no {DatabaseModel.SchemaObjectKinds} to pull; nothing was written",
                    remedy: "Check the connection (--env, --connection) names the database you meant.");

            // With --schema or --table, a foreign key may point at a table left out, which the C# schema could not name.
            if (PulledSchemaProject.ReferencesOutside(model) is { Count: > 0 } outside)
            {
                throw CliException.Usage(
                    $"the tables selected{IntrospectionFilterOptions.Describe(selection)} reference tables left out; nothing was written",
                    outside.Select(r => r.ToString()).ToList(),
                    remedy: "Add the referenced tables to the selection (--table, --schema), or pull without them.");
            }

            // The baseline is rendered (on another core) while the C# files are planned; nothing is written before both are.
            var baseline = Task.Run(() => MigrationWriter.RenderBaseline("0000_" + migrationName, model, notCarried), ct);
            var plan = PulledSchemaProject.PlanFiles(config, project, model);
            context.Phase("planned the C# files");
            var conflicts = plan.Where(f => f.Conflict).Select(f => CommandContext.Display(f.Path)).ToList();
            if (conflicts.Count > 0 && !overwrite)
                throw CliException.Usage(
                    "the schema project already has C# files that pull would replace; nothing was written",
                    conflicts,
                    remedy: "Pull into a new project (strata init: its untouched example is replaced), move these files away, or pass --force to replace them.");

            var rendered = await baseline;
            context.Phase("rendered the baseline");
            var pulled = await PulledSchemaProject.WriteAsync(plan, directory, rendered, ct);
            context.Phase("wrote the files");

            Report(context, target, model, readIn, pulled, notCarried);
            return ExitCodes.Success;
        });
        return command;
    }

    private static void Report(CommandContext context, DatabaseTarget target, DatabaseModel model, TimeSpan readIn, PulledProject pulled, IReadOnlyList<UnmodelledObject> notCarried)
    {
        var (files, removedMigrations, migration, statements) = (pulled.Files, pulled.RemovedMigrations, pulled.Baseline.Migration, pulled.Baseline.Statements.Count);
        var output = context.Output;
        var counts = model.Counts();
        output.Line($"Read [bold]{Markup.Escape(target.Description)}[/] in {readIn.TotalSeconds:0.00} s: "
            + string.Join(", ", counts.Where(c => c.Value > 0 || c.Key == "tables").Select(c => $"{c.Value} {(c.Value == 1 ? c.Singular : c.Plural)}")) + ".");
        output.Line("Wrote the C# schema:");
        foreach (var file in files)
            output.Line($"  {Markup.Escape(CommandContext.Display(file.Path))} ({file.What})");
        foreach (var folder in removedMigrations)
            output.Line($"  removed the migration {Markup.Escape(CommandContext.Display(folder))} (--force)");
        output.Line($"Wrote the baseline [bold]{Markup.Escape(CommandContext.Display(migration.FolderPath))}[/]: "
            + $"{MigrationCommands.Plural(statements, "statement")} ({Migration.UpFile}, {Migration.DownFile}, {Migration.SnapshotFile}); strata.sum updated.");
        // The model's extensions and those outside the selected schemas, which the baseline creates before the model's statements.
        var extensions = model.Extensions.Select(e => e.Name).Concat(notCarried.Where(o => o.IsExtension).Select(o => o.Name)).ToList();
        if (extensions.Count > 0)
            output.Line($"The baseline creates the database's {MigrationCommands.Plural(extensions.Count, "extension")} first: {Markup.Escape(string.Join(", ", extensions))}.");
        var verbatim = notCarried.Where(o => o.Carried is not null).ToList();
        if (verbatim.Count > 0)
        {
            output.Line($"The baseline carries {MigrationCommands.Plural(verbatim.Count, "object")} the C# schema does not model, as PostgreSQL prints {(verbatim.Count == 1 ? "it" : "them")}; later migrations leave {(verbatim.Count == 1 ? "it" : "them")} alone:");
            foreach (var item in verbatim)
                output.Line($"  {Markup.Escape(item.Kind)} {Markup.Escape(item.Name)}");
        }
        var unmodelled = notCarried.Where(o => !o.IsExtension && o.Carried is null).ToList();
        if (unmodelled.Count > 0)
        {
            output.Warning($"{MigrationCommands.Plural(unmodelled.Count, "object")} of the database {(unmodelled.Count == 1 ? "is" : "are")} not in the C# schema or the baseline: Strata's model has no place for {(unmodelled.Count == 1 ? "it" : "them")} yet.");
            foreach (var item in unmodelled)
                output.Line($"  {Markup.Escape(item.Kind)} {Markup.Escape(item.Name)}{(item.Detail is null ? "" : Markup.Escape($" ({item.Detail})"))}");
            output.Line($"  A database built by the migrations will not have them. Add what it needs by hand: what the tables use (a column's composite type, a default's function) "
                + $"at the top of {Markup.Escape(CommandContext.Display(Path.Combine(migration.FolderPath, Migration.UpFile)))}, then [bold]strata hash[/]; the rest in a custom migration ([bold]strata generate --custom --name <name>[/]).");
        }
        output.Line("Next: [bold]strata generate[/] finds no change; [bold]strata migrate --baseline[/] marks this database as migrated without running the baseline; "
            + "on an empty database, [bold]strata migrate[/] builds the same schema.");

        output.JsonResult(new PullJson(target.Description, target.Environment.Name, Math.Round(readIn.TotalMilliseconds, 1),
            counts.ToDictionary(c => c.Key, c => c.Value),
            files.Select(f => new FileActionJson(f.Path, f.Content is null ? "removed" : f.What)).ToList(),
            removedMigrations,
            new PullBaselineJson(migration.Id, migration.FolderPath, statements),
            extensions,
            notCarried.Where(o => !o.IsExtension).Select(o => new NotCarriedJson(o.Kind, o.Name, o.Detail, o.Carried is not null)).ToList()));
    }
}
