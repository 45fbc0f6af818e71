using System.Text.Json;
using Npgsql;
using Strata.IntegrationTests.Comparison;
using Strata.IntegrationTests.Infrastructure;
using Strata.Model;
using Strata.Postgres.Configuration;
using Strata.Postgres.Diagnostics;
using Strata.Postgres.LocalServer;
using Strata.Postgres.Migrations;
using Strata.Testing;

namespace Strata.IntegrationTests.Configuration;

/// <summary>The database a command works on, opened by the library without the CLI: an environment's url, a given connection, the local PostgreSQL, its protection.</summary>
public sealed class DatabaseTargetTests(PostgresFixture fixture) : IClassFixture<PostgresFixture>
{
    private static readonly QualifiedName Tracking = new("strata", "__strata_migrations");

    private static StrataConfig Config(TemporaryFolder folder, string environments) =>
        StrataConfigLoader.Parse($$"""{ "schema": "A/A.csproj", "environments": {{environments}} }""", Path.Combine(folder.Path, "strata.json"));

    private static string Url(TestDatabase database) => JsonSerializer.Serialize(database.ConnectionString);

    [Fact]
    public async Task An_environment_is_opened_by_its_url_with_the_commands_application_name_and_PostgreSQLs_detail()
    {
        await using var database = await fixture.CreateDatabaseAsync("target_url");
        using var folder = new TemporaryFolder();
        var config = Config(folder, $$"""{ "staging": { "url": {{Url(database)}} } }""");

        await using var target = await DatabaseTarget.OpenEnvironmentAsync(config, "staging", "status", events: null, default);

        Assert.Equal("staging", target.Environment.Name);
        Assert.Equal(database.Name, target.Connection.Database);
        Assert.False(target.IsLocalDevServer);
        Assert.Equal($"staging ({target.Description})", target.Title);
        Assert.Equal(DatabaseConnection.Describe(new NpgsqlConnectionStringBuilder(database.ConnectionString)), target.Description);
        await using var connection = await target.DataSource.OpenConnectionAsync();
        await using var name = new NpgsqlCommand("SELECT current_setting('application_name')", connection);
        Assert.Equal("strata status", await name.ExecuteScalarAsync());
        Assert.True(target.Connection.IncludeErrorDetail);
    }

    [Fact]
    public async Task A_given_connection_replaces_the_environments_url_and_the_title_says_so()
    {
        await using var database = await fixture.CreateDatabaseAsync("target_given");
        using var folder = new TemporaryFolder();
        var config = Config(folder, """{ "production": { "url": "${UNSET_URL}", "protected": true } }""");
        var environment = EnvironmentResolver.Resolve(config, "production", withConnections: false);

        await using var target = await DatabaseTarget.OpenAsync(config, environment, database.ConnectionString, "--connection", "migrate", DatabaseUse.SchemaChange, events: null, default);

        Assert.Equal(database.Name, target.Connection.Database);
        Assert.Equal($"{target.Description} (--connection overrides environment production)", target.Title);
        // The environment still decides what protects it, whichever way the database was reached.
        Assert.Equal(new TargetProtection("production", Recorded: null), await target.ProtectedByAsync(default));
    }

    [Fact]
    public async Task A_connection_that_fails_is_described_before_anything_is_read()
    {
        await using var database = await fixture.CreateDatabaseAsync("target_missing");
        using var folder = new TemporaryFolder();
        var missing = new NpgsqlConnectionStringBuilder(database.ConnectionString) { Database = database.Name + "_gone" };
        var config = Config(folder, $$"""{ "staging": { "url": {{JsonSerializer.Serialize(missing.ConnectionString)}} } }""");

        var failure = await Assert.ThrowsAsync<DatabaseConnectionException>(() => DatabaseTarget.OpenEnvironmentAsync(config, "staging", "check", events: null, default));

        Assert.Equal(ConnectionProblem.DatabaseMissing, failure.Problem);
        Assert.Contains(database.Name + "_gone", failure.Message);
    }

