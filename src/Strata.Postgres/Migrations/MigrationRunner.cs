using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Strata.Postgres.Migrations;

/// <summary>
/// Applies the pending migrations of a folder: those whose id is not in the tracking table, in id
/// order. Each migration runs in its own transaction together with its tracking row, except one
/// marked <c>-- strata:no-transaction</c>, which runs statement by statement.
/// </summary>
public static partial class MigrationRunner
{
    /// <summary>Applies every pending migration and returns them in the order they were applied.</summary>
    /// <exception cref="MigrationFailedException">A statement failed; earlier migrations stay applied.</exception>
    /// <exception cref="MigrationFileException">A pending migration's up.sql is missing or malformed (found before anything runs).</exception>
    public static async Task<IReadOnlyList<AppliedMigration>> ApplyAsync(
        NpgsqlDataSource dataSource, MigrationDirectory directory, ILogger? logger, CancellationToken ct)
    {
        logger ??= NullLogger.Instance;
        var history = HistoryTable.Default;
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await history.EnsureCreatedAsync(connection, ct);
        var applied = await history.ReadAsync(connection, ct);

        // Every pending script is read before the first runs, so a broken file stops the run before it changes anything.
        var pending = new List<(Migration Migration, MigrationScript Script, string Checksum)>();
        foreach (var migration in directory.Migrations.Where(m => !applied.ContainsKey(m.Id)))
        {
            var text = await migration.ReadUpAsync(ct);
            pending.Add((migration, MigrationScript.Parse(text, migration.UpPath), StrataSum.Hash(text)));
        }
        LogPending(logger, pending.Count, directory.Migrations.Count);

        var results = new List<AppliedMigration>();
        foreach (var (migration, script, checksum) in pending)
        {
            LogApplying(logger, migration.Id, script.Statements.Count, script.RunsInTransaction);
            var stopwatch = Stopwatch.StartNew();
            if (script.RunsInTransaction)
            {
                await using var transaction = await connection.BeginTransactionAsync(ct);
                await ExecuteAsync(connection, transaction, migration, script, ct);
                await history.RecordAsync(connection, transaction, migration.Id, checksum, stopwatch.ElapsedMilliseconds, ct);
                await transaction.CommitAsync(ct);
            }
            else
            {
                await ExecuteAsync(connection, null, migration, script, ct);
                await history.RecordAsync(connection, null, migration.Id, checksum, stopwatch.ElapsedMilliseconds, ct);
            }
            results.Add(new AppliedMigration(migration.Id, checksum, stopwatch.Elapsed));
            LogApplied(logger, migration.Id, stopwatch.ElapsedMilliseconds);
        }
        return results;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, Migration migration, MigrationScript script, CancellationToken ct)
    {
        foreach (var statement in script.Statements)
        {
            // No client-side timeout: building an index on a large table may take hours; statement_timeout is the server's to enforce.
            await using var command = new NpgsqlCommand(statement.Sql, connection, transaction) { CommandTimeout = 0 };
            try
            {
                await command.ExecuteNonQueryAsync(ct);
            }
            catch (PostgresException e)
            {
                throw new MigrationFailedException(migration.Id, migration.UpPath, statement, transaction is not null, e);
            }
        }
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "{PendingCount} of {TotalCount} migrations pending")]
    private static partial void LogPending(ILogger logger, int pendingCount, int totalCount);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "Applying {MigrationId} ({StatementCount} statements, in a transaction: {InTransaction})")]
    private static partial void LogApplying(ILogger logger, string migrationId, int statementCount, bool inTransaction);

    [LoggerMessage(EventId = 3, Level = LogLevel.Information, Message = "Applied {MigrationId} in {ElapsedMs} ms")]
    private static partial void LogApplied(ILogger logger, string migrationId, long elapsedMs);
}
