using System.Globalization;
using Npgsql;
using Strata.Postgres.Migrations;
using Strata.Postgres.Seeding;

namespace Strata.Postgres.Execution;

/// <summary>lock_timeout and statement_timeout for the statements a <see cref="StatementExecutor"/> runs; null keeps the server's setting.</summary>
public sealed record SessionTimeouts(TimeSpan? LockTimeout, TimeSpan? StatementTimeout)
{
    /// <summary>The server's settings, untouched.</summary>
    public static SessionTimeouts ServerDefaults { get; } = new(null, null);
}

/// <summary>
/// Runs statements on one connection for every command that changes a schema or its data (migrate, rollback,
/// reset, push, seed, the scratch builds of push and check): consecutive statements pipelined in batches inside
/// a transaction, a statement PostgreSQL refuses in a transaction block (CREATE INDEX CONCURRENTLY) alone and
/// without lock_timeout, the session's timeouts set with <c>set_config</c>. A statement the server rejects
/// ends in a <see cref="StatementFailedException"/> naming its file, line and SQLSTATE; a lost session ends in
/// Npgsql's own exception (see <see cref="IsConnectionLost"/>), so that callers can tell the two apart.
/// </summary>
public sealed class StatementExecutor : IAsyncDisposable
{
    private readonly TimeSpan? _lockTimeout;
    private readonly LockWaitWatch? _lockWaits;

    private StatementExecutor(NpgsqlConnection connection, TimeSpan? lockTimeout, LockWaitWatch? lockWaits)
    {
        Connection = connection;
        _lockTimeout = lockTimeout;
        _lockWaits = lockWaits;
    }

    public NpgsqlConnection Connection { get; }

    /// <summary>
    /// An executor on <paramref name="connection"/> with <paramref name="timeouts"/> set for the session. With
    /// <paramref name="watchLockWaitsFrom"/> and a lock_timeout, a connection of that data source watches which
    /// sessions hold the locks a statement waits for, so that one that runs out of lock_timeout names them.
    /// </summary>
    public static async Task<StatementExecutor> StartAsync(
        NpgsqlConnection connection, SessionTimeouts timeouts, NpgsqlDataSource? watchLockWaitsFrom, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(timeouts);
        foreach (var (setting, value) in new[] { ("lock_timeout", timeouts.LockTimeout), ("statement_timeout", timeouts.StatementTimeout) })
        {
            if (value is not { } timeout)
                continue;
            await using var command = new NpgsqlCommand("SELECT set_config($1, $2, false)", connection);
            command.Parameters.Add(new NpgsqlParameter { Value = setting });
            command.Parameters.Add(new NpgsqlParameter { Value = ((long)timeout.TotalMilliseconds).ToString(CultureInfo.InvariantCulture) + "ms" });
            await command.ExecuteNonQueryAsync(ct);
        }
        var lockWaits = watchLockWaitsFrom is null ? null : LockWaitWatch.Start(watchLockWaitsFrom, connection.ProcessID, timeouts.LockTimeout);
        return new StatementExecutor(connection, timeouts.LockTimeout, lockWaits);
    }

    /// <summary>An executor that leaves the session's settings as they are.</summary>
    public static StatementExecutor On(NpgsqlConnection connection) => new(connection ?? throw new ArgumentNullException(nameof(connection)), null, null);

