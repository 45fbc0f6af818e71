using System.CommandLine;
using System.Diagnostics;
using System.Text.Json.Nodes;
using Npgsql;
using Spectre.Console;
using Strata.Cli.Configuration;
using Strata.Postgres.LocalServer;
using Strata.Postgres.Migrations;
using Strata.Postgres.Sql;

namespace Strata.Cli.Commands;

/// <summary>
/// <c>strata migrate</c>: applies the pending migrations to the database given by <c>--connection</c> or
/// STRATA_DATABASE_URL, or else to a local PostgreSQL that Strata runs in .strata/postgres next to strata.json.
/// </summary>
internal static class MigrateCommand
{
    /// <summary>The database Strata creates on its own local server.</summary>
    public const string LocalDatabase = "strata_dev";

    public static Command Create(GlobalOptions global)
    {
        var connection = new Option<string?>("--connection", "-c")
        {
            Description = $"The database: a postgres:// URL or an Npgsql connection string (default: ${DatabaseConnection.EnvironmentVariable}, else a local PostgreSQL that Strata starts)",
            HelpName = "url",
        };
        var command = new Command("migrate", "Apply the pending migrations") { connection };
        command.SetRun(global, async (context, ct) =>
        {
            var output = context.Output;
            var config = await context.LoadConfigAsync(ct);
            var directory = await MigrationDirectory.LoadAsync(config.MigrationsDirectory, ct);

            var given = context.Get(connection);
            var source = "--connection";
            if (given is null && Environment.GetEnvironmentVariable(DatabaseConnection.EnvironmentVariable) is { Length: > 0 } fromEnvironment)
                (given, source) = (fromEnvironment, "$" + DatabaseConnection.EnvironmentVariable);

            LocalPostgres? server = null;
            try
            {
                NpgsqlConnectionStringBuilder target;
                if (given is not null)
                {
                    target = DatabaseConnection.Parse(given, source);
                }
                else
                {
                    (server, target) = await StartLocalAsync(config, output, ct);
                }

                // Npgsql hides PostgreSQL's DETAIL (it may quote row values) unless asked; the person
                // running a migration needs it to act on a failure, and it never holds the password.
                target.IncludeErrorDetail = true;

                output.Line($"Migrating [bold]{Markup.Escape(DatabaseConnection.Describe(target))}[/] from {Markup.Escape(CommandContext.Display(directory.Path))}");
                var started = Stopwatch.StartNew();
                IReadOnlyList<AppliedMigration> applied;
                await using (var dataSource = NpgsqlDataSource.Create(target))
                {
                    // Connect once up front, so that the connection-string advice is given only to
                    // failures to connect at all, not to a connection lost in the middle of a migration.
                    try
                    {
                        await using var probe = await dataSource.OpenConnectionAsync(ct);
                    }
                    catch (NpgsqlException e) when (e is not PostgresException || ((PostgresException)e).SqlState.StartsWith("28", StringComparison.Ordinal) || ((PostgresException)e).SqlState == "3D000")
                    {
                        throw CliException.Failure($"cannot connect to {DatabaseConnection.Describe(target)}: {e.Message}",
                            remedy: "Check the host, port, database, user and password (and SSL mode) of the connection string.", inner: e);
                    }

                    try
                    {
                        applied = (await new Migrator(dataSource, MigrationSource.FromDirectory(directory)).ApplyAsync(ct)).Applied;
                    }
                    catch (NpgsqlException e) when (e is not PostgresException)
                    {
                        throw CliException.Failure($"the connection to {DatabaseConnection.Describe(target)} failed during the migration: {e.Message}",
                            remedy: "Migrations recorded as applied stay applied and the one in its transaction was rolled back; run strata migrate again when the server is reachable.", inner: e);
                    }
                }

                foreach (var migration in applied)
                    output.Line($"  applied [bold]{Markup.Escape(migration.Id)}[/] in {migration.Duration.TotalMilliseconds:0} ms");
                output.Line(applied.Count == 0
                    ? directory.Migrations.Count switch
                    {
                        0 => "Nothing to apply: there are no migrations yet (run strata generate).",
                        1 => "Nothing to apply: the one migration is already applied.",
                        var count => $"Nothing to apply: all {count} migrations are already applied.",
                    }
                    : $"Applied {applied.Count} migration{(applied.Count == 1 ? "" : "s")} in {started.Elapsed.TotalSeconds:0.00} s.");
                output.JsonResult(new JsonObject
                {
                    ["ok"] = true,
                    ["database"] = DatabaseConnection.Describe(target),
                    ["applied"] = new JsonArray(applied.Select(m => (JsonNode?)new JsonObject
                    {
                        ["id"] = m.Id,
                        ["milliseconds"] = Math.Round(m.Duration.TotalMilliseconds, 1),
                    }).ToArray()),
                });
                return ExitCodes.Success;
            }
            finally
            {
                if (server is not null)
                    await server.DisposeAsync();
            }
        });
        return command;
    }

    private static async Task<(LocalPostgres Server, NpgsqlConnectionStringBuilder Target)> StartLocalAsync(StrataConfig config, Output.CliOutput output, CancellationToken ct)
    {
        var dataDirectory = Path.Combine(config.ProjectRoot, ".strata", "postgres");
        output.Status($"No --connection or ${DatabaseConnection.EnvironmentVariable}: using the local PostgreSQL in {CommandContext.Display(dataDirectory)}…");
        LocalPostgres server;
        try
        {
            // The server keeps running after the command, as a development database does; the next run reuses it.
            server = await LocalPostgres.StartAsync(new LocalPostgresOptions { DataDirectory = dataDirectory, StopOnDispose = false }, ct);
        }
        catch (LocalPostgresException e)
        {
            throw CliException.Failure($"could not start the local PostgreSQL: {e.Message}",
                remedy: "Install PostgreSQL (its initdb and pg_ctl), set STRATA_PG_BIN to their folder, or pass --connection.", inner: e);
        }

        output.Line(server.StartedHere
            ? $"Started the local PostgreSQL on 127.0.0.1:{server.Port} (data in {Markup.Escape(CommandContext.Display(dataDirectory))}); "
              + $"it keeps running for the next commands. Stop it with: pg_ctl stop -D {Markup.Escape(dataDirectory)}{(Environment.UserName == "root" ? " (as the postgres user)" : "")}"
            : $"Using the local PostgreSQL already running on 127.0.0.1:{server.Port}.");

        await using (var connection = new NpgsqlConnection(server.ConnectionString))
        {
            await connection.OpenAsync(ct);
            await using var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = $1", connection) { Parameters = { new() { Value = LocalDatabase } } };
            if (await exists.ExecuteScalarAsync(ct) is null)
            {
                await using var create = new NpgsqlCommand($"CREATE DATABASE {SqlIdentifier.Quote(LocalDatabase)}", connection);
                await create.ExecuteNonQueryAsync(ct);
                output.Line($"Created the database {LocalDatabase}.");
            }
        }
        return (server, new NpgsqlConnectionStringBuilder(server.ConnectionStringFor(LocalDatabase)));
    }
}
