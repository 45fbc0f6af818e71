using Strata.IntegrationTests.Infrastructure;
using Strata.Model;
using Strata.Postgres.Introspection;

namespace Strata.IntegrationTests.Introspection;

/// <summary>What pull names as left out (<see cref="UnmodelledObjects"/>), and what it carries verbatim.</summary>
public sealed class UnmodelledObjectsTests(PostgresFixture fixture) : IClassFixture<PostgresFixture>
{
    [Fact]
    public async Task Privileges_granted_beyond_the_defaults_are_read_as_grants_with_revoked_defaults_and_default_privileges_and_column_grants_and_owner_revokes_are_named()
    {
        await using var database = await fixture.CreateDatabaseAsync("unmodelled_grants", """
            DO $$ BEGIN CREATE ROLE strata_test_reader NOLOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$;
            CREATE SCHEMA app;
            CREATE TABLE app.items (id integer PRIMARY KEY);
            CREATE TABLE app.untouched (id integer);
            CREATE SEQUENCE app.numbers;
            CREATE VIEW app.item_ids AS SELECT id FROM app.items;
            CREATE FUNCTION app.answer() RETURNS integer LANGUAGE sql AS $$ SELECT 42 $$;
            GRANT USAGE ON SCHEMA app TO strata_test_reader;
            GRANT SELECT ON app.items, app.item_ids TO strata_test_reader;
            GRANT USAGE ON SEQUENCE app.numbers TO strata_test_reader;
            REVOKE EXECUTE ON FUNCTION app.answer() FROM PUBLIC;
            ALTER DEFAULT PRIVILEGES IN SCHEMA app GRANT SELECT ON TABLES TO strata_test_reader;
            ALTER DEFAULT PRIVILEGES REVOKE ALL ON SEQUENCES FROM CURRENT_USER;
            GRANT UPDATE (id) ON app.untouched TO strata_test_reader;
            REVOKE TRUNCATE ON app.items FROM CURRENT_USER;
            """);
        await using var connection = await database.DataSource.OpenConnectionAsync();

        var found = await UnmodelledObjects.ReadAsync(connection, new IntrospectionOptions());
        var model = await PostgresIntrospector.ReadAsync(connection);

        // The grants beyond the defaults are the model's (PrivilegeCatalog); the roles they name, existing ones.
        Assert.Equal(
        [
            new Grant(GrantTarget.Schema, "app", "", "strata_test_reader", Privilege.Usage),
            new Grant(GrantTarget.Function, "app", "answer()", "public", Privilege.Execute, Revoked: true),
            new Grant(GrantTarget.Table, "app", "item_ids", "strata_test_reader", Privilege.Select),
            new Grant(GrantTarget.Table, "app", "items", "strata_test_reader", Privilege.Select),
            new Grant(GrantTarget.Sequence, "app", "numbers", "strata_test_reader", Privilege.Usage),
            new Grant(GrantTarget.Table, "app", "untouched", "strata_test_reader", Privilege.Update, Column: "id"),
        ], model.Grants);
        Assert.Equal([new DefaultPrivilege("", "app", GrantTarget.Table, "strata_test_reader", Privilege.Select)], model.DefaultPrivileges);
        Assert.Equal([new Role("strata_test_reader", Existing: true)], model.Roles);
        // What the model cannot say, pull names: the owner's own privileges taken away (on an object and by default);
        // PUBLIC's default revoked, a column's grants and the default privileges to others are the model's.
        var privileges = found.Where(o => o.Kind is "privileges" or "default privileges").ToDictionary(o => o.Name, o => o.Detail);
        Assert.Equal(
            ["for role postgres on sequences", "on table app.items"],
            privileges.Keys.Select(k => k.Replace(connection.UserName!, "postgres", StringComparison.Ordinal)).Order(StringComparer.Ordinal));
        // Not granted to anyone: the public schema's initdb grants, a table no GRANT touched.
        Assert.DoesNotContain("on schema public", privileges.Keys);
        Assert.DoesNotContain("on table app.untouched", privileges.Keys);
        Assert.DoesNotContain(model.Grants, g => g.Schema == "public" || (g.Name == "untouched" && g.Column.Length == 0));
        Assert.All(found.Where(o => o.Kind is "privileges" or "default privileges"), o => Assert.Null(o.Carried));
    }

