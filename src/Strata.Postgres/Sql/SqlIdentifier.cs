using Strata.Model;

namespace Strata.Postgres.Sql;

/// <summary>
/// The one place that turns names and strings into SQL text. Every identifier is double-quoted, so
/// capitals, spaces, quotes and reserved words survive; nothing longer than PostgreSQL keeps is emitted.
/// </summary>
public static class SqlIdentifier
{
    public static string Quote(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (Identifiers.Problem(name) is { } problem)
            throw new ArgumentException($"Cannot write the identifier into SQL: {problem}.", nameof(name));
        return "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
    }

    public static string Quote(QualifiedName name) => Quote(name.Schema) + "." + Quote(name.Name);

    /// <summary>A string literal, written by the one quoter the DSL's defaults use too.</summary>
    public static string Literal(string value) => Strata.Dsl.SqlLiteral.Quote(value);
}
