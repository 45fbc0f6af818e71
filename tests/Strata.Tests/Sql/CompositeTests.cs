using Strata.CodeGeneration;
using Strata.Dsl;
using Strata.Model;
using Strata.Snapshots;
using Strata.Tests.CodeGeneration;
using static Strata.Tests.Sql.MigrationSql;

namespace Strata.Tests.Sql;

/// <summary>Composite types through the DSL, the validator, the snapshot, pull's C#, the differ's order and the SQL (the PostgreSQL round trips are in the integration tests' CompositeScenarios).</summary>
public class CompositeTests
{
    private static void Address(SchemaBuilder db, bool withZip = false, bool used = true)
    {
        var address = db.Composite("address", c =>
        {
            c.Field("street", Types.Text).Field("city", Types.Varchar(80), collate: "C");
            if (withZip)
                c.Field("zip", Types.Integer);
        });
        if (used)
            db.Table("people", t => { t.Column("home", address); t.Column("past", Types.ArrayOf(Types.Composite("address"))); });
    }

    [Fact]
    public void A_composite_type_is_declared_with_its_fields_in_order_and_used_as_a_column_type()
    {
        var model = Build(db =>
        {
            var mood = db.Enum("mood", "ok");
            db.Schema("geo").Composite("point", c => c.Field("x", Types.DoublePrecision).Field("y", Types.DoublePrecision).Field("m", mood).Comment("a point"));
            Address(db);
        });

        Assert.Equal(
            [
                new CompositeType("geo", "point", ValueList.Create(new CompositeField("x", Types.DoublePrecision), new CompositeField("y", Types.DoublePrecision),
                    new CompositeField("m", Types.Enum("mood"))), "a point"),
                new CompositeType("public", "address", ValueList.Create(new CompositeField("street", Types.Text), new CompositeField("city", Types.Varchar(80), "C"))),
            ],
            model.Composites);
        var columns = model.Tables.Single().Columns;
        Assert.All(columns, c => Assert.Equal(new QualifiedName("public", "address"), c.Type.UserTypeName));
        Assert.True(columns[0].Type.IsUserType);
        Assert.Equal("public.address[]", columns[1].Type.ToString());
    }

    [Fact]
    public void The_validator_refuses_what_postgresql_refuses_of_a_composite_type()
    {
        var db = new SchemaBuilder();
        db.Enum("mood", "a");
        db.Composite("mood", c => c.Field("a", Types.Text));
        db.Composite("pair", c => c.Field("a", Types.Text).Field("a", Types.Integer).Field("n", Types.Serial).Field("me", Types.Composite("pair")));
        db.Composite("coded", c => c.Field("n", Types.Integer, collate: "C").Field("d", Types.Domain("missing")));
        db.Table("t", t => t.Column("x", Types.Composite("nothing")));

        var errors = Assert.Throws<SchemaValidationException>(() => db.Build()).Errors.Select(e => e.ToString()).ToList();

        Assert.Contains("public.mood: an enum of the same name exists in schema public; PostgreSQL's types share one namespace per schema", errors);
        Assert.Contains("public.pair.a: another field of this composite type has the same name", errors);
        Assert.Contains(errors, e => e.StartsWith("public.pair.n: a field cannot be serial"));
        Assert.Contains("public.pair.me: a composite type cannot have a field of its own type", errors);
        Assert.Contains(errors, e => e.StartsWith("public.coded.n: a collation applies to text types only"));
        Assert.Contains(errors, e => e.StartsWith("public.coded.d: uses domain public.missing, which is not declared"));
        Assert.Contains(errors, e => e.StartsWith("public.t.x: uses composite type public.nothing, which is not declared; declare it with db.Composite(name, c => c.Field(…))"));
    }

