using System.CommandLine;
using Strata.Cli.Output;
using Strata.Postgres.Configuration;

namespace Strata.Cli.Commands;

/// <summary><c>strata seed</c>: runs the seed strata.json names (SQL files or an ISeeder class) in one transaction.</summary>
internal static class SeedCommand
{
    public static Command Create(GlobalOptions global)
    {
        var connection = ConnectionOption.Create();
        var command = new Command("seed", """
            Run the seed named by "seed" in strata.json: the .sql files of a folder in name order, or an
            ISeeder class of the schema project. Everything runs in one transaction: on a failure nothing
            of the seed stays. Running it twice runs it twice; write it to be idempotent where that matters.
            Exit codes: 0 seeded, 1 the seed failed, 2 usage or configuration error (no seed configured).
            """)
        {
            connection,
        };
        command.SetRun(global, async (context, ct) =>
        {
            var config = await context.LoadConfigAsync(ct);
            var seed = await ConfiguredSeed.ResolveAsync(context, config, ct);
            await using var target = await ConnectionOption.OpenAsync(context, connection, config, "seed", use: DatabaseUse.Query, stdoutIsData: false, ct: ct);
            var tables = await ConfiguredSeed.RunAsync(context, target, seed, ct);
            context.Output.JsonResult(new SeedJson(target.Description, target.Environment.Name, SeededTableJson.From(tables)));
            return ExitCodes.Success;
        });
        return command;
    }
}
