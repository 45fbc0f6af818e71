using System.Globalization;
using Npgsql;

namespace Strata.Postgres.Execution;

/// <summary>A session that held a lock a migration statement waited for.</summary>
/// <param name="Query">Its current (or, when idle in a transaction, last) statement, as pg_stat_activity shows it; null when the server hides it from this user.</param>
public sealed record LockBlocker(int Pid, string? User, string? Application, string? State, string? Query, DateTimeOffset? TransactionStart)
{
    public override string ToString()
    {
        var parts = new List<string> { "pid " + Pid.ToString(CultureInfo.InvariantCulture) };
        if (User is not null)
            parts.Add("user " + User);
        if (!string.IsNullOrEmpty(Application))
            parts.Add("application \"" + Application + "\"");
        if (State is not null)
            parts.Add(State + (TransactionStart is { } since ? " in a transaction open since " + since.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture) : ""));
        var query = Query is null ? "" : ": " + (Query.Length > 300 ? Query[..300] + "…" : Query).ReplaceLineEndings(" ");
        return string.Join(", ", parts) + query;
    }
}

/// <summary>
/// Watches, from a connection of its own, which sessions block the migration's session while it waits
/// for a lock, so that a statement that runs out of lock_timeout can name them: once it has failed, the
/// wait is over and pg_blocking_pids has nothing more to say. Between waits each poll reads one row of
/// pg_stat_activity; a failure of its own is ignored (it only improves a message).
/// </summary>
internal sealed class LockWaitWatch : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _polling;
    private volatile Sighting? _lastSeen;

    private sealed record Sighting(IReadOnlyList<LockBlocker> Blockers, DateTime SeenAt);

    private LockWaitWatch(NpgsqlDataSource dataSource, int pid, TimeSpan lockTimeout)
    {
        // Often enough to see a blocker before lock_timeout ends the wait, never more than a few times a second.
        var interval = TimeSpan.FromTicks(Math.Clamp(lockTimeout.Ticks / 4, TimeSpan.FromMilliseconds(20).Ticks, TimeSpan.FromMilliseconds(250).Ticks));
        _polling = PollAsync(dataSource, pid, interval, _stop.Token);
    }

    /// <summary>Starts watching the session <paramref name="pid"/>; null when no lock timeout applies (a wait then ends only when the lock is granted).</summary>
    public static LockWaitWatch? Start(NpgsqlDataSource dataSource, int pid, TimeSpan? lockTimeout) =>
        lockTimeout is { } timeout && timeout > TimeSpan.Zero ? new LockWaitWatch(dataSource, pid, timeout) : null;

    /// <summary>The blockers seen within <paramref name="recent"/>, or none.</summary>
    public IReadOnlyList<LockBlocker> BlockersSeenWithin(TimeSpan recent)
    {
        var seen = _lastSeen;
        return seen is not null && DateTime.UtcNow - seen.SeenAt <= recent ? seen.Blockers : [];
    }

    private async Task PollAsync(NpgsqlDataSource dataSource, int pid, TimeSpan interval, CancellationToken ct)
    {
        try
        {
            await Task.Delay(interval, ct);
            await using var connection = await dataSource.OpenConnectionAsync(ct);
            // pg_blocking_pids takes the lock manager's locks (PostgreSQL's docs warn against calling it often),
            // so it runs only while the session waits for a lock; the uncorrelated EXISTS is a one-time filter
            // evaluated first, and pg_stat_activity alone reads the backends' shared status without locking.
            const string sql = """
                SELECT a.pid, a.usename, a.application_name, a.state, a.query, a.xact_start
                FROM pg_stat_activity a
                WHERE EXISTS (SELECT FROM pg_stat_activity w WHERE w.pid = $1 AND w.wait_event_type = 'Lock')
                  AND a.pid = ANY (pg_blocking_pids($1))
                ORDER BY a.pid
                """;
            while (true)
            {
                await using (var command = new NpgsqlCommand(sql, connection))
                {
                    command.Parameters.Add(new NpgsqlParameter { Value = pid });
                    var blockers = new List<LockBlocker>();
                    await using (var reader = await command.ExecuteReaderAsync(ct))
                    {
                        while (await reader.ReadAsync(ct))
                        {
                            blockers.Add(new LockBlocker(
                                reader.GetInt32(0),
                                reader.IsDBNull(1) ? null : reader.GetString(1),
                                reader.IsDBNull(2) ? null : reader.GetString(2),
                                reader.IsDBNull(3) ? null : reader.GetString(3),
                                reader.IsDBNull(4) || reader.GetString(4) == "<insufficient privilege>" ? null : reader.GetString(4),
                                reader.IsDBNull(5) ? null : reader.GetFieldValue<DateTimeOffset>(5)));
                        }
                    }
                    if (blockers.Count > 0)
                        _lastSeen = new Sighting(blockers, DateTime.UtcNow);
                }
                await Task.Delay(interval, ct);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or NpgsqlException or InvalidOperationException or TimeoutException)
        {
            // Stopped, or unable to watch: the failure message just names no blocker.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _polling;
        _stop.Dispose();
    }
}
