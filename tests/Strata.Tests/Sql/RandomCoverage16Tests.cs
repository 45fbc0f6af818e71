using Strata.Dsl;
using Strata.IntegrationTests.Random;
using Strata.Model;

namespace Strata.Tests.Sql;

/// <summary>The random round trips carry the rest of issue 16's features (<c>RandomCoverage16</c>), their changes in B included.</summary>
public sealed class RandomCoverage16Tests
{
    [Fact]
    public void The_random_round_trips_cover_duplicate_checks_in_checks_typed_constants_in_views_extensions_and_quoted_schemas()
    {
        var pairs = Enumerable.Range(1, 200).Select(seed => new RandomSchemaGenerator(seed).NextPair()).ToList();
        var models = pairs.SelectMany(p => new[] { p.A, p.B }).ToList();
        var tables = models.SelectMany(m => m.Tables).ToList();

        Assert.Contains(tables, t => t.Checks.Any(c => c.Name.EndsWith("_n_check", StringComparison.Ordinal))
            && t.Checks.Any(c => c.Name.EndsWith("_n_check1", StringComparison.Ordinal)));
        Assert.Contains(tables, t => t.Checks.Any(c => c.Expression.Contains(" IN (", StringComparison.Ordinal)) && t.FindColumn("code")?.Type.Kind == TypeKind.Varchar);
        Assert.Contains(tables, t => t.Checks.Any(c => c.Expression.Contains("::character varying", StringComparison.Ordinal)) && t.FindColumn("label")?.Type.Kind == TypeKind.Text);
        Assert.Contains(tables, t => t.Checks.Any(c => c.Expression.Contains("::text[]", StringComparison.Ordinal)));
        foreach (var item in new[] { "NULL::integer AS x", "NULL::integer,", "'a'::text", "1::bigint" })
            Assert.Contains(models.SelectMany(m => m.Views), v => v.Definition.Contains(item, StringComparison.Ordinal));
        foreach (var name in new[] { "citext", "hstore", "pg_trgm", "btree_gist", "uuid-ossp" })
            Assert.Contains(models, m => m.Extensions.Any(e => e.Name == name));
        Assert.Contains(models, m => m.Extensions.Any(e => e.Version is not null));
        Assert.Contains(models, m => m.Extensions.Any(e => e.Schema == RandomCoverage16.ExtensionSchema));
        Assert.Contains(tables, t => t.Columns.Any(c => c.Type.RawName == "citext"));
        Assert.Contains(tables, t => t.Indexes.Any(i => i.Elements.Any(e => e.OperatorClass == "gin_trgm_ops")));
        Assert.Contains(tables, t => t.Schema == "Foo" && t.ForeignKeys.Any(f => f.ReferencedTable.Schema == "foo"));
        Assert.Contains(models, m => m.Schemas.Contains("Billing Data") && m.Tables.Any(t => t.Schema == "Billing Data"));

        foreach (var change in new[]
        {
            "extension citext dropped", " added", ": moved to ", ": no longer used", ": used", "change type cov16_checks.code",
            "change type cov16_checks.label", "_code_check:", "_n_check/_check1:", "view cov16_view: added", "view cov16_view: removed",
            "dropped with its table", "added with a table", "key \"Foo\" → foo",
        })
            Assert.True(pairs.Any(p => p.Mutations.Any(m => m.Contains(change, StringComparison.Ordinal))), $"no random pair has the change \"{change}\"");

        // Every model is one the validator accepts.
        Assert.Empty(models.SelectMany(m => SchemaValidator.Validate(m, [])).Select(e => e.ToString()));
    }
}
