using Strata.Dsl;

namespace Strata.Tests.Sql;

/// <summary>CREATE UNLOGGED TABLE and ALTER TABLE … SET LOGGED / UNLOGGED, in the order PostgreSQL's foreign key rule allows.</summary>
public sealed class UnloggedTableTests
{
    private static void Chain(SchemaBuilder db, bool unlogged)
    {
        var parents = db.Table("a_parents", t => t.Column("id", Types.Integer).PrimaryKey());
        var children = db.Table("b_children", t => t.Column("id", Types.Integer).PrimaryKey().References("a_parents", "id"));
        var grandchildren = db.Table("c_grandchildren", t => t.Column("child_id", Types.Integer).References("b_children", "id"));
        if (unlogged)
        {
            parents.Unlogged();
            children.Unlogged();
            grandchildren.Unlogged();
        }
    }

    [Fact]
    public void An_unlogged_table_is_created_unlogged()
    {
        Assert.Equal("""
            CREATE UNLOGGED TABLE "public"."cache" (
                "key" text NOT NULL,
                CONSTRAINT "cache_pkey" PRIMARY KEY ("key")
            );
            """, MigrationSql.Create(db => db.Table("cache", t => t.Column("key", Types.Text).PrimaryKey()).Unlogged()));
    }

    [Fact]
    public void Tables_turn_unlogged_after_the_tables_that_reference_them_and_logged_after_those_they_reference()
    {
        Assert.Equal("""
            ALTER TABLE "public"."c_grandchildren" SET UNLOGGED;
            ALTER TABLE "public"."b_children" SET UNLOGGED;
            ALTER TABLE "public"."a_parents" SET UNLOGGED;
            """, MigrationSql.Up(db => Chain(db, false), db => Chain(db, true)));
        Assert.Equal("""
            ALTER TABLE "public"."a_parents" SET LOGGED;
            ALTER TABLE "public"."b_children" SET LOGGED;
            ALTER TABLE "public"."c_grandchildren" SET LOGGED;
            """, MigrationSql.Up(db => Chain(db, true), db => Chain(db, false)));
    }

    [Fact]
    public void A_logged_table_referencing_an_unlogged_one_is_refused_as_PostgreSQL_refuses_it()
    {
        var db = new SchemaBuilder();
        db.Table("cache", t => t.Column("key", Types.Text).PrimaryKey()).Unlogged();
        db.Table("entries", t => t.Column("cache_key", Types.Text).References("cache", "key"));

        var error = Assert.Single(Assert.Throws<SchemaValidationException>(db.Build).Errors).ToString();

        Assert.StartsWith("public.entries: foreign key \"entries_cache_key_fkey\" references unlogged table public.cache", error);
        Assert.Contains("t.Unlogged()", error);
    }

    [Fact]
    public void An_unlogged_table_reads_back_from_a_snapshot_and_pulls_CSharp_and_a_logged_one_writes_no_key() =>
        MigrationSql.AssertCarriedBySnapshotAndCSharp(MigrationSql.Build(db => Chain(db, true)), MigrationSql.Build(db => Chain(db, false)), "unlogged");
}
