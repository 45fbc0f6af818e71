using System.Diagnostics;
using System.Globalization;
using System.Text;
using Npgsql;
using Strata.Model;

namespace Strata.Postgres.Migrations;

/// <summary>
/// The session-level advisory lock that serialises migration runs on one database. A migration run
/// takes it on the very session that runs the migration's statements: if that session dies
/// (idle_session_timeout, pg_terminate_backend, a pooler or network drop), the lock and the work end
/// together, so no statement ever runs without the lock and a second run never takes the lock while a
/// backend still works on a migration. (Kept on a separate idle connection, the lock could be lost while
/// the other connection went on running a no-transaction migration that a second run then resumed.)
/// Session-level advisory locks survive a rolled-back transaction, so a failing statement does not
/// release it; every write to the tracking table checks that the session still holds it
/// (<see cref="HeldBySessionSql"/>), which catches a migration that releases it itself.
/// Public so that other schema changes (strata push) can hold the same lock and never run alongside a migration.
/// </summary>
public sealed class MigrationLock : IAsyncDisposable
{
    /// <summary>The first key: "STRA" in ASCII, so Strata's locks are recognisable in pg_locks (classid).</summary>
    public const int KeySpace = 0x53545241;

    private readonly NpgsqlConnection _connection;
    private readonly bool _ownsConnection;
    private readonly int _key;

    private MigrationLock(NpgsqlConnection connection, bool ownsConnection, int key, TimeSpan waited)
    {
        _connection = connection;
        _ownsConnection = ownsConnection;
        _key = key;
        Waited = waited;
    }

    /// <summary>How long the run waited for another holder to release the lock.</summary>
    public TimeSpan Waited { get; }

    // Short at first, so that a run queued behind a quick one starts almost at once; capped, so that
    // sixteen waiting deploys cost the server a few statements a second between them.
    private static readonly TimeSpan InitialPollDelay = TimeSpan.FromMilliseconds(25);
    private static readonly TimeSpan MaxPollDelay = TimeSpan.FromMilliseconds(500);

    /// <summary>The second key: a stable hash of the tracking table's name, so two tracking tables in one database do not block each other.</summary>
    public static int KeyFor(QualifiedName historyTable)
    {
        // FNV-1a: string.GetHashCode is randomised per process, and every process must agree.
        var hash = 2166136261u;
        foreach (var b in Encoding.UTF8.GetBytes(historyTable.Schema + "." + historyTable.Name))
            hash = (hash ^ b) * 16777619u;
        return (int)(hash & 0x7FFFFFFF);
    }

    /// <summary>
    /// A SQL condition that is true when the session evaluating it holds the lock of
    /// <paramref name="historyTable"/>: the tracking table's writes include it, so that nothing is recorded
    /// (and a statement committed with its progress row is rolled back) once the session has lost the lock.
    /// </summary>
    public static string HeldBySessionSql(QualifiedName historyTable) =>
        "EXISTS (SELECT FROM pg_locks WHERE locktype = 'advisory' AND granted AND pid = pg_backend_pid() "
        + "AND database = (SELECT oid FROM pg_database WHERE datname = current_database()) "
        + $"AND classid = {KeySpace.ToString(CultureInfo.InvariantCulture)} AND objid = {KeyFor(historyTable).ToString(CultureInfo.InvariantCulture)} AND objsubid = 2)";

