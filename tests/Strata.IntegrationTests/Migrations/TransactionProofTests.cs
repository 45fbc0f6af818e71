using Strata.IntegrationTests.Infrastructure;

namespace Strata.IntegrationTests.Migrations;

/// <summary>Where transactions begin and end in <c>strata migrate</c>, shown by what PostgreSQL allows and what a rerun does.</summary>
[Collection(ProofCollection.Name)]
public sealed class TransactionProofTests(PostgresFixture postgres) : IDisposable
{
    private readonly ProofProject _project = ProofProject.Create();

    public void Dispose() => _project.Dispose();

    // PostgreSQL refuses to use an enum value added in the same transaction (55P04 "unsafe use of new
    // value"); each migration commits before the next starts, so the next one may use it.
    [Fact]
    public async Task An_enum_value_added_in_one_migration_can_be_used_by_the_next_in_the_same_run()
    {
        await _project.AddAsync("0000_mood",
            "CREATE TYPE mood AS ENUM ('sad', 'ok')",
            "CREATE TABLE people (name text PRIMARY KEY, mood mood NOT NULL DEFAULT 'ok')");
        await _project.AddAsync("0001_happy", "ALTER TYPE mood ADD VALUE 'happy'");
        await _project.AddAsync("0002_use_happy",
            "ALTER TABLE people ALTER COLUMN mood SET DEFAULT 'happy'",
            "INSERT INTO people (name) VALUES ('ann')",
            "INSERT INTO people VALUES ('bob', 'happy')");
        await using var database = await postgres.CreateDatabaseAsync("proof_enum");

        var result = await _project.MigrateAsync(database);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(["0000_mood", "0001_happy", "0002_use_happy"], await database.AppliedIdsAsync());
        Assert.Equal(2L, await database.ScalarAsync<long>("SELECT count(*) FROM people WHERE mood = 'happy'"));
    }

    [Fact]
    public async Task An_enum_value_added_and_used_in_one_no_transaction_migration_works()
    {
        await _project.AddAsync("0000_mood",
            "CREATE TYPE mood AS ENUM ('sad', 'ok')",
            "CREATE TABLE people (name text PRIMARY KEY, mood mood NOT NULL)");
        await _project.AddTextAsync("0001_happy", """
            -- strata:no-transaction
            ALTER TYPE mood ADD VALUE 'happy';
            --> statement-breakpoint
            INSERT INTO people VALUES ('bob', 'happy');
            --> statement-breakpoint
            ALTER TABLE people ADD CONSTRAINT people_not_sad CHECK (mood IN ('ok', 'happy'));

            """);
        await using var database = await postgres.CreateDatabaseAsync("proof_enum_notx");

        var result = await _project.MigrateAsync(database);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(["0000_mood", "0001_happy"], await database.AppliedIdsAsync());
        Assert.Equal("happy", await database.ScalarAsync<string>("SELECT mood::text FROM people WHERE name = 'bob'"));
        Assert.Equal(1L, await database.ScalarAsync<long>("SELECT count(*) FROM pg_constraint WHERE conname = 'people_not_sad'"));
    }

    [Fact]
    public async Task A_no_transaction_migration_that_fails_at_statement_3_keeps_1_and_2_and_a_rerun_resumes_at_3()
    {
        await _project.AddAsync("0000_log", "CREATE TABLE log (n int NOT NULL)");
        // Statement 1 is not idempotent: were it run again after the fix, log would hold 1 twice.
        const string Header = "-- strata:no-transaction\n";
        const string Statements12 = "INSERT INTO log VALUES (1);\n--> statement-breakpoint\nCREATE TABLE second (id int);\n--> statement-breakpoint\n";
        const string Statement4 = "\n--> statement-breakpoint\nCREATE TABLE fourth (id int);\n";
        await _project.AddTextAsync("0001_steps", Header + Statements12 + "INSERT INTO no_such_table VALUES (3);" + Statement4);
        await using var database = await postgres.CreateDatabaseAsync("proof_resume");

        var failed = await _project.MigrateAsync(database);

        Assert.True(failed.ExitCode == 1, failed.ToString());
        Assert.Contains("no_such_table", failed.Stderr);
        Assert.Contains("0001_steps", failed.Stderr);
        Assert.Equal([1], (await database.QueryAsync("SELECT n FROM log ORDER BY n")).Select(r => (int)r[0]!));
        Assert.True(await database.ScalarAsync<bool>("SELECT to_regclass('public.second') IS NOT NULL"));
        Assert.False(await database.ScalarAsync<bool>("SELECT to_regclass('public.fourth') IS NOT NULL"));
        var partial = await database.QueryAsync("SELECT completed, statements_applied FROM strata.__strata_migrations WHERE id = '0001_steps'");
        Assert.Equal([[false, 2]], partial);

        _project.WriteUp("0001_steps", Header + Statements12 + "INSERT INTO log VALUES (3);" + Statement4);
        Assert.Equal(0, (await _project.RunAsync("hash")).ExitCode);
        var resumed = await _project.MigrateAsync(database);

        Assert.True(resumed.ExitCode == 0, resumed.ToString());
        Assert.Equal([1, 3], (await database.QueryAsync("SELECT n FROM log ORDER BY n")).Select(r => (int)r[0]!));
        Assert.True(await database.ScalarAsync<bool>("SELECT to_regclass('public.fourth') IS NOT NULL"));
        var done = await database.QueryAsync("SELECT completed, statements_applied FROM strata.__strata_migrations WHERE id = '0001_steps'");
        Assert.Equal([[true, 4]], done);
    }
}
