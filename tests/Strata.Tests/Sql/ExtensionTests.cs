using Strata.CodeGeneration;
using Strata.Dsl;
using Strata.Model;
using Strata.Snapshots;
using Strata.Tests.CodeGeneration;
using static Strata.Tests.Sql.MigrationSql;

namespace Strata.Tests.Sql;

/// <summary>Extensions through the DSL, the validator, the snapshot, pull's C#, the differ's order and the SQL (the PostgreSQL round trips are in the integration tests' ExtensionScenarios).</summary>
public class ExtensionTests
{
    private static void Citext(SchemaBuilder db)
    {
        db.Extension("citext");
        db.Table("accounts", t => t.Column("email", Types.Raw("citext")));
    }

    [Fact]
    public void An_extension_is_declared_in_its_scope_s_schema_or_a_named_one_with_a_version_and_a_comment()
    {
        var model = Build(db =>
        {
            db.Schema("ext");
            db.Extension("citext");
            db.Extension("hstore", schema: "ext", version: "1.7", comment: "key/value pairs");
            db.Schema("tools").Extension("pg_trgm");
        });

        Assert.Equal(
            [new Extension("hstore", "ext", "1.7", "key/value pairs"), new Extension("citext"), new Extension("pg_trgm", "tools")],
            model.Extensions);
        Assert.Equal(new Extension("pg_trgm", "tools"), model.FindExtension("pg_trgm"));
    }

    [Fact]
    public void The_validator_refuses_an_extension_declared_twice_an_empty_version_a_bad_name_and_an_undeclared_schema()
    {
        var db = new SchemaBuilder();
        db.Extension("citext");
        db.Schema("other").Extension("citext");
        db.Extension("hstore", version: " ");
        db.Extension("");
        db.Extension("ltree", schema: "nowhere");

        var errors = Assert.Throws<SchemaValidationException>(() => db.Build()).Errors.Select(e => e.ToString()).ToList();

        Assert.Contains("extension citext: extension is declared twice; an extension is installed once per database, in one schema", errors);
        Assert.Contains("extension hstore: the version is empty; leave it out for the extension's default version", errors);
        Assert.Contains(errors, e => e.StartsWith("extension : extension name: "));
        Assert.Contains(errors, e => e.StartsWith("nowhere: objects are declared in this schema but the schema itself is not; use db.Schema(\"nowhere\")"));
    }

    [Fact]
    public void A_snapshot_without_extensions_has_no_key_for_them_and_one_with_them_reads_back_equal()
    {
        var old = SnapshotSerializer.Serialize(new Snapshot("0123456789abcdef0123456789abcdef", null, Build(db => db.Table("t", t => t.Column("a", Types.Text))), []));
        Assert.DoesNotContain("extension", old);

        var model = Build(db => { db.Schema("ext"); db.Extension("hstore", schema: "ext", version: "1.7", comment: "pairs"); Citext(db); });
        var json = SnapshotSerializer.Serialize(new Snapshot("0123456789abcdef0123456789abcdef", null, model, []));

        Assert.Contains("\"extensions\": [", json);
        Assert.Equal(model, SnapshotSerializer.Deserialize(json, "snapshot.json").Schema);
    }

    [Fact]
    public void Pull_s_csharp_declares_each_extension_in_its_schema_s_file_and_builds_the_same_model()
    {
        var model = Build(db =>
        {
            db.Schema("ext").Extension("hstore", version: "1.7", comment: "a \"quoted\" comment");
            Citext(db);
        });

        var files = CSharpSchemaWriter.Write(model, "App.Schema", "AppSchema");

        Assert.Contains(files, f => f.Content.Contains("db.Extension(\"citext\");\n"));
        Assert.Contains(files, f => f.Content.Contains("db.Extension(\"hstore\", version: \"1.7\", comment: \"\"\"a \"quoted\" comment\"\"\");\n"));
        Assert.Equal(model, GeneratedSchemas.RoundTrip([model])[0]);
    }

    [Fact]
    public void Creating_puts_the_extension_after_its_schema_and_before_the_tables_and_types_that_may_use_it()
    {
        var sql = Create(db =>
        {
            db.Schema("ext").Extension("hstore", version: "1.7", comment: "pairs");
            db.Enum("mood", "a");
            Citext(db);
        });

        Assert.Equal(
            """
            CREATE SCHEMA "ext";
            CREATE EXTENSION IF NOT EXISTS "hstore" WITH SCHEMA "ext" VERSION '1.7';
            COMMENT ON EXTENSION "hstore" IS 'pairs';
            CREATE EXTENSION IF NOT EXISTS "citext" WITH SCHEMA "public";
            CREATE TYPE "public"."mood" AS ENUM ('a');
            CREATE TABLE "public"."accounts" (
                "email" citext
            );
            """, sql);
    }

    [Fact]
    public void Dropping_goes_after_the_columns_that_used_it_and_before_its_schema()
    {
        var sql = Up(db => { db.Schema("ext").Extension("hstore"); Citext(db); }, Empty);

        Assert.Equal(
            """
            DROP TABLE "public"."accounts";
            DROP EXTENSION "hstore";
            DROP EXTENSION "citext";
            DROP SCHEMA "ext";
            """, sql);
    }

    [Fact]
    public void A_new_version_is_an_update_a_new_schema_a_move_and_a_comment_removed_restores_the_extension_s_own()
    {
        var sql = Up(
            db => { db.Schema("ext"); db.Extension("hstore", version: "1.7", comment: "pairs"); db.Extension("citext", version: "1.4"); },
            db => { db.Schema("ext"); db.Extension("hstore", schema: "ext", version: "1.8"); db.Extension("citext"); });

        Assert.Equal(
            """
            ALTER EXTENSION "hstore" SET SCHEMA "ext";
            ALTER EXTENSION "hstore" UPDATE TO '1.8';
            DO $strata$ BEGIN EXECUTE pg_catalog.format('COMMENT ON EXTENSION %I IS %L', 'hstore', (SELECT a.comment FROM pg_catalog.pg_available_extensions a WHERE a.name = 'hstore')); END $strata$;
            ALTER EXTENSION "citext" UPDATE;
            """, sql);
    }

    [Fact]
    public void An_extension_the_live_database_has_and_the_schema_does_not_declare_is_left_out_of_a_comparison()
    {
        var live = Build(db => { db.Extension("citext"); db.Extension("pg_stat_statements"); });
        var declared = Build(db => db.Extension("citext", version: "1.4"));

        Assert.Equal([new Extension("citext")], live.WithExtensionsDeclaredIn(declared).Extensions);
        Assert.Same(declared, declared.WithExtensionsDeclaredIn(live));
    }
}
