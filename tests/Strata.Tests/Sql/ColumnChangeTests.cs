using Strata.Dsl;
using Strata.Model;
using static Strata.Tests.Sql.MigrationSql;

namespace Strata.Tests.Sql;

public class ColumnChangeTests
{
    private static void Users(SchemaBuilder db) => db.Table("users", t =>
    {
        t.Column("id", Types.BigInt).Identity().PrimaryKey();
        t.Column("name", Types.Text).NotNull();
        t.Column("email", Types.Varchar(100));
    });

    [Fact]
    public void Adding_dropping_and_renaming_columns_drops_before_renaming_and_adds_last()
    {
        var statements = Statements(Users, db => db.Table("users", t =>
        {
            t.Column("id", Types.BigInt).Identity().PrimaryKey();
            t.Column("full_name", Types.Text).NotNull();
            t.Column("age", Types.Integer).NotNull().Default(0).Comment("in years");
        }), "column:public.users.name=full_name", "!column:public.users.email");

        Assert.Equal("""
            ALTER TABLE "public"."users" DROP COLUMN "email";
            ALTER TABLE "public"."users" RENAME COLUMN "name" TO "full_name";
            ALTER TABLE "public"."users" ADD COLUMN "age" integer DEFAULT 0 NOT NULL;
            COMMENT ON COLUMN "public"."users"."age" IS 'in years';
            """, Join(statements));
        Assert.Equal("drops column public.users.email and its values", statements[0].DataLoss);
        Assert.All(statements.Skip(1), s => Assert.Null(s.DataLoss));
    }

    [Fact]
    public void Type_changes_use_USING_only_where_PostgreSQL_has_no_assignment_cast()
    {
        var statements = Statements(db => db.Table("t", t =>
        {
            t.Column("a", Types.Text).Default("1");
            t.Column("b", Types.Varchar(50));
            t.Column("c", Types.Integer);
            t.Column("d", Types.Text);
            t.Column("e", Types.Integer).Default(1);
            t.Column("f", Types.ArrayOf(Types.Text));
            t.Column("g", Types.Text);
            t.Column("h", Types.Varchar(10));
            t.Column("i", Types.Text);
        }), db =>
        {
            var m = db.Enum("m", "x", "y");
            db.Table("t", t =>
            {
                t.Column("a", Types.Integer).Default(2);
                t.Column("b", Types.Varchar(20));
                t.Column("c", Types.BigInt);
                t.Column("d", Types.Uuid);
                t.Column("e", Types.Boolean).Default(true);
                t.Column("f", Types.ArrayOf(Types.Integer));
                t.Column("g", m);
                t.Column("h", Types.Text);
                t.Column("i", Types.Jsonb);
            });
        });

        Assert.Equal("""
            CREATE TYPE "public"."m" AS ENUM ('x', 'y');
            ALTER TABLE "public"."t" ALTER COLUMN "a" DROP DEFAULT;
            ALTER TABLE "public"."t" ALTER COLUMN "a" TYPE integer USING "a"::integer;
            ALTER TABLE "public"."t" ALTER COLUMN "a" SET DEFAULT 2;
            ALTER TABLE "public"."t" ALTER COLUMN "b" TYPE varchar(20);
            ALTER TABLE "public"."t" ALTER COLUMN "c" TYPE bigint;
            ALTER TABLE "public"."t" ALTER COLUMN "d" TYPE uuid USING "d"::uuid;
            ALTER TABLE "public"."t" ALTER COLUMN "e" DROP DEFAULT;
            ALTER TABLE "public"."t" ALTER COLUMN "e" TYPE boolean USING "e"::boolean;
            ALTER TABLE "public"."t" ALTER COLUMN "e" SET DEFAULT true;
            ALTER TABLE "public"."t" ALTER COLUMN "f" TYPE integer[] USING "f"::integer[];
            ALTER TABLE "public"."t" ALTER COLUMN "g" TYPE "public"."m" USING "g"::"public"."m";
            ALTER TABLE "public"."t" ALTER COLUMN "h" TYPE text;
            ALTER TABLE "public"."t" ALTER COLUMN "i" TYPE jsonb USING "i"::jsonb;
            """, Join(statements));
        string? LossOf(string column) => statements.Single(s => s.Sql.Contains($"ALTER COLUMN \"{column}\" TYPE")).DataLoss;
        Assert.Equal("converts public.t.b from varchar(50) to varchar(20), which may not hold every value", LossOf("b"));
        Assert.NotNull(LossOf("a"));
        Assert.Null(LossOf("c"));
        Assert.NotNull(LossOf("d"));
        Assert.Null(LossOf("h"));
    }