    /// <summary>
    /// Takes the lock on a connection of its own (disposed with the lock), for work that runs on other
    /// connections too (strata push reads and builds on several); waits at most <paramref name="timeout"/>.
    /// </summary>
    /// <exception cref="MigrationLockTimeoutException">Still held by another session after <paramref name="timeout"/>.</exception>
    public static async Task<MigrationLock> AcquireAsync(NpgsqlDataSource dataSource, QualifiedName historyTable, TimeSpan timeout, Action<string?> onWait, CancellationToken ct)
    {
        var connection = await dataSource.OpenConnectionAsync(ct);
        try
        {
            return await AcquireAsync(connection, ownsConnection: true, historyTable, timeout, onWait, ct);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Takes the lock on <paramref name="connection"/>, the session that will run the statements it
    /// protects, waiting at most <paramref name="timeout"/>; disposing the lock releases it and leaves the
    /// connection open. <paramref name="onWait"/> is told who holds it when the first attempt finds it taken.
    /// </summary>
    /// <exception cref="MigrationLockTimeoutException">Still held by another session after <paramref name="timeout"/>.</exception>
    public static Task<MigrationLock> AcquireAsync(NpgsqlConnection connection, QualifiedName historyTable, TimeSpan timeout, Action<string?> onWait, CancellationToken ct) =>
        AcquireAsync(connection, ownsConnection: false, historyTable, timeout, onWait, ct);

    private static async Task<MigrationLock> AcquireAsync(NpgsqlConnection connection, bool ownsConnection, QualifiedName historyTable, TimeSpan timeout, Action<string?> onWait, CancellationToken ct)
    {
        var key = KeyFor(historyTable);
        var stopwatch = Stopwatch.StartNew();
        if (await TryTakeAsync(connection, key, ct))
            return new MigrationLock(connection, ownsConnection, key, TimeSpan.Zero);

        onWait(await DescribeHolderAsync(connection, key, ct));
        // Poll rather than block in pg_advisory_lock: a session blocked in a statement keeps a
        // snapshot open, and CREATE INDEX CONCURRENTLY in the holder's migration waits for every
        // open snapshot to finish, so a blocking wait would deadlock against the run it waits for
        // (undetected: the server sees no cycle). Each poll is a statement of microseconds.
        var delay = InitialPollDelay;
        while (true)
        {
            var remaining = timeout - stopwatch.Elapsed;
            if (remaining <= TimeSpan.Zero)
                throw new MigrationLockTimeoutException(stopwatch.Elapsed, await DescribeHolderAsync(connection, key, ct));
            await Task.Delay(delay < remaining ? delay : remaining, ct);
            if (await TryTakeAsync(connection, key, ct))
                break;
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxPollDelay.Ticks));
        }
        return new MigrationLock(connection, ownsConnection, key, stopwatch.Elapsed);
    }

    private static async Task<bool> TryTakeAsync(NpgsqlConnection connection, int key, CancellationToken ct) =>
        (bool)(await ExecuteAsync(connection, "SELECT pg_try_advisory_lock($1, $2)", ct, KeySpace, key))!;

    /// <summary>
    /// Who holds the lock in this database (advisory locks are per database: a run on another database of
    /// the server holds a lock with the same keys), as much as the server tells this user (other users'
    /// application names may be hidden); null when nobody or unknown.
    /// </summary>
    private static async Task<string?> DescribeHolderAsync(NpgsqlConnection connection, int key, CancellationToken ct)
    {
        const string sql = """
            SELECT a.pid, a.usename, a.application_name, host(a.client_addr), a.backend_start
            FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
            WHERE l.locktype = 'advisory' AND l.granted AND l.classid = $1::bigint::oid AND l.objid = $2::bigint::oid AND l.objsubid = 2
              AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
            LIMIT 1
            """;
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.Add(new NpgsqlParameter { Value = (long)KeySpace });
        command.Parameters.Add(new NpgsqlParameter { Value = (long)key });
        await using var reader = await command.ExecuteReaderAsync(ct);
        if (!await reader.ReadAsync(ct))
            return null;
        var parts = new List<string> { "pid " + reader.GetInt32(0).ToString(CultureInfo.InvariantCulture) };
        if (!reader.IsDBNull(1))
            parts.Add("user " + reader.GetString(1));
        if (!reader.IsDBNull(2) && reader.GetString(2).Length > 0)
            parts.Add("application \"" + reader.GetString(2) + "\"");
        if (!reader.IsDBNull(3))
            parts.Add("from " + reader.GetString(3));
        if (!reader.IsDBNull(4))
            parts.Add("connected since " + reader.GetFieldValue<DateTimeOffset>(4).ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture));
        return string.Join(", ", parts);
    }

    /// <summary>Releases the lock; if the connection is already broken the server has released it with the session.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_connection.FullState == System.Data.ConnectionState.Open)
            {
                await ExecuteAsync(_connection, "SELECT pg_advisory_unlock($1, $2)", CancellationToken.None, KeySpace, _key);
            }
        }
        catch (NpgsqlException)
        {
            // The session is gone, and its locks with it.
        }
        finally
        {
            if (_ownsConnection)
                await _connection.DisposeAsync();
        }
    }

    private static async Task<object?> ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken ct, params object[] values)
    {
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 0 };
        foreach (var value in values)
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        return await command.ExecuteScalarAsync(ct);
    }
}
