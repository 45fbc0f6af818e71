using Strata.Diffing;
using Strata.IntegrationTests.Infrastructure;
using Strata.IntegrationTests.Random;
using Strata.IntegrationTests.Scenarios;
using Strata.Model;
using Strata.Postgres.Migrations;
using Strata.Postgres.Sql;
using Strata.Testing;
using Xunit.Abstractions;

namespace Strata.IntegrationTests.Cli.Pull;

/// <summary>
/// <c>strata pull</c> end to end: a database made from hand-written SQL becomes a project whose C# compiles,
/// whose generate finds no change, whose baseline builds an identical database (pg_dump), and which
/// <c>migrate --baseline</c> adopts without running anything.
/// </summary>
[Collection(CliCollection.Name)]
public sealed class PullTests(PostgresFixture postgres, ITestOutputHelper output) : IClassFixture<PostgresFixture>
{
    public static TheoryData<string> Schemas() => [nameof(PullSchemas.SaaS), nameof(PullSchemas.Shop), nameof(PullSchemas.EveryKind)];

    private static string Sql(string name) => name switch
    {
        nameof(PullSchemas.SaaS) => PullSchemas.SaaS,
        nameof(PullSchemas.Shop) => PullSchemas.Shop,
        _ => PullSchemas.EveryKind,
    };

    [Theory]
    [MemberData(nameof(Schemas))]
    public async Task A_hand_written_database_is_pulled_rebuilt_identically_and_adopted_by_migrate_baseline(string schema)
    {
        await using var original = await postgres.CreateDatabaseAsync("pull_" + schema.ToLowerInvariant(), Sql(schema));
        using var project = await PullProject.InitAsync();

        var pull = await project.RunAsync(original, "pull");

        Assert.True(pull.ExitCode == 0, pull.ToString());
        Assert.Matches(@"Read .+ in \d+\.\d\d s: .*\d+ tables", pull.Stdout);
        Assert.Contains("src/Shop.Schema/ShopSchema.cs (replaced)", pull.Stdout);
        Assert.Contains("Wrote the baseline db/migrations/0000_baseline", pull.Stdout);
        Assert.Equal(["0000_baseline"], project.MigrationFolders());
        await AssertRebuiltIdenticallyAsync(project, original);

        // Adopt the original: the baseline is recorded, not run (the row written before is still there).
        await original.ExecuteAsync(schema switch
        {
            nameof(PullSchemas.SaaS) => "INSERT INTO users (email) VALUES ('ada@example.com')",
            nameof(PullSchemas.Shop) => "INSERT INTO customers (email, first_name, last_name) VALUES ('ada@example.com', 'Ada', 'Lovelace')",
            _ => "INSERT INTO \"user\" (\"select\") VALUES ('x')",
        });
        var baseline = await project.RunAsync(original, "migrate", "--baseline");

        Assert.True(baseline.ExitCode == 0, baseline.ToString());
        Assert.Contains("Recorded 0000_baseline as applied", baseline.Stdout);
        Assert.Equal(["0000_baseline"], await original.TrackedIdsAsync());
        var status = await project.RunAsync(original, "status");
        Assert.True(status.ExitCode == 0, status.ToString());
        Assert.Contains("1 applied, 0 pending.", status.Stdout);

        // The next change is an ordinary migration, and a plain migrate applies it to the original.
        project.AddTable("""db.Table("pull_added", t => t.Column("id", Types.Integer).PrimaryKey());""");
        var second = await project.RunAsync("generate", "--name", "second");
        Assert.True(second.ExitCode == 0, second.ToString());
        var migrate = await project.RunAsync(original, "migrate");

        Assert.True(migrate.ExitCode == 0, migrate.ToString());
        Assert.Contains("applied 0001_second", migrate.Stdout);
        Assert.DoesNotContain("applied 0000_baseline", migrate.Stdout);
        Assert.Equal(["0000_baseline", "0001_second"], await original.TrackedIdsAsync());
        Assert.True(await original.TableExistsAsync(new QualifiedName("public", "pull_added")));
        Assert.Equal(1L, await original.ScalarAsync<long>(schema switch
        {
            nameof(PullSchemas.SaaS) => "SELECT count(*) FROM users",
            nameof(PullSchemas.Shop) => "SELECT count(*) FROM customers",
            _ => "SELECT count(*) FROM \"user\"",
        }));
    }

    [Fact]
    public async Task Random_schemas_built_from_their_generated_SQL_are_pulled_and_rebuilt_identically()
    {
        foreach (var seed in new[] { 11, 23, 37 })
        {
            var model = new RandomSchemaGenerator(seed).NextPair().A;
            await using var original = await postgres.CreateDatabaseAsync($"pull_random_{seed}");
            // Random grants go to roles of the cluster's.
            await original.ExecuteAsync(RandomPrivileges.CreateRolesSql);
            var up = MigrationScript.RenderUp(PostgresSqlGenerator.Generate(SchemaDiffer.Diff(DatabaseModel.Empty, model, RenameDecisions.None)));
            await ScriptApplier.ApplyAsync(original.DataSource, up, $"seed {seed}");
            using var project = await PullProject.InitAsync();

            var pull = await project.RunAsync(original, "pull");

            Assert.True(pull.ExitCode == 0, $"seed {seed}: {pull}");
            await AssertRebuiltIdenticallyAsync(project, original, $"seed {seed}: ");
        }
    }

