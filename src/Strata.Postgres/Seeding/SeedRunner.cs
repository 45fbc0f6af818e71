using Npgsql;
using Strata.Model;
using Strata.Postgres.Execution;
using Strata.Postgres.Migrations;

namespace Strata.Postgres.Seeding;

/// <summary>What a seed changed in one table, counted by the server for the seed's transaction.</summary>
public sealed record SeededTable(QualifiedName Table, long Inserted, long Updated, long Deleted);

/// <summary>
/// Runs a seed in one transaction: SQL files in order, or an <see cref="ISeeder"/>. On any failure the
/// transaction is rolled back and nothing of the seed stays.
/// </summary>
public static class SeedRunner
{
    /// <summary>Runs each file's statements in order.</summary>
    /// <exception cref="SeedFailedException">A statement failed; the whole seed was rolled back.</exception>
    /// <exception cref="MigrationFileException">A file is not UTF-8, or has a misplaced or unknown <c>-- strata:</c> line or a misplaced breakpoint; nothing ran.</exception>
    public static async Task<IReadOnlyList<SeededTable>> RunFilesAsync(NpgsqlDataSource dataSource, IReadOnlyList<string> files, CancellationToken ct = default)
    {
        var scripts = new List<(string File, IReadOnlyList<ScriptStatement> Statements)>();
        foreach (var file in files)
            scripts.Add((file, await SqlScriptSplitter.ReadFileAsync(file, ct)));
        return await RunAsync(dataSource, async (connection, transaction) =>
        {
            var executor = StatementExecutor.On(connection);
            foreach (var (file, statements) in scripts)
            {
                try
                {
                    await executor.ExecuteBatchedAsync(transaction, file, statements, starting: null, ct);
                }
                catch (StatementFailedException e)
                {
                    throw new SeedFailedException(e);
                }
            }
        }, ct);
    }

    /// <summary>Runs <paramref name="seeder"/>; whatever it throws is thrown on, after the rollback.</summary>
    public static Task<IReadOnlyList<SeededTable>> RunSeederAsync(NpgsqlDataSource dataSource, ISeeder seeder, string environment, Action<string> log, CancellationToken ct = default) =>
        RunAsync(dataSource, (connection, transaction) => seeder.SeedAsync(new SeedContext(connection, transaction, environment, log), ct), ct);

    private static async Task<IReadOnlyList<SeededTable>> RunAsync(NpgsqlDataSource dataSource, Func<NpgsqlConnection, NpgsqlTransaction, Task> seed, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        // The server's own count of the rows written: exact, without counting every table. The session's
        // counters also hold earlier transactions' writes not yet flushed to the statistics (a pooled
        // connection that just ran a migration), hence the difference. Rows that ON CONFLICT DO NOTHING
        // skipped are not counted.
        var before = await ReadCountersAsync(connection, transaction, ct);
        await seed(connection, transaction);
        var after = await ReadCountersAsync(connection, transaction, ct);
        await transaction.CommitAsync(ct);
        var zero = new SeededTable(default, 0, 0, 0);
        return after.Values
            .Select(a => before.GetValueOrDefault(a.Table, zero) is var b ? a with { Inserted = a.Inserted - b.Inserted, Updated = a.Updated - b.Updated, Deleted = a.Deleted - b.Deleted } : a)
            .Where(t => t.Inserted + t.Updated + t.Deleted > 0)
            .OrderBy(t => t.Table)
            .ToList();
    }

    private static async Task<Dictionary<QualifiedName, SeededTable>> ReadCountersAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken ct)
    {
        var counters = new Dictionary<QualifiedName, SeededTable>();
        await using var command = new NpgsqlCommand(
            "SELECT schemaname, relname, n_tup_ins, n_tup_upd, n_tup_del FROM pg_stat_xact_user_tables WHERE n_tup_ins + n_tup_upd + n_tup_del > 0",
            connection, transaction);
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var table = new SeededTable(new QualifiedName(reader.GetString(0), reader.GetString(1)), reader.GetInt64(2), reader.GetInt64(3), reader.GetInt64(4));
            counters[table.Table] = table;
        }
        return counters;
    }
}
