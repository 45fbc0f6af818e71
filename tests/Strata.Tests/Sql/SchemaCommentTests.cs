using Strata.Dsl;
using Strata.Model;

namespace Strata.Tests.Sql;

/// <summary>
/// COMMENT ON SCHEMA: set with the schema, changed, removed, kept by a rename, and public's against PostgreSQL's own
/// 'standard public schema', which a model that says nothing keeps.
/// </summary>
public sealed class SchemaCommentTests
{
    [Fact]
    public void A_new_schema_gets_its_comment_after_it_is_created()
    {
        Assert.Equal("""
            CREATE SCHEMA "billing";
            COMMENT ON SCHEMA "billing" IS 'Invoices and the customer''s payments.';
            """, MigrationSql.Create(db => db.Schema("billing").Comment("Invoices and the customer's payments.")));
    }

    [Fact]
    public void Setting_changing_and_removing_a_schemas_comment()
    {
        Assert.Equal("""COMMENT ON SCHEMA "billing" IS 'Invoices.';""",
            MigrationSql.Up(db => db.Schema("billing"), db => db.Schema("billing").Comment("Invoices.")));
        Assert.Equal("""COMMENT ON SCHEMA "billing" IS 'Payments.';""",
            MigrationSql.Up(db => db.Schema("billing").Comment("Invoices."), db => db.Schema("billing").Comment("Payments.")));
        Assert.Equal("""COMMENT ON SCHEMA "billing" IS NULL;""",
            MigrationSql.Up(db => db.Schema("billing").Comment("Invoices."), db => db.Schema("billing")));
        Assert.Equal("", MigrationSql.Up(db => db.Schema("billing").Comment("Invoices."), db => db.Schema("billing").Comment("Invoices.")));
    }

    [Fact]
    public void A_renamed_schema_keeps_its_comment()
    {
        Assert.Equal("""ALTER SCHEMA "billing" RENAME TO "ledger";""",
            MigrationSql.Up(db => db.Schema("billing").Comment("Invoices."), db => db.Schema("ledger").Comment("Invoices."), "schema:billing=ledger"));
        Assert.Equal("""
            ALTER SCHEMA "billing" RENAME TO "ledger";
            COMMENT ON SCHEMA "ledger" IS 'Everything billed.';
            """, MigrationSql.Up(db => db.Schema("billing").Comment("Invoices."), db => db.Schema("ledger").Comment("Everything billed."), "schema:billing=ledger"));
    }

    [Fact]
    public void Public_keeps_PostgreSQLs_comment_unless_the_model_says_otherwise()
    {
        Assert.Empty(MigrationSql.Build(db => db.Schema("public").Comment(DatabaseModel.PublicSchemaComment)).SchemaComments);
        Assert.Empty(MigrationSql.Build(db => db.Schema("billing").Comment(null)).SchemaComments);
        Assert.Equal("", MigrationSql.Create(MigrationSql.Empty));

        Assert.Equal("""COMMENT ON SCHEMA "public" IS 'Shared tables.';""",
            MigrationSql.Up(MigrationSql.Empty, db => db.Schema("public").Comment("Shared tables.")));
        Assert.Equal("""COMMENT ON SCHEMA "public" IS NULL;""",
            MigrationSql.Up(MigrationSql.Empty, db => db.Schema("public").Comment(null)));
        Assert.Equal("""COMMENT ON SCHEMA "public" IS 'standard public schema';""",
            MigrationSql.Up(db => db.Schema("public").Comment(null), MigrationSql.Empty));
    }

    [Fact]
    public void Schema_comments_read_back_from_a_snapshot_and_pull_CSharp_and_are_absent_when_unused()
    {
        var model = MigrationSql.Build(db =>
        {
            db.Schema("public").Comment(null);
            db.Schema("billing").Comment("Invoices'\n\"and\" payments.");
            db.Schema("empty").Comment("Nothing yet.");
            db.Schema("billing").Table("invoices", t => t.Column("id", Types.Integer));
        });
        var without = MigrationSql.Build(db =>
        {
            db.Schema("empty");
            db.Schema("billing").Table("invoices", t => t.Column("id", Types.Integer));
        });

        var json = MigrationSql.AssertSnapshotNamesOnlyWhenUsed(model, without, "schemaComments");
        Assert.Contains("{\n      \"schema\": \"public\"\n    }", json);
        Assert.Equal(model, Strata.Tests.CodeGeneration.GeneratedSchemas.RoundTrip([model]).Single());
    }

    [Fact]
    public void The_random_round_trips_comment_schemas_public_included_and_change_the_comments()
    {
        var pairs = Enumerable.Range(1, 200).Select(seed => new Strata.IntegrationTests.Random.RandomSchemaGenerator(seed).NextPair()).ToList();

        var comments = pairs.SelectMany(p => p.A.SchemaComments.Concat(p.B.SchemaComments)).ToList();
        Assert.Contains(comments, c => c.Schema == "public" && c.Comment is null);
        Assert.Contains(comments, c => c.Schema == "public" && c.Comment is not null);
        Assert.Contains(comments, c => c.Schema != "public" && c.Comment is not null && c.Comment.Contains('\''));
        foreach (var change in new[] { "comment set", "comment dropped" })
            Assert.True(pairs.Any(p => p.Mutations.Any(m => m.StartsWith("schema ", StringComparison.Ordinal) && m.EndsWith(change, StringComparison.Ordinal))),
                $"no random pair has the change \"{change}\"");
        Assert.Contains(pairs, p => p.Renames.Any(r => r.Kind == Strata.Diffing.ObjectKind.Schema && p.B.SchemaComments.Any(c => c.Schema == r.To)));
    }
}
