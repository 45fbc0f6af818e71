using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Strata.Postgres.Execution;

namespace Strata.Postgres.Migrations;

/// <summary>
/// Applies and undoes migrations on one database, safely under concurrency: the CLI's migrate, status
/// and rollback, and an application's start-up, all go through it.
/// <list type="bullet">
/// <item>Pending = in the source and not in the tracking table, never "newer than the newest applied".</item>
/// <item>Before anything runs: strata.sum is verified, every applied migration's checksum is compared
/// with its up.sql, applied migrations missing from the source and out-of-order ones are refused.</item>
/// <item>A session-level advisory lock, taken before the tracking table is read and held for the whole
/// run by the session that runs the statements, so concurrent runs apply each migration exactly once and
/// a lost session loses the lock and its work together (<see cref="MigrationLock"/>).</item>
/// <item>Each migration in its own transaction with its tracking row; a <c>-- strata:no-transaction</c>
/// migration statement by statement with its progress recorded, so a rerun resumes it.</item>
/// </list>
/// </summary>
public sealed partial class Migrator(NpgsqlDataSource dataSource, MigrationSource source, MigratorOptions? options = null, ILogger? logger = null)
{
    private readonly MigratorOptions _options = options ?? new MigratorOptions();
    private readonly ILogger _logger = logger ?? NullLogger.Instance;

    public NpgsqlDataSource DataSource { get; } = dataSource;

    public MigrationSource Source { get; } = source;

    public MigratorOptions Options => _options;

    private HistoryTable History => new(_options.HistoryTable);

    /// <summary>Applies a migrations folder: <c>new Migrator(dataSource, folder).ApplyAsync(ct)</c> in one call.</summary>
    public static async Task<MigrateResult> ApplyAsync(NpgsqlDataSource dataSource, string migrationsFolder, ILogger? logger = null, CancellationToken ct = default) =>
        await new Migrator(dataSource, await MigrationSource.FromFolderAsync(migrationsFolder, ct), logger: logger).ApplyAsync(ct);

    /// <summary>Every migration's state; reads only (no lock, creates nothing).</summary>
    public async Task<MigrationStatusReport> StatusAsync(CancellationToken ct = default)
    {
        await using var connection = await DataSource.OpenConnectionAsync(ct);
        var exists = await History.ExistsAsync(connection, ct);
        var inventory = await MigrationInventory.ReadAsync(Source, await History.ReadAsync(connection, ct), ct);
        return new MigrationStatusReport(Source.Location, exists, inventory.Statuses, inventory.SumProblems, inventory.BranchConflicts);
    }

    /// <summary>What <see cref="ApplyAsync(CancellationToken)"/> would run now, after the same checks; changes nothing.</summary>
    /// <exception cref="MigrationRefusedException">The same refusals as <see cref="ApplyAsync(CancellationToken)"/>.</exception>
    public async Task<IReadOnlyList<PlannedMigration>> PlanAsync(CancellationToken ct = default)
    {
        await using var connection = await DataSource.OpenConnectionAsync(ct);
        var inventory = await MigrationInventory.ReadAsync(Source, await History.ReadAsync(connection, ct), ct, loadPending: true);
        return PlanApply(inventory).Select(p => p.Planned).ToList();
    }

    /// <summary>Applies the pending migrations (up to <see cref="MigratorOptions.TargetId"/>).</summary>
    /// <exception cref="MigrationRefusedException">Checks failed; nothing ran.</exception>
    /// <exception cref="MigrationLockTimeoutException">Another run held the lock too long; nothing ran.</exception>
    /// <exception cref="MigrationFileException">A pending script is malformed; nothing ran.</exception>
    /// <exception cref="MigrationFailedException">A statement failed; earlier migrations stay applied (all of them roll back with TransactionMode.All).</exception>
    /// <exception cref="MigrationInterruptedException">The connection or the migration lock was lost mid-migration (when cancelled: the InnerException of an OperationCanceledException).</exception>
    public async Task<MigrateResult> ApplyAsync(CancellationToken ct = default)
    {
        await using var connection = await DataSource.OpenConnectionAsync(ct);
        await using var migrationLock = await AcquireLockAsync(connection, ct);
        return await ApplyUnderLockAsync(connection, migrationLock, ct);
    }

