using Strata.Dsl;
using Strata.Model;
using static Strata.Tests.Sql.MigrationSql;

namespace Strata.Tests.Sql;

public class ConstraintTests
{
    [Fact]
    public void Changed_constraints_and_indexes_are_dropped_and_added_and_renamed_ones_are_renamed()
    {
        var statements = Statements(db => db.Table("t", t =>
        {
            t.Column("id", Types.Integer).PrimaryKey();
            t.Column("a", Types.Text).Unique();
            t.Column("b", Types.Integer).Check("b > 0");
            t.Index("a").Named("old_name");
            t.Index("b").Concurrently();
        }), db => db.Table("t", t =>
        {
            t.Column("id", Types.Integer).PrimaryKey();
            t.Column("a", Types.Text).Unique(name: "a_unique");
            t.Column("b", Types.Integer).Check("b > 1");
            t.Index("a").Named("new_name");
            t.Index("b", "a").Named("t_b_idx").Concurrently();
        }));

        Assert.Equal("""
            DROP INDEX CONCURRENTLY "public"."t_b_idx";
            ALTER TABLE "public"."t" DROP CONSTRAINT "t_b_check";
            ALTER INDEX "public"."t_a_key" RENAME TO "a_unique";
            ALTER INDEX "public"."old_name" RENAME TO "new_name";
            ALTER TABLE "public"."t" ADD CONSTRAINT "t_b_check" CHECK (b > 1);
            CREATE INDEX CONCURRENTLY "t_b_idx" ON "public"."t" USING btree ("b", "a");
            """, Join(statements));
        Assert.Equal([false, true, true, true, true, false], statements.Select(s => s.Transactional));
    }

    [Fact]
    public void Switching_an_index_to_concurrently_alone_is_no_change()
    {
        var diff = Strata.Diffing.SchemaDiffer.Diff(
            Build(db => db.Table("t", t => { t.Column("a", Types.Integer); t.Index("a"); })),
            Build(db => db.Table("t", t => { t.Column("a", Types.Integer); t.Index("a").Concurrently(); })),
            Strata.Diffing.RenameDecisions.None);

        Assert.True(diff.IsEmpty);
    }

    [Fact]
    public void Foreign_keys_touching_retyped_columns_or_a_replaced_primary_key_are_dropped_first_and_added_last()
    {
        var sql = Up(db =>
        {
            db.Table("p", t => { t.Column("id", Types.Integer).PrimaryKey(); t.Column("k", Types.Integer).NotNull(); });
            db.Table("c", t => { t.Column("id", Types.Integer).PrimaryKey(); t.Column("p_id", Types.Integer).References("p", "id"); });
        }, db =>
        {
            db.Table("p", t => { t.Column("id", Types.BigInt).NotNull(); t.Column("k", Types.Integer).NotNull(); t.PrimaryKey("id", "k"); });
            db.Table("c", t =>
            {
                t.Column("id", Types.Integer).PrimaryKey();
                t.Column("p_id", Types.BigInt);
                t.Column("p_k", Types.Integer);
                t.ForeignKey("p_id", "p_k").References("p", "id", "k").OnDelete(ReferentialAction.SetDefault).OnUpdate(ReferentialAction.Cascade);
            });
        });

        Assert.Equal("""
            ALTER TABLE "public"."c" DROP CONSTRAINT "c_p_id_fkey";
            ALTER TABLE "public"."p" DROP CONSTRAINT "p_pkey";
            ALTER TABLE "public"."c" ALTER COLUMN "p_id" TYPE bigint;
            ALTER TABLE "public"."c" ADD COLUMN "p_k" integer;
            ALTER TABLE "public"."p" ALTER COLUMN "id" TYPE bigint;
            ALTER TABLE "public"."p" ADD CONSTRAINT "p_pkey" PRIMARY KEY ("id", "k");
            ALTER TABLE "public"."c" ADD CONSTRAINT "c_p_id_p_k_fkey" FOREIGN KEY ("p_id", "p_k") REFERENCES "public"."p" ("id", "k") ON DELETE SET DEFAULT ON UPDATE CASCADE;
            """, sql);
    }

    [Fact]
    public void A_foreign_key_whose_actions_change_is_dropped_and_added_again()
    {
        var sql = Up(db =>
        {
            db.Table("p", t => t.Column("id", Types.Integer).PrimaryKey());
            db.Table("c", t => t.Column("p_id", Types.Integer).References("p", "id"));
        }, db =>
        {
            db.Table("p", t => t.Column("id", Types.Integer).PrimaryKey());
            db.Table("c", t => { t.Column("p_id", Types.Integer); t.ForeignKey("p_id").References("p", "id").OnDelete(ReferentialAction.Cascade).Deferrable(); });
        });

        Assert.Equal("""
            ALTER TABLE "public"."c" DROP CONSTRAINT "c_p_id_fkey";
            ALTER TABLE "public"."c" ADD CONSTRAINT "c_p_id_fkey" FOREIGN KEY ("p_id") REFERENCES "public"."p" ("id") ON DELETE CASCADE DEFERRABLE;
            """, sql);
    }

    [Fact]
    public void Dropped_tables_lose_the_foreign_keys_between_them_first_and_their_views_before_that()
    {
        var statements = Statements(db =>
        {
            db.Table("a", t => { t.Column("id", Types.Integer).PrimaryKey(); t.Column("b_id", Types.Integer); });
            db.Table("b", t => { t.Column("id", Types.Integer).PrimaryKey(); t.Column("a_id", Types.Integer).References("a", "id"); });
            db.View("va", "select * from a").DependsOn("a");
            db.View("vva", "select * from va").DependsOn("va");
            db.Table("keep", t => t.Column("id", Types.Integer));
        }, db => db.Table("keep", t => t.Column("id", Types.Integer)));

        Assert.Equal("""
            DROP VIEW "public"."vva";
            DROP VIEW "public"."va";
            ALTER TABLE "public"."b" DROP CONSTRAINT "b_a_id_fkey";
            DROP TABLE "public"."a";
            DROP TABLE "public"."b";
            """, Join(statements));
        Assert.Equal("drops table public.a and all its rows", statements[3].DataLoss);
    }
}
