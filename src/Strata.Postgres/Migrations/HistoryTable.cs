using Npgsql;
using Strata.Model;
using Strata.Postgres.Sql;

namespace Strata.Postgres.Migrations;

/// <summary>One row of the tracking table: a migration that has been applied to the database, or is part-way.</summary>
/// <param name="Completed">False while a <c>-- strata:no-transaction</c> migration is partially applied.</param>
/// <param name="StatementsApplied">How many of the migration's statements have run (all of them once completed).</param>
/// <param name="ProgressChecksum">For a partial migration, the hash of the statements that have run: only those may not change before it resumes.</param>
public sealed record HistoryRow(
    string Id,
    string Checksum,
    DateTimeOffset AppliedAt,
    long ExecutionMs,
    string AppliedBy,
    bool Completed = true,
    int StatementsApplied = 0,
    string? ProgressChecksum = null);

/// <summary>
/// The tracking table (<c>strata.__strata_migrations</c> by default) that records which migrations a
/// database has. Pending migrations are those whose id is not in it, whatever their order.
/// </summary>
public sealed class HistoryTable(QualifiedName name)
{
    public static QualifiedName DefaultName { get; } = new("strata", "__strata_migrations");

    public static HistoryTable Default { get; } = new(DefaultName);

    public QualifiedName Name { get; } = name;

    private string Quoted => SqlIdentifier.Quote(Name);

    /// <summary>Whether the table exists (a database Strata never migrated has none).</summary>
    public async Task<bool> ExistsAsync(NpgsqlConnection connection, CancellationToken ct = default)
    {
        await using var exists = new NpgsqlCommand("SELECT to_regclass($1) IS NOT NULL", connection);
        exists.Parameters.Add(new NpgsqlParameter { Value = Quoted });
        return (bool)(await exists.ExecuteScalarAsync(ct))!;
    }

    /// <summary>Creates the schema and table unless they exist, and adds the columns that earlier versions lacked.</summary>
    /// <remarks>
    /// Looked up first rather than relying on IF NOT EXISTS alone: CREATE SCHEMA checks the CREATE
    /// privilege on the database even when the schema exists, which a migration role may lack. Callers
    /// hold the migration lock, so two runs never race to create it.
    /// </remarks>
    public async Task EnsureCreatedAsync(NpgsqlConnection connection, CancellationToken ct = default)
    {
        string sql;
        if (await ExistsAsync(connection, ct))
        {
            if (await HasCurrentColumnsAsync(connection, ct))
                return;
            // A table written by Strata 0.1 (before partial progress was recorded): every row in it is complete.
            sql = $"""
                ALTER TABLE {Quoted}
                    ADD COLUMN IF NOT EXISTS completed boolean NOT NULL DEFAULT true,
                    ADD COLUMN IF NOT EXISTS statements_applied integer NOT NULL DEFAULT 0,
                    ADD COLUMN IF NOT EXISTS progress_checksum text;
                """;
        }
        else
        {
            sql = $"""
                CREATE SCHEMA IF NOT EXISTS {SqlIdentifier.Quote(Name.Schema)};
                CREATE TABLE IF NOT EXISTS {Quoted} (
                    id text PRIMARY KEY,
                    checksum text NOT NULL,
                    applied_at timestamptz NOT NULL DEFAULT clock_timestamp(),
                    execution_ms bigint NOT NULL,
                    applied_by text NOT NULL DEFAULT current_user,
                    completed boolean NOT NULL DEFAULT true,
                    statements_applied integer NOT NULL DEFAULT 0,
                    progress_checksum text
                );
                COMMENT ON TABLE {Quoted} IS 'The migrations Strata has applied to this database. completed is false while a no-transaction migration is part-way; the next strata migrate resumes it after statements_applied statements.';
                """;
        }
        await using var create = new NpgsqlCommand(sql, connection);
        await create.ExecuteNonQueryAsync(ct);
    }

