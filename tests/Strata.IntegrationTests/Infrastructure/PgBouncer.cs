using System.Diagnostics;
using System.Text;
using Npgsql;
using Strata.IntegrationTests.Cli;

namespace Strata.IntegrationTests.Infrastructure;

/// <summary>
/// A real PgBouncer in front of the test server, on a free port of 127.0.0.1, stopped on dispose. Debian's
/// pgbouncer package is installed when the program is missing (as root); when that is impossible the test
/// fails with the reason, it never skips. As root PgBouncer runs as the postgres user, as the server does.
/// </summary>
public sealed class PgBouncer : IAsyncDisposable
{
    private const string Program = "/usr/sbin/pgbouncer";
    private static readonly SemaphoreSlim InstallLock = new(1, 1);

    private readonly Process _process;
    private readonly string _directory;

    private PgBouncer(Process process, string directory, int port)
    {
        _process = process;
        _directory = directory;
        Port = port;
    }

    public int Port { get; }

    public string LogFile => Path.Combine(_directory, "pgbouncer.log");

    /// <summary>
    /// Starts PgBouncer with <c>pool_mode = <paramref name="poolMode"/></c>, forwarding every database name
    /// to the server of <paramref name="serverConnectionString"/>; clients authenticate as any user (trust).
    /// </summary>
    public static async Task<PgBouncer> StartAsync(string serverConnectionString, string poolMode = "transaction")
    {
        await EnsureInstalledAsync();
        var server = new NpgsqlConnectionStringBuilder(serverConnectionString);
        var directory = Path.Combine(Path.GetTempPath(), "strata-pgbouncer-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(directory);
        var port = FreePort.Find();
        var serverEntry = $"host={server.Host} port={server.Port}" + (string.IsNullOrEmpty(server.Password) ? "" : $" password={server.Password}");
        await File.WriteAllTextAsync(Path.Combine(directory, "users.txt"), $"\"{server.Username}\" \"\"\n");
        await File.WriteAllTextAsync(Path.Combine(directory, "pgbouncer.ini"), $"""
            [databases]
            * = {serverEntry}

            [pgbouncer]
            listen_addr = 127.0.0.1
            listen_port = {port}
            unix_socket_dir =
            auth_type = trust
            auth_file = {directory}/users.txt
            pool_mode = {poolMode}
            max_client_conn = 200
            default_pool_size = 5
            logfile = {directory}/pgbouncer.log
            pidfile = {directory}/pgbouncer.pid

            """);

        var asRoot = Environment.UserName == "root";
        if (asRoot)
            await RunAsync("chown", "-R", "postgres:postgres", directory);
        var start = new ProcessStartInfo(asRoot ? "runuser" : Program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = "/",
        };
        foreach (var argument in asRoot ? ["-u", "postgres", "--", Program, Path.Combine(directory, "pgbouncer.ini")] : new[] { Path.Combine(directory, "pgbouncer.ini") })
            start.ArgumentList.Add(argument);
        var process = Process.Start(start)!;
        // Drained so that a chatty PgBouncer cannot fill the pipe and stall; its log file has the detail.
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var bouncer = new PgBouncer(process, directory, port);
        try
        {
            await bouncer.WaitUntilReadyAsync(server.Username!);
            return bouncer;
        }
        catch
        {
            await bouncer.DisposeAsync();
            throw;
        }
    }

    /// <summary>A connection string to <paramref name="database"/> through PgBouncer, as the test server's user.</summary>
    public string ConnectionStringFor(string serverConnectionString, string database) =>
        new NpgsqlConnectionStringBuilder(serverConnectionString) { Host = "127.0.0.1", Port = Port, Database = database, Password = null }.ConnectionString;

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
                _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        catch (InvalidOperationException)
        {
        }
        _process.Dispose();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private async Task WaitUntilReadyAsync(string user)
    {
        var connectionString = new NpgsqlConnectionStringBuilder { Host = "127.0.0.1", Port = Port, Username = user, Database = "postgres", Pooling = false, Timeout = 30 }.ConnectionString;
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            if (_process.HasExited)
                throw new InvalidOperationException($"pgbouncer exited with code {_process.ExitCode}; its log:\n{ReadLog()}");
            try
            {
                await using var connection = new NpgsqlConnection(connectionString);
                await connection.OpenAsync();
                return;
            }
            catch (NpgsqlException) when (deadline.Elapsed < StrataProcess.Patience)
            {
                await Task.Delay(100);
            }
        }
    }

    private string ReadLog() => File.Exists(LogFile) ? File.ReadAllText(LogFile) : "(no log)";

    private static async Task EnsureInstalledAsync()
    {
        if (File.Exists(Program))
            return;
        await InstallLock.WaitAsync();
        try
        {
            if (File.Exists(Program))
                return;
            if (Environment.UserName != "root")
                throw new InvalidOperationException($"PgBouncer is not installed ({Program} is missing) and the tests do not run as root to install it: run 'apt-get install -y pgbouncer'.");
            var update = await RunAsync("apt-get", "update", "-qq");
            var install = await RunAsync("apt-get", "install", "-y", "-qq", "pgbouncer");
            if (!File.Exists(Program))
                throw new InvalidOperationException($"Could not install PgBouncer with apt-get (the pooler tests need it):\n{update}\n{install}");
        }
        finally
        {
            InstallLock.Release();
        }
    }

    private static async Task<string> RunAsync(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        start.Environment["DEBIAN_FRONTEND"] = "noninteractive";
        using var process = Process.Start(start)!;
        var output = new StringBuilder();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        output.Append(await stdout).Append(await stderr);
        return $"{program} {string.Join(' ', arguments)}: exit {process.ExitCode}\n{output}";
    }

}
