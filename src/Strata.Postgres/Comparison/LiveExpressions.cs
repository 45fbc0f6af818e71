using System.Text.RegularExpressions;
using Strata.Model;
using Index = Strata.Model.Index;

namespace Strata.Postgres.Comparison;

/// <summary>
/// A snapshot holds check expressions, index expressions and predicates, and view queries as the C# schema
/// wrote them; the live database prints them its own way (<c>lower((email)::text)</c> for <c>lower(email)</c>,
/// a view's query re-indented, with parentheses and a semicolon). Before the drift diff, a live expression
/// that says the same as the snapshot's, up to casts, parentheses, white space and case, takes the
/// snapshot's text, so that only expressions changed by hand differ.
/// </summary>
/// <remarks>
/// A heuristic: an edit by hand that only adds or removes casts or parentheses goes unnoticed. Comparing
/// exactly would need a database built from the snapshot, which production does not offer.
/// </remarks>
public static partial class LiveExpressions
{
    /// <summary>Returns <paramref name="live"/> with each expression that matches <paramref name="expected"/>'s replaced by its text.</summary>
    public static DatabaseModel Align(DatabaseModel expected, DatabaseModel live) => live with
    {
        Tables = live.Tables.Select(t => expected.FindTable(t.QualifiedName) is { } e ? Align(e, t) : t).ToValueList(),
        Views = live.Views.Select(v => expected.FindView(v.QualifiedName) is { } e ? Align(e, v) : v).ToValueList(),
    };

    private static View Align(View expected, View live)
    {
        var indexes = Align(expected.Indexes, live.Indexes);
        return expected.Materialized == live.Materialized && Same(expected.Definition, live.Definition)
            ? live with { Definition = expected.Definition, DependsOn = expected.DependsOn, Indexes = indexes }
            : live with { Indexes = indexes };
    }

    private static ValueList<Index> Align(ValueList<Index> expected, ValueList<Index> live) =>
        live.Select(i => expected.FirstOrDefault(e => e.Name == i.Name) is { } e ? Align(e, i) : i).ToValueList();

    private static Table Align(Table expected, Table live) => live with
    {
        Checks = live.Checks.Select(c => expected.Checks.FirstOrDefault(e => e.Name == c.Name) is { } e && Same(e.Expression, c.Expression) ? e : c).ToValueList(),
        Indexes = Align(expected.Indexes, live.Indexes),
        Columns = live.Columns.Select(c => expected.FindColumn(c.Name) is { } e ? c with
        {
            Default = Same(e.Default, c.Default) ? e.Default : c.Default,
            GeneratedAs = Same(e.GeneratedAs, c.GeneratedAs) ? e.GeneratedAs : c.GeneratedAs,
        } : c).ToValueList(),
    };

    private static Index Align(Index expected, Index live)
    {
        if (expected.Elements.Count != live.Elements.Count)
            return live;
        var elements = live.Elements.Zip(expected.Elements, (l, e) => Same(e.Expression, l.Expression) ? l with { Expression = e.Expression } : l).ToValueList();
        // Concurrently is how the index is built, not what it is: the database cannot tell.
        return live with { Elements = elements, Where = Same(expected.Where, live.Where) ? expected.Where : live.Where, Concurrently = expected.Concurrently };
    }

    private static bool Same(string? expected, string? live) =>
        expected is null || live is null ? expected == live : Key(expected) == Key(live);

    /// <summary>The expression without casts, parentheses, white space, a final semicolon, and with keywords and names in lower case.</summary>
    private static string Key(string expression) =>
        Noise().Replace(Cast().Replace(expression.ToLowerInvariant(), ""), "").TrimEnd(';');

    [GeneratedRegex("""::\s*(character varying|double precision|bit varying|(timestamp|time)(\(\d+\))? with(out)? time zone|"[^"]+"|[a-z_][a-z0-9_.]*)(\([\d,\s]*\))?(\[\])*""")]
    private static partial Regex Cast();

    [GeneratedRegex(@"[\s()]")]
    private static partial Regex Noise();
}