    [Fact]
    public async Task An_unknown_environment_is_a_configuration_mistake()
    {
        using var folder = new TemporaryFolder();
        var config = Config(folder, """{ "staging": { "url": "postgres://me@localhost/db" } }""");

        var failure = await Assert.ThrowsAsync<ConfigurationException>(() => DatabaseTarget.OpenEnvironmentAsync(config, "prod", "check", events: null, default));

        Assert.Contains("\"prod\"", failure.Message);
    }

    [Fact]
    public async Task Work_that_fails_on_the_server_names_the_database_the_SQLSTATE_and_PostgreSQLs_detail()
    {
        await using var database = await fixture.CreateDatabaseAsync("target_run", "CREATE TABLE t (id int PRIMARY KEY); INSERT INTO t VALUES (1);");
        using var folder = new TemporaryFolder();
        var config = Config(folder, $$"""{ "staging": { "url": {{Url(database)}} } }""");
        await using var target = await DatabaseTarget.OpenEnvironmentAsync(config, "staging", "seed", events: null, default);

        var failure = await Assert.ThrowsAsync<DatabaseTargetException>(() => target.RunAsync(async () =>
        {
            await using var connection = await target.DataSource.OpenConnectionAsync();
            await using var insert = new NpgsqlCommand("INSERT INTO t VALUES (1)", connection);
            return await insert.ExecuteNonQueryAsync();
        }, "Run it again."));

        Assert.Equal($"{target.Description}: 23505: duplicate key value violates unique constraint \"t_pkey\"", failure.Message);
        Assert.Contains("Key (id)=(1) already exists.", failure.Details);
        Assert.Null(failure.Remedy);
        Assert.IsType<PostgresException>(failure.InnerException);
    }

    [Fact]
    public async Task A_lost_connection_during_work_carries_the_remedy_the_caller_gives()
    {
        await using var database = await fixture.CreateDatabaseAsync("target_lost");
        using var folder = new TemporaryFolder();
        var config = Config(folder, $$"""{ "staging": { "url": {{Url(database)}} } }""");
        await using var target = await DatabaseTarget.OpenEnvironmentAsync(config, "staging", "status", events: null, default);

        // A connection that breaks below PostgreSQL (nothing answers any more), as a dropped network does.
        var gone = new NpgsqlConnectionStringBuilder(database.ConnectionString) { Host = "127.0.0.1", Port = FreePort.Find(), Pooling = false };
        var failure = await Assert.ThrowsAsync<DatabaseTargetException>(() => target.RunAsync(async () =>
        {
            await using var connection = new NpgsqlConnection(gone.ConnectionString);
            await connection.OpenAsync();
            return 0;
        }, "Nothing was changed; run it again."));

        Assert.StartsWith($"the connection to {target.Description} failed: ", failure.Message);
        Assert.Equal("Nothing was changed; run it again.", failure.Remedy);
        Assert.IsNotType<PostgresException>(failure.InnerException);
    }

    [Fact]
    public async Task A_database_a_protected_environment_migrated_is_protected_when_reached_through_another_environment()
    {
        await using var database = await fixture.CreateDatabaseAsync("target_protect", "CREATE SCHEMA strata; CREATE TABLE strata.__strata_migrations (id text);");
        using var folder = new TemporaryFolder();
        var config = Config(folder, $$"""{ "production": { "url": {{Url(database)}}, "protected": true }, "ops": { "url": {{Url(database)}} } }""");

        await using (var ops = await DatabaseTarget.OpenEnvironmentAsync(config, "ops", "status", events: null, default))
            Assert.Null(await ops.ProtectedByAsync(default));

        await using (var production = await DatabaseTarget.OpenEnvironmentAsync(config, "production", "migrate", events: null, default))
        {
            Assert.Equal(new TargetProtection("production", Recorded: null), await production.ProtectedByAsync(default));
            Assert.Null(await production.RecordProtectionAsync(Tracking, "production", "Run it again.", default));
        }

        await using var reached = await DatabaseTarget.OpenEnvironmentAsync(config, "ops", "reset", events: null, default);
        Assert.Equal(new TargetProtection("production", new DatabaseProtection("production", Tracking)), await reached.ProtectedByAsync(default));
    }

