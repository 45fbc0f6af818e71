namespace Strata.Postgres.Migrations;

/// <summary>Where one migration stands between the source and the tracking table.</summary>
public enum MigrationState
{
    /// <summary>In the tracking table with the checksum of its up.sql.</summary>
    Applied,

    /// <summary>On disk, not in the tracking table, newer than every applied migration.</summary>
    Pending,

    /// <summary>On disk, not in the tracking table, older than the newest applied migration (a merged branch): applied only with AllowOutOfOrder.</summary>
    OutOfOrder,

    /// <summary>In the tracking table but not in the source: deleted or renamed after it was applied.</summary>
    MissingOnDisk,

    /// <summary>In the tracking table with a checksum that differs from its up.sql now: edited after it was applied.</summary>
    ChecksumMismatch,

    /// <summary>A <c>-- strata:no-transaction</c> migration that stopped part-way; the next run resumes it.</summary>
    Partial,
}

/// <summary>One migration's state. <see cref="Applied"/> is its tracking row when it has one.</summary>
/// <param name="FileChecksum">The hash of up.sql now (null when missing on disk).</param>
/// <param name="File">up.sql's name for messages (null when missing on disk).</param>
/// <param name="HasNoStatements">up.sql has no statements: a custom migration left empty, or as <c>strata generate --custom</c> wrote it. migrate refuses to apply it.</param>
public sealed record MigrationStatus(string Id, MigrationState State, HistoryRow? Applied, string? FileChecksum, string? File, bool HasNoStatements = false)
{
    /// <summary>Why a pending migration with no statements is not applied, and what to do; null for any other.</summary>
    public string? EmptyProblem => HasNoStatements && State is MigrationState.Pending or MigrationState.OutOfOrder
        ? $"{File} has no statements: a custom migration that was never written (strata generate --custom leaves only comments). "
          + $"Write its SQL there and accept the edit with `strata hash`, or remove the migration with `strata drop`."
        : null;
}

/// <summary>Every migration of the source and of the tracking table, in id order, and the source's strata.sum problems.</summary>
/// <param name="TrackingTableExists">False for a database that Strata never migrated (everything is pending).</param>
public sealed record MigrationStatusReport(
    string Location,
    bool TrackingTableExists,
    IReadOnlyList<MigrationStatus> Migrations,
    IReadOnlyList<SumProblem> SumProblems)
{
    /// <summary>True when <see cref="Migrator.ApplyAsync(CancellationToken)"/> would refuse to run (before taking out-of-order into account).</summary>
    public bool HasProblems => SumProblems.Count > 0
        || Migrations.Any(m => m.State is MigrationState.MissingOnDisk or MigrationState.ChecksumMismatch);
}

/// <summary>A migration that <see cref="Migrator.ApplyAsync(CancellationToken)"/> applied (or, for a dry run, would apply).</summary>
public sealed record AppliedMigration(string Id, string Checksum, TimeSpan Duration);

/// <summary>The outcome of <see cref="Migrator.ApplyAsync(CancellationToken)"/>.</summary>
/// <param name="Applied">The migrations applied by this run, in order (a resumed partial one included).</param>
/// <param name="LockWait">How long the run waited for another migrator's lock.</param>
public sealed record MigrateResult(IReadOnlyList<AppliedMigration> Applied, int AlreadyApplied, TimeSpan LockWait);

/// <summary>A migration that a run would apply, with its statements: what <see cref="Migrator.PlanAsync"/> returns for a dry run.</summary>
/// <param name="DataLoss">For a rollback, what the down script destroys (its <c>-- strata:data-loss</c> lines); empty otherwise.</param>
public sealed record PlannedMigration(string Id, string File, bool RunsInTransaction, IReadOnlyList<ScriptStatement> Statements, bool OutOfOrder, int ResumeAtStatement, IReadOnlyList<string>? DataLoss = null);

/// <summary>A migration undone by <see cref="Migrator.RollbackAsync"/>.</summary>
/// <param name="Irreversible">What up.sql destroyed that the down script could not give back (its <c>-- strata:irreversible</c> lines).</param>
public sealed record RolledBackMigration(string Id, TimeSpan Duration, IReadOnlyList<string> Irreversible);

/// <summary>The outcome of <see cref="Migrator.ResetAsync"/>.</summary>
/// <param name="Schemas">The schemas dropped (or, for <c>public</c>, emptied), in name order.</param>
/// <param name="TrackingSchemaDropped">The tracking table's own schema was left empty and dropped too.</param>
/// <param name="DropDuration">How long the drop took, before the migrations were applied again.</param>
public sealed record ResetResult(IReadOnlyList<string> Schemas, bool TrackingSchemaDropped, TimeSpan DropDuration, MigrateResult Migrate);