    /// <summary>
    /// Drops everything the migrations manage, then applies every migration again, all under one hold of
    /// the migration lock so that no other run interleaves: first the same checks as
    /// <see cref="ApplyAsync(CancellationToken)"/> as if on an empty database (nothing is dropped when
    /// they refuse), then each of <paramref name="schemas"/> with everything in it (for <c>public</c> its
    /// contents; tables a hundred to a transaction, see <see cref="ManagedObjects"/>), the tracking table,
    /// and the tracking table's schema when that is left empty.
    /// </summary>
    /// <param name="schemas">The schemas the project's schema defines (those of the newest snapshot).</param>
    /// <exception cref="MigrationRefusedException">The migrations would not apply to an empty database; nothing was dropped.</exception>
    /// <exception cref="MigrationFailedException">A migration failed after the drop; the ones before it are applied.</exception>
    public async Task<ResetResult> ResetAsync(IReadOnlyCollection<string> schemas, CancellationToken ct = default)
    {
        await using var connection = await DataSource.OpenConnectionAsync(ct);
        await using var migrationLock = await AcquireLockAsync(connection, ct);
        PlanApply(await MigrationInventory.ReadAsync(Source, new Dictionary<string, HistoryRow>(), ct));

        var stopwatch = Stopwatch.StartNew();
        bool trackingSchemaDropped;
        await using (var executor = await StatementExecutor.StartAsync(connection, Timeouts, DataSource, ct))
            trackingSchemaDropped = await ManagedObjects.DropAsync(executor, schemas, _options.HistoryTable, ct);
        var dropped = stopwatch.Elapsed;
        LogReset(_logger, string.Join(", ", schemas), (long)dropped.TotalMilliseconds);
        return new ResetResult(schemas.Order(StringComparer.Ordinal).ToList(), trackingSchemaDropped, dropped, await ApplyUnderLockAsync(connection, migrationLock, ct));
    }

    /// <summary>
    /// Records the first migration (the baseline <c>strata pull</c> writes from an existing database) as
    /// applied without running it, under the migration lock and after the same checks of the folder as
    /// <see cref="ApplyAsync(CancellationToken)"/>. Only on a database whose tracking table has no applied
    /// migrations. <paramref name="verify"/> runs first, on the locked connection, and throws to refuse
    /// (when the database does not hold what the baseline creates); nothing is recorded then.
    /// </summary>
    /// <exception cref="MigrationRefusedException">Migrations are already applied, there are none, or the checks failed; nothing was recorded.</exception>
    public async Task<AppliedMigration> BaselineAsync(Func<NpgsqlConnection, Task> verify, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(verify);
        await using var connection = await DataSource.OpenConnectionAsync(ct);
        await using var migrationLock = await AcquireLockAsync(connection, ct);
        var inventory = await MigrationInventory.ReadAsync(Source, await History.ReadAsync(connection, ct), ct);
        if (inventory.History.Count > 0)
            throw new MigrationRefusedException([new Refusal(RefusalKind.NotBaseline, null, null,
                $"{_options.HistoryTable} already records {inventory.History.Count} applied migration(s) ({string.Join(", ", inventory.History.Keys.Order(StringComparer.Ordinal).Take(3))}…); "
                + "a baseline is only for a database that has never been migrated: run migrate without --baseline.")]);
        var plan = PlanApply(inventory);
        if (plan.Count == 0)
            throw new MigrationRefusedException([new Refusal(RefusalKind.NotBaseline, null, null,
                $"there is no migration in {Source.Location} to mark as the baseline: run strata pull first.")]);

        await verify(connection);
        var (baseline, checksum, _) = plan[0];
        await History.EnsureCreatedAsync(connection, ct);
        await History.RecordAsync(connection, null, baseline.Id, checksum, 0, baseline.Statements.Count, ct);
        LogApplied(_logger, baseline.Id + " (baseline, not run)", 0);
        return new AppliedMigration(baseline.Id, checksum, TimeSpan.Zero);
    }

