using Strata.Diffing;
using Strata.Dsl;
using Strata.IntegrationTests.Random;
using Strata.Model;
using Strata.Snapshots;
using static Strata.Tests.Sql.MigrationSql;

namespace Strata.Tests.Sql;

/// <summary>Domains through the DSL, the validator, the snapshot, the differ's order and the SQL (the PostgreSQL round trips are in the integration tests' DomainScenarios).</summary>
public class DomainTests
{
    private static void Email(SchemaBuilder db) =>
        db.Domain("email", Types.Text, d => d.NotNull().Default("x@example.com").Check("VALUE ~ '@'").Collate("C").Comment("an address"));

    [Fact]
    public void A_domain_is_declared_on_a_scope_and_used_as_a_column_type_like_an_enum()
    {
        var model = Build(db =>
        {
            var billing = db.Schema("billing");
            var email = billing.Domain("email", Types.Varchar(320), d => d.NotNull().Check("VALUE ~ '@'").Check("length(VALUE) > 3", "email_long_enough"));
            billing.Table("accounts", t =>
            {
                t.Column("email", email);
                t.Column("backup", Types.Domain("billing.email")).Default("a@b.c");
                t.Column("history", Types.ArrayOf(email));
            });
        });

        var domain = Assert.Single(model.Domains);
        Assert.Equal(new Domain("billing", "email", Types.Varchar(320), NotNull: true,
            Checks: ValueList.Create(new CheckConstraint("email_check", "VALUE ~ '@'"), new CheckConstraint("email_long_enough", "length(VALUE) > 3"))), domain);
        var columns = model.Tables.Single().Columns;
        Assert.All(columns, c => Assert.Equal(new QualifiedName("billing", "email"), c.Type.DomainName));
        Assert.Equal(1, columns[2].Type.ArrayDimensions);
        Assert.Equal("billing.email[]", columns[2].Type.ToString());
    }

    [Fact]
    public void The_validator_accepts_domains_over_enums_arrays_and_domains_and_domain_columns_with_their_own_default_and_not_null()
    {
        var model = Build(db =>
        {
            var mood = db.Enum("mood", "sad", "ok");
            var moodDomain = db.Domain("known_mood", mood, d => d.Default("ok"));
            db.Domain("tags", Types.ArrayOf(Types.Text), d => d.Check("cardinality(VALUE) < 10"));
            var positive = db.Domain("positive", Types.Integer, d => d.Check("VALUE > 0"));
            var small = db.Domain("small_positive", positive, d => d.Check("VALUE < 100"));
            db.Table("t", t =>
            {
                t.Column("m", moodDomain).NotNull().Default("sad");
                t.Column("tags", Types.Domain("tags"));
                t.Column("n", small).NotNull().Default(5);
            });
        });

        Assert.Equal(["public.known_mood", "public.positive", "public.small_positive", "public.tags"], model.Domains.Select(d => d.QualifiedName.ToString()));
    }

    [Fact]
    public void Every_domain_mistake_is_reported_with_the_domain_and_the_remedy()
    {
        var db = new SchemaBuilder();
        db.Domain("serial_id", Types.Serial);
        db.Domain("dup", Types.Text, d => d.Check("VALUE <> ''", "c").Check("length(VALUE) > 1", "c"));
        db.Domain("mood", Types.Text);
        db.Enum("mood", "a");
        db.Domain("a", Types.Domain("b"));
        db.Domain("b", Types.Domain("a"));
        db.Domain("over_missing", Types.Enum("nothing"));
        db.Table("t", t => t.Column("x", Types.Domain("missing")));
        db.View("dup", "SELECT 1");

        var errors = Assert.Throws<SchemaValidationException>(() => db.Build()).Errors.Select(e => e.ToString()).ToList();

        Assert.Contains(errors, e => e.StartsWith("public.serial_id: a domain cannot be based on serial"));
        Assert.Contains(errors, e => e.StartsWith("public.dup: check constraint \"c\": another check of this domain has the same name"));
        Assert.Contains(errors, e => e.StartsWith("public.mood: an enum of the same name exists"));
        Assert.Contains(errors, e => e.StartsWith("public.a: the domain is based on itself through public.a → public.b → public.a"));
        Assert.Contains(errors, e => e.StartsWith("public.over_missing: uses enum type public.nothing, which is not declared"));
        Assert.Contains(errors, e => e.StartsWith("public.t.x: uses domain public.missing, which is not declared; declare it with db.Domain(name, baseType)"));
        Assert.Contains(errors, e => e.StartsWith("public.dup: a domain of the same name exists in schema public; PostgreSQL gives every view a type of its name"));
    }

