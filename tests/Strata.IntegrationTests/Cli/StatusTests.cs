using System.Text.Json;
using Strata.IntegrationTests.Infrastructure;

namespace Strata.IntegrationTests.Cli;

[Collection(CliCollection.Name)]
public sealed class StatusTests(BuiltSample sample, PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    // A cell border: Spectre draws │, or | where the output cannot take Unicode.
    private const string Bar = @"\s*[│|]\s*";

    private static Dictionary<string, string> States(JsonElement json) =>
        json.GetProperty("status").EnumerateArray().ToDictionary(m => m.GetProperty("id").GetString()!, m => m.GetProperty("state").GetString()!);

    [Fact]
    public async Task Status_of_a_database_never_migrated_lists_every_migration_as_pending_and_creates_nothing()
    {
        using var copy = sample.CreateCopy();
        await copy.AddThreeTablesAsync();
        await using var database = await postgres.CreateDatabaseAsync("cli_status_new");

        var result = await copy.RunAsync(database, "status");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("no tracking table strata.__strata_migrations", result.Stdout);
        Assert.Matches(@"0002_c" + Bar + @"pending", result.Stdout);
        Assert.Contains("0 applied, 3 pending.", result.Stdout);
        Assert.Equal(0L, await database.ScalarAsync<long>("SELECT count(*) FROM pg_namespace WHERE nspname = 'strata'"));
    }

    [Fact]
    public async Task Status_shows_applied_migrations_with_time_and_user_and_the_pending_ones_and_exits_0()
    {
        using var copy = sample.CreateCopy();
        await copy.AddThreeTablesAsync();
        await using var database = await postgres.CreateDatabaseAsync("cli_status");
        Assert.Equal(0, (await copy.RunAsync(database, "migrate", "--to", "0001")).ExitCode);
        var appliedAt = (DateTime)(await database.QueryAsync("SELECT applied_at FROM strata.__strata_migrations WHERE id = '0000_a'"))[0][0]!;
        var user = await database.ScalarAsync<string>("SELECT current_user");

        var result = await copy.RunAsync(database, "status");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Matches(@"0000_a" + Bar + @"applied" + Bar + appliedAt.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss") + Bar + @"\d+ ms" + Bar + user, result.Stdout);
        Assert.Matches(@"0001_b" + Bar + @"applied", result.Stdout);
        Assert.Matches(@"0002_c" + Bar + @"pending" + Bar + Bar, result.Stdout);
        Assert.Contains("2 applied, 1 pending.", result.Stdout);

        var json = await copy.RunAsync(database, "status", "--json");

        Assert.True(json.ExitCode == 0, json.ToString());
        var document = json.Json();
        Assert.True(document.GetProperty("ok").GetBoolean());
        Assert.Equal(new Dictionary<string, string> { ["0000_a"] = "applied", ["0001_b"] = "applied", ["0002_c"] = "pending" }, States(document));
        var first = document.GetProperty("status")[0];
        Assert.Equal(user, first.GetProperty("appliedBy").GetString());
        Assert.Equal(appliedAt.ToUniversalTime(), first.GetProperty("appliedAt").GetDateTimeOffset().UtcDateTime);
    }

    [Fact]
    public async Task Status_shows_out_of_order_missing_on_disk_and_checksum_mismatch_and_exits_1()
    {
        using var copy = sample.CreateCopy();
        await copy.AddMigrationAsync("0000_a", "CREATE TABLE a (id int PRIMARY KEY);\n");
        await copy.AddMigrationAsync("0002_c", "CREATE TABLE c (id int PRIMARY KEY);\n");
        await copy.AddMigrationAsync("0003_d", "CREATE TABLE d (id int PRIMARY KEY);\n");
        await using var database = await postgres.CreateDatabaseAsync("cli_status_bad");
        Assert.Equal(0, (await copy.RunAsync(database, "migrate")).ExitCode);

        // A merged branch brings 0001_b; 0002_c is edited after it was applied; 0003_d is deleted.
        // strata hash after each, so that only the tracking table can tell.
        await copy.AddMigrationAsync("0001_b", "CREATE TABLE b (id int PRIMARY KEY);\n");
        var edited = Path.Combine(copy.MigrationsDirectory, "0002_c", "up.sql");
        await File.WriteAllTextAsync(edited, "CREATE TABLE c (id bigint PRIMARY KEY);\n");
        Directory.Delete(Path.Combine(copy.MigrationsDirectory, "0003_d"), recursive: true);
        Assert.Equal(0, (await copy.RunAsync("hash")).ExitCode);

        var result = await copy.RunAsync(database, "status");

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Matches(@"0000_a" + Bar + @"applied", result.Stdout);
        Assert.Matches(@"0001_b" + Bar + @"out of order", result.Stdout);
        Assert.Matches(@"0002_c" + Bar + @"checksum mismatch", result.Stdout);
        Assert.Matches(@"0003_d" + Bar + @"missing on disk", result.Stdout);
        Assert.Contains("--allow-out-of-order", result.Stdout);
        Assert.Contains(edited, result.Stdout);
        Assert.Contains("1 applied, 0 pending, 1 out of order, 1 checksum mismatch, 1 missing on disk.", result.Stdout);

        var json = await copy.RunAsync(database, "status", "--json");

        Assert.True(json.ExitCode == 1, json.ToString());
        var document = json.Json();
        Assert.False(document.GetProperty("ok").GetBoolean());
        Assert.Equal(new Dictionary<string, string>
        {
            ["0000_a"] = "applied", ["0001_b"] = "outOfOrder", ["0002_c"] = "checksumMismatch", ["0003_d"] = "missingOnDisk",
        }, States(document));
        Assert.Equal(["0000_a", "0002_c", "0003_d"], await database.TrackedIdsAsync());
    }

    [Fact]
    public async Task Out_of_order_alone_is_a_warning_and_exits_0()
    {
        using var copy = sample.CreateCopy();
        await using var database = await postgres.CreateDatabaseAsync("cli_status_order");
        await copy.AddOutOfOrderMigrationAsync(database);

        var result = await copy.RunAsync(database, "status");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("warning: 0001_b is older than the newest applied migration", result.Stdout);
        Assert.Contains("2 applied, 0 pending, 1 out of order.", result.Stdout);
    }

    [Fact]
    public async Task Strata_sum_problems_are_listed_under_the_table_and_exit_1()
    {
        using var copy = sample.CreateCopy();
        await copy.AddThreeTablesAsync();
        await using var database = await postgres.CreateDatabaseAsync("cli_status_sum");
        var pending = Path.Combine(copy.MigrationsDirectory, "0002_c", "up.sql");
        await File.AppendAllTextAsync(pending, "--> statement-breakpoint\nCREATE INDEX ON c (id);\n");

        var result = await copy.RunAsync(database, "status");

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains("strata.sum problems:", result.Stdout);
        Assert.Contains("has changed since strata.sum was written", result.Stdout);
        Assert.Contains("0 applied, 3 pending, 1 strata.sum problem.", result.Stdout);

        var json = (await copy.RunAsync(database, "status", "--json")).Json();
        var problem = Assert.Single(json.GetProperty("sumProblems").EnumerateArray());
        Assert.Equal("Modified", problem.GetProperty("kind").GetString());
        Assert.Contains("0002_c", problem.GetProperty("file").GetString());
    }
}
