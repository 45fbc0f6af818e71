using Strata.Dsl;
using static Strata.Tests.Sql.MigrationSql;

namespace Strata.Tests.Sql;

public class RenameTests
{
    private static void Users(SchemaBuilder db) => db.Table("users", t =>
    {
        t.Column("id", Types.BigInt).Identity().PrimaryKey();
        t.Column("email", Types.Text).Unique();
        t.Index("email").Named("users_email_idx");
    });

    [Fact]
    public void Renaming_a_table_renames_its_identity_sequence_and_the_constraints_and_indexes_named_after_it()
    {
        var sql = Up(Users, db => db.Table("accounts", t =>
        {
            t.Column("id", Types.BigInt).Identity().PrimaryKey();
            t.Column("email", Types.Text).Unique();
            t.Index("email").Named("accounts_email_idx");
        }), "table:public.users=public.accounts");

        Assert.Equal("""
            ALTER TABLE "public"."users" RENAME TO "accounts";
            ALTER SEQUENCE "public"."users_id_seq" RENAME TO "accounts_id_seq";
            ALTER INDEX "public"."users_pkey" RENAME TO "accounts_pkey";
            ALTER INDEX "public"."users_email_key" RENAME TO "accounts_email_key";
            ALTER INDEX "public"."users_email_idx" RENAME TO "accounts_email_idx";
            """, sql);
    }

    [Fact]
    public void Renaming_a_serial_column_renames_the_sequence_it_owns()
    {
        var sql = Up(
            db => db.Table("t", t => t.Column("n", Types.Serial)),
            db => db.Table("t", t => t.Column("number", Types.Serial)),
            "column:public.t.n=number");

        Assert.Equal("""
            ALTER TABLE "public"."t" RENAME COLUMN "n" TO "number";
            ALTER SEQUENCE "public"."t_n_seq" RENAME TO "t_number_seq";
            """, sql);
    }

    [Fact]
    public void Moving_a_table_to_a_new_schema_creates_the_schema_first_and_sets_the_schema()
    {
        var sql = Up(Users, db => db.Schema("app").Table("users", t =>
        {
            t.Column("id", Types.BigInt).Identity().PrimaryKey();
            t.Column("email", Types.Text).Unique();
            t.Index("email").Named("users_email_idx");
        }), "table:public.users=app.users");

        Assert.Equal("""
            CREATE SCHEMA "app";
            ALTER TABLE "public"."users" SET SCHEMA "app";
            """, sql);
    }

    [Fact]
    public void Moving_and_renaming_a_table_sets_the_schema_then_renames_it()
    {
        var sql = Up(
            db => db.Table("t", t => t.Column("a", Types.Integer)),
            db => db.Schema("app").Table("u", t => t.Column("a", Types.Integer)),
            "table:public.t=app.u");

        Assert.Equal("""
            CREATE SCHEMA "app";
            ALTER TABLE "public"."t" SET SCHEMA "app";
            ALTER TABLE "app"."t" RENAME TO "u";
            """, sql);
    }

    [Fact]
    public void Renaming_a_schema_carries_its_tables_without_further_statements()
    {
        var sql = Up(
            db => db.Schema("billing").Table("t", t => t.Column("a", Types.Integer)),
            db => db.Schema("accounting").Table("t", t => t.Column("a", Types.Integer)),
            "schema:billing=accounting");

        Assert.Equal("""ALTER SCHEMA "billing" RENAME TO "accounting";""", sql);
    }

    [Fact]
    public void A_renamed_column_keeps_the_constraints_and_indexes_on_it_and_renames_those_named_after_it()
    {
        var sql = Up(
            db => db.Table("t", t => { t.Column("a", Types.Integer).Unique(); t.Index("a"); t.Column("b", Types.Integer); t.Index("b").Named("by_b"); }),
            db => db.Table("t", t => { t.Column("x", Types.Integer).Unique(); t.Index("x"); t.Column("y", Types.Integer); t.Index("y").Named("by_b"); }),
            "column:public.t.a=x", "column:public.t.b=y");

        Assert.Equal("""
            ALTER TABLE "public"."t" RENAME COLUMN "a" TO "x";
            ALTER TABLE "public"."t" RENAME COLUMN "b" TO "y";
            ALTER INDEX "public"."t_a_key" RENAME TO "t_x_key";
            ALTER INDEX "public"."t_a_idx" RENAME TO "t_x_idx";
            """, sql);
    }