    [Fact]
    public void A_table_named_like_an_enum_and_a_domain_is_told_of_both_and_the_errors_keep_their_order()
    {
        var db = new SchemaBuilder();
        db.Enum("mood", "a");
        db.Domain("mood", Types.Text);
        db.Domain("late", Types.Text);
        db.Table("mood", t => t.Column("x", Types.Domain("late")));
        db.Table("late", t => t.Column("x", Types.Integer));

        var errors = Assert.Throws<SchemaValidationException>(() => db.Build()).Errors.Select(e => e.ToString()).ToList();

        // The domains' own errors come before the tables', as the tables' columns use the domains.
        Assert.Equal(
        [
            "public.mood: an enum of the same name exists in schema public; enums and domains share one namespace of types",
            "public.mood: an enum of the same name exists in schema public; PostgreSQL gives every table a type of its name, so they clash",
            "public.mood: a domain of the same name exists in schema public; PostgreSQL gives every table a type of its name, so they clash",
            "public.late: a domain of the same name exists in schema public; PostgreSQL gives every table a type of its name, so they clash",
        ], errors);
    }

    [Fact]
    public void A_snapshot_without_domains_still_reads_and_one_with_them_reads_back_equal()
    {
        var old = SnapshotSerializer.Serialize(new Snapshot("0123456789abcdef0123456789abcdef", null, Build(db => db.Table("t", t => t.Column("a", Types.Text))), []));
        Assert.DoesNotContain("domain", old);
        Assert.Contains("\"version\": 1", old);
        Assert.Empty(SnapshotSerializer.Deserialize(old, "snapshot.json").Schema.Domains);

        var model = Build(db => { Email(db); db.Table("t", t => t.Column("a", Types.Domain("email"))); });
        var json = SnapshotSerializer.Serialize(new Snapshot("0123456789abcdef0123456789abcdef", null, model, []));

        Assert.Contains("\"domains\": [", json);
        Assert.Contains("\"baseType\": {", json);
        Assert.Equal(model, SnapshotSerializer.Deserialize(json, "snapshot.json").Schema);
    }

    [Fact]
    public void Creating_puts_the_domain_after_its_enum_and_before_the_tables_that_use_it_with_every_clause()
    {
        var sql = Create(db =>
        {
            db.Table("people", t => { t.Column("mood", Types.Domain("known_mood")); t.Column("email", Types.Domain("email")); });
            db.Domain("known_mood", Types.Enum("mood"), d => d.Default("ok"));
            db.Enum("mood", "sad", "ok");
            Email(db);
        });

        Assert.Equal("""
            CREATE TYPE "public"."mood" AS ENUM ('sad', 'ok');
            CREATE DOMAIN "public"."email" AS text COLLATE "C" DEFAULT 'x@example.com' NOT NULL CONSTRAINT "email_check" CHECK (VALUE ~ '@');
            CREATE DOMAIN "public"."known_mood" AS "public"."mood" DEFAULT 'ok';
            CREATE TABLE "public"."people" (
                "mood" "public"."known_mood",
                "email" "public"."email"
            );
            COMMENT ON DOMAIN "public"."email" IS 'an address';
            """, sql);
    }

