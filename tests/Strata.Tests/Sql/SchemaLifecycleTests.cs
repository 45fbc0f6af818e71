using Strata.Dsl;
using static Strata.Tests.Sql.MigrationSql;

namespace Strata.Tests.Sql;

public class SchemaLifecycleTests
{
    [Fact]
    public void Dropping_a_schema_drops_its_views_tables_types_and_sequences_before_the_schema()
    {
        var sql = Up(db =>
        {
            var old = db.Schema("old");
            var e = old.Enum("e", "a");
            old.Sequence("sq");
            old.Table("t", t => { t.Column("e", e); t.Column("id", Types.Serial).PrimaryKey(); });
            old.View("v", "select * from old.t").DependsOn("old.t");
            db.Table("keep", t => t.Column("x", Types.Integer));
        }, db => db.Table("keep", t => t.Column("x", Types.Integer)));

        Assert.Equal("""
            DROP VIEW "old"."v";
            DROP TABLE "old"."t";
            DROP TYPE "old"."e";
            DROP SEQUENCE "old"."sq";
            DROP SCHEMA "old";
            """, sql);
    }

    [Fact]
    public void A_foreign_key_over_a_unique_index_that_becomes_a_constraint_is_dropped_and_added_around_it()
    {
        var sql = Up(db =>
        {
            db.Table("p", t => { t.Column("code", Types.Text).NotNull(); t.Index("code").Unique(); });
            db.Table("c", t => t.Column("code", Types.Text).References("p", "code"));
        }, db =>
        {
            db.Table("p", t => t.Column("code", Types.Text).NotNull().Unique());
            db.Table("c", t => t.Column("code", Types.Text).References("p", "code"));
        });

        Assert.Equal("""
            ALTER TABLE "public"."c" DROP CONSTRAINT "c_code_fkey";
            DROP INDEX "public"."p_code_idx";
            ALTER TABLE "public"."p" ADD CONSTRAINT "p_code_key" UNIQUE ("code");
            ALTER TABLE "public"."c" ADD CONSTRAINT "c_code_fkey" FOREIGN KEY ("code") REFERENCES "public"."p" ("code");
            """, sql);
    }

    [Fact]
    public void Renaming_a_referenced_table_and_its_column_keeps_foreign_keys_and_rebuilds_views_over_it()
    {
        var sql = Up(db =>
        {
            db.Table("p", t => { t.Column("id", Types.Serial).PrimaryKey(); t.Column("n", Types.Text); t.Index("n"); });
            db.Table("c", t => t.Column("p_id", Types.Integer).References("p", "id"));
            db.View("pv", "select id, n from public.p").DependsOn("p");
        }, db =>
        {
            db.Table("parent", t => { t.Column("id", Types.Serial).PrimaryKey(); t.Column("name", Types.Text); t.Index("name"); });
            db.Table("c", t => t.Column("p_id", Types.Integer).References("parent", "id"));
            db.View("pv", "select id, name as n from public.parent").DependsOn("parent");
        }, "table:public.p=public.parent", "column:public.p.n=public.parent.name");

        Assert.Equal("""
            DROP VIEW "public"."pv";
            ALTER TABLE "public"."p" RENAME TO "parent";
            ALTER TABLE "public"."parent" RENAME COLUMN "n" TO "name";
            ALTER SEQUENCE "public"."p_id_seq" RENAME TO "parent_id_seq";
            ALTER INDEX "public"."p_pkey" RENAME TO "parent_pkey";
            ALTER INDEX "public"."p_n_idx" RENAME TO "parent_name_idx";
            CREATE VIEW "public"."pv" AS
            select id, name as n from public.parent;
            """, sql);
    }

    [Fact]
    public void Moving_the_primary_key_to_another_column_drops_it_first_and_adds_it_after_the_nullability_changes()
    {
        var sql = Up(
            db => db.Table("t", t => { t.Column("a", Types.Integer).PrimaryKey(); t.Column("b", Types.Integer); }),
            db => db.Table("t", t => { t.Column("a", Types.Integer); t.Column("b", Types.Integer).PrimaryKey(); }));

        Assert.Equal("""
            ALTER TABLE "public"."t" DROP CONSTRAINT "t_pkey";
            ALTER TABLE "public"."t" ALTER COLUMN "a" DROP NOT NULL;
            ALTER TABLE "public"."t" ALTER COLUMN "b" SET NOT NULL;
            ALTER TABLE "public"."t" ADD CONSTRAINT "t_pkey" PRIMARY KEY ("b");
            """, sql);
    }

    [Fact]
    public void A_unique_constraint_identical_to_the_primary_key_is_added_after_CREATE_TABLE_which_would_merge_it_away()
    {
        var sql = Create(db => db.Table("t", t =>
        {
            t.Column("id", Types.Integer).PrimaryKey();
            t.Unique("id");
        }));

        Assert.Equal("""
            CREATE TABLE "public"."t" (
                "id" integer NOT NULL,
                CONSTRAINT "t_pkey" PRIMARY KEY ("id")
            );
            ALTER TABLE "public"."t" ADD CONSTRAINT "t_id_key" UNIQUE ("id");
            """, sql);
    }
}