    [Fact]
    public async Task A_rule_statistics_and_range_type_come_with_the_statements_that_recreate_and_drop_them_and_a_trigger_and_an_aggregate_are_modelled()
    {
        await using var database = await fixture.CreateDatabaseAsync("unmodelled_carried", """
            CREATE TABLE t (id integer PRIMARY KEY, a integer, b integer);
            CREATE TABLE log (id integer);
            CREATE TRIGGER t_same BEFORE UPDATE ON t FOR EACH ROW EXECUTE FUNCTION suppress_redundant_updates_trigger();
            ALTER TABLE t ENABLE REPLICA TRIGGER t_same;
            CREATE RULE t_log AS ON INSERT TO t DO ALSO INSERT INTO log VALUES (NEW.id);
            CREATE STATISTICS t_stats ON a, b FROM t;
            CREATE AGGREGATE total(*) (SFUNC = int8inc, STYPE = int8, INITCOND = '0');
            COMMENT ON AGGREGATE total(*) IS 'counts';
            CREATE TYPE span AS RANGE (subtype = integer);
            """);
        await using var connection = await database.DataSource.OpenConnectionAsync();
        var searchPath = await new Npgsql.NpgsqlCommand("SHOW search_path", connection).ExecuteScalarAsync();

        var found = await UnmodelledObjects.ReadAsync(connection, new IntrospectionOptions());
        var carried = found.Where(o => o.Carried is not null).ToDictionary(o => o.Kind + " " + o.Name, o => o.Carried!);

        Assert.Equal(["extended statistics t_stats on public.t", "range type public.span", "rule t_log on public.t"],
            carried.Keys.Order(StringComparer.Ordinal));
        // The trigger is a modelled object now, with its enabled state: neither named nor carried.
        Assert.DoesNotContain(found, o => o.Kind == "trigger");
        var model = await PostgresIntrospector.ReadAsync(connection, new IntrospectionOptions());
        var trigger = Assert.Single(Assert.Single(model.Triggers).Triggers);
        Assert.Equal(
            new Trigger("t_same", TriggerTiming.Before, ValueList.Create(TriggerEvent.Update), new QualifiedName("pg_catalog", "suppress_redundant_updates_trigger"),
                ForEachRow: true, Enabled: TriggerEnabled.Replica),
            trigger);
        Assert.Equal(new QualifiedName("public", "t"), model.Triggers[0].RelationName);
        // The aggregate too, as pg_dump prints its definition: neither named nor carried.
        Assert.DoesNotContain(found, o => o.Kind == "aggregate");
        Assert.Equal([new Aggregate("public", "total", "*", "SFUNC = int8inc, STYPE = bigint, INITCOND = '0'", "counts")], model.Aggregates);
        Assert.True(carried["range type public.span"].BeforeTables);
        Assert.False(carried["rule t_log on public.t"].BeforeTables);
        Assert.StartsWith("CREATE STATISTICS public.t_stats ON a, b FROM public.t", carried["extended statistics t_stats on public.t"].Create[0]);
        // The session's search path is as it was: the definitions were printed under a setting of their own transaction.
        Assert.Equal(searchPath, await new Npgsql.NpgsqlCommand("SHOW search_path", connection).ExecuteScalarAsync());
    }

    [Fact]
    public async Task Storage_parameters_and_view_options_are_the_model_s_and_not_named()
    {
        await using var database = await fixture.CreateDatabaseAsync("unmodelled_options", """
            CREATE TABLE items (id integer PRIMARY KEY, owner text) WITH (fillfactor = 70, toast.autovacuum_enabled = false);
            CREATE INDEX items_owner_idx ON items (owner text_pattern_ops) WITH (deduplicate_items = off) WHERE owner IS NOT NULL;
            CREATE TABLE plain (id integer);
            CREATE VIEW own_items WITH (security_barrier = true) AS SELECT id FROM items WHERE owner = current_user;
            CREATE VIEW checked_items AS SELECT id, owner FROM items WHERE id > 0 WITH LOCAL CHECK OPTION;
            CREATE VIEW plain_items AS SELECT id FROM items;
            CREATE MATERIALIZED VIEW item_count WITH (fillfactor = 50) AS SELECT count(*) AS n FROM items;
            """);
        await using var connection = await database.DataSource.OpenConnectionAsync();

        var found = await UnmodelledObjects.ReadAsync(connection, new IntrospectionOptions());
        var model = await PostgresIntrospector.ReadAsync(connection);

        Assert.DoesNotContain(found, o => o.Kind.EndsWith(" options", StringComparison.Ordinal));
        var items = model.FindTable(new QualifiedName("public", "items"))!;
        Assert.Equal(["fillfactor=70", "toast.autovacuum_enabled=false"], items.Options);
        Assert.Equal(["deduplicate_items=off"], Assert.Single(items.Indexes).Options);
        Assert.Empty(model.FindTable(new QualifiedName("public", "plain"))!.Options);
        Assert.Equal(["check_option=local"], model.FindView(new QualifiedName("public", "checked_items"))!.Options);
        Assert.Equal(["security_barrier=true"], model.FindView(new QualifiedName("public", "own_items"))!.Options);
        Assert.Equal(["fillfactor=50"], model.FindView(new QualifiedName("public", "item_count"))!.Options);
        Assert.Empty(model.FindView(new QualifiedName("public", "plain_items"))!.Options);
    }
}