    [Fact]
    public void Dropping_a_domain_waits_for_the_columns_and_the_domains_over_it()
    {
        var sql = Up(db =>
        {
            var positive = db.Domain("positive", Types.Integer, d => d.Check("VALUE > 0"));
            var small = db.Domain("small", positive);
            db.Table("t", t => { t.Column("id", Types.Integer); t.Column("n", small); });
        }, db => db.Table("t", t => t.Column("id", Types.Integer)), "!column:public.t.n");

        Assert.Equal("""
            ALTER TABLE "public"."t" DROP COLUMN "n";
            DROP DOMAIN "public"."small";
            DROP DOMAIN "public"."positive";
            """, sql);
    }

    [Fact]
    public void Default_not_null_checks_and_comment_are_altered_in_place_and_a_changed_check_is_dropped_and_added()
    {
        var sql = Up(
            db => db.Domain("code", Types.Text, d => d.Default("a").Check("VALUE <> ''", "code_not_empty").Check("length(VALUE) < 10", "code_short").Check("VALUE ~ '^[a-z]'", "code_lower")),
            db => db.Domain("code", Types.Text, d => d.NotNull().Check("VALUE <> ''", "code_present").Check("length(VALUE) < 20", "code_short").Comment("a code")));

        Assert.Equal("""
            ALTER DOMAIN "public"."code" DROP CONSTRAINT "code_lower";
            ALTER DOMAIN "public"."code" DROP CONSTRAINT "code_short";
            ALTER DOMAIN "public"."code" DROP DEFAULT;
            ALTER DOMAIN "public"."code" SET NOT NULL;
            ALTER DOMAIN "public"."code" RENAME CONSTRAINT "code_not_empty" TO "code_present";
            ALTER DOMAIN "public"."code" ADD CONSTRAINT "code_short" CHECK (length(VALUE) < 20);
            COMMENT ON DOMAIN "public"."code" IS 'a code';
            """, sql);
    }

    [Fact]
    public void A_renamed_domain_is_renamed_and_moved_and_its_columns_follow()
    {
        var sql = Up(
            db => { db.Schema("billing"); var c = db.Domain("code", Types.Text); db.Table("t", t => t.Column("c", c)); },
            db => { var c = db.Schema("billing").Domain("sku", Types.Text); db.Table("t", t => t.Column("c", c)); },
            "domain:public.code=billing.sku");

        Assert.Equal("""
            ALTER DOMAIN "public"."code" SET SCHEMA "billing";
            ALTER DOMAIN "billing"."code" RENAME TO "sku";
            """, sql);
    }

    [Fact]
    public void A_changed_base_type_re_creates_the_domain_and_converts_its_columns_through_text()
    {
        var statements = Statements(
            db => { var c = db.Domain("code", Types.Varchar(20), d => d.Check("VALUE <> ''")); db.Table("t", t => { t.Column("c", c).Default("a"); t.Column("cs", Types.ArrayOf(c)); }); },
            db => { var c = db.Domain("code", Types.Varchar(10), d => d.Check("VALUE <> ''")); db.Table("t", t => { t.Column("c", c).Default("a"); t.Column("cs", Types.ArrayOf(c)); }); });

        Assert.Equal("""
            ALTER DOMAIN "public"."code" RENAME TO "code__strata_old";
            CREATE DOMAIN "public"."code" AS varchar(10) CONSTRAINT "code_check" CHECK (VALUE <> '');
            ALTER TABLE "public"."t" ALTER COLUMN "c" DROP DEFAULT;
            ALTER TABLE "public"."t" ALTER COLUMN "c" TYPE "public"."code" USING "c"::text::"public"."code";
            ALTER TABLE "public"."t" ALTER COLUMN "c" SET DEFAULT 'a';
            ALTER TABLE "public"."t" ALTER COLUMN "cs" TYPE "public"."code"[] USING "cs"::text[]::"public"."code"[];
            DROP DOMAIN "public"."code__strata_old";
            """, Join(statements));
        Assert.Contains("from varchar(20) to varchar(10)", statements[1].DataLoss);
    }