    /// <summary>The pulled C# builds, generate finds no change, and the baseline on an empty database dumps exactly like the original.</summary>
    private async Task AssertRebuiltIdenticallyAsync(PullProject project, TestDatabase original, string context = "")
    {
        var generate = await project.RunAsync("generate");
        Assert.True(generate.ExitCode == 0, context + generate);
        Assert.True(generate.Stdout.Contains("No changes: the C# schema matches the last migration (0000_baseline)", StringComparison.Ordinal), context + generate);

        await using var rebuilt = await postgres.CreateDatabaseAsync("pull_rebuilt");
        var migrate = await project.RunAsync(rebuilt, "migrate");
        Assert.True(migrate.ExitCode == 0, context + migrate);
        Assert.Contains("applied 0000_baseline", migrate.Stdout);

        var expected = await PullProject.DumpAsync(original);
        var actual = await PullProject.DumpAsync(rebuilt);
        Assert.Contains("CREATE TABLE public.", expected);
        if (PullProject.DumpDifference(expected, actual, $"{context}pg_dump of the rebuilt database differs from the original's") is { } difference)
            Assert.Fail(difference);
    }

    [Fact]
    public async Task A_database_using_an_extension_is_pulled_into_a_baseline_that_creates_the_extension_first()
    {
        await using var original = await postgres.CreateDatabaseAsync("pull_extension", """
            CREATE EXTENSION citext;
            CREATE TABLE accounts (id integer PRIMARY KEY, email citext NOT NULL UNIQUE);
            """);
        using var project = await PullProject.InitAsync();

        var pull = await project.RunAsync(original, "pull");

        Assert.True(pull.ExitCode == 0, pull.ToString());
        Assert.Contains("The baseline creates the database's 1 extension first: citext.", pull.Stdout);
        Assert.DoesNotContain("warning:", pull.Stdout);
        var up = File.ReadAllText(Path.Combine(project.MigrationsFolder, "0000_baseline", "up.sql"));
        Assert.StartsWith("CREATE EXTENSION IF NOT EXISTS \"citext\" WITH SCHEMA \"public\";", up);
        await AssertRebuiltIdenticallyAsync(project, original);
    }

    [Fact]
    public async Task Comparable_type_foreign_keys_tables_without_columns_checks_on_no_column_and_unlogged_deferrable_no_inherit_match_full_are_pulled_and_rebuilt_identically()
    {
        // Each of these made pull write a C# schema that generate refused (or crashed pull), or lost what it read
        // (UNLOGGED, a key's DEFERRABLE, NO INHERIT, MATCH FULL): PostgreSQL accepts them all.
        await using var original = await postgres.CreateDatabaseAsync("pull_accepted", """
            CREATE DOMAIN positive AS integer CHECK (VALUE > 0);
            CREATE TABLE stores (id integer PRIMARY KEY, code text UNIQUE, opened date UNIQUE, n positive UNIQUE);
            CREATE TABLE staff (
                id smallint PRIMARY KEY,
                store_id smallint REFERENCES stores (id),
                store_code varchar(10) REFERENCES stores (code),
                hired timestamp REFERENCES stores (opened),
                store_n integer REFERENCES stores (n),
                lead positive REFERENCES stores (id),
                CONSTRAINT configured CHECK (current_setting('application_name') <> ''));
            CREATE TABLE marker ();
            CREATE TABLE never (CONSTRAINT never_check CHECK (false));
            ALTER TABLE stores ADD UNIQUE (id, code);
            CREATE UNLOGGED TABLE sessions (
                id integer PRIMARY KEY DEFERRABLE INITIALLY DEFERRED,
                token text UNIQUE DEFERRABLE,
                store_id integer,
                store_code text,
                CONSTRAINT sessions_store FOREIGN KEY (store_id, store_code) REFERENCES stores (id, code) MATCH FULL,
                CONSTRAINT token_long CHECK (length(token) > 10) NO INHERIT);
            """);
        using var project = await PullProject.InitAsync();

        var pull = await project.RunAsync(original, "pull");

        Assert.True(pull.ExitCode == 0, pull.ToString());
        var code = File.ReadAllText(Path.Combine(project.SchemaFolder, "ShopSchema.Public.cs"));
        Assert.Contains("t.WithoutColumns();", code);
        Assert.Contains("current_setting('application_name'::text) <> ''::text", code);
        Assert.Contains("t.Unlogged();", code);
        Assert.Contains("t.DeferrablePrimaryKey(initiallyDeferred: true);", code);
        Assert.Contains(".MatchFull()", code);
        Assert.Contains("noInherit: true", code);
        await AssertRebuiltIdenticallyAsync(project, original);
    }

