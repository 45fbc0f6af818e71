using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace Strata.Postgres.LocalServer;

/// <summary>
/// A PostgreSQL cluster run from the machine's own PostgreSQL programs (no Docker): a throwaway one in a
/// temporary directory, or a persistent per-project one that later runs find and reuse.
/// </summary>
/// <remarks>
/// The server listens on 127.0.0.1 only (its Unix socket lives in the data directory) and trusts every
/// local connection as the <c>postgres</c> superuser: it is a development and test server, never a shared one.
/// </remarks>
public sealed class LocalPostgres : IAsyncDisposable
{
    /// <summary>The superuser of clusters this class creates.</summary>
    public const string SuperUser = "postgres";

    private const string LogFileName = "strata-server.log";
    private const int PortAttempts = 5;

    private readonly PostgresBinaries _binaries;
    private readonly ProcessRunner _runner;
    private readonly string? _throwawayRoot;
    private readonly bool _stopOnDispose;
    private int _disposed;
    private int _stopped;

    private LocalPostgres(PostgresBinaries binaries, ProcessRunner runner, string dataDirectory, string? throwawayRoot,
        int port, string logFile, bool startedHere, bool stopOnDispose)
    {
        _binaries = binaries;
        _runner = runner;
        DataDirectory = dataDirectory;
        _throwawayRoot = throwawayRoot;
        Port = port;
        LogFile = logFile;
        StartedHere = startedHere;
        _stopOnDispose = stopOnDispose;
        ConnectionString = ConnectionStringFor("postgres");
    }

    /// <summary>The cluster's data directory.</summary>
    public string DataDirectory { get; }

    /// <summary>The TCP port the server listens on, on 127.0.0.1.</summary>
    public int Port { get; }

    /// <summary>The server's log file (for a cluster this class started).</summary>
    public string LogFile { get; }

    /// <summary>True when this instance started the server; false when it found it already running.</summary>
    public bool StartedHere { get; }

    /// <summary>True for a cluster in a temporary directory that is deleted on dispose.</summary>
    public bool IsThrowaway => _throwawayRoot is not null;

    /// <summary>A connection string to the <c>postgres</c> database as the superuser.</summary>
    public string ConnectionString { get; }

