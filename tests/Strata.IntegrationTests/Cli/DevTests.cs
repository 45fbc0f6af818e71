using System.Text.Json.Nodes;
using Npgsql;
using Strata.Postgres.Configuration;

namespace Strata.IntegrationTests.Cli;

/// <summary><c>strata dev</c> on a project folder of its own: nothing is built, so these run beside the other CLI tests.</summary>
public sealed class DevTests
{
    [Fact]
    public Task Dev_start_then_status_says_running_url_connects_stop_stops_and_status_says_stopped() => WithProjectAsync(async folder =>
    {
        var start = await StrataProcess.RunAsync(folder.Path, "dev", "start");

        Assert.True(start.ExitCode == 0, start.ToString());
        Assert.Contains("Started the local PostgreSQL on 127.0.0.1:", start.Stdout);
        Assert.Contains("Created the database strata_dev", start.Stdout);
        Assert.True(File.Exists(folder.Combine(".strata", "postgres", "PG_VERSION")));

        var again = await StrataProcess.RunAsync(folder.Path, "dev", "start");
        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Contains("already running", again.Stdout);

        var status = await StrataProcess.RunAsync(folder.Path, "dev", "status", "--json");
        Assert.True(status.ExitCode == 0, status.ToString());
        var running = JsonNode.Parse(status.Stdout)!;
        Assert.True((bool)running["running"]!);
        Assert.Equal(folder.Combine(".strata", "postgres"), (string)running["dataDirectory"]!);
        Assert.StartsWith("15", (string)running["version"]!);
        Assert.True((long)running["sizeBytes"]! > 1_000_000);
        var port = (int)running["port"]!;

        var url = await StrataProcess.RunAsync(folder.Path, "dev", "url");
        Assert.True(url.ExitCode == 0, url.ToString());
        // stdout is the URL alone, for $(strata dev url).
        Assert.Equal($"postgres://postgres@127.0.0.1:{port}/strata_dev?sslmode=disable\n", url.Stdout);
        await using (var connection = new NpgsqlConnection(DatabaseConnection.Parse(url.Stdout, "dev url").ConnectionString))
        {
            await connection.OpenAsync();
            await using var query = new NpgsqlCommand("SELECT current_database()", connection);
            Assert.Equal("strata_dev", await query.ExecuteScalarAsync());
        }

        var stop = await StrataProcess.RunAsync(folder.Path, "dev", "stop");
        Assert.True(stop.ExitCode == 0, stop.ToString());
        Assert.Contains($"Stopped the local PostgreSQL on 127.0.0.1:{port}", stop.Stdout);
        await using (var refused = new NpgsqlConnection($"Host=127.0.0.1;Port={port};Username=postgres;Timeout=3;Pooling=false"))
            await Assert.ThrowsAnyAsync<NpgsqlException>(() => refused.OpenAsync());

        var stopped = await StrataProcess.RunAsync(folder.Path, "dev", "status");
        Assert.True(stopped.ExitCode == 0, stopped.ToString());
        Assert.Contains("The local PostgreSQL is stopped", stopped.Stdout);
        Assert.Contains("version:  PostgreSQL 15", stopped.Stdout);

        var stopAgain = await StrataProcess.RunAsync(folder.Path, "dev", "stop");
        Assert.True(stopAgain.ExitCode == 0, stopAgain.ToString());
        Assert.Contains("is not running", stopAgain.Stdout);
    });

    [Fact]
    public Task Dev_url_starts_the_server_when_it_is_not_running_and_keeps_its_notes_off_stdout() => WithProjectAsync(async folder =>
    {
        var url = await StrataProcess.RunAsync(folder.Path, "dev", "url");

        Assert.True(url.ExitCode == 0, url.ToString());
        Assert.Matches(@"^postgres://postgres@127\.0\.0\.1:\d+/strata_dev\?sslmode=disable\n$", url.Stdout);
        Assert.Contains("Started the local PostgreSQL", url.Stderr);
    });

    [Fact]
    public Task Two_dev_starts_at_once_create_one_cluster_and_both_succeed() => WithProjectAsync(async folder =>
    {
        using var first = StrataProcess.Start(folder.Path, "dev", "start");
        using var second = StrataProcess.Start(folder.Path, "dev", "start");
        var results = new[] { await first.WaitAsync(StrataProcess.Patience), await second.WaitAsync(StrataProcess.Patience) };

        Assert.All(results, r => Assert.True(r.ExitCode == 0, r.ToString()));
        // Without the cluster lock the second one runs initdb into the folder the first is filling, and fails.
        Assert.Single(results, r => r.Stdout.Contains("Started the local PostgreSQL", StringComparison.Ordinal));
        Assert.Single(results, r => r.Stdout.Contains("already running", StringComparison.Ordinal));
    });

