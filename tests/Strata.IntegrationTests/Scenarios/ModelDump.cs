using System.Text;
using Strata.Model;

namespace Strata.IntegrationTests.Scenarios;

/// <summary>
/// A model as sorted lines of text, one per object or property, so that two models that should be
/// equal can be compared line by line and a failure shows exactly which lines differ.
/// </summary>
public static class ModelDump
{
    public static IReadOnlyList<string> Lines(DatabaseModel model)
    {
        var lines = new List<string>();
        foreach (var schema in model.Schemas)
            lines.Add($"schema {schema}");
        foreach (var enumType in model.Enums)
            lines.Add($"enum {enumType.QualifiedName} ({string.Join(", ", enumType.Values)}){Comment(enumType.Comment)}");
        foreach (var sequence in model.Sequences)
            lines.Add($"sequence {sequence.QualifiedName} {Options(sequence.Options)}{Comment(sequence.Comment)}");
        foreach (var table in model.Tables)
        {
            var t = $"table {table.QualifiedName}";
            lines.Add(t + (table.Unlogged ? " unlogged" : "") + Comment(table.Comment));
            if (table.Partitioning is { } partitioning)
                lines.Add($"{t} partitioning key {partitioning.Key ?? "-"} of {partitioning.Parent?.ToString() ?? "-"} {partitioning.Bound ?? "-"}");
            if (table.Inherits.Count > 0)
                lines.Add($"{t} inherits {string.Join(", ", table.Inherits)}");
            foreach (var column in table.Columns.OrderBy(c => c.Name, StringComparer.Ordinal))
                lines.Add($"{t} column {Column(column)}");
            if (table.PrimaryKey is { } pk)
                lines.Add($"{t} primary key {pk.Name} ({string.Join(", ", pk.Columns)}){Timing(pk.Deferrable, pk.InitiallyDeferred)}{KeyOptions(pk.Options)}");
            foreach (var unique in table.Uniques)
                lines.Add($"{t} unique {unique.Name} ({string.Join(", ", unique.Columns)}){(unique.NullsNotDistinct ? " nulls not distinct" : "")}{Timing(unique.Deferrable, unique.InitiallyDeferred)}{KeyOptions(unique.Options)}");
            foreach (var check in table.Checks)
                lines.Add($"{t} check {check.Name} ({check.Expression})");
            foreach (var fk in table.ForeignKeys)
                lines.Add($"{t} foreign key {fk.Name} ({string.Join(", ", fk.Columns)}) references {fk.ReferencedTable} ({string.Join(", ", fk.ReferencedColumns)}) on delete {fk.OnDelete} on update {fk.OnUpdate}{(fk.Deferrable ? " deferrable" : "")}{(fk.InitiallyDeferred ? " initially deferred" : "")}");
            foreach (var index in table.Indexes)
                lines.Add($"{t} index {Index(index)}");
        }
        foreach (var view in model.Views)
            lines.Add($"{(view.Materialized ? "materialized view" : "view")} {view.QualifiedName} depends on [{string.Join(", ", view.DependsOn)}] as {view.Definition.ReplaceLineEndings(" ")}{Comment(view.Comment)}");
        return lines;
    }

    /// <summary>The lines only in <paramref name="expected"/> (-) and only in <paramref name="actual"/> (+).</summary>
    public static string Difference(DatabaseModel expected, DatabaseModel actual)
    {
        var expectedLines = Lines(expected);
        var actualLines = Lines(actual);
        var text = new StringBuilder();
        foreach (var line in expectedLines.Except(actualLines))
            text.Append("  - ").AppendLine(line);
        foreach (var line in actualLines.Except(expectedLines))
            text.Append("  + ").AppendLine(line);
        if (text.Length == 0)
            text.AppendLine("  (the dumps are equal: the models differ in order or in a detail the dump does not show)");
        return text.ToString();
    }

    private static string Column(Column column)
    {
        var text = new StringBuilder($"{column.Name} {column.Type}");
        if (column.NotNull)
            text.Append(" not null");
        if (column.Default is { } value)
            text.Append(" default ").Append(value);
        if (column.Identity is { } identity)
            text.Append(" identity ").Append(identity.Generation).Append(' ').Append(Options(identity.Options));
        if (column.GeneratedAs is { } expression)
            text.Append(" generated as (").Append(expression).Append(')');
        text.Append(Comment(column.Comment));
        return text.ToString();
    }

    private static string KeyOptions(ValueList<string> options) => options.Count == 0 ? "" : $" with ({string.Join(", ", options)})";

    private static string Index(Model.Index index)
    {
        var keys = index.Elements.Select(e =>
            (e.Column ?? "(" + e.Expression + ")")
            + (e.Collation is { } collation ? " collate " + (e.CollationSchema is { } schema ? schema + "." : "") + collation : "")
            + (e.OperatorClass is { } opclass ? " " + opclass : "")
            + (e.Direction == SortDirection.Descending ? " desc" : "")
            + (e.Nulls == NullsOrder.Default ? "" : " nulls " + e.Nulls.ToString().ToLowerInvariant()));
        var text = new StringBuilder($"{index.Name}{(index.Unique ? " unique" : "")} using {index.Method} ({string.Join(", ", keys)})");
        if (index.Include.Count > 0)
            text.Append(" include (").Append(string.Join(", ", index.Include)).Append(')');
        if (index.NullsNotDistinct)
            text.Append(" nulls not distinct");
        if (index.Where is { } where)
            text.Append(" where ").Append(where);
        if (index.Concurrently)
            text.Append(" concurrently");
        return text.ToString();
    }

    private static string Options(SequenceOptions o) =>
        $"[type {o.DataType ?? "-"} start {o.StartWith?.ToString() ?? "-"} increment {o.IncrementBy?.ToString() ?? "-"} min {o.MinValue?.ToString() ?? "-"} max {o.MaxValue?.ToString() ?? "-"} cache {o.Cache?.ToString() ?? "-"}{(o.Cycle ? " cycle" : "")}]";

    private static string Timing(bool deferrable, bool initiallyDeferred) =>
        (deferrable ? " deferrable" : "") + (initiallyDeferred ? " initially deferred" : "");

    private static string Comment(string? comment) => comment is null ? "" : $" comment '{comment}'";
}
