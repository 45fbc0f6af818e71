using Strata.Model;
using Strata.Sql;

namespace Strata.Dsl;

/// <summary>Declares a view: its dependencies, comment and, for a materialized view, its indexes.</summary>
public sealed class ViewBuilder
{
    private readonly string _schema;
    private readonly string _name;
    private readonly string _query;
    private readonly bool _materialized;
    private readonly List<QualifiedName> _dependsOn = [];
    private readonly List<IndexBuilder> _indexes = [];
    private string? _comment;
    private bool _exactDependencies;
    private readonly List<string> _options = [];
    private string? _clusterOn;

    internal ViewBuilder(string schema, string name, string query, bool materialized)
    {
        _schema = schema;
        _name = name;
        _query = query;
        _materialized = materialized;
    }

    internal QualifiedName QualifiedName => new(_schema, _name);

    /// <summary>Names a table or view the query reads that Strata cannot see in its text (through a function, say).</summary>
    public ViewBuilder DependsOn(string relation)
    {
        _dependsOn.Add(QualifiedName.Parse(relation));
        return this;
    }

    /// <summary>Names a table or view the query reads, given as schema and name (for names that contain dots).</summary>
    public ViewBuilder DependsOn(QualifiedName relation)
    {
        _dependsOn.Add(relation);
        return this;
    }

    /// <summary>
    /// The tables and views the query reads are exactly <paramref name="relations"/>: the query text is not
    /// searched for names. <c>strata pull</c> writes it when the search would find a name the query does not
    /// read (a column named like a table, say), so that the schema reads back as the database has it.
    /// </summary>
    public ViewBuilder DependsOnExactly(params QualifiedName[] relations)
    {
        _exactDependencies = true;
        _dependsOn.Clear();
        _dependsOn.AddRange(relations);
        return this;
    }

    public ViewBuilder Comment(string comment)
    {
        _comment = comment;
        return this;
    }

    /// <summary>
    /// An option of WITH ( ): <c>.With("security_barrier", "true")</c>, <c>.With("security_invoker", "true")</c>,
    /// <c>.With("check_option", "local")</c> (WITH LOCAL CHECK OPTION; <c>cascaded</c> for CASCADED), or a materialized
    /// view's storage parameter (<c>.With("fillfactor", "70")</c>). Write the value as PostgreSQL keeps it
    /// (<c>true</c>, not <c>on</c>), as <c>strata pull</c> does, so that <c>strata check</c> stays quiet.
    /// </summary>
    public ViewBuilder With(string name, string value)
    {
        _options.Add($"{name}={value}");
        return this;
    }

    /// <summary>
    /// An index on columns of a materialized view, named <c>{view}_{columns}_idx</c> unless named. A unique one
    /// is what <c>REFRESH MATERIALIZED VIEW CONCURRENTLY</c> needs. A plain view cannot have indexes.
    /// </summary>
    public IndexBuilder Index(params string[] columns) => Index(columns.Select(IndexKey.Column).ToArray());

    /// <summary>An index on keys that may be expressions or carry a sort order, as on a table: <c>v.Index(IndexKey.Expression("lower(email)"))</c>.</summary>
    public IndexBuilder Index(params IndexKey[] keys)
    {
        var index = new IndexBuilder(keys);
        _indexes.Add(index);
        return index;
    }

    /// <summary>
    /// ALTER MATERIALIZED VIEW … CLUSTER ON: marks the index of the materialized view that a later <c>CLUSTER</c> orders
    /// its rows by, as a table's <see cref="TableBuilder.ClusterOn"/>.
    /// </summary>
    public ViewBuilder ClusterOn(string index)
    {
        _clusterOn = index;
        return this;
    }

    internal View Build(IReadOnlyList<QualifiedName> knownRelations)
    {
        // Over-approximating is safe: a false dependency only re-creates the view once more than needed.
        var names = _exactDependencies ? [] : NamesRead(_query);
        var found = knownRelations.Where(r => r != QualifiedName && (names.Contains((null, r.Name)) || names.Contains((r.Schema, r.Name))));
        return new View(_schema, _name, _query, _materialized, _dependsOn.Concat(found).Distinct().Order().ToValueList(), _comment,
            _indexes.Select(i => i.Build(_name)).ToValueList(), Options: _options.ToValueList(), ClusterOn: _clusterOn);
    }

    /// <summary>
    /// The names in the query as PostgreSQL reads them (a quoted name as it stands, a bare one folded to lower
    /// case; nothing in a string or comment): a name alone as (null, name), a qualified one (whitespace or
    /// comments may stand around its dot) as each pair of neighbours, (schema, name).
    /// </summary>
    private static HashSet<(string? Schema, string Name)> NamesRead(string query)
    {
        var names = new HashSet<(string?, string)>();
        var lexemes = SqlLexer.Tokenize(query).Lexemes();
        for (var i = 0; i < lexemes.Count; i++)
        {
            if (!lexemes[i].IsName)
                continue;
            var qualified = i + 2 < lexemes.Count && lexemes[i + 1].Is(".") && lexemes[i + 2].IsName;
            var qualifies = i >= 2 && lexemes[i - 1].Is(".") && lexemes[i - 2].IsName;
            if (qualified)
                names.Add((lexemes[i].Value, lexemes[i + 2].Value));
            else if (!qualifies)
                names.Add((null, lexemes[i].Value));
        }
        return names;
    }
}
