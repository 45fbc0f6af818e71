using Strata.Diffing;
using Strata.Dsl;
using Strata.IntegrationTests.Infrastructure;
using Strata.IntegrationTests.Scenarios;
using Strata.Model;
using Strata.Postgres.Comparison;
using Strata.Postgres.Execution;
using Strata.Postgres.Introspection;
using Strata.Postgres.Sql;
using Strata.Tests.CodeGeneration;

namespace Strata.IntegrationTests.Comparison;

/// <summary>
/// Roles and grants against real databases: pull with generate finding no change, push creating a managed role and
/// granting, grants by hand to roles the schema does not declare left alone (no drift, nothing revoked), and an
/// existing role the server lacks refused by name. Roles are cluster-wide: each test uses names of its own and drops
/// them at the end.
/// </summary>
public sealed class PrivilegeComparisonTests(PostgresFixture fixture) : IClassFixture<PostgresFixture>
{
    private static readonly QualifiedName Tracking = new("strata", "__strata_migrations");

    private static readonly PushOptions Options = new(Tracking, new IntrospectionOptions(), RenameDecisions.None, new SessionTimeouts(null, null), TimeSpan.FromMinutes(30));

    private static readonly PushCallbacks Accept = new() { Applying = (_, _, _) => Task.FromResult(true) };

    private static string Role(string what) => $"strata_grant_{what}_{Guid.NewGuid():N}"[..40];

    [Fact]
    public async Task A_pulled_database_with_grants_builds_back_the_same_model_and_generate_then_finds_no_change()
    {
        var reader = Role("reader");
        var database = await fixture.CreateDatabaseAsync("grants_pull", $"""
            CREATE ROLE {reader} NOLOGIN;
            CREATE SCHEMA app;
            CREATE TABLE app.items (id integer PRIMARY KEY, name varchar(40));
            CREATE VIEW app.names AS SELECT name FROM app.items;
            CREATE FUNCTION app.label(item varchar, n integer) RETURNS text LANGUAGE sql AS $$ SELECT item || n $$;
            GRANT USAGE ON SCHEMA app TO {reader};
            GRANT SELECT, UPDATE ON app.items TO {reader} WITH GRANT OPTION;
            GRANT SELECT ON app.names TO PUBLIC;
            GRANT EXECUTE ON FUNCTION app.label(varchar, integer) TO {reader};
            """);
        try
        {
            DatabaseModel pulled;
            await using (var connection = await database.DataSource.OpenConnectionAsync())
                pulled = await PostgresIntrospector.ReadAsync(connection);

            Assert.Equal([new Role(reader, Existing: true)], pulled.Roles);
            var function = Assert.Single(pulled.Functions);
            Assert.Contains(new Grant(GrantTarget.Function, "app", function.Signature, reader, Privilege.Execute), pulled.Grants);
            Assert.Contains(new Grant(GrantTarget.Table, "app", "items", reader, Privilege.Update, WithGrantOption: true), pulled.Grants);
            Assert.Contains(new Grant(GrantTarget.Table, "app", "names", Grant.Public, Privilege.Select), pulled.Grants);
            Assert.Equal(5, pulled.Grants.Count);

            var rebuilt = GeneratedSchemas.RoundTrip([pulled])[0];
            Assert.Equal(pulled, rebuilt);
            var (expected, live) = await SchemaPush.CompareAsync(database.AsLive(), rebuilt, Tracking, new IntrospectionOptions(), null, _ => { }, default);
            var diff = SchemaDiffer.Diff(live, expected, RenameDecisions.None);
            Assert.True(diff.IsEmpty, string.Join("\n", diff.Changes));

            await using var baseline = await fixture.CreateDatabaseAsync("grants_baseline", PolicyComparisonTests.Sql(PostgresSqlGenerator.CreateAll(rebuilt)));
            await using var rebuiltConnection = await baseline.DataSource.OpenConnectionAsync();
            Assert.Equal(pulled, await PostgresIntrospector.ReadAsync(rebuiltConnection));
        }
        finally
        {
            await PolicyComparisonTests.DropRolesAsync(database, reader);
        }
    }

