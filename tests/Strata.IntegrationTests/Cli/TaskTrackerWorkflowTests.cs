using Strata.IntegrationTests.Infrastructure;
using Strata.Model;
using Strata.Testing;

namespace Strata.IntegrationTests.Cli;

/// <summary>
/// samples/tasktracker's workflow, as its README walks through it, with the CLI as a process on a copy of
/// the sample and a throwaway database: every step is checked against what the database shows.
/// </summary>
[Collection(CliCollection.Name)]
public sealed class TaskTrackerWorkflowTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    private static readonly string[] SampleMigrations = ["0000_init", "0001_add_priority_and_due_dates"];
    // The check on a table with rows is added NOT VALID in 0002 and validated in the online part generate writes after it.
    private static readonly string[] WithEstimates = [.. SampleMigrations, "0002_add_estimates", "0003_add_estimates_concurrently"];

    [Fact]
    public async Task Generate_migrate_seed_check_a_second_migration_rollback_and_reset_seed()
    {
        using var copy = SampleCopy.CreateTaskTracker();
        await using var database = await postgres.CreateDatabaseAsync("tasktracker_workflow");

        // The checked-in migrations match the C# schema: nothing to generate.
        var generate = await Run(copy, "generate", "--name", "nothing");
        Assert.Contains("No changes: the C# schema matches the last migration (0001_add_priority_and_due_dates)", generate.Stdout);
        Assert.Equal(SampleMigrations, copy.MigrationFolders());

        // strata.json's test environment, its url from TEST_DATABASE_URL.
        var migrate = await Succeeds(StrataProcess.RunAsync(copy.Directory,
            new Dictionary<string, string?> { ["TEST_DATABASE_URL"] = database.ConnectionString }, "migrate", "--env", "test"));
        Assert.Contains("Migrating test", migrate.Stdout);
        Assert.Contains("applied 0001_add_priority_and_due_dates", migrate.Stdout);
        Assert.Equal(SampleMigrations, await database.TrackedIdsAsync());

        // The seed is idempotent: a second run adds nothing.
        var seed = await Run(copy, database, "seed");
        Assert.Matches(@"Seeded \w+: .*\b3 (rows )?into public\.users\b", seed.Stdout);
        Assert.Matches(@"\b4 (rows )?into public\.tasks\b", seed.Stdout);
        Assert.Equal("3 users, 2 projects, 4 tasks, 1 comments", await CountsAsync(database));
        await Run(copy, database, "seed");
        Assert.Equal("3 users, 2 projects, 4 tasks, 1 comments", await CountsAsync(database));
        Assert.Equal("WEB:2/3,OPS:1/1", await database.ScalarAsync<string>(
            "SELECT string_agg(key || ':' || open_tasks || '/' || all_tasks, ',' ORDER BY project_id) FROM project_task_counts"));

        await Run(copy, "check");

        // A second change: the schema gains estimates; check sees it is not generated yet.
        copy.EditSchema("""            t.Column("due_on", Types.Date);""", """
                        t.Column("due_on", Types.Date);
                        t.Column("estimate_hours", Types.Numeric(5, 1)).Check("estimate_hours > 0");
            """);
        var pending = await copy.RunAsync("check");
        Assert.True(pending.ExitCode == 3, pending.ToString());
        await Run(copy, "generate", "--name", "add_estimates");
        Assert.Equal(WithEstimates, copy.MigrationFolders());
        Assert.Contains("ADD COLUMN \"estimate_hours\" numeric(5,1)", copy.ReadMigrationFile("0002_add_estimates", "up.sql"));
        Assert.Contains("NOT VALID;", copy.ReadMigrationFile("0002_add_estimates", "up.sql"));
        Assert.Contains("VALIDATE CONSTRAINT", copy.ReadMigrationFile("0003_add_estimates_concurrently", "up.sql"));
        await Run(copy, "check");
        await Run(copy, database, "migrate");
        await database.ExecuteAsync("UPDATE tasks SET estimate_hours = 2.5 WHERE title = 'Choose a font'");
        Assert.Contains("estimate_hours", await database.ColumnNamesAsync(new QualifiedName("public", "tasks")));
        Assert.Equal("3 users, 2 projects, 4 tasks, 1 comments", await CountsAsync(database));

        // Rolling back drops the column (the down script says it loses data, so it must be accepted).
        var refused = await copy.RunAsync(database, "rollback", "--steps", "2");
        Assert.True(refused.ExitCode == 1, refused.ToString());
        Assert.Equal(WithEstimates, await database.TrackedIdsAsync());
        var rollback = await Run(copy, database, "rollback", "--steps", "2", "--accept-data-loss");
        Assert.Contains("rolled back 0003_add_estimates_concurrently", rollback.Stdout);
        Assert.Contains("rolled back 0002_add_estimates", rollback.Stdout);
        Assert.DoesNotContain("estimate_hours", await database.ColumnNamesAsync(new QualifiedName("public", "tasks")));
        Assert.Equal(SampleMigrations, await database.TrackedIdsAsync());

        // drop removes the newest migration folder (it is no longer applied): the pair takes two.
        await Run(copy, "drop");
        await Run(copy, "drop");
        Assert.Equal(SampleMigrations, copy.MigrationFolders());

        // reset --seed: everything dropped, every migration applied again, then the seed.
        await database.ExecuteAsync("INSERT INTO users (email, display_name) VALUES ('temp@example.com', 'Temp')");
        var reset = await Run(copy, database, "reset", "--seed");
        Assert.Contains("applied 0001_add_priority_and_due_dates", reset.Stdout);
        Assert.Equal(SampleMigrations, await database.TrackedIdsAsync());
        Assert.Equal("3 users, 2 projects, 4 tasks, 1 comments", await CountsAsync(database));
        Assert.Equal(0L, await database.ScalarAsync<long>("SELECT count(*) FROM users WHERE email = 'temp@example.com'"));
    }

    [Fact]
    public async Task Production_is_protected_a_reset_there_is_refused_and_changes_nothing()
    {
        using var copy = SampleCopy.CreateTaskTracker();
        await using var database = await postgres.CreateDatabaseAsync("tasktracker_production");
        await Run(copy, database, "migrate");
        await Run(copy, database, "seed");

        var reset = await copy.RunAsync(database, "reset", "--env", "production");

        Assert.True(reset.ExitCode == 1, reset.ToString());
        Assert.Contains("protected environment \"production\"", reset.Stderr);
        Assert.Equal("3 users, 2 projects, 4 tasks, 1 comments", await CountsAsync(database));
    }

    private static Task<CliResult> Run(SampleCopy copy, params string[] args) => Succeeds(copy.RunAsync(args));

    private static Task<CliResult> Run(SampleCopy copy, TestDatabase database, string command, params string[] args) =>
        Succeeds(copy.RunAsync(database, command, args));

    private static async Task<CliResult> Succeeds(Task<CliResult> run)
    {
        var result = await run;
        Assert.True(result.ExitCode == 0, result.ToString());
        return result;
    }

    private static Task<string> CountsAsync(TestDatabase database) => database.ScalarAsync<string>("""
        SELECT (SELECT count(*) FROM users) || ' users, ' || (SELECT count(*) FROM projects) || ' projects, '
            || (SELECT count(*) FROM tasks) || ' tasks, ' || (SELECT count(*) FROM comments) || ' comments'
        """);
}