    [Fact]
    public void Narrowing_integers_is_data_loss_and_widening_is_not()
    {
        var statements = Statements(
            db => db.Table("t", t => { t.Column("a", Types.BigInt); t.Column("b", Types.Numeric(10, 2)); t.Column("c", Types.Real); }),
            db => db.Table("t", t => { t.Column("a", Types.Integer); t.Column("b", Types.Numeric(12, 3)); t.Column("c", Types.DoublePrecision); }));

        Assert.Equal("""
            ALTER TABLE "public"."t" ALTER COLUMN "a" TYPE integer;
            ALTER TABLE "public"."t" ALTER COLUMN "b" TYPE numeric(12,3);
            ALTER TABLE "public"."t" ALTER COLUMN "c" TYPE double precision;
            """, Join(statements));
        Assert.Equal([true, false, false], statements.Select(s => s.DataLoss is not null));
    }

    [Fact]
    public void Nullability_default_and_comment_each_get_their_own_clause()
    {
        var sql = Up(db => db.Table("t", t =>
        {
            t.Column("a", Types.Text);
            t.Column("b", Types.Text).NotNull().Default("x").Comment("old");
        }), db => db.Table("t", t =>
        {
            t.Column("a", Types.Text).NotNull().Default("y").Comment("it's new");
            t.Column("b", Types.Text);
        }).Comment("table comment"));

        Assert.Equal("""
            ALTER TABLE "public"."t" ALTER COLUMN "a" SET DEFAULT 'y';
            ALTER TABLE "public"."t" ALTER COLUMN "a" SET NOT NULL;
            COMMENT ON COLUMN "public"."t"."a" IS 'it''s new';
            ALTER TABLE "public"."t" ALTER COLUMN "b" DROP DEFAULT;
            ALTER TABLE "public"."t" ALTER COLUMN "b" DROP NOT NULL;
            COMMENT ON COLUMN "public"."t"."b" IS NULL;
            COMMENT ON TABLE "public"."t" IS 'table comment';
            """, sql);
    }

    [Fact]
    public void Serial_columns_convert_to_and_from_integers_with_explicit_sequence_statements()
    {
        var sql = Up(db => db.Table("t", t =>
        {
            t.Column("a", Types.Integer).NotNull();
            t.Column("b", Types.Serial);
            t.Column("c", Types.Serial);
            t.Column("d", Types.BigInt).NotNull();
            t.Column("e", Types.Serial);
        }), db => db.Table("t", t =>
        {
            t.Column("a", Types.Serial);
            t.Column("b", Types.Integer).NotNull();
            t.Column("c", Types.BigSerial);
            t.Column("d", Types.BigSerial);
            t.Column("e", Types.BigInt).NotNull();
        }));

        // A serial column turned plain lets go of its sequence first (its name may be taken by a new sequence).
        Assert.Equal("""
            ALTER TABLE "public"."t" ALTER COLUMN "b" DROP DEFAULT;
            DROP SEQUENCE "public"."t_b_seq";
            ALTER TABLE "public"."t" ALTER COLUMN "e" DROP DEFAULT;
            DROP SEQUENCE "public"."t_e_seq";
            CREATE SEQUENCE "public"."t_a_seq" AS integer OWNED BY "public"."t"."a";
            ALTER TABLE "public"."t" ALTER COLUMN "a" SET DEFAULT nextval('"public"."t_a_seq"'::regclass);
            SELECT setval('"public"."t_a_seq"', COALESCE(max("a"), 0) + 1, false) FROM "public"."t";
            ALTER TABLE "public"."t" ALTER COLUMN "c" TYPE bigint;
            ALTER SEQUENCE "public"."t_c_seq" AS bigint;
            CREATE SEQUENCE "public"."t_d_seq" AS bigint OWNED BY "public"."t"."d";
            ALTER TABLE "public"."t" ALTER COLUMN "d" SET DEFAULT nextval('"public"."t_d_seq"'::regclass);
            SELECT setval('"public"."t_d_seq"', COALESCE(max("d"), 0) + 1, false) FROM "public"."t";
            ALTER TABLE "public"."t" ALTER COLUMN "e" TYPE bigint;
            """, sql);
    }