    /// <summary>A connection string to <paramref name="database"/> on this server as the superuser.</summary>
    public string ConnectionStringFor(string database) => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1",
        Port = Port,
        Username = SuperUser,
        Database = database,
    }.ConnectionString;

    /// <summary>
    /// Finds the PostgreSQL programs, creates the cluster when needed, starts it when it is not running and
    /// returns once it accepts connections.
    /// </summary>
    /// <exception cref="LocalPostgresException">The programs are missing or the server could not start (the message holds the end of its log).</exception>
    public static async Task<LocalPostgres> StartAsync(LocalPostgresOptions options, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var binaries = await PostgresBinaries.FindAsync(options.BinDirectory, ct);
        var runner = ProcessRunner.ForCurrentUser();

        string? throwawayRoot = null;
        string dataDirectory;
        if (options.DataDirectory is null)
        {
            throwawayRoot = Path.Combine(Path.GetTempPath(), "strata-postgres-" + Guid.NewGuid().ToString("N")[..12]);
            Directory.CreateDirectory(throwawayRoot);
            dataDirectory = Path.Combine(throwawayRoot, "data");
        }
        else
        {
            dataDirectory = Path.TrimEndingDirectorySeparator(Path.GetFullPath(options.DataDirectory));
        }

        try
        {
            // Two commands starting the same project's cluster at once (a `migrate` in one terminal and
            // `dev start` in another) would both see no cluster and both run initdb into one folder:
            // the lock makes the second wait, then find the first one's server running.
            using var clusterLock = throwawayRoot is null ? await ClusterLock.AcquireAsync(dataDirectory, options.StartTimeout * 2, ct) : null;
            var server = await StartInAsync(binaries, runner, dataDirectory, throwawayRoot, options, ct);
            return server;
        }
        catch when (throwawayRoot is not null)
        {
            await StopQuietlyAsync(binaries, runner, dataDirectory);
            DeleteDirectory(throwawayRoot);
            throw;
        }
    }

    /// <summary>True when <paramref name="dataDirectory"/> holds a cluster (running or not).</summary>
    public static bool ClusterExists(string dataDirectory) => File.Exists(Path.Combine(dataDirectory, "PG_VERSION"));

    /// <summary>
    /// The server already running on the persistent cluster in <see cref="LocalPostgresOptions.DataDirectory"/>,
    /// without starting it: null when there is no cluster there or it is not running. Disposing the result
    /// leaves the server running; <see cref="StopAsync"/> stops it.
    /// </summary>
    /// <exception cref="LocalPostgresException">The cluster exists but the PostgreSQL programs are missing.</exception>
    public static async Task<LocalPostgres?> FindRunningAsync(LocalPostgresOptions options, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.DataDirectory is null)
            throw new ArgumentException("FindRunningAsync needs the data directory of a persistent cluster.", nameof(options));
        var dataDirectory = Path.TrimEndingDirectorySeparator(Path.GetFullPath(options.DataDirectory));
        if (!ClusterExists(dataDirectory))
            return null;
        var binaries = await PostgresBinaries.FindAsync(options.BinDirectory, ct);
        var runner = ProcessRunner.ForCurrentUser();
        return await RunningPortAsync(binaries, runner, dataDirectory, ct) is { } port
            ? new LocalPostgres(binaries, runner, dataDirectory, null, port, Path.Combine(dataDirectory, LogFileName), startedHere: false, stopOnDispose: false)
            : null;
    }

    private static async Task<LocalPostgres> StartInAsync(PostgresBinaries binaries, ProcessRunner runner, string dataDirectory,
        string? throwawayRoot, LocalPostgresOptions options, CancellationToken ct)
    {
        var isThrowaway = throwawayRoot is not null;
        var logFile = Path.Combine(throwawayRoot ?? dataDirectory, LogFileName);
        var portFile = dataDirectory + ".port";

        if (!File.Exists(Path.Combine(dataDirectory, "PG_VERSION")))
        {
            await InitializeAsync(binaries, runner, dataDirectory, throwawayRoot, ct);
        }
        else if (await RunningPortAsync(binaries, runner, dataDirectory, ct) is { } runningPort)
        {
            var found = new LocalPostgres(binaries, runner, dataDirectory, throwawayRoot, runningPort, logFile, startedHere: false, options.StopOnDispose);
            await found.WaitUntilAcceptingAsync(options.StartTimeout, ct);
            return found;
        }

        var port = options.Port != 0 ? options.Port : await RememberedPortAsync(portFile, ct) is { } remembered && IsFree(remembered) ? remembered : FreePort();
        for (var attempt = 1; ; attempt++)
        {
            var started = await TryStartAsync(binaries, runner, dataDirectory, port, logFile, isThrowaway, options.StartTimeout, ct);
            if (started is null)
                break;
            // Another process may take a port between our probe and the server's bind: pick another one.
            if (options.Port == 0 && attempt < PortAttempts && started.Contains("already in use", StringComparison.OrdinalIgnoreCase))
            {
                port = FreePort();
                continue;
            }
            // Two processes may start the same persistent cluster at once: the loser finds the winner's server.
            if (!isThrowaway && await RunningPortAsync(binaries, runner, dataDirectory, ct) is { } winnersPort)
            {
                var found = new LocalPostgres(binaries, runner, dataDirectory, throwawayRoot, winnersPort, logFile, startedHere: false, options.StopOnDispose);
                await found.WaitUntilAcceptingAsync(options.StartTimeout, ct);
                return found;
            }
            throw new LocalPostgresException(started);
        }

        var server = new LocalPostgres(binaries, runner, dataDirectory, throwawayRoot, port, logFile, startedHere: true, options.StopOnDispose);
        try
        {
            await server.WaitUntilAcceptingAsync(options.StartTimeout, ct);
        }
        catch (LocalPostgresException) when (!isThrowaway)
        {
            await StopQuietlyAsync(binaries, runner, dataDirectory);
            throw;
        }
        if (throwawayRoot is not null)
            ThrowawayWatchdog.Start(throwawayRoot, dataDirectory, Environment.ProcessId);
        else
            await File.WriteAllTextAsync(portFile, port.ToString(CultureInfo.InvariantCulture) + "\n", ct);
        return server;
    }

    private static async Task InitializeAsync(PostgresBinaries binaries, ProcessRunner runner, string dataDirectory, string? throwawayRoot, CancellationToken ct)
    {
        if (Directory.Exists(dataDirectory) && Directory.EnumerateFileSystemEntries(dataDirectory).Any())
            throw new LocalPostgresException(
                $"{dataDirectory} is not empty and holds no PostgreSQL cluster (no PG_VERSION file): choose an empty or new directory for the cluster.");
        Directory.CreateDirectory(dataDirectory);
        await runner.GiveToServerUserAsync(throwawayRoot ?? dataDirectory, ct);

        List<string> arguments = ["-D", dataDirectory, "--auth=trust", "-U", SuperUser, "--encoding=UTF8", "--locale=C"];
        if (throwawayRoot is not null)
            arguments.Add("--no-sync"); // a throwaway cluster need not survive a power cut
        var result = await runner.RunServerProgramAsync(binaries.InitDb, arguments, ct);
        if (result.ExitCode != 0)
            throw new LocalPostgresException(
                $"initdb could not create a cluster in {dataDirectory} (exit code {result.ExitCode}):{Environment.NewLine}{result.Output}"
                + (runner.RunsAsServerUser ? $"{Environment.NewLine}It runs as the '{ProcessRunner.ServerUser}' user: every folder above {dataDirectory} must let that user in." : ""));
    }

    /// <summary>Starts the server; null on success, else why it failed (with the end of the server log).</summary>
    private static async Task<string?> TryStartAsync(PostgresBinaries binaries, ProcessRunner runner, string dataDirectory, int port,
        string logFile, bool isThrowaway, TimeSpan timeout, CancellationToken ct)
    {
        // pg_ctl hands -o to a shell, so it holds only numbers and fixed words; '.' puts the Unix socket in
        // the data directory (the server's working directory), away from the system's socket folder.
        var serverOptions = $"-p {port.ToString(CultureInfo.InvariantCulture)} -c listen_addresses=127.0.0.1 -c unix_socket_directories=. -c max_connections=200";
        if (isThrowaway)
            serverOptions += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off";
        List<string> arguments =
        [
            "start", "-D", dataDirectory, "-l", logFile, "-w",
            "-t", Math.Max(1, (int)timeout.TotalSeconds).ToString(CultureInfo.InvariantCulture),
            "-o", serverOptions,
        ];
        var result = await runner.RunServerProgramAsync(binaries.PgCtl, arguments, ct);
        if (result.ExitCode == 0)
            return null;
        return $"PostgreSQL did not start in {dataDirectory} on port {port} (pg_ctl exit code {result.ExitCode}): {result.Output}"
               + LogTail(logFile);
    }

    /// <summary>The port of the server running on <paramref name="dataDirectory"/>, or null when none runs.</summary>
    private static async Task<int?> RunningPortAsync(PostgresBinaries binaries, ProcessRunner runner, string dataDirectory, CancellationToken ct)
    {
        var status = await runner.RunServerProgramAsync(binaries.PgCtl, ["status", "-D", dataDirectory], ct);
        if (status.ExitCode != 0)
            return null;
        // postmaster.pid: pid, data directory, start time, port, socket directory, listen address, shmem key, status.
        var lines = await File.ReadAllLinesAsync(Path.Combine(dataDirectory, "postmaster.pid"), ct);
        return lines.Length > 3 && int.TryParse(lines[3].Trim(), CultureInfo.InvariantCulture, out var port) ? port : null;
    }

    private async Task WaitUntilAcceptingAsync(TimeSpan timeout, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow + timeout;
        var connectionString = new NpgsqlConnectionStringBuilder(ConnectionString) { Pooling = false, Timeout = 5 }.ConnectionString;
        while (true)
        {
            try
            {
                await using var connection = new NpgsqlConnection(connectionString);
                await connection.OpenAsync(ct);
                return;
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException && DateTime.UtcNow < deadline)
            {
                await Task.Delay(50, ct);
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException)
            {
                throw new LocalPostgresException(
                    $"PostgreSQL in {DataDirectory} did not accept connections on port {Port} within {timeout.TotalSeconds:0} s: {e.Message}" + LogTail(LogFile), e);
            }
        }
    }

    /// <summary>Stops the server now, whoever started it (a fast shutdown: open sessions are ended).</summary>
    public async Task StopAsync(CancellationToken ct = default)
    {
        if (Interlocked.Exchange(ref _stopped, 1) != 0)
            return;
        // A throwaway cluster's data is about to be deleted: no need for a clean shutdown checkpoint.
        var mode = IsThrowaway ? "immediate" : "fast";
        var result = await _runner.RunServerProgramAsync(_binaries.PgCtl, ["stop", "-D", DataDirectory, "-m", mode, "-w"], ct);
        if (result.ExitCode != 0 && !IsThrowaway)
            throw new LocalPostgresException($"PostgreSQL in {DataDirectory} did not stop (pg_ctl exit code {result.ExitCode}): {result.Output}");
    }

    /// <summary>Stops the server if this instance started it and <see cref="LocalPostgresOptions.StopOnDispose"/> is set; stops and deletes a throwaway cluster.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
            return;
        if (IsThrowaway || (StartedHere && _stopOnDispose))
            await StopAsync(CancellationToken.None);
        if (_throwawayRoot is not null)
            DeleteDirectory(_throwawayRoot);
    }

    private static async Task StopQuietlyAsync(PostgresBinaries binaries, ProcessRunner runner, string dataDirectory)
    {
        if (File.Exists(Path.Combine(dataDirectory, "postmaster.pid")))
            await runner.RunServerProgramAsync(binaries.PgCtl, ["stop", "-D", dataDirectory, "-m", "immediate", "-w"], CancellationToken.None);
    }

    private static void DeleteDirectory(string path)
    {
        try
        {
            if (Directory.Exists(path))
                Directory.Delete(path, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A leftover temporary folder is not worth failing a test run for.
        }
    }

    private static async Task<int?> RememberedPortAsync(string portFile, CancellationToken ct) =>
        File.Exists(portFile) && int.TryParse((await File.ReadAllTextAsync(portFile, ct)).Trim(), CultureInfo.InvariantCulture, out var port) && port is > 0 and < 65536
            ? port
            : null;

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static string LogTail(string logFile, int lines = 20)
    {
        try
        {
            if (!File.Exists(logFile))
                return "";
            var tail = File.ReadLines(logFile).TakeLast(lines).ToList();
            return tail.Count == 0 ? "" : $"{Environment.NewLine}The end of the server log {logFile}:{Environment.NewLine}  " + string.Join(Environment.NewLine + "  ", tail);
        }
        catch (IOException)
        {
            return "";
        }
    }
}
