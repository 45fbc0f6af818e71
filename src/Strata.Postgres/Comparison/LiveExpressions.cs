using Strata.Model;
using Strata.Sql;
using Index = Strata.Model.Index;

namespace Strata.Postgres.Comparison;

/// <summary>
/// A snapshot holds check expressions, index expressions and predicates, and view queries as the C# schema
/// wrote them; the live database prints them its own way (<c>lower((email)::text)</c> for <c>lower(email)</c>,
/// a view's query re-indented, with parentheses and a semicolon). Before the drift diff, a live expression
/// that says the same as the snapshot's, up to casts, parentheses, white space, comments, quotes around a
/// name and the case of keywords and bare names (never of a string constant), takes the snapshot's text, so
/// that only expressions changed by hand differ. Both are read by the one SQL lexer.
/// </summary>
/// <remarks>
/// A heuristic: an edit by hand that only adds or removes casts or parentheses goes unnoticed. Comparing
/// exactly would need a database built from the snapshot, which production does not offer.
/// </remarks>
public static class LiveExpressions
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
        expected is null || live is null ? expected == live : Key(expected).SequenceEqual(Key(live));

    /// <summary>
    /// The expression as PostgreSQL reads it (<see cref="SqlText.Lexemes"/>: keywords and bare names folded to
    /// lower case, a quoted name as the name it stands for, a string constant's value exactly, no white space or
    /// comments), without
    /// casts, parentheses and a final semicolon.
    /// </summary>
    private static List<(SqlLexemeKind Kind, string Value)> Key(string expression)
    {
        var lexemes = SqlLexer.Tokenize(expression).Lexemes();
        var key = new List<(SqlLexemeKind, string)>(lexemes.Count);
        for (var i = 0; i < lexemes.Count; i++)
        {
            var lexeme = lexemes[i];
            if (lexeme.Is("::"))
                i = AfterCastType(lexemes, i + 1) - 1;
            else if (!lexeme.Is("(") && !lexeme.Is(")") && !(lexeme.Is(";") && i == lexemes.Count - 1))
                // "email" and email are the same name: PostgreSQL prints quotes only where a name needs them.
                key.Add((lexeme.IsName ? SqlLexemeKind.Word : lexeme.Kind, lexeme.Value));
        }
        return key;
    }

    /// <summary>
    /// Where the type of a cast that starts at <paramref name="i"/> ends: a name, qualified or not, or one of
    /// the types of several words PostgreSQL prints (<c>character varying</c>, <c>double precision</c>,
    /// <c>bit varying</c>, <c>timestamp(3) with time zone</c>), then its modifiers (<c>(10,2)</c>) and array
    /// brackets.
    /// </summary>
    private static int AfterCastType(IReadOnlyList<SqlLexeme> lexemes, int i)
    {
        bool WordAt(int at, string word) => at < lexemes.Count && lexemes[at].Kind == SqlLexemeKind.Word && lexemes[at].Value == word;
        int AfterModifiers(int at)
        {
            if (at >= lexemes.Count || !lexemes[at].Is("("))
                return at;
            var close = at + 1;
            while (close < lexemes.Count && (lexemes[close].Kind == SqlLexemeKind.Number || lexemes[close].Is(",")))
                close++;
            return close < lexemes.Count && lexemes[close].Is(")") ? close + 1 : at;
        }

        if (i >= lexemes.Count || !lexemes[i].IsName)
            return i;
        var first = lexemes[i].Kind == SqlLexemeKind.Word ? lexemes[i].Value : null;
        i++;
        if ((first is "character" or "bit" && WordAt(i, "varying")) || (first == "double" && WordAt(i, "precision")))
        {
            i++;
        }
        else if (first is "timestamp" or "time")
        {
            i = AfterModifiers(i);
            if ((WordAt(i, "with") || WordAt(i, "without")) && WordAt(i + 1, "time") && WordAt(i + 2, "zone"))
                i += 3;
        }
        else
        {
            while (i + 1 < lexemes.Count && lexemes[i].Is(".") && lexemes[i + 1].IsName)
                i += 2;
        }
        i = AfterModifiers(i);
        while (i + 1 < lexemes.Count && lexemes[i].Is("[") && lexemes[i + 1].Is("]"))
            i += 2;
        return i;
    }
}