    [Fact]
    public async Task Extensions_in_their_schemas_at_their_versions_and_with_their_comments_are_carried_into_the_csharp_schema()
    {
        await using var original = await postgres.CreateDatabaseAsync("pull_extensions", """
            CREATE SCHEMA ext;
            CREATE EXTENSION hstore WITH SCHEMA ext VERSION '1.7';
            COMMENT ON EXTENSION hstore IS 'key/value pairs';
            CREATE EXTENSION citext;
            CREATE TABLE accounts (id integer PRIMARY KEY, email citext NOT NULL UNIQUE, tags ext.hstore);
            """);
        using var project = await PullProject.InitAsync();

        var pull = await project.RunAsync(original, "pull");

        Assert.True(pull.ExitCode == 0, pull.ToString());
        Assert.Contains("The baseline creates the database's 2 extensions first: hstore, citext.", pull.Stdout);
        Assert.DoesNotContain("warning:", pull.Stdout);
        var schema = string.Concat(System.IO.Directory.GetFiles(project.SchemaFolder, "*.cs").Select(File.ReadAllText));
        Assert.Contains("db.Extension(\"hstore\", version: \"1.7\", comment: \"key/value pairs\");", schema);
        Assert.Contains("db.Extension(\"citext\");", schema);
        await AssertRebuiltIdenticallyAsync(project, original);
    }

    [Fact]
    public async Task Composite_types_with_their_fields_collations_and_comments_are_carried_into_the_csharp_schema()
    {
        await using var original = await postgres.CreateDatabaseAsync("pull_composites", """
            CREATE SCHEMA geo;
            CREATE TYPE mood AS ENUM ('sad', 'ok');
            CREATE TYPE geo.point AS (x double precision, y double precision);
            COMMENT ON TYPE geo.point IS 'a point';
            CREATE TYPE place AS (name text COLLATE "C", at geo.point, tags varchar(10)[], mood mood);
            CREATE TABLE visits (id integer PRIMARY KEY, place place NOT NULL, route geo.point[]);
            """);
        using var project = await PullProject.InitAsync();

        var pull = await project.RunAsync(original, "pull");

        Assert.True(pull.ExitCode == 0, pull.ToString());
        Assert.DoesNotContain("warning:", pull.Stdout);
        Assert.Matches(@"Read .+: .*\b2 composite types\b", pull.Stdout);
        var schema = string.Concat(System.IO.Directory.GetFiles(project.SchemaFolder, "*.cs").Select(File.ReadAllText));
        Assert.Contains("db.Composite(\"point\", c => c.Field(\"x\", Types.DoublePrecision).Field(\"y\", Types.DoublePrecision).Comment(\"a point\"));", schema);
        Assert.Contains("t.Column(\"place\", Types.Composite(\"place\")).NotNull();", schema);
        await AssertRebuiltIdenticallyAsync(project, original);
    }