    [Fact]
    public void A_snapshot_without_composite_types_has_no_key_for_them_and_one_with_them_reads_back_equal()
    {
        var old = SnapshotSerializer.Serialize(new Snapshot("0123456789abcdef0123456789abcdef", null, Build(db => db.Table("t", t => t.Column("a", Types.Text))), []));
        Assert.DoesNotContain("composite", old);

        var model = Build(db => Address(db));
        var json = SnapshotSerializer.Serialize(new Snapshot("0123456789abcdef0123456789abcdef", null, model, []));

        Assert.Contains("\"composites\": [", json);
        Assert.Contains("\"composite\": {", json);
        Assert.Equal(model, SnapshotSerializer.Deserialize(json, "snapshot.json").Schema);
    }

    [Fact]
    public void Pull_s_csharp_declares_each_composite_type_and_builds_the_same_model()
    {
        var model = Build(db =>
        {
            db.Schema("geo").Composite("point", c => c.Field("x", Types.DoublePrecision).Comment("a point"));
            Address(db);
        });

        var files = CSharpSchemaWriter.Write(model, "App.Schema", "AppSchema");

        Assert.Contains(files, f => f.Content.Contains("db.Composite(\"address\", c => c.Field(\"street\", Types.Text).Field(\"city\", Types.Varchar(80), collate: \"C\"));\n"));
        Assert.Contains(files, f => f.Content.Contains("Types.ArrayOf(Types.Composite(\"address\"))"));
        Assert.Equal(model, GeneratedSchemas.RoundTrip([model])[0]);
    }

    [Fact]
    public void Creating_puts_the_type_after_the_types_of_its_fields_and_before_the_tables_that_use_it()
    {
        var sql = Create(db =>
        {
            var mood = db.Enum("mood", "ok");
            db.Composite("feeling", c => c.Field("m", mood).Field("since", Types.Date));
            Address(db);
        });

        Assert.Equal(
            """
            CREATE TYPE "public"."mood" AS ENUM ('ok');
            CREATE TYPE "public"."address" AS ("street" text, "city" varchar(80) COLLATE "C");
            CREATE TYPE "public"."feeling" AS ("m" "public"."mood", "since" date);
            CREATE TABLE "public"."people" (
                "home" "public"."address",
                "past" "public"."address"[]
            );
            """, sql);
    }

    [Fact]
    public void Fields_of_a_type_no_table_uses_change_in_place_and_of_one_a_table_uses_by_re_creation()
    {
        var inPlace = Up(db => Address(db, used: false), db => db.Composite("address", c => c.Field("street", Types.Text).Field("city", Types.Text).Field("zip", Types.Integer)));

        Assert.Equal(
            """
            ALTER TYPE "public"."address" ALTER ATTRIBUTE "city" TYPE text;
            ALTER TYPE "public"."address" ADD ATTRIBUTE "zip" integer;
            """, inPlace);

        var recreated = Up(db => Address(db), db => Address(db, withZip: true));

        Assert.Equal(
            """
            ALTER TYPE "public"."address" RENAME TO "address__strata_old";
            CREATE TYPE "public"."address" AS ("street" text, "city" varchar(80) COLLATE "C", "zip" integer);
            ALTER TABLE "public"."people" ALTER COLUMN "home" TYPE "public"."address" USING "home"::text::"public"."address";
            ALTER TABLE "public"."people" ALTER COLUMN "past" TYPE "public"."address"[] USING "past"::text[]::"public"."address"[];
            DROP TYPE "public"."address__strata_old";
            """, recreated);
    }

    [Fact]
    public void Dropping_goes_after_the_tables_that_use_it_and_renaming_keeps_them()
    {
        Assert.Equal(
            """
            DROP TABLE "public"."people";
            DROP TYPE "public"."address";
            """, Up(db => Address(db), Empty));

        var renamed = Up(db => Address(db), db =>
        {
            var place = db.Composite("place", c => c.Field("street", Types.Text).Field("city", Types.Varchar(80), collate: "C"));
            db.Table("people", t => { t.Column("home", place); t.Column("past", Types.ArrayOf(place)); });
        }, "composite:public.address=public.place");

        Assert.Equal("ALTER TYPE \"public\".\"address\" RENAME TO \"place\";", renamed);
    }
}
