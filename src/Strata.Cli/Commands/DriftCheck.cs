using System.Text.Json.Nodes;
using Spectre.Console;
using Strata.Postgres.Configuration;
using Strata.Cli.Output;
using Strata.Diffing;
using Strata.Model;
using Strata.Postgres.Comparison;
using Strata.Postgres.Introspection;
using Strata.Postgres.Migrations;

namespace Strata.Cli.Commands;

/// <summary>
/// One environment's drift: its applied migrations against the folder, and its live schema against the
/// snapshot of its newest applied migration.
/// </summary>
/// <param name="Error">Why the environment could not be checked (its configuration, or no connection); the rest is then empty.</param>
/// <param name="Pending">The migrations the folder has and the database has not applied yet.</param>
/// <param name="Problems">Applied migrations missing on disk, edited, partially applied, and out-of-order ones.</param>
/// <param name="ComparedWith">The migration whose snapshot the live schema was compared with; null for the empty model.</param>
/// <param name="NotCompared">Why the schema was not compared (the newest applied migration has no readable snapshot).</param>
/// <param name="Differences">Each object added, removed or altered by hand.</param>
/// <param name="Exact">
/// Whether the schema was compared exactly (the snapshot built in a scratch database and read back); false
/// when the user may not create databases and expressions were matched up to casts and parentheses.
/// </param>
internal sealed record EnvironmentDrift(
    string Environment,
    string? Database,
    string? Error,
    IReadOnlyList<string> Pending,
    IReadOnlyList<string> Problems,
    bool TrackingTableExists,
    string? ComparedWith,
    string? NotCompared,
    IReadOnlyList<string> Differences,
    bool Exact = true)
{
    public bool Matches => Error is null && Pending.Count == 0 && Problems.Count == 0 && NotCompared is null && Differences.Count == 0;
}

/// <summary><c>strata check --env a,b</c> / <c>--all-envs</c>: the live databases against the migrations folder.</summary>
internal static class DriftCheck
{
    /// <summary>
    /// The environments named by <c>--env</c> (comma-separated) or, with <paramref name="all"/>, every one
    /// in strata.json (development alone when it has none). An unknown name is a usage error up front.
    /// </summary>
    public static IReadOnlyList<string> Environments(StrataConfig config, string? envOption, bool all)
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
    public static async Task<EnvironmentDrift> CheckAsync(CommandContext context, StrataConfig config, MigrationDirectory directory, MigrationSource source,
        string name, IntrospectionOptions selection, CancellationToken ct)
    {
        DatabaseTarget target;
        try
        {
            target = await DatabaseTarget.OpenEnvironmentAsync(context, config, name, "check", ct);
        }
        catch (CliException e)
        {
            return new EnvironmentDrift(name, null, e.Message, [], [], false, null, null, []);
        }

        await using (target)
        {
            try
            {
                return await target.RunAsync(() => CompareAsync(context, target, config, directory, source, selection, ct), "Run strata check again when the server is reachable.");
            }
            catch (CliException e)
            {
                return new EnvironmentDrift(name, target.Description, e.Message, [], [], false, null, null, []);
            }
        }
    }

    private static async Task<EnvironmentDrift> CompareAsync(CommandContext context, DatabaseTarget target, StrataConfig config, MigrationDirectory directory,
        MigrationSource source, IntrospectionOptions selection, CancellationToken ct)
    {
        var migrator = new Migrator(target.DataSource, source, new MigratorOptions { HistoryTable = config.TrackingTable });
        var report = await migrator.StatusAsync(ct);
        var pending = report.Migrations.Where(m => m.State == MigrationState.Pending).Select(m => m.Id).ToList();
        var problems = report.Migrations
            .Where(m => m.State is not (MigrationState.Applied or MigrationState.Pending))
            .Select(m => StatusCommand.Explain(m) ?? $"{m.Id}: {StatusCommand.StateText(m.State)}")
            .ToList();

        // The newest migration the database ran; its snapshot is what the live schema should be.
        var newest = report.Migrations.LastOrDefault(m => m.Applied is not null);
        string? notCompared = null;
        DatabaseModel expected = DatabaseModel.Empty;
        if (newest is not null)
        {
            if (newest.State == MigrationState.Partial)
                notCompared = $"the newest applied migration, {newest.Id}, is partially applied: strata migrate finishes it";
            else if (directory.Find(newest.Id) is not { } migration)
                notCompared = $"the newest applied migration, {newest.Id}, is missing from the migrations folder, so its snapshot is too";
            else
                expected = (await migration.ReadSnapshotAsync(ct)).Schema;
        }

        IReadOnlyList<string> differences = [];
        var exact = true;
        if (notCompared is null)
        {
            var options = selection;
            DatabaseModel live;
            await using (var connection = await target.DataSource.OpenConnectionAsync(ct))
                live = ManagedObjects.WithoutTrackingTable(await PostgresIntrospector.ReadAsync(connection, options, ct), config.TrackingTable);
            // The snapshot holds expressions as the C# schema wrote them: built in a scratch database and read
            // back, it is in the form the live database prints, so the two compare exactly.
            (expected, live, exact) = await ScratchDatabase.ComparableAsync(new ScratchServer(target.DataSource, target.Connection, target.Description), expected, live, options, "strata_check_",
                "check matches check expressions, defaults, index expressions and view queries up to casts and parentheses rather than exactly "
                + "(an edit by hand that only adds or removes a cast goes unnoticed)",
                PrintedFormCache.Folder(config.ProjectRoot), context.Output.Warning, ct);
            differences = Describe(SchemaDiffer.Diff(expected, live, RenameDecisions.None).Changes);
        }
        return new EnvironmentDrift(target.Environment.Name, target.Description, null, pending, problems, report.TrackingTableExists,
            newest?.Id, notCompared, differences, exact);
    }

