using System.CommandLine;
using System.Text.Json.Nodes;
using Npgsql;
using Spectre.Console;
using Strata.Postgres.Configuration;
using Strata.Design.SchemaSource;
using Strata.Postgres.Seeding;

namespace Strata.Cli.Commands;

/// <summary><c>strata seed</c>: runs the seed strata.json names (SQL files or an ISeeder class) in one transaction.</summary>
internal static class SeedCommand
{
    private const string Example = """
        Add "seed" to strata.json: a folder of .sql files run in name order,
          "seed": "db/seeds"
        or the full name of a class in the schema project that implements Strata.Postgres.Seeding.ISeeder,
          "seed": "App.Schema.DevelopmentSeed"
        """;

    public static Command Create(GlobalOptions global)
    {
        var connection = DatabaseTarget.CreateOption();
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
            var seed = await ResolveAsync(context, config, ct);
            await using var target = await DatabaseTarget.OpenAsync(context, connection, config, "seed", use: DatabaseUse.Query, stdoutIsData: false, ct: ct);
            var tables = await RunAsync(context, target, seed, ct);
            context.Output.JsonResult(new JsonObject
            {
                ["ok"] = true,
                ["database"] = target.Description,
                ["environment"] = target.Environment.Name,
                ["seeded"] = Json(tables),
            });
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>The configured seed: the .sql files of a folder, or a created seeder. Checked before any database is touched.</summary>
    public static async Task<Seed> ResolveAsync(CommandContext context, StrataConfig config, CancellationToken ct)
    {
        var setting = config.Seed
            ?? throw CliException.Usage($"{config.ConfigPath} names no seed, so there is nothing to run", remedy: Example);
        var folder = Path.GetFullPath(setting, config.ProjectRoot);
        if (Directory.Exists(folder))
        {
            var files = Directory.GetFiles(folder, "*.sql").OrderBy(f => Path.GetFileName(f), StringComparer.Ordinal).ToList();
            if (files.Count == 0)
                throw CliException.Usage($"the seed folder {CommandContext.Display(folder)} (\"seed\" in {config.ConfigPath}) holds no .sql files",
                    remedy: "Add the seed's SQL as .sql files there; they run in name order (01_users.sql, 02_tasks.sql, …).");
            return new Seed(CommandContext.Display(folder), files, null);
        }
        if (setting.Contains('/') || setting.Contains('\\') || setting.EndsWith(".sql", StringComparison.OrdinalIgnoreCase))
            throw CliException.Usage($"the seed folder {CommandContext.Display(folder)} (\"seed\" in {config.ConfigPath}) does not exist",
                remedy: "Create it with the seed's .sql files, or correct the path (it is relative to strata.json).");
        var seeder = await SchemaProjectLoader.CreateSeederAsync(config, setting, context.Output.Status, ct);
        return new Seed(setting, [], seeder);
    }

    /// <summary>Runs the seed and prints what it wrote; a failure leaves nothing and says where.</summary>
    public static async Task<IReadOnlyList<SeededTable>> RunAsync(CommandContext context, DatabaseTarget target, Seed seed, CancellationToken ct)
    {
        var output = context.Output;
        var environment = target.Environment.Name;
        output.Line($"Seeding [bold]{Markup.Escape(target.Description)}[/] ({Markup.Escape(environment)}) with {Markup.Escape(seed.Name)}");
        IReadOnlyList<SeededTable> tables;
        try
        {
            tables = seed.Seeder is { } seeder
                ? await SeedRunner.RunSeederAsync(target.DataSource, seeder, environment, line => output.Line("  " + Markup.Escape(line)), ct)
                : await target.RunAsync(() => SeedRunner.RunFilesAsync(target.DataSource, seed.Files, ct),
                    "The seed runs in one transaction: nothing of it was kept. Run strata seed again when the server is reachable.");
        }
        catch (SeedFailedException e)
        {
            throw CliException.Failure(e.Message, inner: e, fields: new JsonObject
            {
                ["file"] = e.File,
                ["line"] = e.Line,
                ["statement"] = e.StatementExcerpt,
                ["sqlState"] = e.SqlState,
                ["messageText"] = e.MessageText,
                ["detail"] = e.Detail,
            });
        }
        catch (Exception e) when (seed.Seeder is not null && e is not (CliException or OperationCanceledException))
        {
            // The user's code failed: its message, not our stack (--verbose shows the stack).
            var details = e is PostgresException p ? new[] { p.SqlState + ": " + p.MessageText, p.Detail, p.Hint }.OfType<string>().ToList() : null;
            throw CliException.Failure($"the seeder {seed.Name} threw {e.GetType().Name}: {(e is PostgresException pg ? pg.MessageText : e.Message)}",
                details: details,
                remedy: "The seed ran in one transaction, which was rolled back: nothing of it is in the database. Run again with --verbose for the stack trace.",
                inner: e);
        }
        output.Line(Summary(environment, tables));
        return tables;
    }

    /// <summary>"Seeded development: 3 rows into public.users, 12 into public.tasks", with updates and deletes when there were any.</summary>
    public static string Summary(string environment, IReadOnlyList<SeededTable> tables)
    {
        static string Rows(long count) => count == 1 ? "1 row" : $"{count} rows";
        string Part(string verb, string preposition, Func<SeededTable, long> count)
        {
            var parts = tables.Where(t => count(t) > 0).Select((t, i) => $"{(i == 0 ? Rows(count(t)) : count(t).ToString(System.Globalization.CultureInfo.InvariantCulture))} {preposition} {t.Table}").ToList();
            return parts.Count == 0 ? "" : $"{verb} {string.Join(", ", parts)}";
        }
        var summary = string.Join("; ", new[] { Part("", "into", t => t.Inserted).Trim(), Part("updated", "in", t => t.Updated), Part("deleted", "from", t => t.Deleted) }.Where(p => p.Length > 0));
        return Markup.Escape($"Seeded {environment}: {(summary.Length == 0 ? "no rows written" : summary)}.");
    }

    public static JsonArray Json(IReadOnlyList<SeededTable> tables) =>
        new(tables.Select(t => (JsonNode?)new JsonObject
        {
            ["table"] = t.Table.ToString(),
            ["inserted"] = t.Inserted,
            ["updated"] = t.Updated,
            ["deleted"] = t.Deleted,
        }).ToArray());

    /// <summary>A resolved seed: <see cref="Files"/> to run in order, or a <see cref="Seeder"/>.</summary>
    public sealed record Seed(string Name, IReadOnlyList<string> Files, ISeeder? Seeder);
}
