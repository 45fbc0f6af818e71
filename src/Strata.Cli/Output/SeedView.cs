using Spectre.Console;
using Strata.Postgres.Seeding;

namespace Strata.Cli.Output;

/// <summary>How a seed's result reads: the summary line and the JSON of <c>strata seed</c> and <c>strata reset --seed</c>.</summary>
internal static class SeedView
{
    /// <summary>"Seeded development: 3 rows into public.users, 12 into public.tasks", with updates and deletes when there were any.</summary>
    public static string Summary(string environment, IReadOnlyList<SeededTable> tables)
    {
        static string Rows(long count) => count == 1 ? "1 row" : $"{count} rows";
        string Part(string verb, string preposition, Func<SeededTable, long> count)
        {
            var parts = tables.Where(t => count(t) > 0).Select((t, i) => $"{(i == 0 ? Rows(count(t)) : count(t).ToString(System.Globalization.CultureInfo.InvariantCulture))} {preposition} {t.Table}").ToList();
            return parts.Count == 0 ? "" : $"{verb} {string.Join(", ", parts)}";
        }
        var summary = string.Join("; ", new[] { Part("", "into", t => t.Inserted).Trim(), Part("updated", "in", t => t.Updated), Part("deleted", "from", t => t.Deleted) }.Where(p => p.Length > 0));
        return Markup.Escape($"Seeded {environment}: {(summary.Length == 0 ? "no rows written" : summary)}.");
    }
}
