using System.Text;
using System.Text.RegularExpressions;
using Strata.Model;

namespace Strata.Postgres.Introspection;

/// <summary>
/// What <see cref="PostgresIntrospector"/> reads, and (<see cref="Filter"/>) the same selection applied to a
/// model, so that a database read with these options and a schema filtered with them compare like with like.
/// </summary>
/// <remarks>
/// pg_* schemas and information_schema are never read. Schema rules select schemas, enums, sequences,
/// tables and views; table patterns select tables and views only (their columns, constraints and indexes
/// go with them; a serial column's sequence goes with its table).
/// </remarks>
public sealed record IntrospectionOptions
{
    /// <summary>Reads everything but extension-owned objects.</summary>
    public static IntrospectionOptions All { get; } = new();

    /// <summary>Only these schemas (exact names); empty for every schema.</summary>
    public IReadOnlyCollection<string> IncludeSchemas { get; init; } = [];

    /// <summary>Not these schemas (exact names), such as the migration tracking table's.</summary>
    public IReadOnlyCollection<string> ExcludeSchemas { get; init; } = [];

    /// <summary>
    /// Only tables and views matching one of these patterns; empty for all. <c>*</c> matches any run of
    /// characters, <c>?</c> one character, the rest itself (case-sensitive, as PostgreSQL names are).
    /// <c>orders</c> and <c>order_*</c> match in every schema; <c>sales.*</c> matches in schema sales (the
    /// first dot separates schema and table, and the schema part may be a pattern too).
    /// </summary>
    public IReadOnlyCollection<string> Tables { get; init; } = [];

    /// <summary>Also read objects that belong to an extension (PostGIS's spatial_ref_sys, hstore's type); false by default.</summary>
    public bool IncludeExtensionObjects { get; init; }

    /// <summary>Whether a schema's objects are read (apart from table patterns).</summary>
    public bool IncludesSchema(string schema) =>
        !schema.StartsWith("pg_", StringComparison.Ordinal) && schema != "information_schema"
        && !ExcludeSchemas.Contains(schema)
        && (IncludeSchemas.Count == 0 || IncludeSchemas.Contains(schema));

    /// <summary>Whether a table or view is read.</summary>
    public bool IncludesRelation(QualifiedName name) => IncludesRelation(name, Patterns);

    private bool IncludesRelation(QualifiedName name, IReadOnlyList<TablePattern> patterns) =>
        IncludesSchema(name.Schema) && (patterns.Count == 0 || patterns.Any(p => p.Matches(name)));

    /// <summary>
    /// <paramref name="model"/> with only what a database read with these options would show: the schemas read
    /// and their objects other than relations (<see cref="DatabaseModel.InSchemas"/>), the tables and views matching
    /// the patterns, and view dependencies on the schemas read.
    /// </summary>
    public DatabaseModel Filter(DatabaseModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var patterns = Patterns; // parsed and compiled once, not once per table
        return model.InSchemas(IncludesSchema).InRelations(name => IncludesRelation(name, patterns)) with
        {
            Tables = model.Tables.Where(t => IncludesRelation(t.QualifiedName, patterns)).ToValueList(),
            Views = model.Views.Where(v => IncludesRelation(v.QualifiedName, patterns))
                .Select(v => v with { DependsOn = v.DependsOn.Where(d => IncludesSchema(d.Schema)).ToValueList() })
                .ToValueList(),
        };
    }

    private IReadOnlyList<TablePattern> Patterns => [.. Tables.Select(TablePattern.Parse)];

    /// <summary>The table patterns as LIKE patterns for the catalog queries: schema (null for any) and name.</summary>
    internal (string?[] Schemas, string[] Names) LikePatterns()
    {
        var patterns = Patterns;
        return (patterns.Select(p => p.Schema is null ? null : Like(p.Schema)).ToArray(), patterns.Select(p => Like(p.Name)).ToArray());
    }

    /// <summary>A glob as a LIKE pattern (escape character backslash, LIKE's default).</summary>
    private static string Like(string glob)
    {
        var like = new StringBuilder(glob.Length);
        foreach (var c in glob)
        {
            like.Append(c switch
            {
                '*' => "%",
                '?' => "_",
                '%' or '_' or '\\' => "\\" + c,
                _ => c.ToString(),
            });
        }
        return like.ToString();
    }

    private sealed record TablePattern(string? Schema, string Name)
    {
        public static TablePattern Parse(string pattern)
        {
            var dot = pattern.IndexOf('.', StringComparison.Ordinal);
            return dot < 0 ? new TablePattern(null, pattern) : new TablePattern(pattern[..dot], pattern[(dot + 1)..]);
        }

        private readonly Regex? _schema = Schema is null ? null : Glob(Schema);
        private readonly Regex _name = Glob(Name);

        public bool Matches(QualifiedName name) => (_schema is null || _schema.IsMatch(name.Schema)) && _name.IsMatch(name.Name);

        private static Regex Glob(string glob) =>
            new("^" + Regex.Escape(glob).Replace(@"\*", ".*", StringComparison.Ordinal).Replace(@"\?", ".", StringComparison.Ordinal) + "$",
                RegexOptions.Singleline | RegexOptions.CultureInvariant);
    }
}