    [Fact]
    public async Task Pull_names_every_object_the_model_has_no_place_for_and_its_baseline_still_builds()
    {
        await using var original = await postgres.CreateDatabaseAsync("pull_unmodelled", """
            CREATE EXTENSION citext;
            CREATE DOMAIN positive_amount AS numeric CHECK (VALUE > 0);
            CREATE TYPE address AS (street text, city text);
            CREATE TYPE floatrange AS RANGE (subtype = float8);
            CREATE COLLATION plain_c (locale = 'C');
            CREATE TABLE accounts (id integer PRIMARY KEY, email citext NOT NULL, code text COLLATE "C", updated_at timestamptz);
            CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN NEW.updated_at := now(); RETURN NEW; END$$;
            CREATE TRIGGER accounts_touch BEFORE UPDATE ON accounts FOR EACH ROW EXECUTE FUNCTION suppress_redundant_updates_trigger();
            CREATE PROCEDURE archive_accounts() LANGUAGE sql AS $$ DELETE FROM accounts WHERE false $$;
            ALTER TABLE accounts ENABLE ROW LEVEL SECURITY;
            CREATE POLICY accounts_own ON accounts USING (true);
            CREATE RULE accounts_keep AS ON DELETE TO accounts DO INSTEAD NOTHING;
            CREATE STATISTICS accounts_stats (dependencies) ON email, code FROM accounts;
            CREATE TABLE bookings (id integer PRIMARY KEY, during tsrange NOT NULL, EXCLUDE USING gist (during WITH &&));
            CREATE TABLE events (id bigint NOT NULL, at date NOT NULL) PARTITION BY RANGE (at);
            CREATE TABLE events_2026 PARTITION OF events FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
            CREATE UNLOGGED TABLE cache_entries (key text PRIMARY KEY WITH (fillfactor = 70), value text);
            CREATE INDEX accounts_code_posix ON accounts (code COLLATE "POSIX");
            CREATE TABLE base_items (id integer, name text);
            CREATE TABLE special_items (extra text) INHERITS (base_items);
            ALTER TABLE ONLY special_items ALTER COLUMN name SET DEFAULT 'special';
            CREATE MATERIALIZED VIEW account_emails AS SELECT id, email FROM accounts;
            CREATE UNIQUE INDEX account_emails_id ON account_emails (id);
            """);
        using var project = await PullProject.InitAsync();

        var pull = await project.RunAsync(original, "pull");

        Assert.True(pull.ExitCode == 0, pull.ToString());
        Assert.Contains("warning: 1 object of the database is not in the C# schema or the baseline", pull.Stdout);
        string[] named =
        [
            "inherited column public.special_items.name (NOT NULL or DEFAULT of its own on a column it inherits (ALTER TABLE ONLY); pulled with its parent's)",
        ];
        foreach (var line in named)
            Assert.Contains("  " + line + "\n", pull.Stdout);
        // What can be re-created from its definition is carried into the baseline instead of being named as left out.
        string[] carried =
        [
            "range type public.floatrange",
            "rule accounts_keep on public.accounts",
            "extended statistics accounts_stats on public.accounts",
        ];
        Assert.Contains("The baseline carries 3 objects the C# schema does not model, as PostgreSQL prints them", pull.Stdout);
        foreach (var line in carried)
            Assert.Contains("  " + line + "\n", pull.Stdout);
        Assert.Contains("then strata hash", pull.Stdout);
        // Inheritance is part of the model: the child with its own columns and its parent.
        Assert.Matches(@"db\.Table\(""special_items"", t =>\s*\{\s*t\.Column\(""extra"", Types\.Text\);\s*t\.Inherits\(""base_items""\);", File.ReadAllText(Path.Combine(project.SchemaFolder, "ShopSchema.Public.cs")));
        // Collations are part of the model.
        Assert.DoesNotContain("collation public.plain_c", pull.Stdout);
        Assert.Contains("db.Collation(\"plain_c\"", File.ReadAllText(Path.Combine(project.SchemaFolder, "ShopSchema.Public.cs")));
        // Unlogged tables and domains are part of the model: pulled into the C# schema, not listed.
        Assert.DoesNotContain("unlogged table", pull.Stdout);
        Assert.Matches(@"db\.Table\(""cache_entries"", t =>\s*\{[^}]*t\.Unlogged\(\);", File.ReadAllText(Path.Combine(project.SchemaFolder, "ShopSchema.Public.cs")));
        Assert.DoesNotContain("domain public.positive_amount", pull.Stdout);
        Assert.Matches(@"Read .+: .*\b1 domain\b", pull.Stdout);
        Assert.Contains("db.Domain(\"positive_amount\", Types.Numeric(), d => d.Check(\"VALUE > 0::numeric\"));", File.ReadAllText(Path.Combine(project.SchemaFolder, "ShopSchema.Public.cs")));
        // So are row-level security and policies.
        Assert.DoesNotContain("row-level security public.accounts", pull.Stdout);
        Assert.DoesNotContain("policy accounts_own on public.accounts", pull.Stdout);
        Assert.Matches(@"Read .+: .*\b1 policy\b", pull.Stdout);
        Assert.Contains("t.RowLevelSecurity();", File.ReadAllText(Path.Combine(project.SchemaFolder, "ShopSchema.Public.cs")));
        Assert.Contains("t.Policy(\"accounts_own\", p => p.Using(\"true\"));", File.ReadAllText(Path.Combine(project.SchemaFolder, "ShopSchema.Public.cs")));
        // So are functions and procedures with a body in a string.
        Assert.DoesNotContain("function public.touch()", pull.Stdout);
        Assert.DoesNotContain("procedure public.archive_accounts()", pull.Stdout);
        Assert.Contains("db.Function(\"touch\", f => f", File.ReadAllText(Path.Combine(project.SchemaFolder, "ShopSchema.Public.cs")));
        Assert.Contains("db.Procedure(\"archive_accounts\", f => f", File.ReadAllText(Path.Combine(project.SchemaFolder, "ShopSchema.Public.cs")));
        // So are a column's collation and exclusion constraints.
        Assert.DoesNotContain("column collation", pull.Stdout);
        Assert.Contains("t.Column(\"code\", Types.Text).Collate(\"C\");", File.ReadAllText(Path.Combine(project.SchemaFolder, "ShopSchema.Public.cs")));
        // And an index key's own collation, and the storage parameters of a key's index.
        Assert.DoesNotContain("index key collation", pull.Stdout);
        Assert.Contains("t.Index(IndexKey.Column(\"code\").Collate(\"POSIX\")).Named(\"accounts_code_posix\");", File.ReadAllText(Path.Combine(project.SchemaFolder, "ShopSchema.Public.cs")));
        Assert.Contains("t.PrimaryKeyWith(\"fillfactor\", \"70\");", File.ReadAllText(Path.Combine(project.SchemaFolder, "ShopSchema.Public.cs")));
        Assert.DoesNotContain("exclusion constraint bookings_during_excl", pull.Stdout);
        Assert.Matches(@"Read .+: .*\b1 exclusion constraint\b", pull.Stdout);
        Assert.Contains("t.Exclude(\"gist\", e => e.Column(\"during\", \"&&\"));", File.ReadAllText(Path.Combine(project.SchemaFolder, "ShopSchema.Public.cs")));
        // So are triggers.
        Assert.DoesNotContain("trigger accounts_touch on public.accounts", pull.Stdout);
        Assert.Matches(@"Read .+: .*\b1 trigger\b", pull.Stdout);
        Assert.Contains("t.Trigger(\"accounts_touch\", tr => tr.Before().OnUpdate().ForEachRow().Execute(\"pg_catalog.suppress_redundant_updates_trigger\"));",
            File.ReadAllText(Path.Combine(project.SchemaFolder, "ShopSchema.Public.cs")));
        // So are composite types.
        Assert.DoesNotContain("composite type public.address", pull.Stdout);
        Assert.Contains("db.Composite(\"address\", c => c.Field(\"street\", Types.Text).Field(\"city\", Types.Text));", File.ReadAllText(Path.Combine(project.SchemaFolder, "ShopSchema.Public.cs")));

        // So are partitioned tables and their partitions.
        Assert.DoesNotContain("partitioned table public.events", pull.Stdout);
        Assert.Contains("t.PartitionBy(\"RANGE (at)\");", File.ReadAllText(Path.Combine(project.SchemaFolder, "ShopSchema.Public.cs")));
        Assert.Contains("t.PartitionOf(\"events\", \"FOR VALUES FROM ('2026-01-01') TO ('2027-01-01')\");", File.ReadAllText(Path.Combine(project.SchemaFolder, "ShopSchema.Public.cs")));

        // The same list for machines; extensions apart, since the baseline creates them.
        var json = await project.RunAsync(original, "pull", "--force", "--json");
        Assert.True(json.ExitCode == 0, json.ToString());
        Assert.Equal(["citext"], json.Json().GetProperty("extensions").EnumerateArray().Select(e => e.GetString()));
        var notCarried = json.Json().GetProperty("notCarried").EnumerateArray().ToList();
        Assert.Equal(named.Length + carried.Length, notCarried.Count);
        Assert.Equal(carried.Length, notCarried.Count(o => o.GetProperty("inBaseline").GetBoolean()));
        Assert.Equal(1, json.Json().GetProperty("counts").GetProperty("domains").GetInt32());

        // What the model holds builds on an empty database, the extension's column type included.
        var generate = await project.RunAsync("generate");
        Assert.True(generate.ExitCode == 0, generate.ToString());
        Assert.Contains("No changes", generate.Stdout);
        await using var rebuilt = await postgres.CreateDatabaseAsync("pull_unmodelled_rebuilt");
        var migrate = await project.RunAsync(rebuilt, "migrate");
        Assert.True(migrate.ExitCode == 0, migrate.ToString());
        Assert.Equal("citext", await rebuilt.ScalarAsync<string>(
            "SELECT format_type(atttypid, NULL) FROM pg_attribute WHERE attrelid = 'public.accounts'::regclass AND attname = 'email'"));
        Assert.True(await rebuilt.TableExistsAsync(new QualifiedName("public", "events")));
        Assert.Equal("events FOR VALUES FROM ('2026-01-01') TO ('2027-01-01')", await rebuilt.ScalarAsync<string>(
            "SELECT h.inhparent::regclass::text || ' ' || pg_get_expr(c.relpartbound, c.oid) FROM pg_class c JOIN pg_inherits h ON h.inhrelid = c.oid WHERE c.oid = 'public.events_2026'::regclass"));
        Assert.Equal(1L, await rebuilt.ScalarAsync<long>("SELECT count(*) FROM pg_trigger WHERE tgname = 'accounts_touch'"));
        Assert.Equal(1L, await rebuilt.ScalarAsync<long>("SELECT count(*) FROM pg_rewrite WHERE rulename = 'accounts_keep'"));
        Assert.Equal(1L, await rebuilt.ScalarAsync<long>("SELECT count(*) FROM pg_statistic_ext WHERE stxname = 'accounts_stats'"));
        Assert.Equal(1L, await rebuilt.ScalarAsync<long>("SELECT count(*) FROM pg_range WHERE rngtypid = 'public.floatrange'::regtype"));
        // The materialized view's index is part of the model now: pulled, and built with the view.
        Assert.DoesNotContain("account_emails_id", pull.Stdout);
        Assert.Contains("v.Index(\"id\").Named(\"account_emails_id\").Unique();", File.ReadAllText(Path.Combine(project.SchemaFolder, "ShopSchema.Public.cs")));
        Assert.Equal("CREATE UNIQUE INDEX account_emails_id ON public.account_emails USING btree (id)",
            await rebuilt.ScalarAsync<string>("SELECT pg_get_indexdef('public.account_emails_id'::regclass)"));
    }

