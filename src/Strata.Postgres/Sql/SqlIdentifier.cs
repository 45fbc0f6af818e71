using System.Text;
using Strata.Model;

namespace Strata.Postgres.Sql;

/// <summary>
/// The one place that turns names and strings into SQL text. Every identifier is double-quoted, so
/// capitals, spaces, quotes and reserved words survive; nothing longer than PostgreSQL keeps is emitted.
/// </summary>
public static class SqlIdentifier
{
    /// <summary>
    /// The name as SQL: <c>"name"</c>. A name holding a line break is written on one line with Unicode
    /// escapes (<c>U&amp;"a\000A--&gt; statement-breakpoint\000Ab"</c>): a migration file reads its lines
    /// one at a time, so a name spread over lines could hold a line that the file reads as a statement
    /// breakpoint or a directive (and a carriage return at a line's end is not kept), while the escaped
    /// form parses back to the same statement and names the same object.
    /// </summary>
    public static string Quote(string name)
    {
        Check(name);
        if (name.AsSpan().IndexOfAny('\n', '\r') < 0)
            return Plain(name);
        var escaped = new StringBuilder("U&\"", name.Length + 16);
        foreach (var c in name)
        {
            _ = c switch
            {
                '\\' => escaped.Append(@"\\"),
                '"' => escaped.Append("\"\""),
                '\n' => escaped.Append(@"\000A"),
                '\r' => escaped.Append(@"\000D"),
                _ => escaped.Append(c),
            };
        }
        return escaped.Append('"').ToString();
    }

    public static string Quote(QualifiedName name) => Quote(name.Schema) + "." + Quote(name.Name);

    /// <summary>
    /// The name as the text that PostgreSQL's name readers take inside a string (<c>'…'::regclass</c>,
    /// <c>pg_get_serial_sequence('…')</c>), which know the plain <c>"…"</c> form only; it goes into SQL
    /// through <see cref="Literal"/>, which keeps a line of it from reading as a directive.
    /// </summary>
    public static string QuoteAsText(string name)
    {
        Check(name);
        return Plain(name);
    }

    /// <inheritdoc cref="QuoteAsText(string)"/>
    public static string QuoteAsText(QualifiedName name)
    {
        Check(name.Schema);
        Check(name.Name);
        return Plain(name.Schema) + "." + Plain(name.Name);
    }

    /// <summary>A string literal, written by the one quoter the DSL's defaults use too.</summary>
    public static string Literal(string value) => Strata.Dsl.SqlLiteral.Quote(value);

    private static void Check(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (Identifiers.Problem(name) is { } problem)
            throw new ArgumentException($"Cannot write the identifier into SQL: {problem}.", nameof(name));
    }

    private static string Plain(string name) => "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