    [Fact]
    public void Sequences_are_renamed_moved_and_altered()
    {
        var sql = Up(
            db => { db.Schema("app"); db.Sequence("s1"); db.Sequence("s2", new Strata.Model.SequenceOptions(StartWith: 5, MinValue: 2)); },
            db => { var app = db.Schema("app"); app.Sequence("counter", new Strata.Model.SequenceOptions(DataType: "integer", IncrementBy: -1, MaxValue: 100, MinValue: -100), "c"); db.Sequence("s3", new Strata.Model.SequenceOptions(Cache: 10)); },
            "sequence:public.s1=app.counter", "!sequence:public.s2");

        Assert.Equal("""
            ALTER SEQUENCE "public"."s1" SET SCHEMA "app";
            ALTER SEQUENCE "app"."s1" RENAME TO "counter";
            CREATE SEQUENCE "public"."s3" CACHE 10;
            ALTER SEQUENCE "app"."counter" AS integer INCREMENT BY -1 MINVALUE -100 MAXVALUE 100 START WITH 100;
            DROP SEQUENCE "public"."s2";
            COMMENT ON SEQUENCE "app"."counter" IS 'c';
            """, sql);
    }

    [Fact]
    public void A_chain_of_renames_frees_each_name_before_it_is_taken()
    {
        var sql = Up(
            db => { db.Table("users", t => t.Column("a", Types.Integer)); db.Table("accounts", t => t.Column("a", Types.Integer)); },
            db => { db.Table("users_old", t => t.Column("a", Types.Integer)); db.Table("users", t => t.Column("a", Types.Integer)); },
            "table:public.users=public.users_old", "table:public.accounts=public.users");

        Assert.Equal("""
            ALTER TABLE "public"."users" RENAME TO "users_old";
            ALTER TABLE "public"."accounts" RENAME TO "users";
            """, sql);
    }

    [Fact]
    public void Swapping_two_column_names_goes_through_a_temporary_name()
    {
        var sql = Up(
            db => db.Table("t", t => { t.Column("a", Types.Integer); t.Column("b", Types.Text); }),
            db => db.Table("t", t => { t.Column("b", Types.Integer); t.Column("a", Types.Text); }),
            "column:public.t.a=b", "column:public.t.b=a");

        Assert.Equal("""
            ALTER TABLE "public"."t" RENAME COLUMN "a" TO "a__strata_tmp";
            ALTER TABLE "public"."t" RENAME COLUMN "b" TO "a";
            ALTER TABLE "public"."t" RENAME COLUMN "a__strata_tmp" TO "b";
            """, sql);
    }

    [Fact]
    public void A_bare_column_hint_on_a_renamed_table_applies_up_and_inverted_for_down()
    {
        Assert.True(Strata.Diffing.RenameDecisions.TryParse(["table:public.users=public.people", "column:public.users.name=full_name"], out var decisions, out _));
        var a = Build(db => db.Table("users", t => t.Column("name", Types.Text)));
        var b = Build(db => db.Table("people", t => t.Column("full_name", Types.Text)));

        var up = Join(Strata.Postgres.Sql.PostgresSqlGenerator.Generate(Strata.Diffing.SchemaDiffer.Diff(a, b, decisions)));
        var down = Join(Strata.Postgres.Sql.PostgresSqlGenerator.Generate(Strata.Diffing.SchemaDiffer.Diff(b, a, decisions.Invert())));

        Assert.Equal("""
            ALTER TABLE "public"."users" RENAME TO "people";
            ALTER TABLE "public"."people" RENAME COLUMN "name" TO "full_name";
            """, up);
        Assert.Equal("""
            ALTER TABLE "public"."people" RENAME TO "users";
            ALTER TABLE "public"."users" RENAME COLUMN "full_name" TO "name";
            """, down);
    }

    [Fact]
    public void Key_renames_of_chained_table_renames_free_each_index_name_first()
    {
        void Keyed(TableBuilder t)
        {
            t.Column("id", Types.Integer).PrimaryKey();
        }
        var sql = Up(
            db => { db.Table("users", Keyed); db.Table("accounts", Keyed); },
            db => { db.Table("users_old", Keyed); db.Table("users", Keyed); },
            "table:public.users=public.users_old", "table:public.accounts=public.users");

        Assert.Equal("""
            ALTER TABLE "public"."users" RENAME TO "users_old";
            ALTER INDEX "public"."users_pkey" RENAME TO "users_old_pkey";
            ALTER TABLE "public"."accounts" RENAME TO "users";
            ALTER INDEX "public"."accounts_pkey" RENAME TO "users_pkey";
            """, sql);
    }
}
