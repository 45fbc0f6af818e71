using Npgsql;
using Strata.Model;
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
    /// <exception cref="MigrationFileException">A file has a misplaced or unknown <c>-- strata:</c> line; nothing ran.</exception>
    public static async Task<IReadOnlyList<SeededTable>> RunFilesAsync(NpgsqlDataSource dataSource, IReadOnlyList<string> files, CancellationToken ct = default)
    {
        var scripts = new List<(string File, IReadOnlyList<ScriptStatement> Statements)>();
        foreach (var file in files)
        {
            var script = MigrationScript.Parse(await File.ReadAllTextAsync(file, ct), file);
            scripts.Add((file, script.Statements.SelectMany(SqlScriptSplitter.Split).ToList()));
        }
        return await RunAsync(dataSource, async (connection, transaction) =>
        {
            foreach (var (file, statements) in scripts)
            {
                foreach (var statement in statements)
                {
                    await using var command = new NpgsqlCommand(statement.Sql, connection, transaction) { CommandTimeout = 0 };
                    try
                    {
                        await command.ExecuteNonQueryAsync(ct);
                    }
                    catch (PostgresException e)
                    {
                        throw new SeedFailedException(file, statement, e);
                    }
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
        await seed(connection, transaction);
        // The server's own count of the rows this transaction wrote: exact, and free of counting every
        // table before and after. Rows skipped by ON CONFLICT DO NOTHING are not counted.
        var tables = new List<SeededTable>();
        await using (var command = new NpgsqlCommand("""
            SELECT schemaname, relname, n_tup_ins, n_tup_upd, n_tup_del FROM pg_stat_xact_user_tables
            WHERE n_tup_ins + n_tup_upd + n_tup_del > 0 ORDER BY schemaname, relname
            """, connection, transaction))
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
                tables.Add(new SeededTable(new QualifiedName(reader.GetString(0), reader.GetString(1)), reader.GetInt64(2), reader.GetInt64(3), reader.GetInt64(4)));
        }
        await transaction.CommitAsync(ct);
        return tables;
    }
}