    /// <summary>
    /// Names each object that the live database (the diff's target) has added, removed or altered against
    /// the snapshot. A drop and a create of the same object (an index re-created with other columns) is one
    /// "altered".
    /// </summary>
    public static IReadOnlyList<string> Describe(IEnumerable<SchemaChange> changes)
    {
        var found = new List<(string Object, string Verb, string? Detail)>();
        foreach (var change in changes)
        {
            (string Object, string Verb, string? Detail) item = change switch
            {
                CreateSchema c => ($"schema {c.Name}", "added", null),
                DropSchema c => ($"schema {c.Name}", "removed", null),
                CreateEnum c => ($"enum {c.Enum.QualifiedName}", "added", null),
                DropEnum c => ($"enum {c.Enum.QualifiedName}", "removed", null),
                AddEnumValue c => ($"enum {c.Enum}", "altered", $"value '{c.Value}' added"),
                RecreateEnum c => ($"enum {c.To.QualifiedName}", "altered", $"values now {string.Join(", ", c.To.Values)}"),
                CreateSequence c => ($"sequence {c.Sequence.QualifiedName}", "added", null),
                DropSequence c => ($"sequence {c.Sequence.QualifiedName}", "removed", null),
                AlterSequence c => ($"sequence {c.To.QualifiedName}", "altered", null),
                CreateTable c => ($"table {c.Table.QualifiedName}", "added", null),
                DropTable c => ($"table {c.Table.QualifiedName}", "removed", null),
                AddColumn c => ($"column {c.Table}.{c.Column.Name}", "added", null),
                DropColumn c => ($"column {c.Table}.{c.Column.Name}", "removed", null),
                AlterColumn c => ($"column {c.Table}.{c.To.Name}", "altered", c.Changes.ToString().ToLowerInvariant()),
                AddPrimaryKey c => ($"primary key {c.PrimaryKey.Name} on {c.Table}", "added", null),
                DropPrimaryKey c => ($"primary key {c.PrimaryKey.Name} on {c.Table}", "removed", null),
                AddUnique c => ($"unique constraint {c.Unique.Name} on {c.Table}", "added", null),
                DropUnique c => ($"unique constraint {c.Unique.Name} on {c.Table}", "removed", null),
                AddCheck c => ($"check constraint {c.Check.Name} on {c.Table}", "added", null),
                DropCheck c => ($"check constraint {c.Check.Name} on {c.Table}", "removed", null),
                AddForeignKey c => ($"foreign key {c.ForeignKey.Name} on {c.Table}", "added", null),
                DropForeignKey c => ($"foreign key {c.ForeignKey.Name} on {c.Table}", "removed", null),
                CreateIndex c => ($"index {c.Index.Name} on {c.Table}", "added", null),
                DropIndex c => ($"index {c.Index.Name} on {c.Table}", "removed", null),
                CreateView c => ($"{(c.View.Materialized ? "materialized view" : "view")} {c.View.QualifiedName}", "added", null),
                DropView c => ($"{(c.View.Materialized ? "materialized view" : "view")} {c.View.QualifiedName}", "removed", null),
                SetComment c => ($"comment on {(c.Target == CommentTarget.MaterializedView ? "materialized view" : c.Target.ToString().ToLowerInvariant())} {c.Object}{(c.Column is null ? "" : "." + c.Column)}", "altered", null),
                _ => (ChangeDescriptions.Describe(change), "made", null),
            };
            found.Add(item);
        }

        // A created object's comment is part of creating it (the differ sets it in a change of its own): an
        // added or rebuilt view is one difference, not also a comment altered.
        found.RemoveAll(f => f.Object.StartsWith("comment on ", StringComparison.Ordinal)
            && found.Any(o => o.Verb == "added" && CommentKey(o.Object) == f.Object));

        var lines = new List<string>();
        foreach (var group in found.GroupBy(f => f.Object))
        {
            var verbs = group.Select(f => f.Verb).Distinct().ToList();
            var verb = verbs.Count == 1 ? verbs[0] : "altered";
            var details = group.Select(f => f.Detail).OfType<string>().Distinct().ToList();
            lines.Add($"{group.Key} {verb} by hand{(details.Count == 0 ? "" : $" ({string.Join("; ", details)})")}");
        }
        return lines;
    }

