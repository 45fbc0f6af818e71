using System.Diagnostics;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;

namespace Strata.Design.SchemaSource;

/// <summary>
/// Asks the <see cref="CompileServer"/> of this Strata build to compile a schema project, and starts one when none
/// runs. Every failure to reach or hear it (no server yet, a server that died, a slow answer) is answered by
/// compiling in-process, as without a server; only the project's own compile errors come back as errors.
/// </summary>
public sealed class CompileServerClient
{
    /// <summary>Set to <c>off</c> (or 0, false) to compile in the command's own process, and start no server.</summary>
    public const string SwitchVariable = "STRATA_COMPILE_SERVER";

    /// <summary>The folder of the servers' sockets, instead of the default (<see cref="CompileServerEndpoint.DefaultFolder"/>).</summary>
    public const string FolderVariable = "STRATA_COMPILE_SERVER_DIR";

    private readonly ProcessStartInfo _start;

    /// <param name="socketPath">The server's socket (<see cref="CompileServerEndpoint.SocketPath"/>).</param>
    /// <param name="start">How to start a server: the command, without its socket and warm-up arguments, which are added.</param>
    public CompileServerClient(string socketPath, ProcessStartInfo start)
    {
        SocketPath = socketPath;
        _start = start;
    }

    public string SocketPath { get; }

    /// <summary>
    /// The client of the server that runs this process's own program with <paramref name="serverArguments"/> (the CLI's
    /// hidden `compile-server` command), or null when <see cref="SwitchVariable"/> turns it off or the socket folder
    /// cannot be made private.
    /// </summary>
    public static CompileServerClient? ForThisProgram(params string[] serverArguments)
    {
        if (Environment.GetEnvironmentVariable(SwitchVariable)?.Trim().ToLowerInvariant() is "off" or "0" or "false" or "no")
            return null;
        if (Environment.ProcessPath is not { } program)
            return null;
        var start = new ProcessStartInfo(program);
        // `dotnet Strata.Cli.dll …` (a build output, the tool's launcher) runs the server the same way; an apphost runs itself.
        if (string.Equals(Path.GetFileNameWithoutExtension(program), "dotnet", StringComparison.OrdinalIgnoreCase)
            && System.Reflection.Assembly.GetEntryAssembly()?.Location is { Length: > 0 } entry)
            start.ArgumentList.Add(entry);
        foreach (var argument in serverArguments)
            start.ArgumentList.Add(argument);
        var folder = CompileServerEndpoint.PrivateFolder(Environment.GetEnvironmentVariable(FolderVariable) is { Length: > 0 } chosen ? chosen : CompileServerEndpoint.DefaultFolder);
        return folder is null ? null : new CompileServerClient(CompileServerEndpoint.SocketPath(folder, start), start);
    }

