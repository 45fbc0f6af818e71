using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Strata.Postgres.Migrations;

/// <summary>
/// Applies and undoes migrations on one database, safely under concurrency: the CLI's migrate, status
/// and rollback, and an application's start-up, all go through it.
/// <list type="bullet">
/// <item>Pending = in the source and not in the tracking table, never "newer than the newest applied".</item>
/// <item>Before anything runs: strata.sum is verified, every applied migration's checksum is compared
/// with its up.sql, applied migrations missing from the source and out-of-order ones are refused.</item>
/// <item>A session-level advisory lock on a dedicated connection, taken before the tracking table is
/// read and held for the whole run, so concurrent runs apply each migration exactly once.</item>
/// <item>Each migration in its own transaction with its tracking row; a <c>-- strata:no-transaction</c>
/// migration statement by statement with its progress recorded, so a rerun resumes it.</item>
/// </list>
/// </summary>
public sealed class Migrator(NpgsqlDataSource dataSource, MigrationSource source, MigratorOptions? options = null, ILogger? logger = null)
{
    private readonly MigratorOptions _options = options ?? new MigratorOptions();
    private readonly ILogger _logger = logger ?? NullLogger.Instance;

    public NpgsqlDataSource DataSource { get; } = dataSource;

    public MigrationSource Source { get; } = source;

    public MigratorOptions Options => _options;

    /// <summary>Applies a migrations folder: <c>new Migrator(dataSource, folder).ApplyAsync(ct)</c> in one call.</summary>
    public static async Task<MigrateResult> ApplyAsync(NpgsqlDataSource dataSource, string migrationsFolder, ILogger? logger = null, CancellationToken ct = default) =>
        await new Migrator(dataSource, await MigrationSource.FromFolderAsync(migrationsFolder, ct), logger: logger).ApplyAsync(ct);

    /// <summary>Every migration's state; reads only (no lock, creates nothing).</summary>
    public Task<MigrationStatusReport> StatusAsync(CancellationToken ct = default) => throw new NotImplementedException();

    /// <summary>What <see cref="ApplyAsync(CancellationToken)"/> would run now, after the same checks; changes nothing.</summary>
    /// <exception cref="MigrationRefusedException">The same refusals as <see cref="ApplyAsync(CancellationToken)"/>.</exception>
    public Task<IReadOnlyList<PlannedMigration>> PlanAsync(CancellationToken ct = default) => throw new NotImplementedException();

    /// <summary>Applies the pending migrations (up to <see cref="MigratorOptions.TargetId"/>).</summary>
    /// <exception cref="MigrationRefusedException">Checks failed; nothing ran.</exception>
    /// <exception cref="MigrationLockTimeoutException">Another run held the lock too long; nothing ran.</exception>
    /// <exception cref="MigrationFileException">A pending script is malformed; nothing ran.</exception>
    /// <exception cref="MigrationFailedException">A statement failed; earlier migrations stay applied (all of them roll back with TransactionMode.All).</exception>
    /// <exception cref="MigrationInterruptedException">The connection was lost mid-migration.</exception>
    public Task<MigrateResult> ApplyAsync(CancellationToken ct = default) => throw new NotImplementedException();

    /// <summary>The migrations <see cref="RollbackAsync"/> would undo, newest first, with their down statements; changes nothing.</summary>
    public Task<IReadOnlyList<PlannedMigration>> PlanRollbackAsync(RollbackOptions rollback, CancellationToken ct = default) => throw new NotImplementedException();

    /// <summary>
    /// Runs the down.sql of the newest applied migrations in reverse id order, each in a transaction with
    /// the removal of its tracking row, under the same lock and checks as <see cref="ApplyAsync(CancellationToken)"/>.
    /// </summary>
    /// <exception cref="MigrationRefusedException">No down script, data loss not accepted, a partial migration, or the checks failed; nothing ran.</exception>
    /// <exception cref="MigrationFailedException">A down statement failed; the migrations undone before it stay undone.</exception>
    public Task<IReadOnlyList<RolledBackMigration>> RollbackAsync(RollbackOptions rollback, CancellationToken ct = default) => throw new NotImplementedException();
}
