using Npgsql;
using Strata.Diffing;
using Strata.Dsl;
using Strata.IntegrationTests.Infrastructure;
using Strata.IntegrationTests.Scenarios;
using Strata.Model;
using Strata.Postgres.Comparison;
using Strata.Postgres.Execution;
using Strata.Postgres.Introspection;
using Strata.Postgres.Migrations;
using Strata.Postgres.Sql;
using Strata.Testing;
using Strata.Tests.CodeGeneration;

namespace Strata.IntegrationTests.Comparison;

/// <summary>
/// Row-level security and policies against real databases: pull (introspection, then pull's C# built again) with
/// generate finding no change, push from one schema to another, and a role the server lacks refused with its name.
/// Roles are cluster-wide: each test creates its own under a name of its own and drops it at the end.
/// </summary>
public sealed class PolicyComparisonTests(PostgresFixture fixture) : IClassFixture<PostgresFixture>
{
    private static readonly QualifiedName Tracking = new("strata", "__strata_migrations");

    internal static string Sql(IEnumerable<SqlStatement> statements) => string.Join("\n", statements.Select(s => s.Sql));

    private static string Role(string what) => $"strata_rls_{what}_{Guid.NewGuid():N}"[..40];

    /// <summary>Disposes of the database, then drops the roles its objects named (cluster-wide, so a test drops its own).</summary>
    internal static async Task DropRolesAsync(TestDatabase database, params string[] roles)
    {
        await database.DisposeAsync();
        await using var admin = NpgsqlDataSource.Create(await PostgresTestServer.GetConnectionStringAsync());
        foreach (var role in roles)
        {
            await using var drop = admin.CreateCommand($"DROP ROLE IF EXISTS {role}");
            await drop.ExecuteNonQueryAsync();
        }
    }

    [Fact]
    public async Task A_pulled_database_with_policies_builds_back_the_same_model_and_generate_then_finds_no_change()
    {
        var member = Role("member");
        var database = await fixture.CreateDatabaseAsync("rls_pull", $"""
            CREATE ROLE {member} NOLOGIN;
            CREATE SCHEMA app;
            CREATE TABLE app.teams (id integer PRIMARY KEY, name text NOT NULL);
            CREATE TABLE app.documents (id integer PRIMARY KEY, team_id integer NOT NULL REFERENCES app.teams, owner text NOT NULL, level integer);
            ALTER TABLE app.documents ENABLE ROW LEVEL SECURITY;
            ALTER TABLE app.documents FORCE ROW LEVEL SECURITY;
            CREATE POLICY team_read ON app.documents FOR SELECT TO {member}, PUBLIC
              USING (EXISTS (SELECT 1 FROM app.teams t WHERE t.id = team_id AND t.name = current_setting('app.team', true)));
            CREATE POLICY own_write ON app.documents AS RESTRICTIVE FOR UPDATE TO {member} USING (owner = current_user) WITH CHECK (level < 10);
            CREATE POLICY add_own ON app.documents FOR INSERT WITH CHECK (owner = current_user);
            COMMENT ON POLICY add_own ON app.documents IS 'own rows only';
            ALTER TABLE app.teams FORCE ROW LEVEL SECURITY;
            """);
        try
        {
            DatabaseModel pulled;
            await using (var connection = await database.DataSource.OpenConnectionAsync())
                pulled = await PostgresIntrospector.ReadAsync(connection);

            var documents = Assert.Single(pulled.RowSecurity, s => s.Table == "documents");
            Assert.True(documents.Enabled && documents.Forced);
            Assert.Equal(["add_own", "own_write", "team_read"], documents.Policies.Select(p => p.Name));
            // PostgreSQL keeps PUBLIC alone from a list with PUBLIC, and the model says so.
            Assert.Equal(["public"], documents.FindPolicy("team_read")!.Roles);
            Assert.Equal([member], documents.FindPolicy("own_write")!.Roles);
            Assert.Equal(new ReadObject(ReadKind.Column, new QualifiedName("app", "teams"), "id"), documents.FindPolicy("team_read")!.Reads.Objects.First(r => r.Name.Name == "teams"));
            Assert.Equal("own rows only", documents.FindPolicy("add_own")!.Comment);
            var teams = Assert.Single(pulled.RowSecurity, s => s.Table == "teams");
            Assert.Equal((false, true), (teams.Enabled, teams.Forced));

            // pull's C#, built again, is the same model; as the schema of the project, push (and so generate) finds nothing to do.
            var rebuilt = GeneratedSchemas.RoundTrip([pulled])[0];
            Assert.Equal(pulled, rebuilt);
            var (expected, live) = await SchemaPush.CompareAsync(database.AsLive(), rebuilt, Tracking, new IntrospectionOptions(), null, _ => { }, default);
            var diff = SchemaDiffer.Diff(live, expected, RenameDecisions.None);
            Assert.True(diff.IsEmpty, string.Join("\n", diff.Changes));

            // The baseline builds the same database.
            await using var baseline = await fixture.CreateDatabaseAsync("rls_baseline", Sql(PostgresSqlGenerator.CreateAll(rebuilt)));
            await using var rebuiltConnection = await baseline.DataSource.OpenConnectionAsync();
            Assert.Equal(pulled, await PostgresIntrospector.ReadAsync(rebuiltConnection));
        }
        finally
        {
            await DropRolesAsync(database, member);
        }
    }