    private async Task<MigrateResult> ApplyUnderLockAsync(NpgsqlConnection connection, MigrationLock migrationLock, CancellationToken ct)
    {
        PlannedMigration? current = null;
        var position = new RunPosition();
        StatementExecutor? executor = null;
        try
        {
            var inventory = await MigrationInventory.ReadAsync(Source, await History.ReadAsync(connection, ct), ct);
            var plan = PlanApply(inventory);
            LogPending(_logger, plan.Count, inventory.Statuses.Count(s => s.State == MigrationState.Applied));
            if (plan.Count == 0)
                return new MigrateResult([], inventory.History.Count, migrationLock.Waited);

            executor = await StatementExecutor.StartAsync(connection, Timeouts, DataSource, ct);
            // Only now, with every check passed and something to record: a refused run changes nothing,
            // not even the tracking table's schema.
            await History.EnsureCreatedAsync(connection, ct);
            var applied = new List<AppliedMigration>();
            if (_options.TransactionMode == TransactionMode.All)
            {
                await using var transaction = await connection.BeginTransactionAsync(ct);
                for (var i = 0; i < plan.Count; i++)
                {
                    current = plan[i].Planned;
                    position.StatementsApplied = 0;
                    applied.Add(await ApplyInTransactionAsync(executor, transaction, plan, i, wholeRun: true, ct));
                }
                await transaction.CommitAsync(ct);
            }
            else
            {
                for (var i = 0; i < plan.Count; i++)
                {
                    current = plan[i].Planned;
                    position.StatementsApplied = current.ResumeAtStatement;
                    if (current.RunsInTransaction)
                    {
                        var index = i;
                        applied.Add(await WithLockRetriesAsync(current.Id, wholeTransaction: true, async () =>
                        {
                            await using var transaction = await connection.BeginTransactionAsync(ct);
                            var done = await ApplyInTransactionAsync(executor, transaction, plan, index, wholeRun: false, ct);
                            await transaction.CommitAsync(ct);
                            return done;
                        }, ct));
                    }
                    else
                    {
                        applied.Add(await ApplyStatementByStatementAsync(executor, plan, i, position, ct));
                    }
                    LogApplied(_logger, current.Id, (long)applied[^1].Duration.TotalMilliseconds);
                }
            }
            return new MigrateResult(applied, inventory.History.Count(h => h.Value.Completed), migrationLock.Waited);
        }
        catch (Exception e) when (current is not null && InterruptionOf(e, connection, ct) is { } cause)
        {
            var inTransaction = _options.TransactionMode == TransactionMode.All || current.RunsInTransaction;
            throw Interrupted(new MigrationInterruptedException(current.Id, inTransaction, cause, inTransaction ? 0 : position.StatementsApplied, current.Statements.Count, duringRollback: false, e), ct);
        }
        finally
        {
            if (executor is not null)
                await executor.DisposeAsync();
        }
    }

    /// <summary>lock_timeout and statement_timeout for the migration's own statements (not for the advisory lock's wait).</summary>
    private SessionTimeouts Timeouts => new(_options.LockTimeout, _options.StatementTimeout);

    /// <summary>Runs <paramref name="work"/>, a statement of <paramref name="planned"/> failing in it as the migration's failure.</summary>
    private static async Task RunAsync(PlannedMigration planned, Func<Task> work)
    {
        try
        {
            await work();
        }
        catch (StatementFailedException e) when (e is not MigrationFailedException)
        {
            throw new MigrationFailedException(planned.Id, planned.RunsInTransaction, e);
        }
    }

