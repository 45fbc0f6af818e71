using Strata.Dsl;
using Strata.Model;
using Strata.Postgres.Sql;
using static Strata.Tests.Sql.MigrationSql;

namespace Strata.Tests.Sql;

public class ViewTests
{
    [Fact]
    public void View_options_are_written_in_with_kept_in_snapshots_only_when_set_written_back_by_pull_and_changed_in_place()
    {
        static Action<SchemaBuilder> Schema(bool barrier) => db =>
        {
            db.Table("t", t => t.Column("a", Types.Integer));
            var view = db.View("v", "select a from t").With("check_option", "local");
            if (barrier)
                view.With("security_barrier", "true");
            db.MaterializedView("mv", "select a from t").With("fillfactor", "70");
        };
        var model = Build(Schema(barrier: true));

        Assert.Equal(["check_option=local", "security_barrier=true"], model.FindView(new QualifiedName("public", "v"))!.Options);
        AssertSnapshotNamesOnlyWhenUsed(model, model with { Views = model.Views.Select(v => v with { Options = [] }).ToValueList() }, "options");
        Assert.Equal(model, Strata.Tests.CodeGeneration.GeneratedSchemas.RoundTrip([model]).Single());
        Assert.Contains("""CREATE VIEW "public"."v" WITH ("check_option"='local', "security_barrier"='true') AS""", Up(_ => { }, Schema(barrier: true)));
        Assert.Contains("""CREATE MATERIALIZED VIEW "public"."mv" WITH ("fillfactor"='70') AS""", Up(_ => { }, Schema(barrier: true)));
        Assert.Equal("""ALTER VIEW "public"."v" RESET ("security_barrier");""", Up(Schema(barrier: true), Schema(barrier: false)));
        Assert.Equal("""ALTER VIEW "public"."v" SET ("security_barrier"='true');""", Up(Schema(barrier: false), Schema(barrier: true)));
    }

    [Fact]
    public void Views_over_a_table_whose_columns_are_renamed_or_retyped_are_dropped_dependents_first_and_created_dependencies_first()
    {
        var sql = Up(db =>
        {
            db.Table("t", t => { t.Column("a", Types.Integer); t.Column("b", Types.Integer); });
            db.View("v", "select a from t").DependsOn("t");
            db.View("w", "select * from v").DependsOn("v");
            db.MaterializedView("mv", "select * from w").DependsOn("w");
            db.View("unrelated", "select 1 as one");
        }, db =>
        {
            db.Table("t", t => { t.Column("aa", Types.Integer); t.Column("b", Types.BigInt); });
            db.View("v", "select aa from t").DependsOn("t");
            db.View("w", "select * from v").DependsOn("v");
            db.MaterializedView("mv", "select * from w").DependsOn("w");
            db.View("unrelated", "select 1 as one");
        }, "column:public.t.a=aa");

        Assert.Equal("""
            DROP MATERIALIZED VIEW "public"."mv";
            DROP VIEW "public"."w";
            DROP VIEW "public"."v";
            ALTER TABLE "public"."t" RENAME COLUMN "a" TO "aa";
            ALTER TABLE "public"."t" ALTER COLUMN "b" TYPE bigint;
            CREATE VIEW "public"."v" AS
            select aa from t;
            CREATE VIEW "public"."w" AS
            select * from v;
            CREATE MATERIALIZED VIEW "public"."mv" AS
            select * from w;
            """, sql);
    }

    [Fact]
    public void A_changed_view_is_re_created_with_its_dependents_and_a_comment_alone_is_just_a_comment()
    {
        var sql = Up(db =>
        {
            db.Table("t", t => t.Column("a", Types.Integer));
            db.View("v", "select a from t").DependsOn("t");
            db.View("w", "select * from v").DependsOn("v");
            db.View("c", "select 1 as one");
        }, db =>
        {
            db.Table("t", t => t.Column("a", Types.Integer));
            db.View("v", "select a, a + 1 as b from t").DependsOn("t").Comment("changed");
            db.View("w", "select * from v").DependsOn("v");
            db.View("c", "select 1 as one").Comment("same query");
        });

        Assert.Equal("""
            DROP VIEW "public"."w";
            DROP VIEW "public"."v";
            CREATE VIEW "public"."v" AS
            select a, a + 1 as b from t;
            CREATE VIEW "public"."w" AS
            select * from v;
            COMMENT ON VIEW "public"."v" IS 'changed';
            COMMENT ON VIEW "public"."c" IS 'same query';
            """, sql);
    }

