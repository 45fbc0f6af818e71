using Npgsql;
using Strata.IntegrationTests.Infrastructure;
using Strata.IntegrationTests.Migrations;
using Strata.Model;
using Strata.Postgres.Execution;
using Strata.Postgres.Migrations;

namespace Strata.IntegrationTests.Execution;

/// <summary>The one statement executor under migrate, rollback, reset, push, seed and the scratch builds.</summary>
public sealed class StatementExecutorTests(PostgresFixture fixture) : IClassFixture<PostgresFixture>
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(5);

    [Fact]
    public async Task A_statement_failing_inside_a_batch_is_named_with_its_file_line_excerpt_and_SQLSTATE_and_the_transaction_rolls_back()
    {
        await using var database = await fixture.CreateDatabaseAsync("exec_batch_fail");
        await using var connection = await database.OpenConnectionAsync();
        await using var executor = StatementExecutor.On(connection);
        // All four go in one batch; the server rejects the third.
        ScriptStatement[] statements =
        [
            new("CREATE TABLE t (id int PRIMARY KEY);", 1),
            new("INSERT INTO t VALUES (1);", 3),
            new("INSERT INTO t\n  VALUES (1);", 5),
            new("INSERT INTO t VALUES (2);", 8),
        ];
        var starts = new List<int>();

        await using var transaction = await connection.BeginTransactionAsync();
        var error = await Assert.ThrowsAsync<StatementFailedException>(() => executor.ExecuteBatchedAsync(transaction, "seed/users.sql", statements, starts.Add, CancellationToken.None));
        await transaction.RollbackAsync();

        Assert.Equal([0], starts);
        Assert.Equal("seed/users.sql", error.File);
        Assert.Equal(5, error.StatementLine);
        Assert.Equal("INSERT INTO t\n  VALUES (1);", error.Statement);
        Assert.Equal("    INSERT INTO t\n      VALUES (1);", error.StatementExcerpt);
        Assert.Equal(PostgresErrorCodes.UniqueViolation, error.SqlState);
        Assert.Equal("duplicate key value violates unique constraint \"t_pkey\"", error.MessageText);
        Assert.StartsWith("seed/users.sql:5: 23505: duplicate key value violates unique constraint \"t_pkey\"", error.Message);
        Assert.Contains("statement (line 5):\n    INSERT INTO t", error.Message);
        Assert.IsType<PostgresException>(error.InnerException);
        Assert.False(await database.TableExistsAsync(new QualifiedName("public", "t")));
    }

    [Fact]
    public async Task The_line_of_an_error_PostgreSQL_positions_is_the_file_line_inside_the_statement()
    {
        await using var database = await fixture.CreateDatabaseAsync("exec_position");
        await using var connection = await database.OpenConnectionAsync();
        await using var executor = StatementExecutor.On(connection);

        var error = await Assert.ThrowsAsync<StatementFailedException>(() =>
            executor.ExecuteAsync(null, "up.sql", new ScriptStatement("SELECT 1\n  FROM nowhere;", 10), CancellationToken.None));

        Assert.Equal(PostgresErrorCodes.UndefinedTable, error.SqlState);
        Assert.Equal(10, error.StatementLine);
        Assert.Equal(11, error.Line);
        Assert.True(error.Position > 0);
        Assert.StartsWith("up.sql:11: 42P01: relation \"nowhere\" does not exist", error.Message);
    }

    [Fact]
    public async Task A_statement_too_big_for_the_excerpt_is_quoted_by_its_first_lines_never_whole()
    {
        await using var database = await fixture.CreateDatabaseAsync("exec_excerpt");
        await using var connection = await database.OpenConnectionAsync();
        await using var executor = StatementExecutor.On(connection);
        var sql = "SELECT\n" + string.Join(",\n", Enumerable.Range(1, 50).Select(i => $"  {i} AS c{i}")) + "\nFROM nowhere;";

        var error = await Assert.ThrowsAsync<StatementFailedException>(() =>
            executor.ExecuteAsync(null, "big.sql", new ScriptStatement(sql, 1), CancellationToken.None));

        // The error is on the last line: the first two lines, the count of those left out, the lines around it.
        Assert.Contains("… (46 lines)", error.StatementExcerpt);
        Assert.DoesNotContain("25 AS c25", error.Message);
        Assert.Contains("FROM nowhere", error.Message);
    }

    [Fact]
    public async Task Timeouts_are_set_for_the_session_through_set_config()
    {
        await using var database = await fixture.CreateDatabaseAsync("exec_timeouts");
        await using var connection = await database.OpenConnectionAsync();

        await using var executor = await StatementExecutor.StartAsync(connection, new SessionTimeouts(TimeSpan.FromMilliseconds(1500), TimeSpan.FromMinutes(2)), null, CancellationToken.None);

        await using var show = new NpgsqlCommand("SELECT current_setting('lock_timeout'), current_setting('statement_timeout')", connection);
        await using var reader = await show.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        Assert.Equal(("1500ms", "2min"), (reader.GetString(0), reader.GetString(1)));
    }

    [Fact]
    public async Task A_statement_that_waits_longer_than_lock_timeout_fails_with_55P03_and_the_timeout()
    {
        await using var database = await fixture.CreateDatabaseAsync("exec_lock_timeout");
        await database.ExecuteAsync("CREATE TABLE accounts (id int)");
        await using var holder = await database.OpenConnectionAsync();
        await using (var hold = new NpgsqlCommand("BEGIN; LOCK TABLE accounts IN ACCESS EXCLUSIVE MODE", holder))
            await hold.ExecuteNonQueryAsync();
        await using var connection = await database.OpenConnectionAsync();
        await using var executor = await StatementExecutor.StartAsync(connection, new SessionTimeouts(TimeSpan.FromMilliseconds(300), null), database.DataSource, CancellationToken.None);

        var error = await Assert.ThrowsAsync<StatementFailedException>(() =>
            executor.ExecuteAsync(null, "push --dry-run", new ScriptStatement("ALTER TABLE accounts ADD COLUMN note text;", 1), CancellationToken.None));

        Assert.True(error.IsLockTimeout);
        Assert.Equal(PostgresErrorCodes.LockNotAvailable, error.SqlState);
        Assert.Equal(TimeSpan.FromMilliseconds(300), error.LockTimeout);
        Assert.Contains("It waited longer than lock_timeout (0.3 s)", error.Message);
    }

    [Fact]
    public async Task CREATE_INDEX_CONCURRENTLY_runs_outside_a_transaction_and_waits_for_an_older_transaction_past_lock_timeout()
    {
        await using var database = await fixture.CreateDatabaseAsync("exec_concurrently");
        await database.ExecuteAsync("CREATE TABLE accounts (id int PRIMARY KEY, email text)");
        // A report query's transaction, older than the index build: CREATE INDEX CONCURRENTLY waits for it to end.
        await using var report = await database.OpenConnectionAsync();
        await using (var begin = new NpgsqlCommand("BEGIN ISOLATION LEVEL REPEATABLE READ; SELECT count(*) FROM accounts", report))
            await begin.ExecuteNonQueryAsync();
        await using var connection = await database.OpenConnectionAsync();
        await using var executor = await StatementExecutor.StartAsync(connection, new SessionTimeouts(TimeSpan.FromMilliseconds(200), null), null, CancellationToken.None);
        var transactions = new List<NpgsqlTransaction?>();
        var attempts = 0;

        var build = executor.ExecuteOutsideTransactionAsync("up.sql", new ScriptStatement("CREATE INDEX CONCURRENTLY accounts_email_idx ON accounts (email);", 2),
            transaction =>
            {
                transactions.Add(transaction);
                return Task.CompletedTask;
            },
            () => attempts++, CancellationToken.None);
        // Waited for the old transaction longer than lock_timeout (by the server's clock): with it applied, it would have failed.
        var waited = await ProofDatabase.EventuallyAsync(async () =>
            build.IsCompleted || await database.ScalarAsync<bool>(
                $"SELECT count(*) > 0 FROM pg_stat_activity WHERE pid = {connection.ProcessID} AND wait_event_type = 'Lock' AND now() - query_start > interval '1 second'"),
            Patience);
        Assert.True(waited, "the index build never waited for the old transaction");
        Assert.False(build.IsCompleted, "the index build did not wait for the old transaction");
        await using (var end = new NpgsqlCommand("COMMIT", report))
            await end.ExecuteNonQueryAsync();
        await build;

        Assert.Equal(2, attempts);
        Assert.Equal([null], transactions);
        Assert.True(await database.ScalarAsync<bool>("SELECT indisvalid FROM pg_index WHERE indexrelid = 'accounts_email_idx'::regclass"));
        await using var show = new NpgsqlCommand("SELECT current_setting('lock_timeout')", connection);
        Assert.Equal("200ms", await show.ExecuteScalarAsync());
    }

    [Fact]
    public async Task A_statement_that_can_run_in_a_transaction_runs_in_one_with_what_follows_it()
    {
        await using var database = await fixture.CreateDatabaseAsync("exec_alone");
        await database.ExecuteAsync("CREATE TABLE progress (done int)");
        await using var connection = await database.OpenConnectionAsync();
        await using var executor = StatementExecutor.On(connection);

        await executor.ExecuteOutsideTransactionAsync("up.sql", new ScriptStatement("CREATE TABLE a (id int);", 1), async transaction =>
        {
            Assert.NotNull(transaction);
            await using var record = new NpgsqlCommand("INSERT INTO progress VALUES (1)", connection, transaction);
            await record.ExecuteNonQueryAsync();
        }, null, CancellationToken.None);

        Assert.True(await database.TableExistsAsync(new QualifiedName("public", "a")));
        Assert.Equal(1, await database.ScalarAsync<long>("SELECT count(*) FROM progress"));
    }
}