    /// <summary>How far the migration being applied has got: the statements committed and recorded, for the message of an interrupted run.</summary>
    private sealed class RunPosition
    {
        public int StatementsApplied { get; set; }
    }

    /// <summary>The migrations <see cref="RollbackAsync"/> would undo, newest first, with their down statements; changes nothing.</summary>
    /// <exception cref="MigrationRefusedException">The same refusals as <see cref="RollbackAsync"/>.</exception>
    public async Task<IReadOnlyList<PlannedMigration>> PlanRollbackAsync(RollbackOptions rollback, CancellationToken ct = default)
    {
        await using var connection = await DataSource.OpenConnectionAsync(ct);
        var inventory = await MigrationInventory.ReadAsync(Source, await History.ReadAsync(connection, ct), ct);
        return PlanRollback(inventory, rollback).Select(p => p.Planned).ToList();
    }

    /// <summary>
    /// Runs the down.sql of the newest applied migrations in reverse id order, each in a transaction with
    /// the removal of its tracking row, under the same lock and checks as <see cref="ApplyAsync(CancellationToken)"/>.
    /// </summary>
    /// <exception cref="MigrationRefusedException">No down script, data loss not accepted, a partial migration, or the checks failed; nothing ran.</exception>
    /// <exception cref="MigrationFailedException">A down statement failed; the migrations undone before it stay undone.</exception>
    /// <exception cref="MigrationInterruptedException">The connection was lost mid-rollback.</exception>
    public async Task<IReadOnlyList<RolledBackMigration>> RollbackAsync(RollbackOptions rollback, CancellationToken ct = default)
    {
        await using var connection = await DataSource.OpenConnectionAsync(ct);
        await using var migrationLock = await AcquireLockAsync(connection, ct);
        var inventory = await MigrationInventory.ReadAsync(Source, await History.ReadAsync(connection, ct), ct);
        var plan = PlanRollback(inventory, rollback);
        if (plan.Count == 0)
            return [];

        await using var executor = await StatementExecutor.StartAsync(connection, Timeouts, DataSource, ct);
        var undone = new List<RolledBackMigration>();
        string? current = null;
        var downStatementsRun = 0;
        try
        {
            foreach (var (planned, down) in plan)
            {
                current = planned.Id;
                downStatementsRun = 0;
                var stopwatch = Stopwatch.StartNew();
                if (down.RunsInTransaction)
                {
                    await using var transaction = await connection.BeginTransactionAsync(ct);
                    await ExecuteAllAsync(executor, transaction, planned, undone.Count, plan.Count, ct);
                    await History.DeleteAsync(connection, transaction, planned.Id, ct);
                    await transaction.CommitAsync(ct);
                }
                else
                {
                    for (var s = 0; s < planned.Statements.Count; s++)
                    {
                        await ExecuteAloneAsync(executor, planned, s, undone.Count, plan.Count, _ => Task.CompletedTask, ct);
                        downStatementsRun = s + 1;
                    }
                    await History.DeleteAsync(connection, null, planned.Id, ct);
                }
                var irreversible = down.Directives.Where(d => d.Name == MigrationScript.Irreversible).Select(d => d.Argument ?? "").ToList();
                undone.Add(new RolledBackMigration(planned.Id, stopwatch.Elapsed, irreversible));
                LogRolledBack(_logger, planned.Id, stopwatch.ElapsedMilliseconds);
            }
        }
        catch (MigrationFailedException e)
        {
            e.DuringRollback = true;
            throw;
        }
        catch (Exception e) when (current is not null && InterruptionOf(e, connection, ct) is { } cause)
        {
            var (planned, down) = plan.First(p => p.Planned.Id == current);
            throw Interrupted(new MigrationInterruptedException(current, down.RunsInTransaction, cause, down.RunsInTransaction ? 0 : downStatementsRun, planned.Statements.Count, duringRollback: true, e), ct);
        }
        return undone;
    }