    [Fact]
    public async Task Recording_the_protection_without_owning_the_tracking_table_returns_PostgreSQLs_refusal_and_writes_nothing()
    {
        await using var database = await fixture.CreateDatabaseAsync("target_owner", "CREATE SCHEMA strata; CREATE TABLE strata.__strata_migrations (id text);");
        var role = "strata_target_" + Guid.NewGuid().ToString("N")[..8];
        await database.ExecuteAsync($"CREATE ROLE {role} LOGIN PASSWORD 'pw'; GRANT USAGE ON SCHEMA strata TO {role}; GRANT SELECT ON strata.__strata_migrations TO {role};");
        try
        {
            using var folder = new TemporaryFolder();
            var asRole = new NpgsqlConnectionStringBuilder(database.ConnectionString) { Username = role, Password = "pw" };
            var config = Config(folder, $$"""{ "production": { "url": {{JsonSerializer.Serialize(asRole.ConnectionString)}}, "protected": true } }""");
            await using var target = await DatabaseTarget.OpenEnvironmentAsync(config, "production", "migrate", events: null, default);

            var refused = await target.RecordProtectionAsync(Tracking, "production", "Run it again.", default);

            Assert.Equal("must be owner of table __strata_migrations", refused);
            await using var connection = await database.OpenConnectionAsync();
            Assert.Null(await DatabaseProtection.FindAsync(connection));
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            await database.ExecuteAsync($"DROP OWNED BY {role}; DROP ROLE {role};");
        }
    }

    [Fact]
    public async Task Development_without_a_url_starts_the_projects_local_PostgreSQL_and_says_each_step()
    {
        using var folder = new TemporaryFolder();
        var config = Config(folder, "{ }");
        var steps = new List<string>();
        var events = new DatabaseTargetEvents
        {
            UsingLocalDevDatabase = dataDirectory => steps.Add("using " + dataDirectory),
            LocalDevDatabaseStep = (step, _) => steps.Add(step.ToString()),
        };
        Assert.Null(await LocalDevDatabase.StatusAsync(config, default));
        try
        {
            await using (var target = await DatabaseTarget.OpenEnvironmentAsync(config, StrataEnvironment.Development, "generate", events, default))
            {
                Assert.True(target.IsLocalDevServer);
                Assert.True(await target.IsLocalAsync(default));
                Assert.Equal(LocalDevDatabase.Name, target.Connection.Database);
                Assert.Equal($"development ({target.Description})", target.Title);
            }
            Assert.Equal(["using " + LocalDevDatabase.DataDirectory(config), nameof(LocalDevDatabaseStep.ServerStarted), nameof(LocalDevDatabaseStep.DatabaseCreated)], steps);

            // It keeps running for the next command, which finds it and its database.
            steps.Clear();
            await using (var again = await DatabaseTarget.OpenEnvironmentAsync(config, StrataEnvironment.Development, "status", events, default))
                Assert.True(again.IsLocalDevServer);
            Assert.Equal(["using " + LocalDevDatabase.DataDirectory(config), nameof(LocalDevDatabaseStep.ServerAlreadyRunning)], steps);

            var running = await LocalDevDatabase.StatusAsync(config, default);
            Assert.NotNull(running);
            Assert.True(running.Running);
            Assert.True(running.DatabaseExists);
            Assert.StartsWith($"postgres://postgres@127.0.0.1:{running.Port}/{LocalDevDatabase.Name}", running.Url);
            Assert.True(running.SizeBytes > 0);
            Assert.Equal(LocalDevDatabase.DataDirectory(config), running.DataDirectory);

            await using (var server = await LocalDevDatabase.FindRunningAsync(config, default))
                await server!.StopAsync();
            var stopped = await LocalDevDatabase.StatusAsync(config, default);
            Assert.NotNull(stopped);
            Assert.False(stopped.Running);
            Assert.Null(stopped.DatabaseExists);
            Assert.Null(stopped.Url);
            Assert.StartsWith(stopped.Version, running.Version);
        }
        finally
        {
            if (await LocalDevDatabase.FindRunningAsync(config, default) is { } running)
                await using (running)
                    await running.StopAsync();
        }
    }
}
