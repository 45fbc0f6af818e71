using Spectre.Console;
using Strata.Cli.Commands;
using Strata.Diffing;
using Strata.Model;
using Strata.Postgres.Comparison;

namespace Strata.Cli.Output;

/// <summary>How <c>strata check --env</c> shows each environment's drift: a table, the details, and the JSON.</summary>
internal static class DriftView
{
    /// <summary>
    /// Names each object that the live database (the diff's target) has added, removed or altered against
    /// the snapshot. A drop and a create of the same object (an index re-created with other columns) is one
    /// "altered".
    /// </summary>
    public static IReadOnlyList<string> Describe(IEnumerable<SchemaChange> changes)
    {
        var found = new List<(string Object, string Verb, string? Detail)>();
        var list = changes.ToList();
        // A re-created type steps aside under a temporary name that is dropped after the columns move: the
        // migration's mechanics, not something changed by hand.
        var temporaries = list.OfType<ITypeRecreation>().Select(r => r.TemporaryType).ToHashSet();
        foreach (var change in list)
        {
            if (change is ITypeDrop drop && temporaries.Contains(drop.Type))
                continue;
            (string Object, string Verb, string? Detail) item = change switch
            {
                CreateSchema c => ($"schema {c.Name}", "added", null),
                DropSchema c => ($"schema {c.Name}", "removed", null),
                CreateEnum c => ($"enum {c.Enum.QualifiedName}", "added", null),
                DropEnum c => ($"enum {c.Enum.QualifiedName}", "removed", null),
                AddEnumValue c => ($"enum {c.Enum}", "altered", $"value '{c.Value}' added"),
                RecreateEnum c => ($"enum {c.To.QualifiedName}", "altered", EnumValuesChanged(c.From.Values, c.To.Values)),
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

    /// <summary>
    /// What a re-created enum's values became, in the words of a value added in place: the values added and
    /// removed, or the new order when only the order changed. (The differ re-creates an enum that only gains
    /// values when an expression may use them at once; to the reader it is still values added.)
    /// </summary>
    private static string EnumValuesChanged(IReadOnlyList<string> from, IReadOnlyList<string> to)
    {
        var details = to.Except(from, StringComparer.Ordinal).Select(v => $"value '{v}' added")
            .Concat(from.Except(to, StringComparer.Ordinal).Select(v => $"value '{v}' removed")).ToList();
        return details.Count > 0 ? string.Join("; ", details) : $"values now {string.Join(", ", to)}";
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
        : drift.Changes.Count == 0 ? "matches"
        : MigrationCommands.Plural(Describe(drift.Changes).Count, "difference");

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
            if (drift.Changes.Count > 0)
            {
                output.Line(drift.ComparedWith is null
                    ? "  the live schema against the empty model (no migrations applied):"
                    : $"  the live schema against the snapshot of {Markup.Escape(drift.ComparedWith)}:");
                foreach (var difference in Describe(drift.Changes))
                    output.Line($"    {Markup.Escape(difference)}");
            }
        }
    }
}
