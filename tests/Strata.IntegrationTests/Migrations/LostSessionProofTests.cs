using Npgsql;
using Strata.IntegrationTests.Cli;
using Strata.IntegrationTests.Infrastructure;
using Strata.Testing;

namespace Strata.IntegrationTests.Migrations;

/// <summary>
/// The session that holds the migration lock dies (idle_session_timeout, pg_terminate_backend) while a
/// no-transaction migration runs, and a second <c>strata migrate</c> starts: no statement of the
/// migration may run twice. The migration waits at a gate (a table the test fills) between its two data
/// statements, so every step is triggered by state the test observes, never by a sleep.
/// </summary>
[Collection(ProofCollection.Name)]
public sealed class LostSessionProofTests(PostgresFixture postgres) : IDisposable
{
    private const string Backfill = "0001_backfill";

    // The gate loop, as pg_stat_activity shows the statement that waits in it.
    private const string GateLoop = "%NOT EXISTS (SELECT FROM gate)%";

    private readonly ProofProject _project = ProofProject.Create();

    public void Dispose() => _project.Dispose();

    private async Task WriteMigrationsAsync()
    {
        await _project.AddAsync("0000_setup",
            "CREATE TABLE applied_log (statement text NOT NULL, backend int NOT NULL DEFAULT pg_backend_pid())",
            "CREATE TABLE gate (open boolean NOT NULL)");
        await _project.AddTextAsync(Backfill, """
            -- strata:no-transaction
            INSERT INTO applied_log (statement) VALUES ('first');
            --> statement-breakpoint
            DO $$ BEGIN WHILE NOT EXISTS (SELECT FROM gate) LOOP PERFORM pg_sleep(0.02); END LOOP; END $$;
            --> statement-breakpoint
            INSERT INTO applied_log (statement) VALUES ('second');

            """);
    }

