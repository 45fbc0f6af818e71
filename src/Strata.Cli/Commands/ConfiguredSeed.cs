using Npgsql;
using Spectre.Console;
using Strata.Postgres.Configuration;
using Strata.Cli.Output;
using Strata.Design.SchemaSource;
using Strata.Postgres.Seeding;

namespace Strata.Cli.Commands;

/// <summary>The seed strata.json names, found and run: what <c>strata seed</c> and <c>strata reset --seed</c> run.</summary>
internal static class ConfiguredSeed
{
    private const string Example = """
        Add "seed" to strata.json: a folder of .sql files run in name order,
          "seed": "db/seeds"
        or the full name of a class in the schema project that implements Strata.Postgres.Seeding.ISeeder,
          "seed": "App.Schema.DevelopmentSeed"
        """;

    /// <summary>The configured seed: the .sql files of a folder, or a created seeder. Checked before any database is touched.</summary>
    public static async Task<Seed> ResolveAsync(CommandContext context, StrataConfig config, CancellationToken ct)
    {
        var setting = config.Seed
            ?? throw CliException.Usage($"{config.ConfigPath} names no seed, so there is nothing to run", remedy: Example);
        var location = SeedLocation.Find(setting, config.ProjectRoot);
        var folder = location.Folder;
        if (location.Kind == SeedKind.Folder)
        {
            if (location.Files.Count == 0)
                throw CliException.Usage($"the seed folder {CommandContext.Display(folder)} (\"seed\" in {config.ConfigPath}) holds no .sql files",
                    remedy: "Add the seed's SQL as .sql files there; they run in name order (01_users.sql, 02_tasks.sql, …).");
            return new Seed(CommandContext.Display(folder), location.Files, null);
        }
        if (location.Kind == SeedKind.MissingFolder)
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
            throw CliException.Failure(e.Message, inner: e, fields: new SeedErrorJson(e.File, e.Line, e.StatementExcerpt, e.SqlState, e.MessageText, e.Detail));
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
        output.Line(SeedView.Summary(environment, tables));
        return tables;
    }

    /// <summary>A resolved seed: <see cref="Files"/> to run in order, or a <see cref="Seeder"/>.</summary>
    public sealed record Seed(string Name, IReadOnlyList<string> Files, ISeeder? Seeder);
}