    [Fact]
    public void Identity_is_added_dropped_and_its_generation_and_options_set_in_place()
    {
        var sql = Up(db => db.Table("t", t =>
        {
            t.Column("a", Types.Integer).NotNull();
            t.Column("b", Types.Integer).Identity();
            t.Column("c", Types.BigInt).Identity();
            t.Column("d", Types.Serial);
            t.Column("e", Types.Integer).Identity();
        }), db => db.Table("t", t =>
        {
            t.Column("a", Types.Integer).Identity(IdentityGeneration.ByDefault, new SequenceOptions(StartWith: 5));
            t.Column("b", Types.Integer).NotNull();
            t.Column("c", Types.BigInt).Identity(IdentityGeneration.ByDefault, new SequenceOptions(IncrementBy: 3, MaxValue: 1000000, Cycle: true, Cache: 5, MinValue: 1, StartWith: 7));
            t.Column("d", Types.Integer).Identity();
            t.Column("e", Types.Serial);
        }));

        Assert.Equal("""
            ALTER TABLE "public"."t" ALTER COLUMN "a" ADD GENERATED BY DEFAULT AS IDENTITY (START WITH 5);
            SELECT setval(pg_get_serial_sequence('"public"."t"', 'a'), GREATEST(COALESCE(max("a"), 0) + 1, 5), false) FROM "public"."t";
            ALTER TABLE "public"."t" ALTER COLUMN "b" DROP IDENTITY;
            ALTER TABLE "public"."t" ALTER COLUMN "c" SET GENERATED BY DEFAULT SET INCREMENT BY 3 SET MINVALUE 1 SET MAXVALUE 1000000 SET START WITH 7 SET CACHE 5 SET CYCLE;
            ALTER TABLE "public"."t" ALTER COLUMN "d" DROP DEFAULT;
            DROP SEQUENCE "public"."t_d_seq";
            ALTER TABLE "public"."t" ALTER COLUMN "d" ADD GENERATED ALWAYS AS IDENTITY;
            SELECT setval(pg_get_serial_sequence('"public"."t"', 'd'), GREATEST(COALESCE(max("d"), 0) + 1, 1), false) FROM "public"."t";
            ALTER TABLE "public"."t" ALTER COLUMN "e" DROP IDENTITY;
            CREATE SEQUENCE "public"."t_e_seq" AS integer OWNED BY "public"."t"."e";
            ALTER TABLE "public"."t" ALTER COLUMN "e" SET DEFAULT nextval('"public"."t_e_seq"'::regclass);
            SELECT setval('"public"."t_e_seq"', COALESCE(max("e"), 0) + 1, false) FROM "public"."t";
            """, sql);
    }