    /// <summary>The lock, on the connection that runs the statements: see <see cref="MigrationLock"/> for why not on one of its own.</summary>
    private async Task<MigrationLock> AcquireLockAsync(NpgsqlConnection connection, CancellationToken ct) =>
        await MigrationLock.AcquireAsync(connection, _options.HistoryTable, _options.LockWaitTimeout, holder => LogWaitingForLock(_logger, holder ?? "unknown"), ct);

    private sealed record ApplyStep(PlannedMigration Planned, string Checksum, HistoryRow? Partial);

    private List<ApplyStep> PlanApply(MigrationInventory inventory)
    {
        var (toApply, refusals) = inventory.PlanApply(_options);
        var refusalList = refusals.ToList();
        var steps = new List<ApplyStep>();
        foreach (var status in toApply)
        {
            var scripts = inventory.Scripts(status.Id);
            var partial = status.State == MigrationState.Partial ? status.Applied : null;
            if (_options.TransactionMode == TransactionMode.All && (!scripts.UpRunsInTransaction || partial is not null))
            {
                refusalList.Add(new Refusal(RefusalKind.NoTransactionInAll, status.Id, scripts.UpFile,
                    $"{scripts.UpFile} says -- strata:no-transaction, so it cannot run inside the single transaction of --transaction all. "
                    + "Apply the migrations one transaction each (the default), or apply up to the one before it with --to and then the rest."));
            }
            steps.Add(new ApplyStep(
                new PlannedMigration(status.Id, scripts.UpFile, scripts.UpRunsInTransaction, scripts.UpStatements, status.State == MigrationState.OutOfOrder, partial?.StatementsApplied ?? 0),
                status.FileChecksum!, partial));
        }
        if (refusalList.Count > 0)
            throw new MigrationRefusedException(refusalList);
        return steps;
    }

    private static List<(PlannedMigration Planned, MigrationScript Down)> PlanRollback(MigrationInventory inventory, RollbackOptions rollback)
    {
        var (toUndo, refusals) = inventory.PlanRollback(rollback);
        if (refusals.Count > 0)
            throw new MigrationRefusedException(refusals);
        return toUndo.Select(status =>
        {
            var scripts = inventory.Scripts(status.Id);
            var down = MigrationScript.Parse(scripts.DownSql!, scripts.DownFile);
            var dataLoss = down.Directives.Where(d => d.Name == MigrationScript.DataLoss).Select(d => d.Argument ?? "").ToList();
            return (new PlannedMigration(status.Id, scripts.DownFile, down.RunsInTransaction, down.Statements, false, 0, dataLoss), down);
        }).ToList();
    }

    private async Task<AppliedMigration> ApplyInTransactionAsync(StatementExecutor executor, NpgsqlTransaction transaction, List<ApplyStep> plan, int index, bool wholeRun, CancellationToken ct)
    {
        var (planned, checksum, _) = plan[index];
        LogApplying(_logger, planned.Id, planned.Statements.Count, true);
        var stopwatch = Stopwatch.StartNew();
        try
        {
            await ExecuteAllAsync(executor, transaction, planned, index, plan.Count, ct);
        }
        catch (MigrationFailedException e) when (wholeRun)
        {
            e.WholeRunRolledBack = true;
            throw;
        }
        await History.RecordAsync(executor.Connection, transaction, planned.Id, checksum, stopwatch.ElapsedMilliseconds, planned.Statements.Count, ct);
        return new AppliedMigration(planned.Id, checksum, stopwatch.Elapsed);
    }

