using Strata.CodeGeneration;
using Strata.Dsl;
using Strata.Model;
using Strata.Tests.CodeGeneration;
using static Strata.Tests.Sql.MigrationSql;

namespace Strata.Tests.Sql;

/// <summary>
/// Collations as objects (db.Collation) and COLLATE of any schema through the DSL, the validator, pull's C#, the snapshot,
/// the differ's order and the SQL (the PostgreSQL round trips are in the integration tests' CollationScenarios and the corpus).
/// </summary>
public class CollationTests
{
    private static void In(SchemaBuilder db, string schema, Action<SchemaScope> define) => define(db.Schema(schema));

    private static void Folding(SchemaBuilder db)
    {
        In(db, "text_rules", s =>
        {
            var fold = s.Collation("fold", c => c.Provider("icu").Locale("und-u-ks-level2").Deterministic(false).Comment("case-insensitive"));
            s.Collation("posix_c", c => c.LcCollate("C").LcCtype("POSIX"));
            s.Domain("code", Types.Text, d => d.Collate("text_rules", "posix_c"));
            s.Table("people", t =>
            {
                t.Column("id", Types.Integer).PrimaryKey();
                t.Column("name", Types.Text).Collate(fold);
            });
        });
    }

    [Fact]
    public void A_collation_is_declared_and_a_column_and_a_domain_name_it_with_its_schema()
    {
        var model = Build(Folding);

        var fold = Assert.Single(model.Collations, c => c.Name == "fold");
        Assert.Equal(new Collation("text_rules", "fold", "icu", "und-u-ks-level2", Deterministic: false, Comment: "case-insensitive"), fold);
        var column = model.Tables[0].FindColumn("name")!;
        Assert.Equal(("fold", "text_rules"), (column.Collation, column.CollationSchema));
        Assert.Equal(("posix_c", "text_rules"), (model.Domains[0].Collation, model.Domains[0].CollationSchema));
    }

    [Fact]
    public void A_libc_collation_whose_two_settings_agree_is_its_locale()
    {
        var model = Build(db => db.Collation("c_both", c => c.LcCollate("C").LcCtype("C")));

        Assert.Equal(new Collation("public", "c_both", Locale: "C"), Assert.Single(model.Collations));
    }

    [Fact]
    public void A_public_collation_is_named_unqualified_as_the_search_path_finds_it()
    {
        var model = Build(db =>
        {
            var plain = db.Collation("plain", c => c.Locale("C"));
            db.Table("t", t => t.Column("s", Types.Text).Collate(plain));
        });

        var column = model.Tables[0].FindColumn("s")!;
        Assert.Equal(("plain", (string?)null), (column.Collation, column.CollationSchema));
        Assert.Contains("\"s\" text COLLATE \"plain\"", Create(db =>
        {
            var plain = db.Collation("plain", c => c.Locale("C"));
            db.Table("t", t => t.Column("s", Types.Text).Collate(plain));
        }));
    }

    [Fact]
    public void What_CREATE_COLLATION_refuses_and_an_undeclared_collation_of_a_managed_schema_are_refused_with_the_remedy()
    {
        var db = new SchemaBuilder();
        In(db, "text_rules", s =>
        {
            s.Collation("bad_provider", c => c.Provider("builtin").Locale("C"));
            s.Collation("icu_without_locale", c => c.Provider("icu"));
            s.Collation("libc_nondeterministic", c => c.Locale("C").Deterministic(false));
            s.Collation("half", c => c.LcCollate("C"));
            s.Table("t", t =>
            {
                t.Column("a", Types.Text).Collate("text_rules", "missing");
                t.Column("b", Types.Text).Collate("text_rules.half");
                t.Column("c", Types.Text).Collate("elsewhere", "theirs");
            });
        });

        var errors = Assert.Throws<SchemaValidationException>(() => db.Build()).Errors.Select(e => e.ToString()).ToList();

        Assert.Contains(errors, e => e.StartsWith("collation text_rules.bad_provider: provider \"builtin\" is not one PostgreSQL knows"));
        Assert.Contains(errors, e => e.StartsWith("collation text_rules.icu_without_locale: an ICU collation needs a locale"));
        Assert.Contains(errors, e => e.StartsWith("collation text_rules.libc_nondeterministic: nondeterministic collations are not supported by provider libc"));
        Assert.Contains(errors, e => e.StartsWith("collation text_rules.half: a libc collation needs Locale(…), or both LcCollate(…) and LcCtype(…)"));
        Assert.Contains(errors, e => e.StartsWith("text_rules.t.a: uses collation text_rules.missing, which is not declared; declare it with db.Collation(\"text_rules.missing\", c => …)"));
        Assert.Contains(errors, e => e.StartsWith("text_rules.t.b: uses collation \"text_rules.half\" (one name with a dot in it); for collation half of schema text_rules write Collate(\"text_rules\", \"half\")"));
        // A collation of a schema the model does not manage is the database's business, as a user type's would be.
        Assert.DoesNotContain(errors, e => e.StartsWith("text_rules.t.c"));
    }