    // A conversion through text into a narrower type cuts values silently, also when the old base was an enum
    // or a domain (the change shows only the names); into an enum, a value it lacks fails the statement.
    [Theory]
    [InlineData("enum", "varchar(3)", true)]
    [InlineData("domain", "varchar(3)", true)]
    [InlineData("enum", "text", false)]
    [InlineData("text", "enum", false)]
    public void A_base_type_change_from_or_to_another_user_type_is_marked_as_data_loss_unless_nothing_can_be_cut(string from, string to, bool loses)
    {
        ColumnType Base(SchemaBuilder db, string kind) => kind switch
        {
            "enum" => db.Enum("mood", "sad", "happy"),
            "domain" => db.Domain("wide", Types.Varchar(100)),
            "text" => Types.Text,
            _ => Types.Varchar(3),
        };
        var statements = Statements(
            db => { var c = db.Domain("code", Base(db, from)); db.Table("t", t => t.Column("c", c)); },
            db => { var c = db.Domain("code", Base(db, to)); db.Table("t", t => t.Column("c", c)); });

        var create = Assert.Single(statements, s => s.Sql.StartsWith("CREATE DOMAIN \"public\".\"code\"", StringComparison.Ordinal));
        Assert.Equal(loses, create.DataLoss is not null);
    }

    [Fact]
    public void An_enum_value_added_for_a_domains_default_re_creates_the_enum_as_one_used_at_once_must_be()
    {
        var sql = Up(
            db => db.Domain("known", db.Enum("mood", "sad")),
            db => db.Domain("known", db.Enum("mood", "sad", "ok"), d => d.Default("ok")));

        // ALTER TYPE … ADD VALUE then DEFAULT 'ok' in one transaction: PostgreSQL refuses ("unsafe use of new value").
        Assert.DoesNotContain("ADD VALUE", sql);
        Assert.Contains("CREATE TYPE \"public\".\"mood\" AS ENUM ('sad', 'ok');", sql);
        // The domain over it is re-created with it: the old type cannot be dropped while it is the domain's base.
        Assert.Contains("CREATE DOMAIN \"public\".\"known\" AS \"public\".\"mood\" DEFAULT 'ok';", sql);
    }

    [Fact]
    public void The_random_round_trips_generate_domains_of_every_base_and_every_domain_change()
    {
        var pairs = Enumerable.Range(1, 200).Select(seed => new RandomSchemaGenerator(seed).NextPair()).ToList();

        var domains = pairs.SelectMany(p => p.A.Domains).ToList();
        Assert.Contains(domains, d => d.BaseType.Kind == TypeKind.Enum);
        Assert.Contains(domains, d => d.BaseType.IsArray);
        Assert.Contains(domains, d => d.Checks.Count > 1 && d.NotNull && d.Default is not null);
        Assert.Contains(pairs, p => p.A.Tables.SelectMany(t => t.Columns).Any(c => c.Type is { Kind: TypeKind.Domain, IsArray: true }));
        foreach (var change in new[] { ": base type ", "rename domain ", "drop domain ", ": change checks", " not null", ": default ", ": comment" })
            Assert.Contains(pairs, p => p.Mutations.Any(m => m.Contains(change, StringComparison.Ordinal) && (m.StartsWith("domain ", StringComparison.Ordinal) || m.Contains(" domain ", StringComparison.Ordinal))));
    }

    [Fact]
    public void A_column_changed_from_text_to_a_domain_and_back_is_converted_with_a_cast()
    {
        Action<SchemaBuilder> plain = db => db.Table("t", t => t.Column("c", Types.Text));
        Action<SchemaBuilder> typed = db => { var c = db.Domain("code", Types.Text, d => d.Check("VALUE <> ''")); db.Table("t", t => t.Column("c", c)); };

        Assert.Equal("""
            CREATE DOMAIN "public"."code" AS text CONSTRAINT "code_check" CHECK (VALUE <> '');
            ALTER TABLE "public"."t" ALTER COLUMN "c" TYPE "public"."code" USING "c"::"public"."code";
            """, Up(plain, typed));
        Assert.Equal("""
            ALTER TABLE "public"."t" ALTER COLUMN "c" TYPE text;
            DROP DOMAIN "public"."code";
            """, Up(typed, plain));
    }
}