    /// <summary>Runs one statement of <paramref name="file"/>, in <paramref name="transaction"/> or on its own.</summary>
    /// <exception cref="StatementFailedException">The server rejected it.</exception>
    public async Task ExecuteAsync(NpgsqlTransaction? transaction, string file, ScriptStatement statement, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(statement);
        try
        {
            // No client-side timeout: building an index on a large table may take hours; statement_timeout is the server's to enforce.
            if (SplitWhereNpgsqlCannot(statement.Sql, file) is { } parts)
            {
                await using var batch = new NpgsqlBatch(Connection, transaction) { Timeout = 0 };
                foreach (var part in parts)
                    batch.BatchCommands.Add(new NpgsqlBatchCommand(part.Sql));
                try
                {
                    await batch.ExecuteNonQueryAsync(ct);
                }
                catch (PostgresException e) when (!IsConnectionLost(e, Connection))
                {
                    // Named by its own line in the file, so that the error's position points into it.
                    var failed = parts[FailedCommandIndex(batch, e)];
                    throw Failed(file, failed with { Line = statement.Line + failed.Line - 1 }, e);
                }
                return;
            }
            await using var command = new NpgsqlCommand(statement.Sql, Connection, transaction) { CommandTimeout = 0 };
            await command.ExecuteNonQueryAsync(ct);
        }
        catch (PostgresException e) when (!IsConnectionLost(e, Connection))
        {
            throw Failed(file, statement, e);
        }
    }

    // A batch is sent in one write and answered in one read: a 1000-table migration of 4000 statements
    // then costs a few dozen round trips instead of 4000. Bounded so that progress still moves.
    private const int MaxBatchStatements = 200;
    private const int MaxBatchCharacters = 256 * 1024;

    /// <summary>
    /// Runs every statement of <paramref name="statements"/> inside <paramref name="transaction"/>, consecutive
    /// single statements pipelined in batches. They are read as they go (a batch at a time is held, never the
    /// whole script), and <paramref name="starting"/> is told the 0-based index of the statement each batch or
    /// lone statement starts at. A failure names the statement the server rejected.
    /// </summary>
    /// <exception cref="StatementFailedException">The server rejected a statement; the transaction is aborted.</exception>
    public async Task ExecuteBatchedAsync(
        NpgsqlTransaction transaction, string file, IAsyncEnumerable<ScriptStatement> statements, Action<int>? starting, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        ArgumentNullException.ThrowIfNull(statements);
        await using var reader = statements.GetAsyncEnumerator(ct);
        var next = 0;
        var more = await reader.MoveNextAsync();
        while (more)
        {
            starting?.Invoke(next);
            if (BatchableText(reader.Current.Sql) is null)
            {
                await ExecuteAsync(transaction, file, reader.Current, ct);
                next++;
                more = await reader.MoveNextAsync();
                continue;
            }

            var batched = new List<ScriptStatement>();
            var characters = 0;
            await using var batch = new NpgsqlBatch(Connection, transaction) { Timeout = 0 };
            while (more && batch.BatchCommands.Count < MaxBatchStatements && characters < MaxBatchCharacters
                   && BatchableText(reader.Current.Sql) is { } text)
            {
                batch.BatchCommands.Add(new NpgsqlBatchCommand(text));
                batched.Add(reader.Current);
                characters += text.Length;
                next++;
                more = await reader.MoveNextAsync();
            }
            try
            {
                await batch.ExecuteNonQueryAsync(ct);
            }
            catch (PostgresException e) when (!IsConnectionLost(e, Connection))
            {
                throw Failed(file, batched[FailedCommandIndex(batch, e)], e);
            }
        }
    }

    /// <summary><see cref="ExecuteBatchedAsync(NpgsqlTransaction, string, IAsyncEnumerable{ScriptStatement}, Action{int}?, CancellationToken)"/> for statements held in memory.</summary>
    public Task ExecuteBatchedAsync(NpgsqlTransaction transaction, string file, IEnumerable<ScriptStatement> statements, Action<int>? starting, CancellationToken ct) =>
        ExecuteBatchedAsync(transaction, file, InMemory(statements ?? throw new ArgumentNullException(nameof(statements))), starting, ct);

    private static async IAsyncEnumerable<ScriptStatement> InMemory(IEnumerable<ScriptStatement> statements)
    {
        foreach (var statement in statements)
            yield return statement;
        await Task.CompletedTask;
    }