    [Fact]
    public async Task Push_takes_a_database_from_one_set_of_policies_to_another_and_then_finds_nothing_to_do()
    {
        var (reader, writer) = (Role("reader"), Role("writer"));
        var a = RoundTrip.Schema(db => db.Table("notes", t =>
        {
            t.Column("id", Types.Integer).PrimaryKey();
            t.Column("author", Types.Text).NotNull();
            t.Column("body", Types.Text);
            t.RowLevelSecurity();
            t.Policy("notes_read", p => p.For(PolicyCommand.Select).To(reader).Using("author = current_user"));
            t.Policy("notes_old", p => p.Using("body IS NOT NULL"));
        }));
        var b = RoundTrip.Schema(db => db.Table("notes", t =>
        {
            t.Column("id", Types.Integer).PrimaryKey();
            t.Column("author", Types.Text).NotNull();
            t.Column("body", Types.Text);
            t.RowLevelSecurity(force: true);
            t.Policy("notes_read", p => p.For(PolicyCommand.Select).To(reader, writer).Using("author = session_user"));
            t.Policy("notes_write", p => p.For(PolicyCommand.Insert).To(writer).WithCheck("author = current_user"));
        }));
        var database = await fixture.CreateDatabaseAsync("rls_push", $"CREATE ROLE {reader} NOLOGIN; CREATE ROLE {writer} NOLOGIN;\n" + Sql(PostgresSqlGenerator.CreateAll(a))
            + "\nINSERT INTO notes VALUES (1, 'ann', 'hello');");
        try
        {
            var options = new PushOptions(Tracking, new IntrospectionOptions(), RenameDecisions.None, new SessionTimeouts(null, null), TimeSpan.FromMinutes(30));
            var pushed = await SchemaPush.PushAsync(database.AsLive(), b, options, new PushCallbacks { Applying = (_, _, _) => Task.FromResult(true) }, default);

            Assert.True(pushed.Applied);
            Assert.Contains(pushed.Plan.Statements, s => s.Sql.StartsWith("ALTER POLICY \"notes_read\" ON \"public\".\"notes\" TO", StringComparison.Ordinal));
            Assert.Contains(pushed.Plan.Statements, s => s.Sql == "DROP POLICY \"notes_old\" ON \"public\".\"notes\";");
            Assert.Equal("true", await database.ScalarAsync<string>("SELECT relforcerowsecurity::text FROM pg_class WHERE oid = 'public.notes'::regclass"));
            Assert.Equal(1L, await database.ScalarAsync<long>("SELECT count(*) FROM notes"));
            var again = await SchemaPush.PushAsync(database.AsLive(), b, options with { DryRun = true }, new PushCallbacks { Applying = (_, _, _) => Task.FromResult(true) }, default);
            Assert.True(again.Plan.IsEmpty, string.Join("\n", again.Plan.Statements.Select(s => s.Sql)));
        }
        finally
        {
            await DropRolesAsync(database, reader, writer);
        }
    }

    [Fact]
    public async Task A_policy_naming_a_role_the_server_lacks_is_refused_with_the_role_and_the_policy_before_anything_changes()
    {
        var missing = Role("missing");
        var schema = RoundTrip.Schema(db => db.Table("notes", t =>
        {
            t.Column("id", Types.Integer).PrimaryKey();
            t.RowLevelSecurity();
            t.Policy("notes_read", p => p.For(PolicyCommand.Select).To(missing).Using("true"));
        }));
        await using var database = await fixture.CreateDatabaseAsync("rls_missing_role");
        var options = new PushOptions(Tracking, new IntrospectionOptions(), RenameDecisions.None, new SessionTimeouts(null, null), TimeSpan.FromMinutes(30));

        var error = await Assert.ThrowsAsync<MissingRolesException>(() =>
            SchemaPush.PushAsync(database.AsLive(), schema, options, new PushCallbacks { Applying = (_, _, _) => Task.FromResult(true) }, default));

        Assert.Equal($"The schema's policies name a role the server does not have: {missing}.", error.Message);
        Assert.Equal([$"role {missing}: policy notes_read on public.notes"], error.Details);
        Assert.Contains("CREATE ROLE", error.Remedy);
        Assert.False(await database.TableExistsAsync(new QualifiedName("public", "notes")));
        // A migration that names it fails on PostgreSQL's 42704, which the CLI words with the same remedy.
        var failure = await Assert.ThrowsAsync<PostgresException>(() => database.ExecuteAsync(Sql(PostgresSqlGenerator.CreateAll(schema))));
        Assert.True(PolicyRoles.IsMissingRole(failure.SqlState, failure.MessageText), failure.MessageText);
        var cli = Strata.Cli.Commands.KnownErrors.Translate(new StatementFailedException("up.sql", new ScriptStatement("CREATE POLICY …", 1), failure))!;
        Assert.Equal(PolicyRoles.Remedy, cli.Remedy);
        Assert.Contains($"role \"{missing}\" does not exist", cli.Message);
    }
}
