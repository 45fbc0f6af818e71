namespace Strata.Postgres.Migrations;

/// <summary>Why a migration run refused to start.</summary>
public enum RefusalKind
{
    /// <summary>An applied migration's up.sql differs from what was applied.</summary>
    ChecksumMismatch,

    /// <summary>An applied migration is not in the source.</summary>
    MissingOnDisk,

    /// <summary>A pending migration is older than the newest applied one.</summary>
    OutOfOrder,

    /// <summary>The folder disagrees with strata.sum.</summary>
    SumMismatch,

    /// <summary>Two migrations were generated on the same parent (two branches each added one, then were merged).</summary>
    BranchConflict,

    /// <summary>The target (--to) names no migration.</summary>
    UnknownTarget,

    /// <summary>TransactionMode.All with a no-transaction migration pending.</summary>
    NoTransactionInAll,

    /// <summary>A rollback of a migration whose down script is missing or empty (a custom migration).</summary>
    NoDownScript,

    /// <summary>A rollback whose down script loses data, without AcceptDataLoss.</summary>
    DataLoss,

    /// <summary>A rollback of a partially applied migration.</summary>
    Partial,

    /// <summary>A pending migration whose up.sql has no statements: a custom migration never written.</summary>
    EmptyMigration,

    /// <summary>A baseline asked of a database that already has applied migrations, or of a folder without migrations.</summary>
    NotBaseline,

    /// <summary>A row of the tracking table has NULL where Strata always writes a value (edited by hand).</summary>
    DamagedTrackingRow,
}

/// <summary>
/// The setting that makes a run go ahead despite a refusal, once the user has checked that it is safe.
/// Each caller names it its own way (the CLI as a flag, Strata.Hosting as an option), so the refusal's
/// message names none.
/// </summary>
public enum RefusalOverride
{
    /// <summary>No setting overrides it: the folder or the database must be put right.</summary>
    None,

    /// <summary><see cref="MigratorOptions.AllowOutOfOrder"/> (strata migrate --allow-out-of-order).</summary>
    AllowOutOfOrder,

    /// <summary><see cref="RollbackOptions.AcceptDataLoss"/> (strata rollback --accept-data-loss).</summary>
    AcceptDataLoss,
}

/// <summary>One reason a run refused, with the migration and file it concerns.</summary>
/// <param name="Message">What is wrong and what to do, naming the file (and both hashes for a mismatch); never a flag or an option's name (see <see cref="Override"/>).</param>
public sealed record Refusal(RefusalKind Kind, string? MigrationId, string? File, string Message)
{
    /// <summary>The setting that lets the run go ahead anyway, for the caller to name in its remedy.</summary>
    public RefusalOverride Override => Kind switch
    {
        RefusalKind.OutOfOrder => RefusalOverride.AllowOutOfOrder,
        RefusalKind.DataLoss => RefusalOverride.AcceptDataLoss,
        _ => RefusalOverride.None,
    };
}

/// <summary>
/// A migrate or rollback that refused before running anything: nothing was applied or undone.
/// Lists every reason at once, so one run tells the user all there is to fix.
/// </summary>
public sealed class MigrationRefusedException(IReadOnlyList<Refusal> refusals)
    : Exception(string.Join("\n", refusals.Select(r => r.Message)))
{
    public IReadOnlyList<Refusal> Refusals { get; } = refusals;
}

/// <summary>Another migrator held the advisory lock for longer than <see cref="MigratorOptions.LockWaitTimeout"/>; nothing was applied.</summary>
/// <param name="holder">Who holds the lock, as far as the server says ("pid 4711, user deploy, application strata migrate, since 12:00:03Z"), or null.</param>
public sealed class MigrationLockTimeoutException(TimeSpan waited, string? holder)
    : Exception($"another migration run holds the lock{(holder is null ? "" : $" ({holder})")}; gave up after waiting {waited.TotalSeconds:0.#} s. Nothing was applied.")
{
    public TimeSpan Waited { get; } = waited;

    public string? Holder { get; } = holder;
}