    /// <summary>
    /// A <c>-- strata:no-transaction</c> migration: each statement commits on its own together with the
    /// count of statements done, so a rerun after a failure (or a kill) resumes at the first statement
    /// that did not commit. A statement PostgreSQL refuses inside a transaction block (CREATE INDEX
    /// CONCURRENTLY) runs alone, and its progress is recorded right after it.
    /// </summary>
    private async Task<AppliedMigration> ApplyStatementByStatementAsync(StatementExecutor executor, List<ApplyStep> plan, int index, RunPosition position, CancellationToken ct)
    {
        var connection = executor.Connection;
        var (planned, checksum, partial) = plan[index];
        var statements = planned.Statements;
        var start = partial?.StatementsApplied ?? 0;
        if (partial is null)
            await History.StartPartialAsync(connection, planned.Id, checksum, MigrationInventory.ProgressChecksum(statements, 0), ct);
        else
            LogResuming(_logger, planned.Id, start + 1, statements.Count);
        LogApplying(_logger, planned.Id, statements.Count, false);

        var stopwatch = Stopwatch.StartNew();
        for (var s = start; s < statements.Count; s++)
        {
            var done = s + 1;
            async Task RecordProgress(NpgsqlTransaction? transaction)
            {
                await History.RecordProgressAsync(connection, transaction, planned.Id, done, MigrationInventory.ProgressChecksum(statements, done), ct);
                // Counted once committed: inside a transaction the commit follows this at once.
                position.StatementsApplied = done;
            }
            // The statement the last run stopped at may have finished without its progress row.
            if (partial is not null && s == start
                && await executor.WithoutLockTimeoutAsync(statements[s].Sql, () => ConcurrentIndexStatement.PrepareAsync(connection, statements[s].Sql, ct), ct)
                    == ConcurrentIndexStatement.Resume.AlreadyDone)
            {
                await RecordProgress(null);
                continue;
            }
            await ExecuteAloneAsync(executor, planned, s, index, plan.Count, RecordProgress, ct);
        }
        await History.CompleteAsync(connection, planned.Id, checksum, stopwatch.ElapsedMilliseconds, ct);
        return new AppliedMigration(planned.Id, checksum, stopwatch.Elapsed);
    }

    /// <summary>
    /// Runs one statement in a transaction of its own together with <paramref name="recordProgress"/>, or,
    /// when PostgreSQL refuses it inside a transaction block, alone and then records the progress.
    /// </summary>
    private Task ExecuteAloneAsync(
        StatementExecutor executor, PlannedMigration planned, int statement, int migrationIndex, int migrationCount,
        Func<NpgsqlTransaction?, Task> recordProgress, CancellationToken ct) =>
        WithLockRetriesAsync(planned.Id, wholeTransaction: false, async () =>
        {
            await RunAsync(planned, () => executor.ExecuteOutsideTransactionAsync(planned.File, planned.Statements[statement], recordProgress,
                () => Report(planned, migrationIndex, migrationCount, statement), ct));
            return true;
        }, ct);

    /// <summary>
    /// Runs <paramref name="attempt"/> (a statement in a transaction of its own, or a migration's whole transaction,
    /// rolled back by then) again when it failed on lock_timeout, up to <see cref="MigratorOptions.LockRetries"/> times,
    /// the pause doubling each time: the DDL gave way to the traffic rather than queue it, and tries again once the
    /// long transaction in front of it may have ended. The last failure says how many attempts were made.
    /// </summary>
    private async Task<T> WithLockRetriesAsync<T>(string migrationId, bool wholeTransaction, Func<Task<T>> attempt, CancellationToken ct)
    {
        var maxAttempts = Math.Max(0, _options.LockRetries) + 1;
        var pause = _options.LockRetryPause;
        for (var number = 1; ; number++)
        {
            try
            {
                return await attempt();
            }
            catch (MigrationFailedException e) when (e.IsLockTimeout)
            {
                e.Attempts = number;
                if (number >= maxAttempts)
                    throw;
                _options.LockRetrying?.Invoke(new LockRetry(migrationId, number, maxAttempts, pause, wholeTransaction, e));
                LogLockRetry(_logger, migrationId, number, maxAttempts, (long)pause.TotalMilliseconds);
            }
            await Task.Delay(pause, ct);
            pause *= 2;
        }
    }

