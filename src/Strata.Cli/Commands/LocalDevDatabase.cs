using System.Globalization;
using Npgsql;
using Strata.Postgres.Configuration;
using Strata.Postgres.LocalServer;
using Strata.Postgres.Sql;

namespace Strata.Cli.Commands;

/// <summary>
/// The project's own PostgreSQL: a cluster in .strata/postgres next to strata.json, run from the machine's
/// PostgreSQL programs, with the database <see cref="Name"/>. The development environment uses it when it
/// has no url; <c>strata dev</c> starts, stops and describes it. It keeps running between commands.
/// </summary>
internal static class LocalDevDatabase
{
    /// <summary>The database Strata creates on its own local server.</summary>
    public const string Name = "strata_dev";

    // The LocalPostgresException already says how to install PostgreSQL or point STRATA_PG_BIN at it.
    public const string Remedy = "Or give the development environment a url (or pass --connection) to use a PostgreSQL server you run yourself.";

    /// <summary>The data directory: .strata/postgres next to strata.json.</summary>
    public static string DataDirectory(StrataConfig config) => Path.Combine(config.ProjectRoot, ".strata", "postgres");

    /// <summary>A postgres:// URL to <see cref="Name"/> on the server, for scripts and other tools (no password: the server trusts local connections).</summary>
    public static string Url(LocalPostgres server) =>
        $"postgres://{LocalPostgres.SuperUser}@127.0.0.1:{server.Port.ToString(CultureInfo.InvariantCulture)}/{Name}?sslmode=disable";

    /// <summary>Starts the server (or finds it running) and creates <see cref="Name"/> when it is missing; <paramref name="note"/> says what happened.</summary>
    public static async Task<(LocalPostgres Server, NpgsqlConnectionStringBuilder Target)> StartAsync(StrataConfig config, Action<string> note, CancellationToken ct)
    {
        var dataDirectory = DataDirectory(config);
        LocalPostgres server;
        try
        {
            // The server keeps running after the command, as a development database does; the next run reuses it.
            server = await LocalPostgres.StartAsync(new LocalPostgresOptions { DataDirectory = dataDirectory, StopOnDispose = false }, ct);
        }
        catch (LocalPostgresException e)
        {
            throw CliException.Failure($"could not start the local PostgreSQL: {e.Message}", remedy: Remedy, inner: e);
        }

        try
        {
            note(server.StartedHere
                ? $"Started the local PostgreSQL on 127.0.0.1:{server.Port} (data in {CommandContext.Display(dataDirectory)}); "
                  + "it keeps running for the next commands. Stop it with: strata dev stop"
                : $"Using the local PostgreSQL already running on 127.0.0.1:{server.Port}.");

            await using (var connection = new NpgsqlConnection(server.ConnectionString))
            {
                await connection.OpenAsync(ct);
                await using var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = $1", connection) { Parameters = { new() { Value = Name } } };
                if (await exists.ExecuteScalarAsync(ct) is null)
                {
                    await using var create = new NpgsqlCommand($"CREATE DATABASE {SqlIdentifier.Quote(Name)}", connection);
                    try
                    {
                        await create.ExecuteNonQueryAsync(ct);
                        note($"Created the database {Name}.");
                    }
                    catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.DuplicateDatabase or PostgresErrorCodes.UniqueViolation)
                    {
                        // Another command created it between our check and our CREATE.
                    }
                }
            }
            return (server, new NpgsqlConnectionStringBuilder(server.ConnectionStringFor(Name)));
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>The server if it is running, else null; never starts it.</summary>
    public static async Task<LocalPostgres?> FindRunningAsync(StrataConfig config, CancellationToken ct)
    {
        try
        {
            return await LocalPostgres.FindRunningAsync(new LocalPostgresOptions { DataDirectory = DataDirectory(config) }, ct);
        }
        catch (LocalPostgresException e)
        {
            throw CliException.Failure($"cannot check the local PostgreSQL: {e.Message}", remedy: Remedy, inner: e);
        }
    }
}