/// <summary>Why a run stopped in the middle of a migration without a statement failing.</summary>
public enum InterruptionCause
{
    /// <summary>The server ended the session (pg_terminate_backend, idle_session_timeout, a restart) or the network failed.</summary>
    ConnectionLost,

    /// <summary>The session no longer held the migration lock (a statement released it, or a pooler moved the session): the run stopped before recording anything more.</summary>
    LockLost,

    /// <summary>
    /// The run was cancelled (Ctrl+C, SIGTERM, an application shutting down). Thrown as the
    /// <see cref="Exception.InnerException"/> of an <see cref="OperationCanceledException"/>, so that a
    /// cancelled call still ends as callers of a cancellable method expect.
    /// </summary>
    Cancelled,
}

/// <summary>
/// A run stopped part-way through a migration (or a rollback's down script) because its session was
/// lost, its lock was lost, or it was cancelled. A transactional migration was rolled back by the
/// server; a no-transaction one keeps the <see cref="StatementsApplied"/> statements recorded as done,
/// and the next run resumes after them.
/// </summary>
public sealed class MigrationInterruptedException : Exception
{
    public MigrationInterruptedException(
        string migrationId, bool ranInTransaction, InterruptionCause cause, int statementsApplied, int statementCount, bool duringRollback, Exception inner)
        : base(Describe(migrationId, ranInTransaction, cause, statementsApplied, statementCount, duringRollback, inner), inner)
    {
        MigrationId = migrationId;
        RanInTransaction = ranInTransaction;
        Cause = cause;
        StatementsApplied = statementsApplied;
        StatementCount = statementCount;
        DuringRollback = duringRollback;
    }

    public string MigrationId { get; }

    public bool RanInTransaction { get; }

    public InterruptionCause Cause { get; }

    /// <summary>How many of the migration's statements stay applied: 0 for one that ran in a transaction (it was rolled back).</summary>
    public int StatementsApplied { get; }

    /// <summary>How many statements the migration (or the down script, for a rollback) has.</summary>
    public int StatementCount { get; }

    /// <summary>The interrupted script was a down.sql run by a rollback.</summary>
    public bool DuringRollback { get; }

    private static string Describe(string id, bool ranInTransaction, InterruptionCause cause, int applied, int count, bool duringRollback, Exception inner)
    {
        var what = duringRollback ? $"the rollback of migration {id}" : $"migration {id}";
        var why = cause switch
        {
            InterruptionCause.Cancelled => $"the run was interrupted (cancelled) during {what}",
            InterruptionCause.LockLost => $"the session stopped holding the migration lock during {what} (a statement released it, such as pg_advisory_unlock_all() or DISCARD ALL, or a pooler moved the session), so the run stopped before another run could interleave",
            _ => $"the connection to the server was lost during {what} ({inner.Message})",
        };
        var statements = count == 1 ? "statement" : "statements";
        string state;
        if (duringRollback)
        {
            state = ranInTransaction
                ? $" Its rollback was undone: {id} is still applied and still recorded; strata rollback can be run again."
                : $" Its down script runs outside a transaction: {applied} of its {count} {statements} ran and stay undone, but {id} stays recorded as applied. "
                  + "Finish the remaining down statements by hand and delete its row from the tracking table, or make them safe to repeat (IF EXISTS) and roll back again.";
        }
        else if (ranInTransaction)
        {
            state = $" Its transaction was rolled back: none of its {count} {statements} is applied, and the migrations before it stay applied. The next strata migrate applies {id} from its first statement.";
        }
        else
        {
            state = applied == 0
                ? $" It runs outside a transaction (-- strata:no-transaction) and none of its {count} {statements} was recorded as done; the next strata migrate starts it from its first statement."
                : $" It runs outside a transaction (-- strata:no-transaction): {applied} of its {count} {statements} ran and stay applied (recorded in the tracking table), so {id} is partially applied; "
                  + $"the next strata migrate resumes it at statement {applied + 1}.";
        }
        return why + "." + state + (cause == InterruptionCause.ConnectionLost ? " Run it again once the server is reachable." : "");
    }
}

/// <summary>A write to the tracking table found that its session no longer holds the migration lock.</summary>
internal sealed class MigrationLockLostException(string table) : Exception($"the session no longer holds the migration lock of {table}");
