using Npgsql;
using Strata.Postgres.Sql;

namespace Strata.IntegrationTests.Scenarios;

/// <summary>Applies generated statements the way a migration file is applied.</summary>
public static class MigrationScript
{
    /// <summary>
    /// One transaction for the whole migration, unless a statement refuses to run inside one
    /// (CREATE INDEX CONCURRENTLY): then every statement runs on its own, as a <c>-- strata:no-transaction</c>
    /// migration does. A failing statement is attached to the exception as <c>Data["Statement"]</c>.
    /// </summary>
    public static async Task ApplyAsync(NpgsqlDataSource database, IReadOnlyList<SqlStatement> statements)
    {
        if (statements.Count == 0)
            return;
        await using var connection = await database.OpenConnectionAsync();
        var inTransaction = statements.All(s => s.Transactional);
        await using var transaction = inTransaction ? await connection.BeginTransactionAsync() : null;
        foreach (var statement in statements)
        {
            try
            {
                await using var command = new NpgsqlCommand(statement.Sql, connection, transaction);
                await command.ExecuteNonQueryAsync();
            }
            catch (PostgresException e)
            {
                e.Data["Statement"] = statement.Sql;
                throw;
            }
        }
        if (transaction is not null)
            await transaction.CommitAsync();
    }
}
