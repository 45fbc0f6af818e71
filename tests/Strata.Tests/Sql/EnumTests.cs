using Strata.Dsl;
using static Strata.Tests.Sql.MigrationSql;

namespace Strata.Tests.Sql;

public class EnumTests
{
    [Fact]
    public void Added_values_keep_their_position_with_BEFORE_and_AFTER_and_trailing_ones_are_appended()
    {
        var sql = Up(
            db => { var m = db.Enum("mood", "b", "d"); db.Table("t", t => t.Column("m", m)); },
            db => { var m = db.Enum("mood", "a", "b", "c", "d", "e", "f"); db.Table("t", t => t.Column("m", m)); });

        Assert.Equal("""
            ALTER TYPE "public"."mood" ADD VALUE 'a' BEFORE 'b';
            ALTER TYPE "public"."mood" ADD VALUE 'c' AFTER 'b';
            ALTER TYPE "public"."mood" ADD VALUE 'e';
            ALTER TYPE "public"."mood" ADD VALUE 'f';
            """, sql);
    }

    [Fact]
    public void Removing_a_value_re_creates_the_type_converting_columns_and_rebuilding_what_depends_on_them()
    {
        var statements = Statements(db =>
        {
            var m = db.Enum("mood", "sad", "ok", "happy");
            db.Table("t", t =>
            {
                t.Column("m", m).Default("ok").NotNull();
                t.Column("ms", Types.ArrayOf(m));
                t.Column("other", m);
                t.Index("m").Where("m <> 'sad'");
            });
            db.View("v", "select m from t").DependsOn("t");
        }, db =>
        {
            var m = db.Enum("mood", "happy", "ok");
            db.Table("t", t =>
            {
                t.Column("m", m).Default("happy").NotNull();
                t.Column("ms", Types.ArrayOf(m));
                t.Column("other", Types.Text);
                t.Index("m").Where("m <> 'ok'");
            });
            db.View("v", "select m from t").DependsOn("t");
        });

        Assert.Equal("""
            DROP VIEW "public"."v";
            DROP INDEX "public"."t_m_idx";
            ALTER TYPE "public"."mood" RENAME TO "mood__strata_old";
            CREATE TYPE "public"."mood" AS ENUM ('happy', 'ok');
            ALTER TABLE "public"."t" ALTER COLUMN "m" DROP DEFAULT;
            ALTER TABLE "public"."t" ALTER COLUMN "m" TYPE "public"."mood" USING "m"::text::"public"."mood";
            ALTER TABLE "public"."t" ALTER COLUMN "m" SET DEFAULT 'happy';
            ALTER TABLE "public"."t" ALTER COLUMN "ms" TYPE "public"."mood"[] USING "ms"::text[]::"public"."mood"[];
            ALTER TABLE "public"."t" ALTER COLUMN "other" TYPE text;
            CREATE INDEX "t_m_idx" ON "public"."t" USING btree ("m") WHERE m <> 'ok';
            DROP TYPE "public"."mood__strata_old";
            CREATE VIEW "public"."v" AS
            select m from t;
            """, Join(statements));
        const string loss = "removes 'sad' from enum public.mood: rows holding it make the migration fail rather than lose data";
        Assert.Equal(loss, statements.Single(s => s.Sql.StartsWith("CREATE TYPE")).DataLoss);
        Assert.Equal(loss, statements.Single(s => s.Sql.Contains("ALTER COLUMN \"m\" TYPE")).DataLoss);
    }

    [Fact]
    public void Reordering_values_re_creates_the_type_without_data_loss()
    {
        var statements = Statements(
            db => { var m = db.Enum("size", "s", "m", "l"); db.Table("t", t => t.Column("size", m)); },
            db => { var m = db.Enum("size", "l", "m", "s"); db.Table("t", t => t.Column("size", m)); });

        Assert.Equal("""
            ALTER TYPE "public"."size" RENAME TO "size__strata_old";
            CREATE TYPE "public"."size" AS ENUM ('l', 'm', 's');
            ALTER TABLE "public"."t" ALTER COLUMN "size" TYPE "public"."size" USING "size"::text::"public"."size";
            DROP TYPE "public"."size__strata_old";
            """, Join(statements));
        Assert.All(statements, s => Assert.Null(s.DataLoss));
    }