    [Fact]
    public async Task Rules_statistics_and_range_types_are_carried_verbatim_triggers_and_aggregates_are_pulled_and_all_rebuild_identically_and_down_drops_them()
    {
        await using var original = await postgres.CreateDatabaseAsync("pull_carried", """
            CREATE TABLE public.customers (id integer PRIMARY KEY);
            CREATE SCHEMA billing;
            CREATE TYPE billing.amount_range AS RANGE (subtype = float8, subtype_diff = float8mi);
            COMMENT ON TYPE billing.amount_range IS 'a span of amounts';
            CREATE TYPE billing."Code Range" AS RANGE (subtype = text, collation = "C");
            CREATE TABLE billing.invoices (id integer PRIMARY KEY, amount numeric, span billing.amount_range, codes billing."Code Range", note text);
            CREATE TABLE billing.audit (id integer, at timestamptz);
            CREATE TRIGGER "Skip Same" BEFORE UPDATE OF amount, note ON billing.invoices FOR EACH ROW
                WHEN (OLD.amount IS DISTINCT FROM NEW.amount) EXECUTE FUNCTION suppress_redundant_updates_trigger();
            ALTER TABLE billing.invoices DISABLE TRIGGER "Skip Same";
            COMMENT ON TRIGGER "Skip Same" ON billing.invoices IS 'it''s off during the import';
            CREATE TRIGGER always_skip BEFORE UPDATE ON billing.audit FOR EACH ROW EXECUTE FUNCTION suppress_redundant_updates_trigger();
            ALTER TABLE billing.audit ENABLE ALWAYS TRIGGER always_skip;
            CREATE RULE log_insert AS ON INSERT TO billing.invoices DO ALSO INSERT INTO billing.audit VALUES (NEW.id, now());
            COMMENT ON RULE log_insert ON billing.invoices IS 'audit trail';
            CREATE STATISTICS billing.invoice_stats (ndistinct, dependencies) ON amount, note FROM billing.invoices;
            ALTER STATISTICS billing.invoice_stats SET STATISTICS 500;
            CREATE AGGREGATE billing.concat_all(text) (SFUNC = textcat, STYPE = text, INITCOND = '');
            COMMENT ON AGGREGATE billing.concat_all(text) IS 'joins the texts';
            CREATE AGGREGATE billing.moving_count(*) (SFUNC = int8inc, STYPE = int8, INITCOND = '0',
                MSFUNC = int8inc, MINVFUNC = int8dec, MSTYPE = int8, MINITCOND = '0', PARALLEL = SAFE);
            CREATE AGGREGATE billing.biggest(integer) (SFUNC = int4larger, STYPE = integer, SORTOP = >);
            CREATE AGGREGATE billing.percentile(float8 ORDER BY float8) (SFUNC = ordered_set_transition, STYPE = internal,
                FINALFUNC = percentile_disc_final, FINALFUNC_EXTRA);
            """);
        using var project = await PullProject.InitAsync();

        var pull = await project.RunAsync(original, "pull");

        Assert.True(pull.ExitCode == 0, pull.ToString());
        Assert.Contains("The baseline carries 4 objects the C# schema does not model", pull.Stdout);
        Assert.DoesNotContain("warning:", pull.Stdout);
        // The triggers are modelled: pulled into the C# schema with their columns, WHEN, enabled state and comment.
        Assert.DoesNotContain("trigger always_skip on billing.audit", pull.Stdout);
        var billing = File.ReadAllText(Path.Combine(project.SchemaFolder, "ShopSchema.Billing.cs"));
        Assert.Contains(".Execute(\"pg_catalog.suppress_redundant_updates_trigger\").Enabled(TriggerEnabled.Always)", billing);
        Assert.Contains("t.Trigger(\"Skip Same\", tr => tr.Before().OnUpdate(\"amount\", \"note\").ForEachRow()", billing);
        Assert.Contains(".Disabled().Comment(\"it's off during the import\")", billing);
        // The aggregates are modelled too, their definitions as PostgreSQL prints them.
        Assert.Contains("db.Aggregate(\"concat_all(text)\", \"SFUNC = textcat, STYPE = text, INITCOND = ''\").Comment(\"joins the texts\");", billing);
        Assert.Contains("db.Aggregate(\"biggest(integer)\", \"SFUNC = int4larger, STYPE = integer, SORTOP = OPERATOR(pg_catalog.>)\");", billing);
        Assert.Contains("db.Aggregate(\"percentile(double precision ORDER BY double precision)\"", billing);
        var up = File.ReadAllText(Path.Combine(project.MigrationsFolder, "0000_baseline", "up.sql"));
        // A range type goes before the tables whose columns use it; a trigger after its table.
        Assert.True(up.IndexOf("CREATE TYPE billing.amount_range AS RANGE", StringComparison.Ordinal) < up.IndexOf("CREATE TABLE", StringComparison.Ordinal), up);
        Assert.True(up.IndexOf("CREATE TRIGGER", StringComparison.Ordinal) > up.IndexOf("CREATE TABLE", StringComparison.Ordinal), up);
        await AssertRebuiltIdenticallyAsync(project, original);

        // down.sql undoes the baseline, the carried objects included: the schema can be dropped after it.
        await using var rebuilt = await postgres.CreateDatabaseAsync("pull_carried_down");
        var migrate = await project.RunAsync(rebuilt, "migrate");
        Assert.True(migrate.ExitCode == 0, migrate.ToString());
        var rollback = await project.RunAsync(rebuilt, "rollback", "--accept-data-loss");
        Assert.True(rollback.ExitCode == 0, rollback.ToString());
        Assert.Equal(0L, await rebuilt.ScalarAsync<long>(
            "SELECT count(*) FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = 'billing'"));
        Assert.Equal(0L, await rebuilt.ScalarAsync<long>(
            "SELECT count(*) FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace WHERE n.nspname = 'billing'"));
    }