    /// <summary>"view public.v" → "comment on view public.v", as a <see cref="SetComment"/> on that object is described.</summary>
    private static string CommentKey(string item) => "comment on " + item;

    public static string MigrationsText(EnvironmentDrift drift) =>
        drift.Error is not null ? "-"
        : drift.Problems.Count > 0 ? MigrationCommands.Plural(drift.Problems.Count, "problem")
        : drift.Pending.Count > 0 ? $"{drift.Pending.Count} pending"
        : "ok";

    public static string SchemaText(EnvironmentDrift drift) =>
        drift.Error is not null ? "unreachable"
        : drift.NotCompared is not null ? "not compared"
        : drift.Differences.Count == 0 ? "matches"
        : MigrationCommands.Plural(drift.Differences.Count, "difference");

    public static void Write(CliOutput output, IReadOnlyList<EnvironmentDrift> drifts)
    {
        var table = new Spectre.Console.Table { Border = TableBorder.Rounded };
        table.AddColumn("Environment");
        table.AddColumn("Database");
        table.AddColumn("Migrations");
        table.AddColumn("Schema");
        foreach (var drift in drifts)
        {
            var migrations = MigrationsText(drift);
            var schema = SchemaText(drift);
            table.AddRow(
                Markup.Escape(drift.Environment),
                Markup.Escape(drift.Database ?? (drift.Error is null ? "" : "(not connected)")),
                $"[{(migrations == "ok" ? "green" : drift.Problems.Count > 0 ? "red" : "yellow")}]{Markup.Escape(migrations)}[/]",
                $"[{(schema == "matches" ? "green" : drift.Error is not null ? "red" : "yellow")}]{Markup.Escape(schema)}[/]");
        }
        // Redirected output has no width of its own; Spectre would fold the table into 80 columns.
        if (!output.IsTerminal)
            output.Terminal.Profile.Width = 200;
        output.Terminal.Write(table);

        foreach (var drift in drifts.Where(d => !d.Matches))
        {
            output.Line($"[bold]{Markup.Escape(drift.Environment)}[/]{(drift.Database is null ? "" : $" ({Markup.Escape(drift.Database)})")}:");
            if (drift.Error is not null)
                output.Line($"  [red]unreachable:[/] {Markup.Escape(drift.Error)}");
            if (drift.Error is null && !drift.TrackingTableExists)
                output.Line("  no migrations applied (the database has no tracking table)");
            foreach (var problem in drift.Problems)
                output.Line($"  [red]problem:[/] {Markup.Escape(problem)}");
            foreach (var id in drift.Pending)
                output.Line($"  pending: {Markup.Escape(id)}");
            if (drift.NotCompared is not null)
                output.Line($"  schema not compared: {Markup.Escape(drift.NotCompared)}");
            if (drift.Differences.Count > 0)
            {
                output.Line(drift.ComparedWith is null
                    ? "  the live schema against the empty model (no migrations applied):"
                    : $"  the live schema against the snapshot of {Markup.Escape(drift.ComparedWith)}:");
                foreach (var difference in drift.Differences)
                    output.Line($"    {Markup.Escape(difference)}");
            }
        }
    }

    public static JsonArray Json(IReadOnlyList<EnvironmentDrift> drifts) =>
        new(drifts.Select(d => (JsonNode?)new JsonObject
        {
            ["environment"] = d.Environment,
            ["database"] = d.Database,
            ["matches"] = d.Matches,
            ["error"] = d.Error,
            ["migrations"] = MigrationsText(d),
            ["schema"] = SchemaText(d),
            ["trackingTableExists"] = d.TrackingTableExists,
            ["pending"] = Strings(d.Pending),
            ["problems"] = Strings(d.Problems),
            ["comparedWith"] = d.ComparedWith,
            ["notCompared"] = d.NotCompared,
            ["differences"] = Strings(d.Differences),
            ["exact"] = d.Exact,
        }).ToArray());

    private static JsonArray Strings(IEnumerable<string> values) =>
        new(values.Select(v => (JsonNode?)JsonValue.Create(v)).ToArray());
}
