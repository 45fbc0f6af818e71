using System.CommandLine;
using System.Diagnostics;
using Spectre.Console;
using Strata.Cli.Output;
using Strata.Model;
using Strata.Postgres.Configuration;
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
        var connection = ConnectionOption.Create();
        var seed = new Option<bool>("--seed")
        {
            Description = "Run the seed (\"seed\" in strata.json) after the migrations",
        };
        var dryRun = new Option<bool>("--dry-run")
        {
            Description = "List everything reset would drop (tables Strata's migrations do not define included), and change nothing",
        };
        var lockWait = MigrationCommands.CreateLockWaitOption();
        var guard = new ProtectedEnvironmentGuard();

        var command = new Command("reset", """
            Drop everything Strata manages in the database, the schemas the migrations define with all their
            tables, views, types and data (public is emptied, not dropped) and the tracking table, then apply
            every migration again; with --seed, run the seed. Other schemas are left alone. --dry-run lists
            every object it would drop, including tables the migrations do not define. Only a local database
            (the strata dev server, or localhost) resets without asking; any other needs --force, and a
            protected one (its environment, or the database's own record of a protected migrate) needs
            --force and the database name confirmed. Exit codes: 0 reset, 1 refused or failed, 2 usage or
            configuration error.
            """)
        {
            connection, seed, dryRun, lockWait,
        };
        guard.AddTo(command);
        command.SetRun(global, async (context, ct) =>
        {
            var output = context.Output;
            var (config, source) = await MigrationCommands.LoadAsync(context, ct);
            var newest = await (await MigrationDirectory.LoadAsync(config.MigrationsDirectory, ct)).LatestSnapshotAsync(ct);
            var schemas = newest?.Schema.SchemasInUse() ?? [];
            var dry = context.Get(dryRun);
            // A seed that cannot run is found before anything is dropped.
            var seedToRun = context.Get(seed) && !dry ? await ConfiguredSeed.ResolveAsync(context, config, ct) : null;
            await using var target = await ConnectionOption.OpenAsync(context, connection, config, "reset", use: DatabaseUse.SchemaChange, stdoutIsData: false, ct: ct);

            var dropping = (schemas.Count == 0 ? "" : schemas.Count == 1 ? $"the schema {schemas[0]} with all its data and " : $"the schemas {string.Join(", ", schemas)} with all their data and ")
                + $"the tracking table {config.TrackingTable}";
            // The same catalog query as the drop itself: what is listed here is what goes.
            var objects = await target.RunAsync(async () =>
            {
                await using var open = await target.DataSource.OpenConnectionAsync(ct);
                return await ManagedObjects.ListAsync(open, schemas, config.TrackingTable, ct);
            }, "Nothing was changed; run strata reset again when the server is reachable.");
            var declared = newest?.Schema;

            if (dry)
            {
                var protection = await ProtectedEnvironmentGuard.ProtectionAsync(target, ct);
                output.Line($"strata reset would drop {MigrationCommands.Plural(objects.Count, "object")} in [bold]{Markup.Escape(target.Title)}[/], then apply the migrations in {Markup.Escape(CommandContext.Display(source.Location))}:");
                WriteObjects(output, objects, declared);
                if (protection is not null)
                    output.Line($"The real run needs --force and the database name confirmed: {Markup.Escape(target.Description)} is the database {Markup.Escape(protection)}.");
                else if (!await target.IsLocalAsync(ct))
                    output.Line("It is not a local database: the real run needs --force.");
                output.Line("Nothing was changed (--dry-run).");
                output.JsonResult(new ResetDryRunJson(DryRun: true, target.Description, target.Environment.Name, Json(objects, declared)));
                return ExitCodes.Success;
            }

            var protectedBy = await guard.EnsureAllowedAsync(context, target, "reset", $"drop {dropping} and apply the migrations again", ct);
            // Like Flyway's cleanDisabled: a database that is not on this machine may be shared, so a reset
            // of it must be asked for, even when nothing marks it protected.
            if (protectedBy is null && !context.Get(guard.Force) && !await target.IsLocalAsync(ct))
                throw CliException.Failure(
                    $"refused: strata reset would drop {dropping} in {target.Description}, which is not a local development or test database (host {target.Connection.Host}); nothing was changed",
                    remedy: "Reset only drops without asking on the strata dev server or a server on localhost. If this database may be emptied, run it again with --force; strata reset --dry-run lists what it would drop.");
            var recorded = await target.ProtectionAsync(ct);

            var options = new MigratorOptions
            {
                HistoryTable = config.TrackingTable,
                LockWaitTimeout = TimeSpan.FromSeconds(context.Get(lockWait)),
            };
            const string lostConnection = "Part of the database may be dropped, and migrations recorded as applied stay applied. Run strata reset again when the server is reachable: it finishes the drop and applies every migration.";

            output.Line($"Resetting [bold]{Markup.Escape(target.Description)}[/] ({Markup.Escape(target.Environment.Name)}): dropping {MigrationCommands.Plural(objects.Count, "object")}, then applying the migrations in {Markup.Escape(CommandContext.Display(source.Location))}:");
            WriteObjects(output, objects, declared);
            var started = Stopwatch.StartNew();
            var result = output.IsTerminal
                ? await MigrationProgressView.WithProgressBarAsync(output, progress => target.RunAsync(() => new Migrator(target.DataSource, source, options with { Progress = progress }).ResetAsync(schemas, ct), lostConnection))
                : await target.RunAsync(() => new Migrator(target.DataSource, source, options with { Progress = new MigrationProgressView.StatusLines(output) }).ResetAsync(schemas, ct), lostConnection);

            output.Line($"Dropped {Markup.Escape(dropping)}{(result.TrackingSchemaDropped ? $" and the schema {Markup.Escape(config.TrackingTable.Schema)}" : "")} in {CliFormat.Duration(result.DropDuration)}.");
            foreach (var migration in result.Migrate.Applied)
                output.Line($"  applied [bold]{Markup.Escape(migration.Id)}[/] in {CliFormat.Duration(migration.Duration)}");
            output.Line($"Reset in {started.Elapsed.TotalSeconds:0.00} s: {MigrationCommands.Plural(result.Migrate.Applied.Count, "migration")} applied.");
            // The drop took the tracking table and its record of protection with it: a protected database stays protected.
            var keep = recorded?.Environment ?? (target.Environment.Protected ? target.Environment.Name : null);
            await ProtectedEnvironmentGuard.RecordAsync(output, target, config.TrackingTable, keep, ct);

            var seeded = seedToRun is null ? null : await ConfiguredSeed.RunAsync(context, target, seedToRun, ct);
            output.JsonResult(ResetJson.From(result, Json(objects, declared), seeded, target.Description, target.Environment.Name));
            return ExitCodes.Success;
        });
        return command;
    }

    // One line per object, the same in the dry run and the real one.
    private static void WriteObjects(Output.CliOutput output, IReadOnlyList<ManagedObject> objects, DatabaseModel? declared)
    {
        foreach (var o in objects)
        {
            var note = o.IsTrackingTable ? " (the tracking table)" : !o.IsDefinedBy(declared) ? " (not defined by the migrations)" : "";
            output.Line($"  {Markup.Escape(o.Kind.ToLowerInvariant())} {Markup.Escape(o.Display)}{(note.Length == 0 ? "" : $"[yellow]{note}[/]")}");
        }
    }

    private static List<ManagedObjectJson> Json(IReadOnlyList<ManagedObject> objects, DatabaseModel? declared) =>
        objects.Select(o => new ManagedObjectJson(o.Kind.ToLowerInvariant(), o.Display, o.IsDefinedBy(declared))).ToList();
}