    [Fact]
    public async Task A_thousand_tables_are_pulled_into_files_of_fifty_tables_that_build_with_no_change()
    {
        await using var original = await postgres.CreateDatabaseAsync("pull_1000", PullSchemas.Large(1000));
        using var project = await PullProject.InitAsync();

        var clock = System.Diagnostics.Stopwatch.StartNew();
        var pull = await project.RunAsync(original, "pull", "--json");
        clock.Stop();

        Assert.True(pull.ExitCode == 0, pull.ToString());
        var json = pull.Json();
        Assert.Equal(1000, json.GetProperty("counts").GetProperty("tables").GetInt32());
        Assert.Equal(999, json.GetProperty("counts").GetProperty("foreignKeys").GetInt32());
        Assert.Equal(Enumerable.Range(1, 20).Select(i => $"ShopSchema.Public.{i}.cs").Append("ShopSchema.cs").Order(StringComparer.Ordinal), project.SchemaFiles());
        Assert.Contains("db.Table(\"item_0050\", t =>", File.ReadAllText(Path.Combine(project.SchemaFolder, "ShopSchema.Public.2.cs")));
        // The whole command, process start included, for the log only (a busy machine makes any bound flaky);
        // the catalog read alone is the JSON's milliseconds.
        output.WriteLine($"pull of 1000 tables: {clock.ElapsedMilliseconds} ms in all, {json.GetProperty("milliseconds").GetDouble()} ms reading the database");

        var generate = await project.RunAsync("generate");
        Assert.True(generate.ExitCode == 0, generate.ToString());
        Assert.Contains("No changes: the C# schema matches the last migration (0000_baseline)", generate.Stdout);
    }

