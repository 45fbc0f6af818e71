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

    /// <summary>
    /// What <c>strata dev status</c> shows: whether the cluster exists and runs, its port and URL, its PostgreSQL version,
    /// its size on disk and whether <see cref="Name"/> exists; null when there is no cluster yet. Never starts it.
    /// </summary>
    /// <exception cref="LocalDevDatabaseException">Whether it runs cannot be told (the data directory cannot be read).</exception>
    public static async Task<LocalDevDatabaseStatus?> StatusAsync(StrataConfig config, CancellationToken ct)
    {
        var dataDirectory = DataDirectory(config);
        if (!LocalPostgres.ClusterExists(dataDirectory))
            return null;
        await using var server = await FindRunningAsync(config, ct);
        var size = DirectorySize(dataDirectory);
        if (server is null)
            return new LocalDevDatabaseStatus(dataDirectory, (await File.ReadAllTextAsync(Path.Combine(dataDirectory, "PG_VERSION"), ct)).Trim(), size, null, null, null);

        await using var connection = new NpgsqlConnection(server.ConnectionString);
        await connection.OpenAsync(ct);
        await using var query = new NpgsqlCommand("SELECT current_setting('server_version'), EXISTS (SELECT FROM pg_database WHERE datname = $1)", connection)
        {
            Parameters = { new() { Value = Name } },
        };
        await using var reader = await query.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        return new LocalDevDatabaseStatus(dataDirectory, reader.GetString(0), size, server.Port, Url(server), reader.GetBoolean(1));
    }

    /// <summary>Bytes in the folder, or null when it cannot be read (a cluster owned by another user).</summary>
    private static long? DirectorySize(string directory)
    {
        try
        {
            long total = 0;
            foreach (var file in new DirectoryInfo(directory).EnumerateFiles("*", new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true }))
            {
                try
                {
                    total += file.Length;
                }
                catch (FileNotFoundException)
                {
                    // The running server removed a temporary file while we counted.
                }
            }
            return total;
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            return null;
        }
    }
}

/// <summary>The project's local PostgreSQL as <c>strata dev status</c> shows it (<see cref="LocalDevDatabase.StatusAsync"/>).</summary>
/// <param name="Version">Its PostgreSQL version: the server's when it runs, else the cluster's major version (PG_VERSION).</param>
/// <param name="SizeBytes">The data directory's size on disk; null when the folder cannot be read.</param>
/// <param name="Port">The port on 127.0.0.1 when it runs, else null.</param>
/// <param name="Url">The postgres:// URL of <see cref="LocalDevDatabase.Name"/> when it runs, else null.</param>
/// <param name="DatabaseExists">Whether <see cref="LocalDevDatabase.Name"/> exists, when it runs; else null (not known).</param>
public sealed record LocalDevDatabaseStatus(string DataDirectory, string Version, long? SizeBytes, int? Port, string? Url, bool? DatabaseExists)
{
    public bool Running => Port is not null;
}
