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
}

/// <summary>One reason a run refused, with the migration and file it concerns.</summary>
/// <param name="Message">What is wrong and what to do, naming the file (and both hashes for a mismatch).</param>
public sealed record Refusal(RefusalKind Kind, string? MigrationId, string? File, string Message);

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

/// <summary>
/// The connection was lost or terminated by the server (pg_terminate_backend, a restart, the network)
/// while a migration ran. A transactional migration was rolled back by the server; a no-transaction
/// one keeps the statements recorded as done, and the next run resumes it.
/// </summary>
public sealed class MigrationInterruptedException(string migrationId, bool ranInTransaction, Exception inner)
    : Exception($"the connection to the server was lost while migration {migrationId} ran ({inner.Message}). "
        + (ranInTransaction
            ? "Its transaction was rolled back: none of it is applied, and the migrations before it stay applied."
            : "It runs outside a transaction: the statements recorded as done stay applied, and the next run resumes after them.")
        + " Run migrate again once the server is reachable.", inner)
{
    public string MigrationId { get; } = migrationId;

    public bool RanInTransaction { get; } = ranInTransaction;
}