    [Fact]
    public async Task Pull_refuses_a_migrations_folder_that_has_migrations_unless_forced()
    {
        await using var original = await postgres.CreateDatabaseAsync("pull_twice", PullSchemas.SaaS);
        using var project = await PullProject.InitAsync();
        var first = await project.RunAsync(original, "pull");
        Assert.True(first.ExitCode == 0, first.ToString());
        var up = File.ReadAllText(Path.Combine(project.MigrationsFolder, "0000_baseline", "up.sql"));

        var again = await project.RunAsync(original, "pull", "--name", "again");

        Assert.Equal(2, again.ExitCode);
        Assert.Contains("db/migrations already has 1 migration; a baseline must be the first; nothing was written", again.Stderr);
        Assert.Contains("  db/migrations/0000_baseline", again.Stderr);
        Assert.Equal(["0000_baseline"], project.MigrationFolders());

        await original.ExecuteAsync("CREATE TABLE later (id integer PRIMARY KEY)");
        var forced = await project.RunAsync(original, "pull", "--name", "again", "--force", "--json");

        Assert.True(forced.ExitCode == 0, forced.ToString());
        var json = forced.Json();
        Assert.Equal(8, json.GetProperty("counts").GetProperty("tables").GetInt32());
        Assert.Equal(1, json.GetProperty("counts").GetProperty("views").GetInt32());
        Assert.Equal("0000_again", json.GetProperty("baseline").GetProperty("id").GetString());
        Assert.EndsWith("0000_baseline", json.GetProperty("removedMigrations")[0].GetString());
        Assert.Equal(["0000_again"], project.MigrationFolders());
        Assert.Contains("CREATE TABLE \"public\".\"later\"", File.ReadAllText(Path.Combine(project.MigrationsFolder, "0000_again", "up.sql")));
        Assert.DoesNotContain("\"later\"", up);
    }

    [Fact]
    public async Task Pull_with_a_table_filter_that_leaves_out_a_parent_or_partitioned_table_is_refused_naming_both()
    {
        await using var original = await postgres.CreateDatabaseAsync("pull_filtered_parents", """
            CREATE TABLE items (id integer);
            CREATE TABLE books (isbn text) INHERITS (items);
            CREATE TABLE events (at date) PARTITION BY RANGE (at);
            CREATE TABLE events_2026 PARTITION OF events FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
            """);
        using var project = await PullProject.InitAsync();

        var refused = await project.RunAsync(original, "pull", "--table", "books");

        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("reference tables left out; nothing was written", refused.Stderr);
        Assert.Contains("public.books: inherits from public.items", refused.Stderr);
        Assert.Empty(project.MigrationFolders());

        var whole = await project.RunAsync(original, "pull", "--table", "books", "--table", "items", "--table", "events*");
        Assert.True(whole.ExitCode == 0, whole.ToString());
    }