    /// <summary>
    /// Runs one statement in a transaction of its own together with <paramref name="afterwards"/> (a progress
    /// row, say), or, when PostgreSQL refuses it inside a transaction block (CREATE INDEX CONCURRENTLY), alone,
    /// without lock_timeout when it is a concurrent index build (see <see cref="WithoutLockTimeoutAsync{T}"/>),
    /// and then <paramref name="afterwards"/> outside any transaction. <paramref name="starting"/> is told
    /// before each attempt.
    /// </summary>
    /// <exception cref="StatementFailedException">The server rejected it.</exception>
    public async Task ExecuteOutsideTransactionAsync(
        string file, ScriptStatement statement, Func<NpgsqlTransaction?, Task> afterwards, Action? starting, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(statement);
        ArgumentNullException.ThrowIfNull(afterwards);
        await using (var transaction = await Connection.BeginTransactionAsync(ct))
        {
            try
            {
                starting?.Invoke();
                await ExecuteAsync(transaction, file, statement, ct);
                await afterwards(transaction);
                await transaction.CommitAsync(ct);
                return;
            }
            catch (StatementFailedException e) when (e.SqlState == PostgresErrorCodes.ActiveSqlTransaction)
            {
                await transaction.RollbackAsync(ct);
            }
        }
        starting?.Invoke();
        await ExecuteAloneAsync(file, statement, ct);
        await afterwards(null);
    }

    /// <summary>
    /// Runs one statement outside any transaction, without lock_timeout when it is a CREATE or DROP INDEX
    /// CONCURRENTLY (see <see cref="WithoutLockTimeoutAsync{T}"/>).
    /// </summary>
    /// <exception cref="StatementFailedException">The server rejected it.</exception>
    public Task ExecuteAloneAsync(string file, ScriptStatement statement, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(statement);
        return WithoutLockTimeoutAsync(statement.Sql, async () =>
        {
            await ExecuteAsync(null, file, statement, ct);
            return true;
        }, ct);
    }

    /// <summary>
    /// Runs <paramref name="action"/> with lock_timeout off when <paramref name="sql"/> is a CREATE or DROP INDEX
    /// CONCURRENTLY, and restores the session's value after it. Such a statement waits for every transaction
    /// older than itself to end, and those waits are lock waits that lock_timeout cuts short: a report query or
    /// a pg_dump open for longer than the timeout would fail the build and leave an INVALID index, on every
    /// retry. The statement holds only SHARE UPDATE EXCLUSIVE on its table, so while it waits no read or write
    /// of the application queues behind it, which is what lock_timeout guards against.
    /// </summary>
    public async Task<T> WithoutLockTimeoutAsync<T>(string sql, Func<Task<T>> action, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(sql);
        ArgumentNullException.ThrowIfNull(action);
        if (!ConcurrentIndexStatement.IsConcurrent(sql))
            return await action();
        string previous;
        await using (var off = new NpgsqlCommand("SELECT current_setting('lock_timeout'), set_config('lock_timeout', '0', false)", Connection))
        await using (var reader = await off.ExecuteReaderAsync(ct))
        {
            await reader.ReadAsync(ct);
            previous = reader.GetString(0);
        }
        // Restored only when the statement succeeded: a failure ends the run, and the connection goes back to
        // the pool reset (Npgsql's RESET ALL), so nothing of this outlives it.
        var result = await action();
        await using var restore = new NpgsqlCommand("SELECT set_config('lock_timeout', $1, false)", Connection);
        restore.Parameters.Add(new NpgsqlParameter { Value = previous });
        await restore.ExecuteNonQueryAsync(ct);
        return result;
    }

    /// <summary>
    /// Generated statements (which come from no file) as a script would print them, one after another with a
    /// blank line between, starting at <paramref name="firstLine"/>: each with the line it starts on, so that a
    /// failure names a line of that script.
    /// </summary>
    public static List<ScriptStatement> Numbered(IEnumerable<string> statements, int firstLine = 1)
    {
        ArgumentNullException.ThrowIfNull(statements);
        var numbered = new List<ScriptStatement>();
        var line = firstLine;
        foreach (var sql in statements)
        {
            numbered.Add(new ScriptStatement(sql, line));
            line += sql.AsSpan().Count('\n') + 2;
        }
        return numbered;
    }