    /// <summary>
    /// The test's own connections, exempt from the idle_session_timeout the test sets on the database
    /// (a pooled connection of the test left idle would be ended by the server too).
    /// </summary>
    private static NpgsqlDataSource Observer(TestDatabase database) =>
        NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(database.ConnectionString) { Options = "-c idle_session_timeout=0" }.ConnectionString);

    private static async Task<T> ScalarAsync<T>(NpgsqlDataSource observer, string sql)
    {
        await using var command = observer.CreateCommand(sql);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    private static Task<long> SessionsInGateLoopAsync(NpgsqlDataSource observer, string andAlso = "") => ScalarAsync<long>(observer,
        $"SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND state = 'active' AND query LIKE '{GateLoop}' {andAlso}");

    private static string LockHolders =>
        $"SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted AND classid = {ProofDatabase.LockClassId} "
        + "AND database = (SELECT oid FROM pg_database WHERE datname = current_database())";

    /// <summary>Each data statement of the migration ran exactly once, and the migration is recorded complete.</summary>
    private static async Task AssertRanOnceAsync(NpgsqlDataSource observer, string where)
    {
        await using var command = observer.CreateCommand("SELECT statement, count(*) FROM applied_log GROUP BY statement ORDER BY statement");
        var counts = new List<string>();
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
                counts.Add($"{reader.GetString(0)} ×{reader.GetInt64(1)}");
        }
        Assert.True(counts.SequenceEqual(["first ×1", "second ×1"]),
            $"{where}: each statement of {Backfill} must run exactly once; applied_log has {string.Join(", ", counts)}");
        Assert.True(await ScalarAsync<bool>(observer, $"SELECT completed AND statements_applied = 3 FROM strata.__strata_migrations WHERE id = '{Backfill}'"),
            $"{where}: {Backfill} is not recorded as complete");
    }

    /// <summary>
    /// The reproduction of the issue: with idle_session_timeout at 2 s, a session of the first run that
    /// sits idle while the migration runs is ended by the server; a second migrate must still not resume
    /// the migration the first one is running.
    /// </summary>
    [Fact]
    public async Task An_idle_session_timeout_during_a_no_transaction_migration_never_lets_a_second_migrate_run_its_statements_again()
    {
        await WriteMigrationsAsync();
        await using var database = await postgres.CreateDatabaseAsync("proof_idle_timeout");
        await database.ExecuteAsync($"ALTER DATABASE \"{database.Name}\" SET idle_session_timeout = '2s'");
        await using var observer = Observer(database);

        using var first = _project.StartMigrate(database);
        // The first run waits at the gate. Once that statement has run for longer than the timeout, any
        // idle session of the first run has been ended by the server, so the lock is held (if at all) by
        // the session in the gate loop alone.
        Assert.True(await ProofDatabase.EventuallyAsync(async () => first.HasExited || (
                await SessionsInGateLoopAsync(observer, "AND clock_timestamp() - query_start > interval '2.5 seconds'") == 1
                && await ScalarAsync<long>(observer, $"SELECT count(*) FROM ({LockHolders}) l WHERE pid NOT IN "
                    + $"(SELECT pid FROM pg_stat_activity WHERE state = 'active' AND query LIKE '{GateLoop}')") == 0),
            TimeSpan.FromSeconds(90)), "the first migrate never waited at the gate for longer than idle_session_timeout");
        if (first.HasExited)
            Assert.Fail("the first migrate exited before the gate:\n" + await first.WaitAsync(TimeSpan.FromSeconds(10)));

        // The second run is not the one under test: on a busy machine its own pooled sessions may sit idle past
        // the 2 s too, so it connects with the timeout off (the first run keeps the database's setting).
        var patient = new NpgsqlConnectionStringBuilder(database.ConnectionString) { Options = "-c idle_session_timeout=0" }.ConnectionString;
        using var second = StrataProcess.Start(_project.Directory, ["migrate", "-c", patient]);
        // The second run either waits for the lock (polling pg_try_advisory_lock without holding it) or,
        // had it taken the lock, would be in the gate loop too.
        Assert.True(await ProofDatabase.EventuallyAsync(async () => second.HasExited
                || await SessionsInGateLoopAsync(observer) == 2
                || await ScalarAsync<long>(observer, "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() "
                    + $"AND query LIKE '%pg_try_advisory_lock%' AND pid NOT IN ({LockHolders})") > 0,
            TimeSpan.FromSeconds(90)), "the second migrate neither waited for the lock nor reached the gate");
        await using (var open = observer.CreateCommand("INSERT INTO gate VALUES (true)"))
            await open.ExecuteNonQueryAsync();

        var results = await Task.WhenAll(first.WaitAsync(TimeSpan.FromMinutes(2)), second.WaitAsync(TimeSpan.FromMinutes(2)));

        await AssertRanOnceAsync(observer, "after both runs");
        Assert.True(results[0].ExitCode == 0, "first:\n" + results[0]);
        Assert.True(results[1].ExitCode == 0, "second:\n" + results[1]);
    }

    /// <summary>
    /// The session holding the migration lock is killed once the tracking table shows the first statement
    /// done. The first run must stop (its statements run on that session) and say which migration is
    /// left partial and how far it got; the second run resumes it, and nothing runs twice.
    /// </summary>
    [Fact]
    public async Task Killing_the_lock_holding_session_mid_migration_stops_that_run_and_a_second_migrate_resumes_without_running_a_statement_twice()
    {
        await WriteMigrationsAsync();
        await using var database = await postgres.CreateDatabaseAsync("proof_lock_killed");
        await using var observer = Observer(database);

        using var first = _project.StartMigrate(database);
        Assert.True(await ProofDatabase.EventuallyAsync(async () => first.HasExited || (
                await ScalarAsync<bool>(observer, "SELECT to_regclass('strata.__strata_migrations') IS NOT NULL")
                && await ScalarAsync<long>(observer, $"SELECT count(*) FROM strata.__strata_migrations WHERE id = '{Backfill}' AND statements_applied = 1") == 1
                && await SessionsInGateLoopAsync(observer) == 1),
            TimeSpan.FromSeconds(90)), "the first migrate never recorded the first statement of the migration");
        if (first.HasExited)
            Assert.Fail("the first migrate exited before the gate:\n" + await first.WaitAsync(TimeSpan.FromSeconds(10)));

        var killedAt = await ScalarAsync<DateTime>(observer, "SELECT clock_timestamp()::timestamp");
        Assert.True(await ScalarAsync<bool>(observer, $"SELECT bool_and(pg_terminate_backend(pid)) FROM ({LockHolders}) l"));
        Assert.True(await ProofDatabase.EventuallyAsync(async () => await ScalarAsync<long>(observer, $"SELECT count(*) FROM ({LockHolders}) l") == 0,
            TimeSpan.FromSeconds(60)), "the killed session still holds the lock");

        using var second = _project.StartMigrate(database);
        // The second run resumes the migration at the gate (statement 2) on a session that connected after the kill.
        Assert.True(await ProofDatabase.EventuallyAsync(async () => second.HasExited
                || await SessionsInGateLoopAsync(observer, $"AND backend_start::timestamp > '{killedAt:yyyy-MM-dd HH:mm:ss.ffffff}'") > 0,
            TimeSpan.FromSeconds(90)), "the second migrate never reached the gate");
        await using (var open = observer.CreateCommand("INSERT INTO gate VALUES (true)"))
            await open.ExecuteNonQueryAsync();

        var results = await Task.WhenAll(first.WaitAsync(TimeSpan.FromMinutes(2)), second.WaitAsync(TimeSpan.FromMinutes(2)));

        await AssertRanOnceAsync(observer, "after both runs");
        Assert.True(results[0].ExitCode == 1, "the first run lost its session and must fail:\n" + results[0]);
        Assert.Contains(Backfill, results[0].Stderr);
        Assert.Contains("1 of its 3 statements", results[0].Stderr);
        Assert.Contains("resumes it at statement 2", results[0].Stderr);
        Assert.DoesNotContain("   at ", results[0].Output);
        Assert.True(results[1].ExitCode == 0, "second:\n" + results[1]);
    }

    /// <summary>SIGTERM, as a deploy system stops a job (Ctrl+C sends SIGINT, handled the same way).</summary>
    private static async Task TerminateAsync(StrataRun run)
    {
        using var kill = System.Diagnostics.Process.Start("kill", ["-TERM", run.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        await kill.WaitForExitAsync();
    }

    [Fact]
    public async Task A_migrate_stopped_by_SIGTERM_names_the_migration_left_partial_how_many_statements_ran_and_where_a_rerun_resumes()
    {
        await WriteMigrationsAsync();
        await using var database = await postgres.CreateDatabaseAsync("proof_sigterm");
        await using var observer = Observer(database);

        CliResult stopped;
        using (var run = _project.StartMigrate(database))
        {
            Assert.True(await ProofDatabase.EventuallyAsync(async () => run.HasExited || await SessionsInGateLoopAsync(observer) == 1,
                TimeSpan.FromSeconds(90)), "migrate never reached the gate");
            if (run.HasExited)
                Assert.Fail("migrate exited before the gate:\n" + await run.WaitAsync(TimeSpan.FromSeconds(10)));
            await TerminateAsync(run);
            stopped = await run.WaitAsync(TimeSpan.FromMinutes(2));
        }

        Assert.True(stopped.ExitCode == 1, stopped.ToString());
        Assert.Contains("interrupted", stopped.Stderr);
        Assert.Contains(Backfill, stopped.Stderr);
        Assert.Contains("1 of its 3 statements ran and stay applied", stopped.Stderr);
        Assert.Contains("resumes it at statement 2", stopped.Stderr);
        Assert.DoesNotContain("   at ", stopped.Output);
        await database.WaitForLockFreeAsync(TimeSpan.FromSeconds(30), "migrate has exited");

        await using (var open = observer.CreateCommand("INSERT INTO gate VALUES (true)"))
            await open.ExecuteNonQueryAsync();
        var rerun = await _project.MigrateAsync(database);

        Assert.True(rerun.ExitCode == 0, rerun.ToString());
        await AssertRanOnceAsync(observer, "after the rerun");
    }
}
