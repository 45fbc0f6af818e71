using Npgsql;
using Strata.Postgres.Execution;
using Strata.Postgres.Migrations;

namespace Strata.IntegrationTests.Scenarios;

/// <summary>
/// Runs a rendered migration script as the migrator does (through its statement executor), but without its tracking table (which
/// would be one more schema in every comparison): the text is parsed back from the file format, then
/// runs in one transaction, or statement by statement under <c>-- strata:no-transaction</c>.
/// </summary>
public static class ScriptApplier
{
    /// <summary>A failing statement is attached to the exception as <c>Data["Statement"]</c> with its line.</summary>
    public static async Task ApplyAsync(NpgsqlDataSource database, string scriptText, string fileName)
    {
        var script = MigrationScript.Parse(scriptText, fileName);
        if (script.Statements.Count == 0)
            return;
        await using var connection = await database.OpenConnectionAsync();
        await using var transaction = script.RunsInTransaction ? await connection.BeginTransactionAsync() : null;
        foreach (var statement in script.Statements)
        {
            try
            {
                await StatementExecutor.On(connection).ExecuteAsync(transaction, fileName, statement, CancellationToken.None);
            }
            catch (StatementFailedException e) when (e.InnerException is PostgresException error)
            {
                error.Data["Statement"] = $"{fileName}:{statement.Line}: {statement.Sql}";
                throw error;
            }
        }
        if (transaction is not null)
            await transaction.CommitAsync();
    }
}