    /// <summary>The session is gone: the server terminated it (pg_terminate_backend, shutdown) or the network failed.</summary>
    public static bool IsConnectionLost(Exception e, NpgsqlConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        return e switch
        {
            StatementFailedException => false,
            PostgresException p => p.SqlState.StartsWith("57P", StringComparison.Ordinal) || connection.FullState.HasFlag(System.Data.ConnectionState.Broken),
            NpgsqlException => true,
            _ => e is IOException || (e is InvalidOperationException && connection.FullState.HasFlag(System.Data.ConnectionState.Broken)),
        };
    }

    /// <summary>
    /// The failure of <paramref name="statement"/>; when it ran out of the session's lock_timeout, with the
    /// timeout and the sessions seen holding the lock, for its message.
    /// </summary>
    private StatementFailedException Failed(string file, ScriptStatement statement, PostgresException error)
    {
        var failure = new StatementFailedException(file, statement, error);
        if (error.SqlState == PostgresErrorCodes.LockNotAvailable && _lockTimeout is { } timeout && timeout > TimeSpan.Zero)
        {
            failure.LockTimeout = timeout;
            failure.Blockers = _lockWaits?.BlockersSeenWithin(timeout + TimeSpan.FromSeconds(1)) ?? [];
        }
        return failure;
    }

    /// <summary>
    /// Which command of <paramref name="batch"/> the server rejected. Npgsql does not always say
    /// (<see cref="NpgsqlException.BatchCommand"/> stays null when the error arrives while it consumes the
    /// results of commands that return no rows), but every command the server completed has its
    /// statement type set from the completion tag, and the batch stops at the first error.
    /// </summary>
    private static int FailedCommandIndex(NpgsqlBatch batch, PostgresException error)
    {
        if (error.BatchCommand is NpgsqlBatchCommand named && batch.BatchCommands.IndexOf(named) is >= 0 and var index)
            return index;
        for (var i = 0; i < batch.BatchCommands.Count; i++)
        {
            if (batch.BatchCommands[i].StatementType == StatementType.Unknown)
                return i;
        }
        return 0;
    }

    /// <summary>
    /// The statement's text for a batch, or null when it may hold several statements: a batch command
    /// must be exactly one, and only Npgsql's own splitting (a plain command) handles several. Any
    /// semicolon other than a final one counts, even one inside a string or a function body: those
    /// statements just run on their own.
    /// </summary>
    /// <summary>
    /// The statements of <paramref name="sql"/> as Strata's lexer splits them when Npgsql cannot split it: Npgsql
    /// splits a command's text at every semicolon outside quotes, the ones between the statements of a SQL-standard
    /// routine body (BEGIN ATOMIC … END) too, while it sends a batch command as it is. Null for any other text.
    /// </summary>
    public static IReadOnlyList<ScriptStatement>? SplitWhereNpgsqlCannot(string sql, string file)
    {
        ArgumentNullException.ThrowIfNull(sql);
        return sql.Contains("atomic", StringComparison.OrdinalIgnoreCase) ? SqlScriptSplitter.Split(sql, file) : null;
    }

    internal static string? BatchableText(string sql)
    {
        var text = sql.AsSpan().TrimEnd();
        if (text.EndsWith(';'))
            text = text[..^1];
        if (text.IsEmpty || text.Contains(';'))
            return null;
        // A statement bigger than a batch goes as it is (the server takes one final semicolon): trimming would
        // copy it, and a plain command would have Npgsql copy it again to look for statements in it.
        return sql.Length > MaxBatchCharacters ? sql : text.ToString();
    }

    public async ValueTask DisposeAsync()
    {
        if (_lockWaits is not null)
            await _lockWaits.DisposeAsync();
    }
}