    /// <summary>
    /// Compiles <paramref name="project"/> through the server: its answer when it wrote the assembly; null when no server
    /// answered (the caller compiles in-process). Throws <see cref="SchemaSourceException"/> with the compiler's errors.
    /// </summary>
    internal async Task<CompileServerResponse?> TryCompileAsync(SchemaProject project, CancellationToken ct)
    {
        if (!File.Exists(SocketPath))
            return null;
        try
        {
            using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(SocketPath), ct);
            await using var stream = new NetworkStream(socket, ownsSocket: false);
            // Generous: the server compiles one request at a time, and a busy machine is slow; a server that never answers is left behind.
            using var patience = CancellationTokenSource.CreateLinkedTokenSource(ct);
            patience.CancelAfter(TimeSpan.FromMinutes(5));
            await CompileServerWire.WriteAsync(stream, new CompileServerRequest { Kind = CompileServerRequest.CompileKind, ProjectPath = project.ProjectPath },
                CompileServerJsonContext.Default.CompileServerRequest, patience.Token);
            var response = await CompileServerWire.ReadAsync(stream, CompileServerJsonContext.Default.CompileServerResponse, patience.Token);
            if (response is { Compiled: false, Error: { } error })
                throw new SchemaSourceException(error, response.Details, response.Remedy);
            return response is { Compiled: true } ? response : null;
        }
        catch (Exception e) when (e is SocketException or IOException or System.Text.Json.JsonException
                                   || (e is OperationCanceledException && !ct.IsCancellationRequested))
        {
            return null;
        }
    }

    /// <summary>Starts a server in the background when none answers, warming it up on <paramref name="project"/>; it outlives this process.</summary>
    internal async Task EnsureStartedAsync(SchemaProject project, CancellationToken ct)
    {
        if (await AnswersAsync(SocketPath, ct))
            return;
        var start = new ProcessStartInfo(_start.FileName)
        {
            UseShellExecute = false,
            // Its own streams, not this command's: a caller that reads this command's output to its end (a test, a
            // pipe) must not wait for the server, which outlives it and writes nothing.
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetDirectoryName(SocketPath)!,
        };
        foreach (var argument in _start.ArgumentList)
            start.ArgumentList.Add(argument);
        start.ArgumentList.Add("--socket");
        start.ArgumentList.Add(SocketPath);
        start.ArgumentList.Add("--warm-up");
        start.ArgumentList.Add(project.ProjectPath);
        try
        {
            using var server = Process.Start(start);
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            // No server: every compile stays in-process.
        }
    }

    /// <summary>Asks the server to stop; false when none answered.</summary>
    public async Task<bool> ShutdownAsync(CancellationToken ct)
    {
        if (!File.Exists(SocketPath))
            return false;
        try
        {
            using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(SocketPath), ct);
            await using var stream = new NetworkStream(socket, ownsSocket: false);
            await CompileServerWire.WriteAsync(stream, new CompileServerRequest { Kind = CompileServerRequest.ShutdownKind }, CompileServerJsonContext.Default.CompileServerRequest, ct);
            return await CompileServerWire.ReadAsync(stream, CompileServerJsonContext.Default.CompileServerResponse, ct) is not null;
        }
        catch (Exception e) when (e is SocketException or IOException)
        {
            return false;
        }
    }

    /// <summary>Whether a server listens on <paramref name="socketPath"/> (a connection is accepted).</summary>
    internal static async Task<bool> AnswersAsync(string socketPath, CancellationToken ct)
    {
        if (!File.Exists(socketPath))
            return false;
        try
        {
            using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), ct);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}

/// <summary>Where the compile server of one Strata build listens.</summary>
public static class CompileServerEndpoint
{
    /// <summary><c>$XDG_RUNTIME_DIR/strata</c> when the session has one (private to the user by definition), else <c>strata-&lt;user&gt;</c> in the temp folder.</summary>
    public static string DefaultFolder =>
        Environment.GetEnvironmentVariable("XDG_RUNTIME_DIR") is { Length: > 0 } runtime && Directory.Exists(runtime)
            ? Path.Combine(runtime, "strata")
            : Path.Combine(Path.GetTempPath(), "strata-" + Environment.UserName);

    /// <summary>
    /// <paramref name="folder"/>, created readable by its user only; null when it exists and others may enter it (a
    /// server there would compile for whoever connects, and a client would load what another user's server wrote).
    /// </summary>
    public static string? PrivateFolder(string folder)
    {
        try
        {
            if (OperatingSystem.IsWindows())
            {
                Directory.CreateDirectory(folder);
                return folder;
            }
            var owner = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
            Directory.CreateDirectory(folder, owner);
            return (File.GetUnixFileMode(folder) & ~owner) == 0 ? folder : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>
    /// The socket of the server <paramref name="start"/> runs: named by the program and this build of Strata.Design
    /// (its module version id), so that a rebuilt or upgraded Strata never talks to an older server, which idles out.
    /// </summary>
    public static string SocketPath(string folder, ProcessStartInfo start)
    {
        var identity = string.Join('\n', [start.FileName, .. start.ArgumentList, typeof(CompileServer).Assembly.ManifestModule.ModuleVersionId.ToString()]);
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(identity)))[..16];
        return Path.Combine(folder, $"compile-{hash}.sock");
    }
}