    [Fact]
    public void Identity_options_going_back_to_defaults_are_reset_explicitly()
    {
        var sql = Up(
            db => db.Table("t", t => t.Column("c", Types.BigInt).Identity(IdentityGeneration.ByDefault, new SequenceOptions(IncrementBy: 3, MinValue: 1, MaxValue: 10, Cache: 5, Cycle: true))),
            db => db.Table("t", t => t.Column("c", Types.BigInt).Identity()));

        Assert.Equal("""
            ALTER TABLE "public"."t" ALTER COLUMN "c" SET GENERATED ALWAYS SET INCREMENT BY 1 SET NO MINVALUE SET NO MAXVALUE SET START WITH 1 SET CACHE 1 SET NO CYCLE;
            """, sql);
    }

    [Fact]
    public void Generated_columns_are_rebuilt_when_their_expression_or_inputs_change_and_made_plain_with_DROP_EXPRESSION()
    {
        var statements = Statements(db => db.Table("t", t =>
        {
            t.Column("a", Types.Integer);
            t.Column("b", Types.Integer).GeneratedAs("a * 2");
            t.Column("c", Types.Integer).GeneratedAs("a * 3");
            t.Column("d", Types.Integer);
            t.Column("e", Types.Integer).GeneratedAs("a + 1");
            t.Index("b");
        }), db => db.Table("t", t =>
        {
            t.Column("a", Types.BigInt);
            t.Column("b", Types.Integer).GeneratedAs("a * 4");
            t.Column("c", Types.Integer);
            t.Column("d", Types.Integer).GeneratedAs("a * 5");
            t.Column("e", Types.BigInt).GeneratedAs("a + 1");
            t.Index("b");
        }));

        Assert.Equal("""
            DROP INDEX "public"."t_b_idx";
            ALTER TABLE "public"."t" DROP COLUMN "b";
            ALTER TABLE "public"."t" DROP COLUMN "e";
            ALTER TABLE "public"."t" DROP COLUMN "d";
            ALTER TABLE "public"."t" ALTER COLUMN "c" DROP EXPRESSION;
            ALTER TABLE "public"."t" ALTER COLUMN "a" TYPE bigint;
            ALTER TABLE "public"."t" ADD COLUMN "b" integer GENERATED ALWAYS AS (a * 4) STORED;
            ALTER TABLE "public"."t" ADD COLUMN "d" integer GENERATED ALWAYS AS (a * 5) STORED;
            ALTER TABLE "public"."t" ADD COLUMN "e" bigint GENERATED ALWAYS AS (a + 1) STORED;
            CREATE INDEX "t_b_idx" ON "public"."t" USING btree ("b");
            """, Join(statements));
        // Only the plain column "d" held data of its own.
        Assert.Equal(["ALTER TABLE \"public\".\"t\" DROP COLUMN \"d\";"], statements.Where(s => s.DataLoss is not null).Select(s => s.Sql));
    }

    [Fact]
    public void A_type_change_drops_the_old_default_and_sets_the_new_one_so_it_reads_as_on_a_fresh_column()
    {
        var sql = Up(
            db => db.Table("t", t => t.Column("code", Types.Text).Default("abc")),
            db => db.Table("t", t => t.Column("code", Types.Varchar(10)).Default("abc")));

        Assert.Equal("""
            ALTER TABLE "public"."t" ALTER COLUMN "code" DROP DEFAULT;
            ALTER TABLE "public"."t" ALTER COLUMN "code" TYPE varchar(10);
            ALTER TABLE "public"."t" ALTER COLUMN "code" SET DEFAULT 'abc';
            """, sql);
    }

    [Fact]
    public void Generated_columns_are_dropped_before_the_columns_they_are_computed_from()
    {
        var sql = Up(
            db => db.Table("items", t =>
            {
                t.Column("id", Types.Integer);
                t.Column("price", Types.Integer);
                t.Column("doubled", Types.Integer).GeneratedAs("price * 2");
            }),
            db => db.Table("items", t => t.Column("id", Types.Integer)));

        Assert.Equal("""
            ALTER TABLE "public"."items" DROP COLUMN "doubled";
            ALTER TABLE "public"."items" DROP COLUMN "price";
            """, sql);
    }
}
