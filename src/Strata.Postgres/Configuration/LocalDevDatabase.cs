using System.Globalization;
using Npgsql;
using Strata.Postgres.LocalServer;
using Strata.Postgres.Sql;

namespace Strata.Postgres.Configuration;

/// <summary>What <see cref="LocalDevDatabase.StartAsync"/> did, as it does it, for a caller to tell its user.</summary>
public enum LocalDevDatabaseStep
{
    /// <summary>The server was not running and has been started; it keeps running after the caller is done.</summary>
    ServerStarted,

    /// <summary>The server was already running (started by an earlier command).</summary>
    ServerAlreadyRunning,

    /// <summary>The database <see cref="LocalDevDatabase.Name"/> did not exist and has been created.</summary>
    DatabaseCreated,
}

/// <summary>The project's local PostgreSQL could not be started or checked; <see cref="Exception.InnerException"/> says why and how to fix it.</summary>
public sealed class LocalDevDatabaseException(string message, LocalPostgresException inner) : Exception(message, inner);

/// <summary>
/// The project's own PostgreSQL: a cluster in .strata/postgres next to strata.json, run from the machine's
/// PostgreSQL programs, with the database <see cref="Name"/>. The development environment uses it when it
/// has no url; <c>strata dev</c> starts, stops and describes it. It keeps running between commands.
/// </summary>
public static class LocalDevDatabase
{
    /// <summary>The database Strata creates on its own local server.</summary>
    public const string Name = "strata_dev";

    /// <summary>The data directory: .strata/postgres next to strata.json.</summary>
    public static string DataDirectory(StrataConfig config) => Path.Combine(config.ProjectRoot, ".strata", "postgres");

    /// <summary>A postgres:// URL to <see cref="Name"/> on the server, for scripts and other tools (no password: the server trusts local connections).</summary>
    public static string Url(LocalPostgres server) =>
        $"postgres://{LocalPostgres.SuperUser}@127.0.0.1:{server.Port.ToString(CultureInfo.InvariantCulture)}/{Name}?sslmode=disable";

    /// <summary>Starts the server (or finds it running) and creates <see cref="Name"/> when it is missing; <paramref name="progress"/> is told each step as it happens.</summary>
    /// <exception cref="LocalDevDatabaseException">The server could not be started (no PostgreSQL programs, a damaged data directory).</exception>
    public static async Task<(LocalPostgres Server, NpgsqlConnectionStringBuilder Target)> StartAsync(StrataConfig config, Action<LocalDevDatabaseStep, LocalPostgres> progress, CancellationToken ct)
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
            throw new LocalDevDatabaseException($"could not start the local PostgreSQL: {e.Message}", e);
        }

        try
        {
            progress(server.StartedHere ? LocalDevDatabaseStep.ServerStarted : LocalDevDatabaseStep.ServerAlreadyRunning, server);

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
                        progress(LocalDevDatabaseStep.DatabaseCreated, server);
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
    /// <exception cref="LocalDevDatabaseException">Whether it runs cannot be told (the data directory cannot be read).</exception>
    public static async Task<LocalPostgres?> FindRunningAsync(StrataConfig config, CancellationToken ct)
    {
        try
        {
            return await LocalPostgres.FindRunningAsync(new LocalPostgresOptions { DataDirectory = DataDirectory(config) }, ct);
        }
        catch (LocalPostgresException e)
        {
            throw new LocalDevDatabaseException($"cannot check the local PostgreSQL: {e.Message}", e);
        }
    }
}
