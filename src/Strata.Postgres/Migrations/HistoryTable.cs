using Npgsql;
using Strata.Model;
using Strata.Postgres.Sql;

namespace Strata.Postgres.Migrations;

/// <summary>One row of the tracking table: a migration that has been applied to the database.</summary>
public sealed record HistoryRow(string Id, string Checksum, DateTimeOffset AppliedAt, long ExecutionMs, string AppliedBy);

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

    /// <summary>Creates the schema and table unless they exist.</summary>
    /// <remarks>
    /// Looked up first rather than relying on IF NOT EXISTS alone: CREATE SCHEMA checks the CREATE
    /// privilege on the database even when the schema exists, which a migration role may lack.
    /// </remarks>
    public async Task EnsureCreatedAsync(NpgsqlConnection connection, CancellationToken ct = default)
    {
        await using (var exists = new NpgsqlCommand("SELECT to_regclass($1) IS NOT NULL", connection))
        {
            exists.Parameters.Add(new NpgsqlParameter { Value = Quoted });
            if ((bool)(await exists.ExecuteScalarAsync(ct))!)
                return;
        }

        var sql = $"""
            CREATE SCHEMA IF NOT EXISTS {SqlIdentifier.Quote(Name.Schema)};
            CREATE TABLE IF NOT EXISTS {Quoted} (
                id text PRIMARY KEY,
                checksum text NOT NULL,
                applied_at timestamptz NOT NULL DEFAULT clock_timestamp(),
                execution_ms bigint NOT NULL,
                applied_by text NOT NULL DEFAULT current_user
            );
            """;
        await using var create = new NpgsqlCommand(sql, connection);
        await create.ExecuteNonQueryAsync(ct);
    }

    /// <summary>The applied migrations by id.</summary>
    public async Task<IReadOnlyDictionary<string, HistoryRow>> ReadAsync(NpgsqlConnection connection, CancellationToken ct = default)
    {
        var rows = new Dictionary<string, HistoryRow>(StringComparer.Ordinal);
        await using var command = new NpgsqlCommand($"SELECT id, checksum, applied_at, execution_ms, applied_by FROM {Quoted}", connection);
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var row = new HistoryRow(reader.GetString(0), reader.GetString(1), reader.GetFieldValue<DateTimeOffset>(2), reader.GetInt64(3), reader.GetString(4));
            rows[row.Id] = row;
        }
        return rows;
    }

    /// <summary>Records an applied migration; inside <paramref name="transaction"/> when it ran in one, so both commit together.</summary>
    public async Task RecordAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string id, string checksum, long executionMs, CancellationToken ct = default)
    {
        await using var command = new NpgsqlCommand($"INSERT INTO {Quoted} (id, checksum, execution_ms) VALUES ($1, $2, $3)", connection, transaction);
        command.Parameters.Add(new NpgsqlParameter { Value = id });
        command.Parameters.Add(new NpgsqlParameter { Value = checksum });
        command.Parameters.Add(new NpgsqlParameter { Value = executionMs });
        await command.ExecuteNonQueryAsync(ct);
    }
}
