using Strata.Model;
using Strata.Postgres.Execution;

namespace Strata.Postgres.Migrations;

/// <summary>How <see cref="Migrator.ApplyAsync(CancellationToken)"/> wraps migrations in transactions.</summary>
public enum TransactionMode
{
    /// <summary>Each migration in its own transaction with its tracking row (the default): a failure keeps the migrations before it.</summary>
    PerMigration,

    /// <summary>All pending migrations in one transaction: all or nothing. Refused when one is <c>-- strata:no-transaction</c>.</summary>
    All,
}

/// <summary>Settings of a <see cref="Migrator"/>; the defaults suit most applications.</summary>
public sealed record MigratorOptions
{
    /// <summary>The tracking table; <c>strata.__strata_migrations</c> by default.</summary>
    public QualifiedName HistoryTable { get; init; } = Migrations.HistoryTable.DefaultName;

    /// <summary>How long to wait for another migrator to release the advisory lock before giving up.</summary>
    public TimeSpan LockWaitTimeout { get; init; } = TimeSpan.FromMinutes(5);

    public TransactionMode TransactionMode { get; init; } = TransactionMode.PerMigration;

    /// <summary>Apply a pending migration older than the newest applied one (a merged branch) instead of refusing.</summary>
    public bool AllowOutOfOrder { get; init; }

    /// <summary>Stop after this migration (its id, or its prefix such as <c>0003</c>); null applies all.</summary>
    public string? TargetId { get; init; }

    /// <summary>
    /// The lock_timeout a migration gets unless configured: long enough for the locks of ordinary
    /// traffic, short enough that DDL queued behind a long transaction does not hold every query on the
    /// table up behind it for long.
    /// </summary>
    public static TimeSpan DefaultLockTimeout { get; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// PostgreSQL's lock_timeout for the migration statements: how long a statement waits for a lock before
    /// it fails (and its migration rolls back), naming the sessions that held it. <see cref="DefaultLockTimeout"/>
    /// by default; <see cref="TimeSpan.Zero"/> waits without limit; null keeps the server's setting.
    /// </summary>
    public TimeSpan? LockTimeout { get; init; } = DefaultLockTimeout;

    /// <summary>The retries a lock timeout gets unless configured: enough to get past a burst of long transactions, few enough to fail fast.</summary>
    public const int DefaultLockRetries = 3;

    /// <summary>
    /// How many times a statement of a <c>-- strata:no-transaction</c> migration, or a transactional migration's whole
    /// transaction, that failed on lock_timeout is run again (per migration, not with <see cref="TransactionMode.All"/>),
    /// after <see cref="LockRetryPause"/>, doubled before each further attempt. 0 fails at the first lock timeout.
    /// </summary>
    public int LockRetries { get; init; } = DefaultLockRetries;

    /// <summary>The pause before the first retry after a lock timeout; each further one waits twice as long as the one before.</summary>
    public TimeSpan LockRetryPause { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Told when a lock timeout is about to be retried, before the pause, for progress displays and logs.</summary>
    public Action<LockRetry>? LockRetrying { get; init; }

    /// <summary>PostgreSQL's statement_timeout for the migration statements; null keeps the server's.</summary>
    public TimeSpan? StatementTimeout { get; init; }

    /// <summary>Told before each migration and each statement, for progress displays.</summary>
    public IProgress<MigrationProgress>? Progress { get; init; }
}

/// <summary>Where a run is: migration <paramref name="MigrationIndex"/> (0-based) of <paramref name="MigrationCount"/>, statement <paramref name="StatementIndex"/> of <paramref name="StatementCount"/>.</summary>
public sealed record MigrationProgress(string MigrationId, int MigrationIndex, int MigrationCount, int StatementIndex, int StatementCount);

/// <summary>
/// A lock timeout about to be retried: attempt <paramref name="Attempt"/> (1-based) of at most <paramref name="MaxAttempts"/>
/// failed on <paramref name="Failure"/>'s statement; the next starts after <paramref name="Pause"/>. <paramref name="WholeTransaction"/>:
/// the migration's transaction runs again from its first statement, else the one statement does.
/// </summary>
public sealed record LockRetry(string MigrationId, int Attempt, int MaxAttempts, TimeSpan Pause, bool WholeTransaction, StatementFailedException Failure);

/// <summary>What <see cref="Migrator.RollbackAsync"/> undoes: the newest <see cref="Steps"/> applied migrations, or all after <see cref="TargetId"/>.</summary>
public sealed record RollbackOptions
{
    /// <summary>How many of the newest applied migrations to undo (default 1); ignored when <see cref="TargetId"/> is set.</summary>
    public int Steps { get; init; } = 1;

    /// <summary>Undo every applied migration after this one (which stays applied).</summary>
    public string? TargetId { get; init; }

    /// <summary>Run down scripts whose header says <c>-- strata:data-loss</c>.</summary>
    public bool AcceptDataLoss { get; init; }
}