    [Fact]
    public void Turning_a_view_into_a_materialized_view_drops_and_creates_it()
    {
        var sql = Up(
            db => { db.Table("t", t => t.Column("a", Types.Integer)); db.View("v", "select a from t").DependsOn("t"); },
            db => { db.Table("t", t => t.Column("a", Types.Integer)); db.MaterializedView("v", "select a from t").DependsOn("t").Comment("now stored"); });

        Assert.Equal("""
            DROP VIEW "public"."v";
            CREATE MATERIALIZED VIEW "public"."v" AS
            select a from t;
            COMMENT ON MATERIALIZED VIEW "public"."v" IS 'now stored';
            """, sql);
    }
}

public class QuotingTests
{
    [Theory]
    [InlineData("users", "\"users\"")]
    [InlineData("Users", "\"Users\"")]
    [InlineData("user name", "\"user name\"")]
    [InlineData("select", "\"select\"")]
    [InlineData("say \"hi\"", "\"say \"\"hi\"\"\"")]
    [InlineData("it's", "\"it's\"")]
    public void Identifiers_are_always_double_quoted_with_embedded_quotes_doubled(string name, string quoted)
    {
        Assert.Equal(quoted, SqlIdentifier.Quote(name));
    }

    [Fact]
    public void Qualified_names_quote_schema_and_name_separately()
    {
        Assert.Equal("\"My Schema\".\"a.b\"", SqlIdentifier.Quote(new QualifiedName("My Schema", "a.b")));
    }

    [Fact]
    public void A_name_longer_than_63_bytes_is_refused_rather_than_cut()
    {
        var error = Assert.Throws<ArgumentException>(() => SqlIdentifier.Quote(new string('é', 32)));
        Assert.Contains("64 bytes", error.Message);
        Assert.Equal(63, SqlIdentifier.Quote(new string('a', 63)).Length - 2);
    }

    [Fact]
    public void String_literals_double_single_quotes()
    {
        Assert.Equal("'it''s'", SqlIdentifier.Literal("it's"));
    }

    [Fact]
    public void Names_with_capitals_spaces_quotes_and_reserved_words_are_quoted_everywhere()
    {
        var sql = Up(
            db => db.Table("order", t => { t.Column("Select", Types.Text); t.Column("a b", Types.Integer); }),
            db =>
            {
                var kind = db.Enum("Kind Of", "it's", "plain");
                db.Table("order", t =>
                {
                    t.Column("Select", Types.Text).NotNull().Comment("the \"select\"");
                    t.Column("it's \"x\"", Types.Integer);
                    t.Column("Kind", kind);
                    t.Index("Select").Named("User\"Idx");
                });
            },
            "column:public.order.a b=it's \"x\"");

        Assert.Equal(""""
            ALTER TABLE "public"."order" RENAME COLUMN "a b" TO "it's ""x""";
            CREATE TYPE "public"."Kind Of" AS ENUM ('it''s', 'plain');
            ALTER TABLE "public"."order" ALTER COLUMN "Select" SET NOT NULL;
            COMMENT ON COLUMN "public"."order"."Select" IS 'the "select"';
            ALTER TABLE "public"."order" ADD COLUMN "Kind" "public"."Kind Of";
            CREATE INDEX "User""Idx" ON "public"."order" USING btree ("Select");
            """", sql);
    }

    [Fact]
    public void A_model_name_over_63_bytes_makes_the_generator_throw_instead_of_emitting_it()
    {
        var table = new Table("public", new string('t', 64), ValueList.Create(new Column("a", new ColumnType(TypeKind.Integer))));
        var model = DatabaseModel.Empty with { Tables = ValueList.Create(table) };

        Assert.Throws<ArgumentException>(() => PostgresSqlGenerator.CreateAll(model));
    }
}
