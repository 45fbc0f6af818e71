using System.Text.Json;
using System.Text.Json.Nodes;
using Npgsql;
using Strata.IntegrationTests.Infrastructure;
using Strata.Model;
using Strata.Postgres.Migrations;
using Strata.Snapshots;
using Strata.Testing;

namespace Strata.IntegrationTests.Cli;

[Collection(CliCollection.Name)]
public sealed class DoctorTests(BuiltSample sample, PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    [Fact]
    public async Task On_the_test_server_every_check_is_ok_and_doctor_exits_0()
    {
        using var copy = sample.CreateCopy();
        await using var database = await postgres.CreateDatabaseAsync("doctor_ok");

        var result = await copy.RunAsync(database, "doctor", "--json");

        Assert.True(result.ExitCode == 0, result.ToString());
        var findings = Findings(result);
        Assert.Equal(["connection", "pooler", "server version", "ssl", "privileges", "advisory locks", "search_path"], findings.Keys);
        Assert.All(findings.Values, f => Assert.Equal("ok", f.Result));
        Assert.Contains("PostgreSQL 15", findings["server version"].Detail);
        Assert.Contains("direct connection", findings["pooler"].Detail);
        Assert.Contains("superuser", findings["privileges"].Detail);
        Assert.Contains("taken, held across statements and released", findings["advisory locks"].Detail);
        Assert.Contains("the server is on this machine", findings["ssl"].Detail);
    }

    [Fact]
    public async Task A_role_that_may_not_create_in_the_project_schemas_is_a_problem_naming_schema_role_and_grant()
    {
        using var copy = sample.CreateCopy();
        await WriteSnapshotAsync(copy, DatabaseModel.Empty with { Schemas = new[] { "app" }.ToValueList() });
        await using var database = await postgres.CreateDatabaseAsync("doctor_role");
        var role = "doctor_" + Guid.NewGuid().ToString("N")[..8];
        await database.ExecuteAsync($"CREATE TABLE owned_by_postgres (id int); CREATE SCHEMA app; CREATE ROLE {role} LOGIN;");
        try
        {
            var result = await copy.RunAsync("doctor", "--json", "--connection", As(database, role));

            Assert.True(result.ExitCode == 1, result.ToString());
            var findings = Findings(result);
            Assert.Equal("problem", findings["privileges"].Result);
            Assert.Contains($"{role} may not create objects in schema app (owned by postgres)", findings["privileges"].Detail);
            Assert.Contains("schema strata does not exist and " + role + " may not create schemas", findings["privileges"].Detail);
            Assert.Contains($"GRANT CREATE ON SCHEMA <schema> TO {role}", findings["privileges"].Remedy);
            Assert.Equal("warning", findings["ownership"].Result);
            Assert.Contains("schemas not owned by " + role + ": app (owner postgres)", findings["ownership"].Detail);
            Assert.Equal("ok", findings["advisory locks"].Result);
            Assert.True(result.Json().GetProperty("ok").GetBoolean() == false);
        }
        finally
        {
            await DropRoleAsync(database, role);
        }
    }

    [Fact]
    public async Task A_role_with_a_schema_of_its_own_name_under_the_default_search_path_is_reported_with_the_remedy()
    {
        using var copy = sample.CreateCopy();
        await using var database = await postgres.CreateDatabaseAsync("doctor_path");
        var role = "doctor_" + Guid.NewGuid().ToString("N")[..8];
        await database.ExecuteAsync($"CREATE ROLE {role} LOGIN; CREATE SCHEMA {role} AUTHORIZATION {role}; GRANT CREATE ON SCHEMA public TO {role}; GRANT CREATE ON DATABASE \"{database.Name}\" TO {role};");
        try
        {
            var result = await copy.RunAsync("doctor", "--json", "--connection", As(database, role));

            Assert.True(result.ExitCode == 0, result.ToString());
            var trap = Findings(result)["search_path"];
            Assert.Equal("warning", trap.Result);
            Assert.Contains($"the role {role} has a schema of the same name", trap.Detail);
            Assert.Contains("\"$user\", public", trap.Detail);
            Assert.Contains($"ALTER ROLE {role} SET search_path = public", trap.Remedy);

            // The remedy works: the next doctor run finds no trap.
            await database.ExecuteAsync($"ALTER ROLE {role} IN DATABASE \"{database.Name}\" SET search_path = public");
            var after = await copy.RunAsync("doctor", "--json", "--connection", As(database, role));
            Assert.Equal("ok", Findings(after)["search_path"].Result);
        }
        finally
        {
            await DropRoleAsync(database, role);
        }
    }

    [Fact]
    public async Task An_unreachable_server_is_a_connection_problem_within_the_connect_timeout_without_the_password()
    {
        using var copy = sample.CreateCopy();
        const string password = "d0ctor-Secret";
        var port = FreePort.Find();

        var result = await copy.RunAsync("doctor", "--connection", $"postgres://someone:{password}@127.0.0.1:{port}/app?connect_timeout=3");

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains($"cannot connect to someone@127.0.0.1:{port}/app (connect timeout 3 s)", result.Stdout);
        Assert.Contains("problem", result.Stdout);
        Assert.DoesNotContain(password, result.Output);
    }

    [Fact]
    public async Task Through_pgbouncer_in_transaction_mode_the_pooler_is_a_problem_without_directUrl_and_ok_with_it()
    {
        using var copy = sample.CreateCopy();
        await using var database = await postgres.CreateDatabaseAsync("doctor_pooler");
        await using var bouncer = await PgBouncer.StartAsync(postgres.ConnectionString, "transaction");
        PoolerTests.SetEnvironment(copy, new JsonObject { ["url"] = PoolerTests.PooledUrl(bouncer, database) });

        var pooled = await copy.RunAsync("doctor");

        Assert.True(pooled.ExitCode == 1, pooled.ToString());
        Assert.Matches(@"│ pooler\s+│ problem │ two clients connected at the same time were served by the same PostgreSQL session", pooled.Stdout);
        Assert.Matches(@"│ ssl\s+│ ok\s+│", pooled.Stdout);
        Assert.Contains("Set directUrl", pooled.Stdout);
        Assert.Contains("1 problem", pooled.Stdout);

        PoolerTests.SetEnvironment(copy, new JsonObject { ["url"] = PoolerTests.PooledUrl(bouncer, database), ["directUrl"] = PoolerTests.DirectUrl(database) });
        var withDirect = await copy.RunAsync("doctor", "--json");

        Assert.True(withDirect.ExitCode == 0, withDirect.ToString());
        var findings = Findings(withDirect);
        Assert.Equal("ok", findings["pooler"].Result);
        Assert.Contains("transaction-mode pooler; schema changes use directUrl", findings["pooler"].Detail);
        Assert.Equal("ok", findings["connection (url)"].Result);
        Assert.Equal("ok", findings["connection (directUrl)"].Result);
    }

    private sealed record Finding(string Result, string Detail, string? Remedy);

    private static Dictionary<string, Finding> Findings(CliResult result)
    {
        var findings = new Dictionary<string, Finding>();
        foreach (var finding in result.Json().GetProperty("findings").EnumerateArray())
        {
            findings.Add(finding.GetProperty("check").GetString()!, new Finding(
                finding.GetProperty("result").GetString()!,
                finding.GetProperty("detail").GetString()!,
                finding.GetProperty("remedy").ValueKind == JsonValueKind.String ? finding.GetProperty("remedy").GetString() : null));
        }
        return findings;
    }

    private static string As(TestDatabase database, string role) =>
        new NpgsqlConnectionStringBuilder(database.ConnectionString) { Username = role, Password = null }.ConnectionString;

    private static async Task WriteSnapshotAsync(SampleCopy copy, DatabaseModel model)
    {
        var directory = await MigrationDirectory.LoadAsync(copy.MigrationsDirectory);
        var snapshot = new Snapshot(Snapshot.ComputeId(null, "0000_app", model), null, model, default);
        await directory.WriteMigrationAsync("0000_app", "CREATE SCHEMA app;\n", "DROP SCHEMA app;\n", snapshot);
    }

    /// <summary>Roles belong to the whole server: the test database goes first (with what the role owns in it), then the role.</summary>
    private async Task DropRoleAsync(TestDatabase database, string role)
    {
        await database.DisposeAsync();
        await using var admin = NpgsqlDataSource.Create(postgres.ConnectionString);
        await using var drop = admin.CreateCommand($"DROP ROLE {role}");
        await drop.ExecuteNonQueryAsync();
    }
}
