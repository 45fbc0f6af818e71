using Strata.Cli.Output;
using System.CommandLine;
using System.Text;
using Strata.Postgres.Sql;

namespace Strata.Cli.Commands;

/// <summary><c>strata export</c>: the SQL that creates the current C# schema in an empty database.</summary>
internal static class ExportCommand
{
    public static Command Create(GlobalOptions global)
    {
        var command = new Command("export", "Print the full SQL that creates the C# schema in an empty database");
        command.SetRun(global, async (context, ct) =>
        {
            var config = await context.LoadConfigAsync(ct);
            var model = await context.LoadSchemaAsync(config, ct);
            var statements = PostgresSqlGenerator.CreateAll(model);

            if (context.Output.Json)
            {
                context.Output.JsonResult(new ExportJson(statements.Select(StatementJson.From).ToList()));
                return ExitCodes.Success;
            }

            // Plain SQL, one statement after another: `strata export > schema.sql` and `| psql` both work.
            var sql = new StringBuilder();
            foreach (var statement in statements)
                sql.Append(statement.Sql).Append("\n\n");
            await context.Output.RawAsync(sql.ToString().TrimEnd('\n') + "\n");
            return ExitCodes.Success;
        });
        return command;
    }
}