    // Strata 0.1 wrote the table without the progress columns.
    private async Task<bool> HasCurrentColumnsAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(
            "SELECT count(*) FROM pg_attribute WHERE attrelid = to_regclass($1) AND attname = 'progress_checksum' AND NOT attisdropped", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = Quoted });
        return (long)(await command.ExecuteScalarAsync(ct))! == 1;
    }

    /// <summary>The rows by id; empty when the table does not exist.</summary>
    public async Task<IReadOnlyDictionary<string, HistoryRow>> ReadAsync(NpgsqlConnection connection, CancellationToken ct = default)
    {
        var rows = new Dictionary<string, HistoryRow>(StringComparer.Ordinal);
        if (!await ExistsAsync(connection, ct))
            return rows;
        var select = await HasCurrentColumnsAsync(connection, ct)
            ? $"SELECT id, checksum, applied_at, execution_ms, applied_by, completed, statements_applied, progress_checksum FROM {Quoted}"
            : $"SELECT id, checksum, applied_at, execution_ms, applied_by, true, 0, NULL::text FROM {Quoted}";
        await using var command = new NpgsqlCommand(select, connection);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var damaged = new List<Refusal>();
        while (await reader.ReadAsync(ct))
        {
            // Every column but progress_checksum is NOT NULL in the table Strata creates: a NULL means the
            // row (or the table) was made or edited by hand, and the row cannot be trusted.
            var missing = Enumerable.Range(0, 7).Where(reader.IsDBNull).Select(reader.GetName).ToList();
            if (missing.Count > 0)
            {
                damaged.Add(DamagedRow(reader.IsDBNull(0) ? null : reader.GetString(0), missing));
                continue;
            }
            var row = new HistoryRow(
                reader.GetString(0), reader.GetString(1), reader.GetFieldValue<DateTimeOffset>(2), reader.GetInt64(3), reader.GetString(4),
                reader.GetBoolean(5), reader.GetInt32(6), reader.IsDBNull(7) ? null : reader.GetString(7));
            rows[row.Id] = row;
        }
        if (damaged.Count > 0)
            throw new MigrationRefusedException(damaged);
        return rows;
    }

    private Refusal DamagedRow(string? id, IReadOnlyList<string> nullColumns)
    {
        var columns = string.Join(", ", nullColumns);
        var which = id is null ? "a row with no id" : $"the row of migration {id}";
        var remedy = nullColumns.SequenceEqual(["checksum"]) && id is not null
            ? $"If {id} is applied, set its checksum to the hash strata.sum records for {id}/up.sql (UPDATE {Quoted} SET checksum = 'h1:…' WHERE id = '{id}'); if it is not, delete the row"
            : id is null
            ? $"Delete that row (DELETE FROM {Quoted} WHERE id IS NULL)"
            : $"Fill in {columns} of that row, or delete the row if {id} is not applied (DELETE FROM {Quoted} WHERE id = '{id}'), and migrate again";
        return new Refusal(RefusalKind.DamagedTrackingRow, id, null,
            $"the tracking table {Name} is damaged: {which} has NULL in {columns}, which Strata always fills in, so it cannot tell what was applied. {remedy}.");
    }

    // Every write below is made only while the session holds the migration lock (the condition is part of
    // the statement, so it costs no round trip): a session that lost it records nothing, and a statement
    // committed together with its progress row is rolled back with it.
    private string LockHeld => MigrationLock.HeldBySessionSql(Name);

    /// <summary>Records a completed migration; inside <paramref name="transaction"/> when it ran in one, so both commit together.</summary>
    /// <exception cref="MigrationLockLostException">The session does not hold the migration lock.</exception>
    public Task RecordAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string id, string checksum, long executionMs, int statementCount, CancellationToken ct = default) =>
        WriteUnderLockAsync(connection, transaction,
            $"INSERT INTO {Quoted} (id, checksum, execution_ms, statements_applied) SELECT $1, $2, $3, $4 WHERE {LockHeld}", ct,
            id, checksum, executionMs, statementCount);

    /// <summary>Records that a no-transaction migration has started: no statement has run yet.</summary>
    public Task StartPartialAsync(NpgsqlConnection connection, string id, string checksum, string progressChecksum, CancellationToken ct = default) =>
        WriteUnderLockAsync(connection, null,
            $"INSERT INTO {Quoted} (id, checksum, execution_ms, completed, statements_applied, progress_checksum) SELECT $1, $2, 0, false, 0, $3 WHERE {LockHeld}", ct,
            id, checksum, progressChecksum);

    /// <summary>Records that <paramref name="statementsApplied"/> statements of a no-transaction migration have run.</summary>
    public Task RecordProgressAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string id, int statementsApplied, string progressChecksum, CancellationToken ct = default) =>
        WriteUnderLockAsync(connection, transaction,
            $"UPDATE {Quoted} SET statements_applied = $2, progress_checksum = $3 WHERE id = $1 AND {LockHeld}", ct,
            id, statementsApplied, progressChecksum);

    /// <summary>Marks a no-transaction migration complete, with the checksum of the file that finished it.</summary>
    public Task CompleteAsync(NpgsqlConnection connection, string id, string checksum, long executionMs, CancellationToken ct = default) =>
        WriteUnderLockAsync(connection, null,
            $"UPDATE {Quoted} SET completed = true, checksum = $2, execution_ms = execution_ms + $3, applied_at = clock_timestamp(), progress_checksum = NULL WHERE id = $1 AND {LockHeld}", ct,
            id, checksum, executionMs);

    /// <summary>Removes a migration's row (it was rolled back); inside <paramref name="transaction"/> with its down script.</summary>
    public Task DeleteAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string id, CancellationToken ct = default) =>
        WriteUnderLockAsync(connection, transaction, $"DELETE FROM {Quoted} WHERE id = $1 AND {LockHeld}", ct, id);

    private async Task WriteUnderLockAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql, CancellationToken ct, params object[] values)
    {
        if (await ExecuteAsync(connection, transaction, sql, ct, values) == 0)
            throw new MigrationLockLostException(Name.ToString());
    }

    private static async Task<int> ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql, CancellationToken ct, params object[] values)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        foreach (var value in values)
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        return await command.ExecuteNonQueryAsync(ct);
    }
}