    [Fact]
    public async Task Push_creates_a_managed_role_grants_and_revokes_for_declared_roles_and_leaves_grants_to_other_roles_alone()
    {
        var (managed, byHand) = (Role("managed"), Role("byhand"));
        void Items(SchemaBuilder db) => db.Table("items", t => t.Column("id", Types.Integer).PrimaryKey());
        var database = await fixture.CreateDatabaseAsync("grants_push", $"""
            CREATE ROLE {byHand} NOLOGIN;
            CREATE TABLE items (id integer PRIMARY KEY);
            GRANT SELECT ON items TO {byHand};
            """);
        try
        {
            // A schema that declares no role: the grant by hand is no drift and stays.
            var plain = RoundTrip.Schema(Items);
            var (expected, live) = await SchemaPush.CompareAsync(database.AsLive(), plain, Tracking, new IntrospectionOptions(), null, _ => { }, default);
            Assert.True(SchemaDiffer.Diff(live, expected, RenameDecisions.None).IsEmpty);

            var first = RoundTrip.Schema(db =>
            {
                db.Role(managed).Login();
                Items(db);
                db.Grant(GrantOn.Table("items"), managed, Privilege.Select, Privilege.Insert);
            });
            var pushed = await SchemaPush.PushAsync(database.AsLive(), first, Options, Accept, default);

            Assert.True(pushed.Applied);
            Assert.True(await database.ScalarAsync<bool>($"SELECT rolcanlogin FROM pg_roles WHERE rolname = '{managed}'"));
            Assert.True(await database.ScalarAsync<bool>($"SELECT has_table_privilege('{managed}', 'public.items', 'INSERT')"));
            Assert.True(await database.ScalarAsync<bool>($"SELECT has_table_privilege('{byHand}', 'public.items', 'SELECT')"));
            var again = await SchemaPush.PushAsync(database.AsLive(), first, Options with { DryRun = true }, Accept, default);
            Assert.True(again.Plan.IsEmpty, string.Join("\n", again.Plan.Statements.Select(s => s.Sql)));

            // The declared role loses INSERT; the role granted by hand keeps its SELECT.
            var second = RoundTrip.Schema(db =>
            {
                db.Role(managed).Login();
                Items(db);
                db.Grant(GrantOn.Table("items"), managed, Privilege.Select);
            });
            var revoked = await SchemaPush.PushAsync(database.AsLive(), second, Options, Accept, default);

            Assert.Equal([$"REVOKE INSERT ON TABLE \"public\".\"items\" FROM \"{managed}\";"], revoked.Plan.Statements.Select(s => s.Sql));
            Assert.False(await database.ScalarAsync<bool>($"SELECT has_table_privilege('{managed}', 'public.items', 'INSERT')"));
            Assert.True(await database.ScalarAsync<bool>($"SELECT has_table_privilege('{byHand}', 'public.items', 'SELECT')"));
        }
        finally
        {
            await database.ExecuteAsync($"DROP TABLE IF EXISTS items");
            await PolicyComparisonTests.DropRolesAsync(database, managed, byHand);
        }
    }

    [Fact]
    public async Task An_existing_role_the_server_lacks_is_refused_with_its_name_before_anything_changes()
    {
        var missing = Role("missing");
        var schema = RoundTrip.Schema(db =>
        {
            db.Role(missing).Existing();
            db.Table("notes", t => t.Column("id", Types.Integer).PrimaryKey());
            db.Grant(GrantOn.Table("notes"), missing, Privilege.Select);
        });
        await using var database = await fixture.CreateDatabaseAsync("grants_missing_role");

        var error = await Assert.ThrowsAsync<MissingRolesException>(() => SchemaPush.PushAsync(database.AsLive(), schema, Options, Accept, default));

        Assert.Equal($"The schema's roles name a role the server does not have: {missing}.", error.Message);
        Assert.Equal([$"role {missing}: declared with db.Role(\"{missing}\").Existing()"], error.Details);
        Assert.False(await database.TableExistsAsync(new QualifiedName("public", "notes")));
    }
}
