using Strata.Dsl;

namespace Strata.Tests.Sql;

/// <summary>
/// COMMENT ON CONSTRAINT and COMMENT ON INDEX, which pull used to lose silently: created with their object, changed in
/// place (a comment is not what makes a constraint or index the same one), carried by a rename.
/// </summary>
public sealed class ConstraintAndIndexCommentTests
{
    private static void Define(SchemaBuilder db, string? comment, string indexName = "accounts_email")
    {
        db.Table("accounts", t =>
        {
            t.Column("id", Types.Integer).PrimaryKey();
            t.Column("email", Types.Text).NotNull();
            t.Column("parent", Types.Integer);
            var unique = t.Unique("email");
            var key = t.ForeignKey("parent").References("accounts", "id");
            var index = t.Index("email", "id").Named(indexName);
            if (comment is null)
            {
                t.Check("email.has@", "email LIKE '%@%'");
                return;
            }
            t.PrimaryKeyComment("The key: " + comment);
            t.Check("email.has@", "email LIKE '%@%'", comment: "Has an at sign: " + comment);
            unique.Comment("One account per address: " + comment);
            key.Comment("An account's parent: " + comment);
            index.Comment("Sign-in: " + comment);
        });
    }

    [Fact]
    public void Comments_are_made_with_their_objects_and_changed_in_place()
    {
        var create = MigrationSql.Create(db => Define(db, "it's new"));
        var changed = Sql(MigrationSql.Statements(db => Define(db, "first"), db => Define(db, "second")));
        var removed = Sql(MigrationSql.Statements(db => Define(db, "first"), db => Define(db, null)));

        Assert.Contains("""COMMENT ON CONSTRAINT "accounts_pkey" ON "public"."accounts" IS 'The key: it''s new';""", create);
        Assert.Contains("""COMMENT ON CONSTRAINT "email.has@" ON "public"."accounts" IS 'Has an at sign: it''s new';""", create);
        Assert.Contains("""COMMENT ON CONSTRAINT "accounts_email_key" ON "public"."accounts" IS 'One account per address: it''s new';""", create);
        Assert.Contains("""COMMENT ON CONSTRAINT "accounts_parent_fkey" ON "public"."accounts" IS 'An account''s parent: it''s new';""", create);
        Assert.Contains("""COMMENT ON INDEX "public"."accounts_email" IS 'Sign-in: it''s new';""", create);
        // Nothing is dropped or added for a comment: five COMMENT statements, nothing else.
        Assert.Equal(5, changed.Count);
        Assert.All(changed, s => Assert.StartsWith("COMMENT ON ", s));
        Assert.Contains("""COMMENT ON INDEX "public"."accounts_email" IS 'Sign-in: second';""", changed);
        Assert.Equal(5, removed.Count);
        Assert.All(removed, s => Assert.EndsWith(" IS NULL;", s));
    }

    [Fact]
    public void A_renamed_index_keeps_its_comment_and_only_a_changed_one_is_written_again()
    {
        var renamed = Sql(MigrationSql.Statements(db => Define(db, "same", "accounts_email"), db => Define(db, "same", "accounts_by_email")));

        Assert.Equal(["""ALTER INDEX "public"."accounts_email" RENAME TO "accounts_by_email";"""], renamed);
    }

    private static List<string> Sql(IEnumerable<Strata.Postgres.Sql.SqlStatement> statements) => [.. statements.Select(s => s.Sql)];

    [Fact]
    public void The_comments_read_back_from_a_snapshot_and_pulls_CSharp_and_are_absent_when_not_set()
    {
        var model = MigrationSql.Build(db => Define(db, "note"));

        MigrationSql.AssertSnapshotNamesOnlyWhenUsed(model, MigrationSql.Build(db => Define(db, null)), "comment");
        Assert.Equal(model, Strata.Tests.CodeGeneration.GeneratedSchemas.RoundTrip([model]).Single());
    }

    [Fact]
    public void A_primary_key_comment_without_a_primary_key_is_refused()
    {
        var error = Assert.Throws<SchemaValidationException>(() => MigrationSql.Build(db => db.Table("t", t =>
        {
            t.Column("id", Types.Integer);
            t.PrimaryKeyComment("no key");
        })));

        Assert.Contains("declares no primary key", error.Message);
    }
}