    /// <summary>
    /// Runs every statement of a transactional script inside <paramref name="transaction"/>, batched. The
    /// statements of an up.sql are read from its file as they go (a batch at a time is held, never the script).
    /// </summary>
    private Task ExecuteAllAsync(
        StatementExecutor executor, NpgsqlTransaction transaction, PlannedMigration planned, int migrationIndex, int migrationCount, CancellationToken ct) =>
        RunAsync(planned, () => planned.Statements is StreamedStatements streamed
            ? executor.ExecuteBatchedAsync(transaction, planned.File, streamed.Scripts.StreamUpAsync(ct), next => Report(planned, migrationIndex, migrationCount, next), ct)
            : executor.ExecuteBatchedAsync(transaction, planned.File, planned.Statements, next => Report(planned, migrationIndex, migrationCount, next), ct));

    private void Report(PlannedMigration planned, int migrationIndex, int migrationCount, int statement) =>
        _options.Progress?.Report(new MigrationProgress(planned.Id, migrationIndex, migrationCount, statement, planned.Statements.Count));

    /// <summary>
    /// A cancelled run still ends in an <see cref="OperationCanceledException"/>, as callers of a cancellable
    /// method expect, carrying the <see cref="MigrationInterruptedException"/> that says what was left;
    /// a lost connection or lock ends in the latter itself.
    /// </summary>
    private static Exception Interrupted(MigrationInterruptedException interrupted, CancellationToken ct) =>
        interrupted.Cause == InterruptionCause.Cancelled ? new OperationCanceledException(interrupted.Message, interrupted, ct) : interrupted;

    /// <summary>Why the run stopped mid-migration without a statement failing, or null when <paramref name="e"/> is something else.</summary>
    private static InterruptionCause? InterruptionOf(Exception e, NpgsqlConnection connection, CancellationToken ct) =>
        e is MigrationLockLostException ? InterruptionCause.LockLost
        : e is OperationCanceledException && ct.IsCancellationRequested ? InterruptionCause.Cancelled
        : StatementExecutor.IsConnectionLost(e, connection) ? InterruptionCause.ConnectionLost
        : null;

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "{PendingCount} migrations to apply, {AppliedCount} already applied")]
    private static partial void LogPending(ILogger logger, int pendingCount, int appliedCount);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "Applying {MigrationId} ({StatementCount} statements, in a transaction: {InTransaction})")]
    private static partial void LogApplying(ILogger logger, string migrationId, int statementCount, bool inTransaction);

    [LoggerMessage(EventId = 3, Level = LogLevel.Information, Message = "Applied {MigrationId} in {ElapsedMs} ms")]
    private static partial void LogApplied(ILogger logger, string migrationId, long elapsedMs);

    [LoggerMessage(EventId = 4, Level = LogLevel.Information, Message = "Waiting for the migration lock, held by another run ({Holder})")]
    private static partial void LogWaitingForLock(ILogger logger, string holder);

    [LoggerMessage(EventId = 5, Level = LogLevel.Information, Message = "Resuming {MigrationId} at statement {Statement} of {StatementCount}")]
    private static partial void LogResuming(ILogger logger, string migrationId, int statement, int statementCount);

    [LoggerMessage(EventId = 6, Level = LogLevel.Information, Message = "Rolled back {MigrationId} in {ElapsedMs} ms")]
    private static partial void LogRolledBack(ILogger logger, string migrationId, long elapsedMs);

    [LoggerMessage(EventId = 8, Level = LogLevel.Warning, Message = "{MigrationId}: attempt {Attempt} of {MaxAttempts} ran out of lock_timeout; trying again in {PauseMs} ms")]
    private static partial void LogLockRetry(ILogger logger, string migrationId, int attempt, int maxAttempts, long pauseMs);

    [LoggerMessage(EventId = 7, Level = LogLevel.Warning, Message = "Reset: dropped the schemas {Schemas} and the tracking table in {ElapsedMs} ms")]
    private static partial void LogReset(ILogger logger, string schemas, long elapsedMs);
}