    [Fact]
    public async Task With_STRATA_PG_BIN_an_empty_folder_and_no_postgres_on_PATH_dev_start_and_url_name_the_folder_and_how_to_install()
    {
        using var folder = NewProject();
        using var empty = new ScratchFolder("bin");
        var environment = new Dictionary<string, string?>
        {
            ["STRATA_PG_BIN"] = empty.Path,
            // PATH without PostgreSQL's programs (pg_config, pg_ctl): only dotnet's folder.
            ["PATH"] = Path.GetDirectoryName(Environment.ProcessPath),
        };

        var start = await StrataProcess.RunAsync(folder.Path, environment, "dev", "start");
        var url = await StrataProcess.RunAsync(folder.Path, environment, "dev", "url");

        foreach (var result in new[] { start, url })
        {
            Assert.Equal(1, result.ExitCode);
            Assert.Contains($"error: could not start the local PostgreSQL: STRATA_PG_BIN={empty.Path} does not hold the PostgreSQL server programs initdb and pg_ctl", result.Stderr);
            Assert.Contains("apt-get install postgresql", result.Stderr);
            Assert.DoesNotContain("   at ", result.Stderr);
            Assert.Equal("", result.Stdout);
        }
        Assert.False(Directory.Exists(folder.Combine(".strata", "postgres")));

        var status = await StrataProcess.RunAsync(folder.Path, environment, "dev", "status");
        Assert.True(status.ExitCode == 0, status.ToString());
        Assert.Contains("not created yet", status.Stdout);
    }

    /// <summary>Runs <paramref name="test"/> on a new project folder and stops the local server it may have left running.</summary>
    [Fact]
    public Task Drop_checks_the_local_development_database_starting_it_and_refuses_a_migration_applied_there() => WithProjectAsync(async folder =>
    {
        File.WriteAllText(folder.Combine("strata.json"), """{ "schema": "src/App.Schema/App.Schema.csproj", "migrations": "db/migrations" }""");
        Directory.CreateDirectory(folder.Combine("db", "migrations"));
        var directory = await Strata.Postgres.Migrations.MigrationDirectory.LoadAsync(folder.Combine("db", "migrations"));
        var snapshot = new Strata.Snapshots.Snapshot(Strata.Snapshots.Snapshot.ComputeId(null, "0000_notes", Strata.Model.DatabaseModel.Empty), null, Strata.Model.DatabaseModel.Empty, default);
        await directory.WriteMigrationAsync("0000_notes", "CREATE TABLE notes (id int PRIMARY KEY);\n", "DROP TABLE notes;\n", snapshot);

        var migrate = await StrataProcess.RunAsync(folder.Path, "migrate");
        Assert.True(migrate.ExitCode == 0, migrate.ToString());
        Assert.Contains("applied 0000_notes", migrate.Stdout);
        // Stopped, as after a reboot: drop starts it again to look.
        var stop = await StrataProcess.RunAsync(folder.Path, "dev", "stop");
        Assert.True(stop.ExitCode == 0, stop.ToString());

        var refused = await StrataProcess.RunAsync(folder.Path, "drop", "--env", "development");

        Assert.True(refused.ExitCode == 1, refused.ToString());
        Assert.Contains("refused: 0000_notes is applied to postgres@127.0.0.1:", refused.Stderr);
        Assert.DoesNotContain("did not check", refused.Output);
        Assert.True(Directory.Exists(folder.Combine("db", "migrations", "0000_notes")));

        var byDefault = await StrataProcess.RunAsync(folder.Path, "drop");
        Assert.True(byDefault.ExitCode == 1, byDefault.ToString());
        Assert.True(Directory.Exists(folder.Combine("db", "migrations", "0000_notes")));

        var rollback = await StrataProcess.RunAsync(folder.Path, "rollback", "--accept-data-loss");
        Assert.True(rollback.ExitCode == 0, rollback.ToString());
        var dropped = await StrataProcess.RunAsync(folder.Path, "drop");
        Assert.True(dropped.ExitCode == 0, dropped.ToString());
        Assert.Contains("0000_notes is not applied to postgres@127.0.0.1:", dropped.Stdout);
        Assert.False(Directory.Exists(folder.Combine("db", "migrations", "0000_notes")));
    });

    private static async Task WithProjectAsync(Func<ScratchFolder, Task> test)
    {
        using var folder = NewProject();
        try
        {
            await test(folder);
        }
        finally
        {
            await InitTests.StopLocalServerAsync(folder.Path);
        }
    }

    private static ScratchFolder NewProject()
    {
        var folder = new ScratchFolder("devproject");
        File.WriteAllText(folder.Combine("strata.json"), """{ "schema": "src/App.Schema/App.Schema.csproj" }""");
        return folder;
    }
}
