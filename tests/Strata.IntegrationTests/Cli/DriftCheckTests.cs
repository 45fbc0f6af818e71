using System.Text.Json;
using Strata.IntegrationTests.Infrastructure;
using Strata.Testing;

namespace Strata.IntegrationTests.Cli;

/// <summary><c>strata check --env a,b</c> and <c>--all-envs</c>: each environment's database against the migrations folder.</summary>
[Collection(CliCollection.Name)]
public sealed class DriftCheckTests(BuiltSample sample, PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    [Fact]
    public async Task Two_migrated_environments_both_match_and_check_exits_0()
    {
        using var copy = sample.CreateCopy();
        await using var test = await postgres.CreateDatabaseAsync("drift_ok_test");
        await using var production = await postgres.CreateDatabaseAsync("drift_ok_prod");
        await MigrateBothAsync(copy, test, production);

        var result = await copy.RunAsync("check", "--env", "test,production");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Single(Row(result.Stdout, "test"));
        Assert.Contains(EnvironmentTests.Describe(test), Row(result.Stdout, "test")[0]);
        Assert.Contains(EnvironmentTests.Describe(production), Row(result.Stdout, "production")[0]);
        Assert.Contains("ok", Row(result.Stdout, "test")[0]);
        Assert.Contains("matches", Row(result.Stdout, "test")[0]);
        Assert.Contains("matches", Row(result.Stdout, "production")[0]);
    }

    [Fact]
    public async Task Objects_changed_by_hand_in_one_environment_are_named_and_check_exits_3_while_the_other_matches()
    {
        using var copy = sample.CreateCopy();
        await using var test = await postgres.CreateDatabaseAsync("drift_hand_test");
        await using var production = await postgres.CreateDatabaseAsync("drift_hand_prod");
        await MigrateBothAsync(copy, test, production);
        await production.ExecuteAsync("""
            CREATE TABLE audit (id int);
            ALTER TABLE users DROP COLUMN display_name;
            DROP INDEX items_open_due_idx;
            CREATE INDEX items_open_due_idx ON items (due_on, title) WHERE done_at IS NULL;
            ALTER TABLE lists DROP CONSTRAINT lists_title_check, ADD CONSTRAINT lists_title_check CHECK (length(title) > 3);
            """);

        var result = await copy.RunAsync("check", "--all-envs");

        Assert.True(result.ExitCode == 3, result.ToString());
        Assert.Contains("matches", Row(result.Stdout, "test")[0]);
        Assert.Contains("4 differences", Row(result.Stdout, "production")[0]);
        Assert.Contains("the live schema against the snapshot of 0000_init:", result.Stdout);
        Assert.Contains("table public.audit added by hand", result.Stdout);
        Assert.Contains("column public.users.display_name removed by hand", result.Stdout);
        Assert.Contains("index items_open_due_idx on public.items altered by hand", result.Stdout);
        // PostgreSQL prints the expression its own way (length((title)::text) > 3); still the edit is found.
        Assert.Contains("check constraint lists_title_check on public.lists altered by hand", result.Stdout);

        var json = await copy.RunAsync("check", "--all-envs", "--json");

        Assert.True(json.ExitCode == 3, json.ToString());
        var environments = Environments(json);
        Assert.True(environments["test"].GetProperty("matches").GetBoolean());
        Assert.Empty(environments["test"].GetProperty("differences").EnumerateArray());
        var prod = environments["production"];
        Assert.False(prod.GetProperty("matches").GetBoolean());
        Assert.Equal("ok", prod.GetProperty("migrations").GetString());
        Assert.Equal("4 differences", prod.GetProperty("schema").GetString());
        Assert.Equal("0000_init", prod.GetProperty("comparedWith").GetString());
        string[] expected = ["check constraint lists_title_check on public.lists altered by hand", "column public.users.display_name removed by hand", "index items_open_due_idx on public.items altered by hand", "table public.audit added by hand"];
        Assert.Equal(expected, prod.GetProperty("differences").EnumerateArray().Select(d => d.GetString()!).Order(StringComparer.Ordinal).ToArray());
    }

    [Fact]
    public async Task Every_kind_of_object_added_dropped_or_altered_by_hand_is_named_and_check_exits_3()
    {
        using var copy = sample.CreateCopy();
        copy.EditSchema("""        db.View("open_items",""", """
                    db.Table("labels", t => t.Column("name", Types.Text).PrimaryKey());

                    db.View("open_items",
            """);
        await using var test = await postgres.CreateDatabaseAsync("drift_kinds_test");
        await using var production = await postgres.CreateDatabaseAsync("drift_kinds_prod");
        await MigrateBothAsync(copy, test, production);
        await production.ExecuteAsync("""
            CREATE TABLE audit (id int);
            DROP TABLE labels;
            ALTER TABLE users ADD COLUMN nickname text;
            ALTER TABLE users DROP COLUMN display_name;
            ALTER TABLE lists ALTER COLUMN title TYPE varchar(300);
            ALTER TABLE lists ALTER COLUMN archived SET DEFAULT true;
            ALTER TABLE items ALTER COLUMN due_on SET NOT NULL;
            CREATE INDEX items_title_idx ON items (title);
            DROP INDEX users_email_lower_idx;
            ALTER TABLE lists DROP CONSTRAINT lists_title_check;
            ALTER TABLE lists DROP CONSTRAINT lists_owner_id_title_key;
            ALTER TABLE items ADD CONSTRAINT items_title_check CHECK (title <> '');
            ALTER TYPE priority ADD VALUE 'urgent';
            CREATE OR REPLACE VIEW open_items AS
                SELECT i.id, i.list_id, i.title, i.priority, i.due_on FROM items i WHERE i.done_at IS NULL AND i.priority <> 'low';
            """);

        var result = await copy.RunAsync("check", "--env", "test,production", "--json");

        Assert.True(result.ExitCode == 3, result.ToString());
        var environments = Environments(result);
        Assert.True(environments["test"].GetProperty("matches").GetBoolean(), result.Stdout);
        var prod = environments["production"];
        Assert.False(prod.GetProperty("matches").GetBoolean());
        Assert.True(prod.GetProperty("exact").GetBoolean());
        string[] expected =
        [
            "check constraint items_title_check on public.items added by hand",
            "check constraint lists_title_check on public.lists removed by hand",
            "column public.items.due_on altered by hand (nullability)",
            "column public.lists.archived altered by hand (default)",
            "column public.lists.title altered by hand (type)",
            "column public.users.display_name removed by hand",
            "column public.users.nickname added by hand",
            "enum public.priority altered by hand (value 'urgent' added)",
            "index items_title_idx on public.items added by hand",
            "index users_email_lower_idx on public.users removed by hand",
            "table public.audit added by hand",
            "table public.labels removed by hand",
            "unique constraint lists_owner_id_title_key on public.lists removed by hand",
            "view public.open_items altered by hand",
        ];
        Assert.Equal(expected, prod.GetProperty("differences").EnumerateArray().Select(d => d.GetString()!).Order(StringComparer.Ordinal).ToArray());
        Assert.Equal($"{expected.Length} differences", prod.GetProperty("schema").GetString());
        Assert.Equal(0L, await production.ScratchDatabasesLeftAsync("strata_check_"));
    }

    [Fact]
    public async Task Expressions_written_unlike_PostgreSQL_prints_them_are_no_drift_and_an_edit_that_only_adds_a_cast_is()
    {
        using var copy = sample.CreateCopy();
        // A check on numeric that PostgreSQL stores as price > 0::numeric, next to the sample's now() default,
        // lower(email) index, partial index and view query, none written the way PostgreSQL prints them.
        copy.EditSchema("""t.Column("due_on", Types.Date);""", """t.Column("due_on", Types.Date); t.Column("price", Types.Numeric(10, 2)).Check("price > 0");""");
        await using var test = await postgres.CreateDatabaseAsync("drift_expr_test");
        await using var production = await postgres.CreateDatabaseAsync("drift_expr_prod");
        await MigrateBothAsync(copy, test, production);

        var clean = await copy.RunAsync("check", "--env", "test,production");

        Assert.True(clean.ExitCode == 0, clean.ToString());
        Assert.Contains("matches", Row(clean.Stdout, "test")[0]);
        Assert.Contains("matches", Row(clean.Stdout, "production")[0]);
        Assert.DoesNotContain("may not create databases", clean.Output);

        // Only a cast added: the same up to casts, so the old text matching could not see it; the catalogs differ.
        await production.ExecuteAsync("""
            ALTER TABLE items DROP CONSTRAINT items_price_check, ADD CONSTRAINT items_price_check CHECK (price::integer > 0);
            """);

        var result = await copy.RunAsync("check", "--env", "test,production", "--json");

        Assert.True(result.ExitCode == 3, result.ToString());
        var environments = Environments(result);
        Assert.True(environments["test"].GetProperty("matches").GetBoolean(), result.Stdout);
        Assert.Equal(["check constraint items_price_check on public.items altered by hand"],
            environments["production"].GetProperty("differences").EnumerateArray().Select(d => d.GetString()!).ToArray());
        Assert.Equal(0L, await production.ScratchDatabasesLeftAsync("strata_check_"));
    }

    [Fact]
    public async Task Indexes_of_a_materialized_view_match_as_declared_and_one_changed_by_hand_is_named()
    {
        using var copy = sample.CreateCopy();
        // title is varchar: PostgreSQL prints the expression and the predicate with casts (lower((title)::text)).
        copy.EditSchema(""".Comment("Items not done yet.");""", """
            .Comment("Items not done yet.");
                    db.MaterializedView("list_titles", "SELECT id, title FROM lists", v =>
                    {
                        v.Index("id").Unique();
                        v.Index(IndexKey.Expression("lower(title)")).Where("length(title) > 3");
                    });
            """);
        await using var test = await postgres.CreateDatabaseAsync("drift_matview_test");
        await using var production = await postgres.CreateDatabaseAsync("drift_matview_prod");
        await MigrateBothAsync(copy, test, production);

        var clean = await copy.RunAsync("check", "--env", "test,production");

        Assert.True(clean.ExitCode == 0, clean.ToString());
        Assert.Contains("matches", Row(clean.Stdout, "test")[0]);
        Assert.Contains("matches", Row(clean.Stdout, "production")[0]);

        await production.ExecuteAsync("DROP INDEX list_titles_id_idx; CREATE INDEX list_titles_by_title ON list_titles (title)");
        var result = await copy.RunAsync("check", "--env", "test,production", "--json");

        Assert.True(result.ExitCode == 3, result.ToString());
        var environments = Environments(result);
        Assert.True(environments["test"].GetProperty("matches").GetBoolean(), result.Stdout);
        Assert.Equal(
            ["index list_titles_by_title on public.list_titles added by hand", "index list_titles_id_idx on public.list_titles removed by hand"],
            environments["production"].GetProperty("differences").EnumerateArray().Select(d => d.GetString()!).Order(StringComparer.Ordinal).ToArray());
    }

    [Fact]
    public async Task A_user_who_may_not_create_databases_is_warned_and_expressions_are_matched_up_to_casts()
    {
        using var copy = sample.CreateCopy();
        await using var database = await PasswordRole.CreateDatabaseAsync(postgres, "drift_no_createdb");
        var generated = await copy.RunAsync("generate", "--name", "init");
        Assert.True(generated.ExitCode == 0, generated.ToString());
        copy.WriteEnvironments("""{ "staging": { "url": "${STAGING_URL}" } }""");
        copy.WriteFile(".env", $"STAGING_URL={PasswordRole.Url(database)}\n");
        var migrated = await copy.RunAsync("migrate", "--env", "staging");
        Assert.True(migrated.ExitCode == 0, migrated.ToString());

        var clean = await copy.RunAsync("check", "--env", "staging");

        Assert.True(clean.ExitCode == 0, clean.ToString());
        Assert.Contains("may not create databases", clean.Stdout);
        Assert.Contains("matches", Row(clean.Stdout, "staging")[0]);

        await database.ExecuteAsync("ALTER TABLE users DROP COLUMN display_name");
        var json = await copy.RunAsync("check", "--env", "staging", "--json");

        Assert.True(json.ExitCode == 3, json.ToString());
        var staging = Environments(json)["staging"];
        Assert.False(staging.GetProperty("exact").GetBoolean());
        Assert.Equal(["column public.users.display_name removed by hand"], staging.GetProperty("differences").EnumerateArray().Select(d => d.GetString()!).ToArray());
    }

    [Fact]
    public async Task A_scratch_database_that_cannot_be_built_falls_back_with_a_warning_and_is_dropped()
    {
        using var copy = sample.CreateCopy();
        // A role that may create databases but not the live database's extension (untrusted: superuser only).
        var role = "strata_createdb_" + Environment.ProcessId;
        await using var database = await postgres.CreateDatabaseAsync("drift_untrusted");
        await database.ExecuteAsync($"""
            DO $$ BEGIN
              IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{role}') THEN CREATE ROLE {role} LOGIN CREATEDB; END IF;
            END $$;
            ALTER DATABASE "{database.Name}" OWNER TO {role};
            ALTER SCHEMA public OWNER TO {role};
            CREATE EXTENSION pg_stat_statements;
            """);
        var url = new Npgsql.NpgsqlConnectionStringBuilder(database.ConnectionString) { Username = role }.ConnectionString;
        var generated = await copy.RunAsync("generate", "--name", "init");
        Assert.True(generated.ExitCode == 0, generated.ToString());
        copy.WriteEnvironments("""{ "staging": { "url": "${STAGING_URL}" } }""");
        copy.WriteFile(".env", $"STAGING_URL={url}\n");
        var migrated = await copy.RunAsync("migrate", "--env", "staging");
        Assert.True(migrated.ExitCode == 0, migrated.ToString());

        var result = await copy.RunAsync("check", "--env", "staging");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("the expected schema could not be built in a scratch database (permission denied to create extension \"pg_stat_statements\")", result.Stdout);
        Assert.Contains("matches", Row(result.Stdout, "staging")[0]);
        Assert.Equal(0L, await database.ScratchDatabasesLeftAsync("strata_check_"));
    }

    [Fact]
    public async Task Schema_and_table_filters_compare_only_what_they_select()
    {
        using var copy = sample.CreateCopy();
        await using var test = await postgres.CreateDatabaseAsync("drift_filter_test");
        await using var production = await postgres.CreateDatabaseAsync("drift_filter_prod");
        await MigrateBothAsync(copy, test, production);
        await production.ExecuteAsync("""
            CREATE SCHEMA extra;
            CREATE TABLE extra.audit (id int);
            ALTER TABLE users DROP COLUMN display_name;
            ALTER TABLE items ADD COLUMN note text;
            """);

        var items = await copy.RunAsync("check", "--env", "production", "--table", "item*", "--table", "public.lists", "--json");

        Assert.True(items.ExitCode == 3, items.ToString());
        // Table patterns select tables and views; schemas, enums and sequences are selected by --schema alone.
        Assert.Equal(["column public.items.note added by hand", "schema extra added by hand"],
            Environments(items)["production"].GetProperty("differences").EnumerateArray().Select(d => d.GetString()!).Order(StringComparer.Ordinal).ToArray());

        var extra = await copy.RunAsync("check", "--env", "production", "--schema", "extra", "--json");

        Assert.True(extra.ExitCode == 3, extra.ToString());
        Assert.Equal(["schema extra added by hand", "table extra.audit added by hand"],
            Environments(extra)["production"].GetProperty("differences").EnumerateArray().Select(d => d.GetString()!).Order(StringComparer.Ordinal).ToArray());

        var matching = await copy.RunAsync("check", "--env", "production", "--schema", "public", "--table", "lists");

        Assert.True(matching.ExitCode == 0, matching.ToString());

        var offline = await copy.RunAsync("check", "--table", "lists");

        Assert.True(offline.ExitCode == 2, offline.ToString());
        Assert.Contains("--schema and --table select what check --env compares", offline.Stderr);
    }

    [Fact]
    public async Task A_pending_migration_in_one_environment_is_reported_and_check_exits_3()
    {
        using var copy = sample.CreateCopy();
        await using var test = await postgres.CreateDatabaseAsync("drift_pending_test");
        await using var production = await postgres.CreateDatabaseAsync("drift_pending_prod");
        await MigrateBothAsync(copy, test, production);
        copy.EditSchema("""t.Column("display_name", Types.Text).NotNull();""", """t.Column("display_name", Types.Text).NotNull(); t.Column("nickname", Types.Text);""");
        var generated = await copy.RunAsync("generate", "--name", "add_nickname");
        Assert.True(generated.ExitCode == 0, generated.ToString());
        var migrated = await copy.RunAsync(test, "migrate");
        Assert.True(migrated.ExitCode == 0, migrated.ToString());

        var result = await copy.RunAsync("check", "--env", "test,production", "--json");

        Assert.True(result.ExitCode == 3, result.ToString());
        var environments = Environments(result);
        Assert.True(environments["test"].GetProperty("matches").GetBoolean(), result.Stdout);
        var prod = environments["production"];
        Assert.Equal("1 pending", prod.GetProperty("migrations").GetString());
        Assert.Equal(["0001_add_nickname"], prod.GetProperty("pending").EnumerateArray().Select(p => p.GetString()!).ToArray());
        // Its schema is still what 0000_init made it.
        Assert.Equal("matches", prod.GetProperty("schema").GetString());
        Assert.Equal("0000_init", prod.GetProperty("comparedWith").GetString());
    }

    [Fact]
    public async Task A_database_never_migrated_has_no_migrations_applied_and_is_compared_with_the_empty_model()
    {
        using var copy = sample.CreateCopy();
        var generated = await copy.RunAsync("generate", "--name", "init");
        Assert.True(generated.ExitCode == 0, generated.ToString());
        await using var fresh = await postgres.CreateDatabaseAsync("drift_empty_fresh");
        await fresh.ExecuteAsync("CREATE TABLE leftover (id int)");
        copy.WriteEnvironments("""{ "staging": { "url": "${STAGING_URL}" } }""");
        copy.WriteFile(".env", $"STAGING_URL={fresh.ConnectionString}\n");

        var result = await copy.RunAsync("check", "--env", "staging");

        Assert.True(result.ExitCode == 3, result.ToString());
        Assert.Contains("1 pending", Row(result.Stdout, "staging")[0]);
        Assert.Contains("no migrations applied (the database has no tracking table)", result.Stdout);
        Assert.Contains("the live schema against the empty model (no migrations applied):", result.Stdout);
        Assert.Contains("table public.leftover added by hand", result.Stdout);
    }

    [Fact]
    public async Task An_unreachable_environment_is_reported_in_the_table_and_check_exits_2_after_checking_the_others()
    {
        using var copy = sample.CreateCopy();
        await using var test = await postgres.CreateDatabaseAsync("drift_down_test");
        await using var production = await postgres.CreateDatabaseAsync("drift_down_prod");
        await MigrateBothAsync(copy, test, production);
        copy.WriteEnvironments("""
            {
              "test": { "url": "${TEST_URL}" },
              "production": { "url": "postgres://app:hunter2@127.0.0.1:1/shop", "connectTimeout": 5 }
            }
            """);

        var result = await copy.RunAsync("check", "--all-envs");

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("matches", Row(result.Stdout, "test")[0]);
        Assert.Contains("unreachable", Row(result.Stdout, "production")[0]);
        Assert.Contains("could not check production", result.Stderr);
        Assert.DoesNotContain("hunter2", result.Output);
    }

    [Fact]
    public async Task An_unknown_environment_name_is_a_usage_error_before_any_database_is_read()
    {
        using var copy = sample.CreateCopy();
        copy.WriteEnvironments("""{ "test": { "url": "${TEST_URL}" } }""");

        var result = await copy.RunAsync("check", "--env", "test,prodution");

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("the environment \"prodution\" (from --env) is not in", result.Stderr);
        Assert.DoesNotContain("TEST_URL", result.Output);
    }

    /// <summary>strata.json with "test" and "production" on the two databases, the init migration applied to both.</summary>
    [Fact]
    public async Task With_the_tracking_table_in_public_check_still_finds_a_column_dropped_by_hand_and_push_and_pull_leave_only_that_table_out()
    {
        using var copy = sample.CreateCopy();
        await using var test = await postgres.CreateDatabaseAsync("drift_public_tracking");
        var generated = await copy.RunAsync("generate", "--name", "init");
        Assert.True(generated.ExitCode == 0, generated.ToString());
        copy.WriteConfig("""
            "trackingTable": "public.__strata_migrations",
              "environments": { "test": { "url": "${TEST_URL}" } }
            """);
        copy.WriteFile(".env", $"TEST_URL={test.ConnectionString}\n");
        var migrated = await copy.RunAsync("migrate", "--env", "test");
        Assert.True(migrated.ExitCode == 0, migrated.ToString());
        Assert.True(await test.TableExistsAsync(new Strata.Model.QualifiedName("public", "__strata_migrations")));

        var matches = await copy.RunAsync("check", "--env", "test");
        Assert.True(matches.ExitCode == 0, matches.ToString());

        await test.ExecuteAsync("ALTER TABLE users DROP COLUMN display_name");
        var drifted = await copy.RunAsync("check", "--env", "test");

        Assert.True(drifted.ExitCode == 3, drifted.ToString());
        Assert.Contains("column public.users.display_name removed by hand", drifted.Stdout);
        Assert.DoesNotContain("__strata_migrations", drifted.Stdout);

        // push puts the column back and leaves the tracking table alone.
        var push = await copy.RunAsync("push", "--env", "test", "--dry-run");
        Assert.True(push.ExitCode == 0, push.ToString());
        Assert.Contains("display_name", push.Stdout);
        Assert.DoesNotContain("__strata_migrations", push.Stdout);

        // pull writes the application's tables, not Strata's.
        var pull = await copy.RunAsync("pull", "--env", "test", "--force");
        Assert.True(pull.ExitCode == 0, pull.ToString());
        var written = Directory.GetFiles(copy.Directory, "*.cs", SearchOption.AllDirectories).Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Concat(Directory.GetFiles(copy.MigrationsDirectory, "*", SearchOption.AllDirectories))
            .Select(File.ReadAllText).ToList();
        Assert.Contains(written, text => text.Contains("\"users\"", StringComparison.Ordinal));
        Assert.DoesNotContain(written, text => text.Contains("__strata_migrations", StringComparison.Ordinal));
    }

    private static async Task MigrateBothAsync(SampleCopy copy, TestDatabase test, TestDatabase production)
    {
        var generated = await copy.RunAsync("generate", "--name", "init");
        Assert.True(generated.ExitCode == 0, generated.ToString());
        copy.WriteEnvironments("""
            {
              "test": { "url": "${TEST_URL}" },
              "production": { "url": "${PRODUCTION_URL}" }
            }
            """);
        copy.WriteFile(".env", $"TEST_URL={test.ConnectionString}\nPRODUCTION_URL={production.ConnectionString}\n");
        foreach (var environment in new[] { "test", "production" })
        {
            var migrated = await copy.RunAsync("migrate", "--env", environment);
            Assert.True(migrated.ExitCode == 0, migrated.ToString());
        }
    }

    /// <summary>The table rows of the environment (lines starting with its name in the first column).</summary>
    private static string[] Row(string stdout, string environment) =>
        stdout.Split('\n').Where(l => l.StartsWith($"│ {environment} ", StringComparison.Ordinal)).ToArray();

    private static Dictionary<string, JsonElement> Environments(CliResult result) =>
        result.Json().GetProperty("environments").EnumerateArray().ToDictionary(e => e.GetProperty("environment").GetString()!);
}
