using System.Data;
using Npgsql;
using Strata.Model;

namespace Strata.Postgres.Introspection;

/// <summary>
/// Reads a live database into a <see cref="DatabaseModel"/> in the same normal form the DSL builds, so the
/// two can be diffed. The whole database is read by a fixed list of catalog queries
/// (<see cref="CatalogQueries"/>) sent together in one batch: the number of round trips does not depend on
/// the number of tables.
/// </summary>
public static class PostgresIntrospector
{
    /// <summary>
    /// Reads every schema except pg_*, information_schema and <paramref name="excludeSchemas"/> (such as
    /// the migration tracking table's), leaving out objects that belong to extensions.
    /// </summary>
    public static Task<DatabaseModel> ReadAsync(
        NpgsqlConnection connection,
        IReadOnlyCollection<string>? excludeSchemas = null,
        CancellationToken ct = default) =>
        ReadAsync(connection, new IntrospectionOptions { ExcludeSchemas = excludeSchemas ?? [] }, ct);

    /// <summary>
    /// Reads what <paramref name="options"/> select (schemas, table patterns, extension objects); the
    /// filters are parameters of the same catalog queries, so they never add round trips. Runs in a
    /// read-only repeatable-read transaction of its own, so all queries see one snapshot, with search_path
    /// set to <c>public</c> so that expressions and type names print the same way whatever the
    /// connection's settings. On a connection already inside a transaction it uses that transaction and
    /// restores search_path and jit afterwards.
    /// </summary>
    public static async Task<DatabaseModel> ReadAsync(NpgsqlConnection connection, IntrospectionOptions options, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(options);
        NpgsqlTransaction? transaction = null;
        try
        {
            transaction = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, ct);
        }
        catch (InvalidOperationException)
        {
            // The caller's transaction is open: read inside it.
        }

        try
        {
            await using var batch = new NpgsqlBatch(connection, transaction);
            // JIT off for the reads (CatalogQueries.JitOff says why).
            if (transaction is null)
            {
                batch.BatchCommands.Add(new NpgsqlBatchCommand(
                    "SELECT current_setting('search_path'), current_setting('jit'), set_config('search_path', 'public', true), set_config('jit', 'off', true)"));
            }
            else
            {
                batch.BatchCommands.Add(new NpgsqlBatchCommand("SET TRANSACTION READ ONLY"));
                batch.BatchCommands.Add(new NpgsqlBatchCommand("SET LOCAL search_path = public"));
                batch.BatchCommands.Add(new NpgsqlBatchCommand(CatalogQueries.JitOff));
            }
            foreach (var query in CatalogQueries.ForServer(connection.PostgreSqlVersion))
            {
                var command = new NpgsqlBatchCommand(query);
                CatalogQueries.AddParameters(command.Parameters, options);
                batch.BatchCommands.Add(command);
            }

            DatabaseModel model;
            string? previousSearchPath = null;
            string? previousJit = null;
            await using (var reader = await batch.ExecuteReaderAsync(ct))
            {
                if (transaction is null && await reader.ReadAsync(ct))
                {
                    previousSearchPath = reader.GetString(0);
                    previousJit = reader.GetString(1);
                }
                if (transaction is null)
                    await reader.NextResultAsync(ct);
                model = await new ModelReader(reader).ReadAsync(ct);
            }

            if (transaction is not null)
            {
                await transaction.CommitAsync(ct);
            }
            else if (previousSearchPath is not null)
            {
                await using var restore = new NpgsqlCommand("SELECT set_config('search_path', $1, true), set_config('jit', $2, true)", connection);
                restore.Parameters.Add(new NpgsqlParameter { Value = previousSearchPath });
                restore.Parameters.Add(new NpgsqlParameter { Value = previousJit });
                await restore.ExecuteNonQueryAsync(ct);
            }
            return model;
        }
        finally
        {
            if (transaction is not null)
                await transaction.DisposeAsync();
        }
    }
}
