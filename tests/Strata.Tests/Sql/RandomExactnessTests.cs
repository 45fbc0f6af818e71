using Strata.Dsl;
using Strata.Model;

namespace Strata.Tests.Sql;

/// <summary>The random round trips carry issue 16's exactness features (<c>RandomExactness</c>), their changes in B included.</summary>
public sealed class RandomExactnessTests
{
    [Fact]
    public void The_random_round_trips_cover_issue_16s_exactness_features_and_change_them()
    {
        var pairs = Enumerable.Range(1, 200).Select(seed => new Strata.IntegrationTests.Random.RandomSchemaGenerator(seed).NextPair()).ToList();
        var tables = pairs.SelectMany(p => p.A.Tables.Concat(p.B.Tables)).ToList();

        Assert.Contains(tables, t => t.ForeignKeys.Any(f => f.MatchFull));
        Assert.Contains(tables, t => t.PrimaryKey?.Comment is not null);
        Assert.Contains(tables, t => t.Uniques.Any(u => u.Comment is not null));
        Assert.Contains(tables, t => t.ForeignKeys.Any(f => f.Comment is not null));
        Assert.Contains(tables, t => t.Checks.Any(c => c.Comment is not null));
        Assert.Contains(tables, t => t.Indexes.Any(i => i.Comment is not null));
        Assert.Contains(tables, t => t.Unlogged);
        Assert.Contains(tables, t => t.Columns.Any(c => c.Default == "'1'::numeric"));
        Assert.Contains(tables, t => t.Columns.Any(c => c.Default == "'0.5'::real"));
        Assert.Contains(tables, t => t.Columns.Any(c => c.Default == "true" && c.Type.Kind == TypeKind.Boolean));
        Assert.Contains(tables, t => t.Checks.Any(c => c.Expression == "1 < 2"));
        Assert.Contains(tables, t => t.Checks.Any(c => c.NoInherit));

        foreach (var change in new[]
        {
            "MATCH FULL", "MATCH SIMPLE", "comment set", "comment removed", ": unlogged", ": logged", "::numeric", "::real",
            "check (1 < 2) added", "check (1 < 2) dropped", "NO INHERIT", ": inherited", "(commented)",
        })
            Assert.True(pairs.Any(p => p.Mutations.Any(m => m.Contains(change, StringComparison.Ordinal))), $"no random pair has the change \"{change}\"");
        foreach (var what in new[] { "primary key", "unique", "foreign key", "check", "index" })
            Assert.True(pairs.Any(p => p.Mutations.Any(m => m.StartsWith(what + " ", StringComparison.Ordinal) && m.Contains(": comment", StringComparison.Ordinal))),
                $"no random pair changes the comment of a {what}");
        Assert.Contains(pairs, p => p.Renames.Any(r => r.Kind == Strata.Diffing.ObjectKind.Index));

        // Every model is one the validator (PostgreSQL's rules: an unlogged table referenced only by unlogged ones…) accepts.
        Assert.Empty(pairs.SelectMany(p => new[] { p.A, p.B }).SelectMany(m => SchemaValidator.Validate(m, [])).Select(e => e.ToString()));
    }
}