    [Fact]
    public void Pull_writes_the_collations_and_qualified_references_back_and_the_snapshot_keeps_them_only_when_used()
    {
        var model = Build(Folding);

        var code = string.Concat(CSharpSchemaWriter.Write(model, "Generated", "AppSchema").Select(f => f.Content));
        var without = Build(db => db.Table("codes", t => t.Column("code", Types.Text)));
        var json = AssertSnapshotNamesOnlyWhenUsed(model, without, "collations");
        AssertSnapshotNamesOnlyWhenUsed(model, without, "collationSchema");

        Assert.Contains("db.Collation(\"fold\", c => c.Provider(\"icu\").Locale(\"und-u-ks-level2\").Deterministic(false).Comment(\"case-insensitive\"));", code);
        Assert.Contains("db.Collation(\"posix_c\", c => c.LcCollate(\"C\").LcCtype(\"POSIX\"));", code);
        Assert.Contains(".Collate(\"text_rules\", \"fold\")", code);
        Assert.Equal(model, GeneratedSchemas.RoundTrip([model])[0]);
        Assert.Contains("\"nondeterministic\": true", json);
    }

    [Fact]
    public void A_collation_is_created_before_its_domain_and_columns_and_dropped_after_them()
    {
        Assert.Equal("""
            CREATE SCHEMA "text_rules";
            CREATE COLLATION "text_rules"."fold" (provider = icu, locale = 'und-u-ks-level2', deterministic = false);
            CREATE COLLATION "text_rules"."posix_c" (provider = libc, lc_collate = 'C', lc_ctype = 'POSIX');
            CREATE DOMAIN "text_rules"."code" AS text COLLATE "text_rules"."posix_c";
            CREATE TABLE "text_rules"."people" (
                "id" integer NOT NULL,
                "name" text COLLATE "text_rules"."fold",
                CONSTRAINT "people_pkey" PRIMARY KEY ("id")
            );
            COMMENT ON COLLATION "text_rules"."fold" IS 'case-insensitive';
            """, Create(Folding));

        var down = Up(Folding, _ => { });
        Assert.True(down.IndexOf("DROP TABLE", StringComparison.Ordinal) < down.IndexOf("DROP COLLATION \"text_rules\".\"fold\"", StringComparison.Ordinal), down);
        Assert.True(down.IndexOf("DROP DOMAIN", StringComparison.Ordinal) < down.IndexOf("DROP COLLATION \"text_rules\".\"posix_c\"", StringComparison.Ordinal), down);
    }

    [Fact]
    public void A_collation_equal_but_for_the_name_is_renamed_and_its_column_left_as_it_is()
    {
        var up = Up(Folding, db =>
        {
            In(db, "text_rules", s =>
            {
                var fold = s.Collation("nocase", c => c.Provider("icu").Locale("und-u-ks-level2").Deterministic(false).Comment("case-insensitive"));
                s.Collation("posix_c", c => c.LcCollate("C").LcCtype("POSIX"));
                s.Domain("code", Types.Text, d => d.Collate("text_rules", "posix_c"));
                s.Table("people", t =>
                {
                    t.Column("id", Types.Integer).PrimaryKey();
                    t.Column("name", Types.Text).Collate(fold);
                });
            });
        });

        Assert.Equal("""ALTER COLLATION "text_rules"."fold" RENAME TO "nocase";""", up);
    }

    [Fact]
    public void A_changed_collation_is_re_created_its_columns_set_to_the_new_one_and_its_domains_re_created()
    {
        var up = Up(Folding, db =>
        {
            In(db, "text_rules", s =>
            {
                var fold = s.Collation("fold", c => c.Provider("icu").Locale("und-u-ks-level1").Deterministic(false).Comment("case-insensitive"));
                s.Collation("posix_c", c => c.Locale("POSIX"));
                s.Domain("code", Types.Text, d => d.Collate("text_rules", "posix_c"));
                s.Table("people", t =>
                {
                    t.Column("id", Types.Integer).PrimaryKey();
                    t.Column("name", Types.Text).Collate(fold);
                });
            });
        });

        var lines = up.Split('\n');
        int At(string start) => Array.FindIndex(lines, l => l.StartsWith(start, StringComparison.Ordinal));
        Assert.True(At("ALTER COLLATION \"text_rules\".\"fold\" RENAME TO \"fold__strata_drop\"") >= 0, up);
        Assert.True(At("ALTER COLLATION \"text_rules\".\"fold\" RENAME") < At("CREATE COLLATION \"text_rules\".\"fold\" (provider = icu, locale = 'und-u-ks-level1', deterministic = false);"), up);
        Assert.True(At("CREATE COLLATION \"text_rules\".\"fold\"") < At("ALTER TABLE \"text_rules\".\"people\" ALTER COLUMN \"name\" TYPE text COLLATE \"text_rules\".\"fold\";"), up);
        Assert.True(At("ALTER TABLE \"text_rules\".\"people\" ALTER COLUMN \"name\"") < At("DROP COLLATION \"text_rules\".\"fold__strata_drop\";"), up);
        Assert.True(At("CREATE COLLATION \"text_rules\".\"posix_c\" (provider = libc, locale = 'POSIX');") >= 0, up);
        Assert.True(At("DROP COLLATION \"text_rules\".\"posix_c__strata_drop\";") > At("CREATE DOMAIN \"text_rules\".\"code\""), up);
        // The comment was the old collation's: the new one is given it again.
        Assert.Contains("COMMENT ON COLLATION \"text_rules\".\"fold\" IS 'case-insensitive';", up);
    }
}
