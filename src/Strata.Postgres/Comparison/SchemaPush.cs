using System.Globalization;
using Npgsql;
using Strata.Diffing;
using Strata.Model;
using Strata.Postgres.Sql;

namespace Strata.Postgres.Comparison;

/// <summary>A data-losing statement: why, and the table whose rows it touches (null for a sequence) with its row count.</summary>
public sealed record DataLoss(QualifiedName? Table, string What, long? Rows);

/// <summary>
/// <c>strata push</c>'s planning and execution: the difference between a live database and a model as
/// statements, what they would lose, and running them (no migration is written).
/// </summary>
public static class SchemaPush
{
    /// <summary>The data-losing statements of <paramref name="planned"/>, with the rows of each table they touch.</summary>
    public static async Task<List<DataLoss>> DataLossAsync(NpgsqlDataSource dataSource, IReadOnlyList<(SchemaChange Change, IReadOnlyList<SqlStatement> Statements)> planned, CancellationToken ct)
    {
        var losses = new List<(QualifiedName? Table, string What)>();
        foreach (var (change, statements) in planned)
        {
            var tables = change switch
            {
                DropTable c => [c.Table.QualifiedName],
                DropColumn c => [c.Table],
                AlterColumn c => [c.Table],
                RecreateEnum c => c.Columns.Select(u => u.Table).Distinct().ToList(),
                _ => new List<QualifiedName>(),
            };
            foreach (var why in statements.Select(s => s.DataLoss).OfType<string>().Distinct())
            {
                if (tables.Count == 0)
                    losses.Add((null, why));
                foreach (var table in tables)
                    losses.Add((table, why));
            }
        }
        if (losses.Count == 0)
            return [];

        var rows = new Dictionary<QualifiedName, long>();
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        foreach (var table in losses.Select(l => l.Table).OfType<QualifiedName>().Distinct())
        {
            await using var count = new NpgsqlCommand($"SELECT count(*) FROM {SqlIdentifier.Quote(table)}", connection) { CommandTimeout = 0 };
            rows[table] = (long)(await count.ExecuteScalarAsync(ct))!;
        }
        return losses.Distinct().Select(l => new DataLoss(l.Table, l.What, l.Table is { } t ? rows[t] : null)).ToList();
    }

    /// <summary>The transactional statements in one transaction, then each of the others on its own.</summary>
    public static async Task<int> ApplyAsync(NpgsqlDataSource dataSource, IReadOnlyList<SqlStatement> statements, TimeSpan? lockTimeout, TimeSpan? statementTimeout, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        if (lockTimeout is { } lockTimeoutValue)
            await ExecuteAsync(connection, null, $"SET lock_timeout = {Milliseconds(lockTimeoutValue)}", ct);
        if (statementTimeout is { } statementTimeoutValue)
            await ExecuteAsync(connection, null, $"SET statement_timeout = {Milliseconds(statementTimeoutValue)}", ct);

        await using (var transaction = await connection.BeginTransactionAsync(ct))
        {
            foreach (var statement in statements.Where(s => s.Transactional))
                await ExecuteAsync(connection, transaction, statement.Sql, ct);
            await transaction.CommitAsync(ct);
        }
        foreach (var statement in statements.Where(s => !s.Transactional))
            await ExecuteAsync(connection, null, statement.Sql, ct);
        return statements.Count;
    }

    private static string Milliseconds(TimeSpan span) => ((long)span.TotalMilliseconds).ToString(CultureInfo.InvariantCulture);

    private static async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction) { CommandTimeout = 0 };
        await command.ExecuteNonQueryAsync(ct);
    }
}