    [Fact]
    public void A_new_value_used_by_the_schema_at_once_re_creates_the_type_because_PostgreSQL_forbids_using_it_before_commit()
    {
        var sql = Up(
            db => { var m = db.Enum("mood", "a"); db.Table("t", t => t.Column("m", m).Default("a")); },
            db => { var m = db.Enum("mood", "a", "b"); db.Table("t", t => t.Column("m", m).Default("b")); });

        Assert.Equal("""
            ALTER TYPE "public"."mood" RENAME TO "mood__strata_old";
            CREATE TYPE "public"."mood" AS ENUM ('a', 'b');
            ALTER TABLE "public"."t" ALTER COLUMN "m" DROP DEFAULT;
            ALTER TABLE "public"."t" ALTER COLUMN "m" TYPE "public"."mood" USING "m"::text::"public"."mood";
            ALTER TABLE "public"."t" ALTER COLUMN "m" SET DEFAULT 'b';
            DROP TYPE "public"."mood__strata_old";
            """, sql);
    }

    [Fact]
    public void Renaming_a_schema_and_an_enum_in_it_renames_both_and_adds_the_new_value_to_the_renamed_type()
    {
        var sql = Up(
            db => { var s = db.Schema("billing"); var m = s.Enum("mood", "a"); s.Table("t", t => t.Column("m", m)); },
            db => { var s = db.Schema("accounting"); var m = s.Enum("feeling", "a", "b"); s.Table("t", t => t.Column("m", m)); },
            "schema:billing=accounting", "enum:billing.mood=accounting.feeling");

        Assert.Equal("""
            ALTER SCHEMA "billing" RENAME TO "accounting";
            ALTER TYPE "accounting"."mood" RENAME TO "feeling";
            ALTER TYPE "accounting"."feeling" ADD VALUE 'b';
            """, sql);
    }

    [Fact]
    public void Moving_an_enum_to_another_schema_uses_SET_SCHEMA_and_dropped_enums_go_after_the_columns_that_used_them()
    {
        var sql = Up(
            db => { db.Schema("app"); var m = db.Enum("mood", "a"); var gone = db.Enum("gone", "x"); db.Table("t", t => { t.Column("m", m); t.Column("g", gone); }); },
            db => { var app = db.Schema("app"); var m = app.Enum("mood", "a"); db.Table("t", t => { t.Column("m", m); t.Column("g", Types.Text); }); },
            "enum:public.mood=app.mood", "!enum:public.gone");

        Assert.Equal("""
            ALTER TYPE "public"."mood" SET SCHEMA "app";
            ALTER TABLE "public"."t" ALTER COLUMN "g" TYPE text;
            DROP TYPE "public"."gone";
            """, sql);
    }

    [Fact]
    public void Re_creating_an_enum_rebuilds_the_generated_columns_that_read_its_columns()
    {
        var sql = Up(
            db => { var s = db.Enum("status", "active", "legacy"); db.Table("a", t => { t.Column("status", s); t.Column("is_active", Types.Boolean).GeneratedAs("status = 'active'"); }); },
            db => { var s = db.Enum("status", "legacy", "active"); db.Table("a", t => { t.Column("status", s); t.Column("is_active", Types.Boolean).GeneratedAs("status = 'active'"); }); });

        Assert.Equal("""
            ALTER TABLE "public"."a" DROP COLUMN "is_active";
            ALTER TYPE "public"."status" RENAME TO "status__strata_old";
            CREATE TYPE "public"."status" AS ENUM ('legacy', 'active');
            ALTER TABLE "public"."a" ALTER COLUMN "status" TYPE "public"."status" USING "status"::text::"public"."status";
            ALTER TABLE "public"."a" ADD COLUMN "is_active" boolean GENERATED ALWAYS AS (status = 'active') STORED;
            DROP TYPE "public"."status__strata_old";
            """, sql);
    }
}