    [Fact]
    public async Task Pull_with_schema_and_table_filters_writes_only_the_selection_and_refuses_one_that_leaves_a_referenced_table_out()
    {
        await using var original = await postgres.CreateDatabaseAsync("pull_filtered", """
            CREATE SCHEMA sales;
            CREATE TABLE customers (id integer PRIMARY KEY, name text NOT NULL);
            CREATE TABLE sales.orders (id integer PRIMARY KEY, customer_id integer NOT NULL REFERENCES customers (id));
            CREATE TABLE sales.order_notes (id integer PRIMARY KEY, body text);
            CREATE TABLE audit_log (id bigint PRIMARY KEY, entry text);
            """);
        using var project = await PullProject.InitAsync();

        var refused = await project.RunAsync(original, "pull", "--schema", "sales");

        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("the tables selected (schema sales) reference tables left out; nothing was written", refused.Stderr);
        Assert.Contains("sales.orders: foreign key orders_customer_id_fkey references public.customers", refused.Stderr);
        Assert.Empty(project.MigrationFolders());

        var pull = await project.RunAsync(original, "pull", "--table", "customers", "--table", "sales.order*", "--json");

        Assert.True(pull.ExitCode == 0, pull.ToString());
        Assert.Equal(3, pull.Json().GetProperty("counts").GetProperty("tables").GetInt32());
        var up = File.ReadAllText(Path.Combine(project.MigrationsFolder, "0000_baseline", "up.sql"));
        Assert.Contains("CREATE TABLE \"sales\".\"orders\"", up);
        Assert.Contains("CREATE TABLE \"sales\".\"order_notes\"", up);
        Assert.Contains("CREATE TABLE \"public\".\"customers\"", up);
        Assert.DoesNotContain("audit_log", up);
        // init's example seed fills its example table, which this database lacks: pull removed it.
        Assert.False(File.Exists(Path.Combine(project.Directory, "db", "seeds", "0001_notes.sql")));
        Assert.Contains(pull.Json().GetProperty("files").EnumerateArray(),
            f => f.GetProperty("path").GetString()!.EndsWith("0001_notes.sql", StringComparison.Ordinal) && f.GetProperty("action").GetString() == "removed");
        var generate = await project.RunAsync("generate");
        Assert.True(generate.ExitCode == 0, generate.ToString());
        Assert.Contains("No changes", generate.Stdout);
    }

    [Fact]
    public async Task Pull_refuses_to_replace_an_edited_schema_file_and_writes_nothing()
    {
        await using var original = await postgres.CreateDatabaseAsync("pull_edited", PullSchemas.Shop);
        using var project = await PullProject.InitAsync();
        File.AppendAllText(project.MainSchemaFile, "// my own change\n");
        File.WriteAllText(Path.Combine(project.SchemaFolder, "Extra.cs"), "namespace Shop.Schema;\ninternal static class Extra { }\n");

        var pull = await project.RunAsync(original, "pull");

        Assert.Equal(2, pull.ExitCode);
        Assert.Contains("the schema project already has C# files that pull would replace; nothing was written", pull.Stderr);
        Assert.Contains("  src/Shop.Schema/ShopSchema.cs", pull.Stderr);
        Assert.Contains("  src/Shop.Schema/Extra.cs", pull.Stderr);
        Assert.Empty(project.MigrationFolders());
        Assert.Equal(["Extra.cs", "ShopSchema.cs"], project.SchemaFiles());
        Assert.EndsWith("// my own change\n", File.ReadAllText(project.MainSchemaFile));
    }

    [Fact]
    public async Task Migrate_baseline_refuses_a_database_that_differs_from_the_baseline_naming_the_objects()
    {
        await using var original = await postgres.CreateDatabaseAsync("pull_source", PullSchemas.SaaS);
        await using var other = await postgres.CreateDatabaseAsync("pull_other", PullSchemas.SaaS);
        await other.ExecuteAsync("""
            ALTER TABLE users ADD COLUMN nickname text;
            DROP INDEX tasks_assignee_id_idx;
            CREATE TABLE extra (id integer);
            """);
        using var project = await PullProject.InitAsync();
        var pull = await project.RunAsync(original, "pull");
        Assert.True(pull.ExitCode == 0, pull.ToString());

        var baseline = await project.RunAsync(other, "migrate", "--baseline");

        Assert.Equal(1, baseline.ExitCode);
        Assert.Contains("does not match the baseline 0000_baseline", baseline.Stderr);
        Assert.Contains("column public.users.nickname added", baseline.Stderr);
        Assert.Contains("index tasks_assignee_id_idx on public.tasks removed", baseline.Stderr);
        Assert.Contains("table public.extra added", baseline.Stderr);
        Assert.Empty(await other.TrackedIdsAsync());

        // Once recorded, a second baseline is refused: the database has applied migrations.
        var adopted = await project.RunAsync(original, "migrate", "--baseline");
        Assert.True(adopted.ExitCode == 0, adopted.ToString());
        var twice = await project.RunAsync(original, "migrate", "--baseline");
        Assert.Equal(1, twice.ExitCode);
        Assert.Contains("already records 1 applied migration(s)", twice.Stderr);
    }
}
