using System.CommandLine;
using System.Diagnostics;
using System.Text.Json.Nodes;
using Spectre.Console;
using Strata.Model;
using Strata.Postgres.Migrations;

namespace Strata.Cli.Commands;

/// <summary>
/// <c>strata reset</c>: drops what Strata manages in the environment's database (the schemas of the
/// newest migration's snapshot and the tracking table) and applies every migration again, under one
/// hold of the migration lock; with <c>--seed</c> then seeds.
/// </summary>
internal static class ResetCommand
{
    public static Command Create(GlobalOptions global)
    {
        var connection = DatabaseTarget.CreateOption();
        var seed = new Option<bool>("--seed")
        {
            Description = "Run the seed (\"seed\" in strata.json) after the migrations",
        };
        var lockWait = MigrationCommands.CreateLockWaitOption();
        var guard = new ProtectedEnvironmentGuard();

        var command = new Command("reset", """
            Drop everything Strata manages in the database, the schemas the migrations define with all their
            tables, views, types and data (public is emptied, not dropped) and the tracking table, then apply
            every migration again; with --seed, run the seed. Other schemas are left alone. A protected
            environment needs --force and the database name confirmed. Exit codes: 0 reset, 1 refused or
            failed, 2 usage or configuration error.
            """)
        {
            connection, seed, lockWait,
        };
        guard.AddTo(command);
        command.SetRun(global, async (context, ct) =>
        {
            var output = context.Output;
            var (config, source) = await MigrationCommands.LoadAsync(context, ct);
            var schemas = ManagedSchemas(await (await MigrationDirectory.LoadAsync(config.MigrationsDirectory, ct)).LatestSnapshotAsync(ct));
            // A seed that cannot run is found before anything is dropped.
            var seedToRun = context.Get(seed) ? await SeedCommand.ResolveAsync(context, config, ct) : null;
            await using var target = await DatabaseTarget.OpenAsync(context, connection, config, "reset", use: DatabaseUse.SchemaChange, stdoutIsData: false, ct: ct);

            var dropping = (schemas.Count == 0 ? "" : schemas.Count == 1 ? $"the schema {schemas[0]} with all its data and " : $"the schemas {string.Join(", ", schemas)} with all their data and ")
                + $"the tracking table {config.TrackingTable}";
            await guard.EnsureAllowedAsync(context, target, "reset", $"drop {dropping} and apply the migrations again", ct);

            var options = new MigratorOptions
            {
                HistoryTable = config.TrackingTable,
                LockWaitTimeout = TimeSpan.FromSeconds(context.Get(lockWait)),
            };
            const string lostConnection = "Part of the database may be dropped, and migrations recorded as applied stay applied. Run strata reset again when the server is reachable: it finishes the drop and applies every migration.";

            output.Line($"Resetting [bold]{Markup.Escape(target.Description)}[/] ({Markup.Escape(target.Environment.Name)}): dropping {Markup.Escape(dropping)}, then applying the migrations in {Markup.Escape(CommandContext.Display(source.Location))}");
            var started = Stopwatch.StartNew();
            var result = output.IsTerminal
                ? await MigrateCommand.WithProgressBarAsync(output, progress => target.RunAsync(() => new Migrator(target.DataSource, source, options with { Progress = progress }).ResetAsync(schemas, ct), lostConnection))
                : await target.RunAsync(() => new Migrator(target.DataSource, source, options with { Progress = new MigrateCommand.StatusLines(output) }).ResetAsync(schemas, ct), lostConnection);

            output.Line($"Dropped {Markup.Escape(dropping)}{(result.TrackingSchemaDropped ? $" and the schema {Markup.Escape(config.TrackingTable.Schema)}" : "")} in {MigrateCommand.Duration(result.DropDuration)}.");
            foreach (var migration in result.Migrate.Applied)
                output.Line($"  applied [bold]{Markup.Escape(migration.Id)}[/] in {MigrateCommand.Duration(migration.Duration)}");
            output.Line($"Reset in {started.Elapsed.TotalSeconds:0.00} s: {MigrationCommands.Plural(result.Migrate.Applied.Count, "migration")} applied.");

            var seeded = seedToRun is null ? null : await SeedCommand.RunAsync(context, target, seedToRun, ct);
            output.JsonResult(new JsonObject
            {
                ["ok"] = true,
                ["database"] = target.Description,
                ["environment"] = target.Environment.Name,
                ["droppedSchemas"] = new JsonArray(result.Schemas.Select(s => (JsonNode?)JsonValue.Create(s)).ToArray()),
                ["trackingSchemaDropped"] = result.TrackingSchemaDropped,
                ["applied"] = new JsonArray(result.Migrate.Applied.Select(m => (JsonNode?)new JsonObject
                {
                    ["id"] = m.Id,
                    ["milliseconds"] = Math.Round(m.Duration.TotalMilliseconds, 1),
                }).ToArray()),
                ["seeded"] = seeded is null ? null : SeedCommand.Json(seeded),
            });
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>Every schema the newest snapshot declares or puts an object in (public included when it holds one).</summary>
    private static IReadOnlyList<string> ManagedSchemas(Strata.Snapshots.Snapshot? newest)
    {
        if (newest is null)
            return [];
        var model = newest.Schema;
        return model.Schemas
            .Concat(model.Tables.Select(t => t.Schema)).Concat(model.Enums.Select(e => e.Schema))
            .Concat(model.Sequences.Select(s => s.Schema)).Concat(model.Views.Select(v => v.Schema))
            .Where(s => !string.IsNullOrEmpty(s))
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .ToList();
    }
}
