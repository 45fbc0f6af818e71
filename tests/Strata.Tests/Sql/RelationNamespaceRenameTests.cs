using Strata.Dsl;
using static Strata.Tests.Sql.MigrationSql;

namespace Strata.Tests.Sql;

public class RelationNamespaceRenameTests
{
    [Fact]
    public void A_table_renamed_to_the_old_name_of_its_index_waits_for_the_index_to_free_it()
    {
        var sql = Up(
            db => db.Table("old", t =>
            {
                t.Column("x", Types.Integer);
                t.Index("x").Named("new");
            }),
            db => db.Table("new", t =>
            {
                t.Column("x", Types.Integer);
                t.Index("x").Named("new_x_idx");
            }),
            "table:public.old=public.new");

        Assert.Equal("""
            ALTER INDEX "public"."new" RENAME TO "new_x_idx";
            ALTER TABLE "public"."old" RENAME TO "new";
            """, sql);
    }

    [Fact]
    public void A_table_and_an_index_swapping_names_go_through_a_temporary_name()
    {
        var sql = Up(
            db => db.Table("a", t =>
            {
                t.Column("x", Types.Integer);
                t.Index("x").Named("b");
            }),
            db => db.Table("b", t =>
            {
                t.Column("x", Types.Integer);
                t.Index("x").Named("a");
            }),
            "table:public.a=public.b");

        Assert.Equal("""
            ALTER TABLE "public"."a" RENAME TO "a__strata_tmp";
            ALTER INDEX "public"."b" RENAME TO "a";
            ALTER TABLE "public"."a__strata_tmp" RENAME TO "b";
            """, sql);
    }

    [Fact]
    public void A_table_taking_the_name_of_its_own_primary_key_renames_the_key_through_its_index_first()
    {
        var sql = Up(
            db => db.Table("old", t =>
            {
                t.Column("id", Types.Integer).NotNull();
                t.PrimaryKeyNamed("new", "id");
            }),
            db => db.Table("new", t =>
            {
                t.Column("id", Types.Integer).NotNull();
                t.PrimaryKeyNamed("new_pkey", "id");
            }),
            "table:public.old=public.new");

        Assert.Equal("""
            ALTER INDEX "public"."new" RENAME TO "new_pkey";
            ALTER TABLE "public"."old" RENAME TO "new";
            """, sql);
    }
}
