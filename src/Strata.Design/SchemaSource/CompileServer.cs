using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Strata.Design.SchemaSource;

/// <summary>
/// A process that keeps an <see cref="InProcessCompiler"/> warm for the commands run after it, as the .NET SDK's
/// compiler server (VBCSCompiler) does for `dotnet build`: a cold process spends most of an edit's compile
/// JIT-compiling Roslyn (~3,600 methods, ~1 s of CPU for a 5-table schema), a warm one compiles the same edit in
/// a fraction of that. It listens on a Unix socket in a folder only its user can open
/// (<see cref="CompileServerEndpoint"/>), answers one request per connection, one at a time, and exits after
/// <see cref="IdleTimeout"/> without a request, or when its socket file is removed. It writes nothing to its
/// standard streams: the command that started it may be gone.
/// </summary>
public static class CompileServer
{
    /// <summary>How long a server waits for the next request before it exits (the SDK's compiler server waits as long).</summary>
    public static readonly TimeSpan IdleTimeout = TimeSpan.FromMinutes(10);

    /// <summary>
    /// Serves compiles on <paramref name="socketPath"/> until idle for <paramref name="idleTimeout"/>, asked to stop, or
    /// <paramref name="ct"/> is cancelled. Returns at once when another server already answers there.
    /// </summary>
    /// <param name="warmUpProject">A schema project to compile once at start (nothing is written), so the first edit finds Roslyn warm.</param>
    public static async Task RunAsync(string socketPath, TimeSpan idleTimeout, string? warmUpProject, CancellationToken ct)
    {
        using var listener = await BindAsync(socketPath, ct);
        if (listener is null)
            return;
        var compiler = new InProcessCompiler();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var lastRequest = Stopwatch.StartNew();
        try
        {
            // Bound first, warmed up after: a request that comes meanwhile waits for the warm-up, then compiles warm.
            using var compiling = new SemaphoreSlim(1, 1);
            var warmUp = Task.Run(async () =>
            {
                await compiling.WaitAsync(stop.Token);
                try
                {
                    if (warmUpProject is not null)
                        Compile(compiler, warmUpProject, writeOutput: false, stop.Token);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // A project that does not compile still warmed the compiler up to its errors.
                }
                finally
                {
                    compiling.Release();
                }
            }, stop.Token);

            while (!stop.IsCancellationRequested)
            {
                using var wait = CancellationTokenSource.CreateLinkedTokenSource(stop.Token);
                wait.CancelAfter(TimeSpan.FromSeconds(10));
                Socket connection;
                try
                {
                    connection = await listener.AcceptAsync(wait.Token);
                }
                catch (OperationCanceledException) when (!stop.IsCancellationRequested)
                {
                    // Every ten seconds: idle too long, or the socket file removed (a cleanup asks the server to leave)?
                    if (lastRequest.Elapsed >= idleTimeout || !File.Exists(socketPath))
                        break;
                    continue;
                }

                using (connection)
                {
                    lastRequest.Restart();
                    await compiling.WaitAsync(stop.Token);
                    try
                    {
                        if (await ServeAsync(connection, compiler, stop.Token) == CompileServerRequest.ShutdownKind)
                            stop.Cancel();
                    }
                    catch (Exception e) when (e is IOException or SocketException or JsonException)
                    {
                        // The client went away or sent nothing readable: it compiles on its own.
                    }
                    finally
                    {
                        compiling.Release();
                        lastRequest.Restart();
                    }
                }
            }
            await warmUp.ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
        finally
        {
            // Another server replaces the file only when this one no longer answers, so while it runs the file is its own.
            File.Delete(socketPath);
        }
    }

    /// <summary>Binds the socket; null when a live server already answers there. A socket file nobody answers is stale and replaced.</summary>
    private static async Task<Socket?> BindAsync(string socketPath, CancellationToken ct)
    {
        if (File.Exists(socketPath))
        {
            if (await CompileServerClient.AnswersAsync(socketPath, ct))
                return null;
            File.Delete(socketPath);
        }
        var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            listener.Bind(new UnixDomainSocketEndPoint(socketPath));
            listener.Listen(16);
            return listener;
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.AddressAlreadyInUse)
        {
            // Another server bound it between the check and the bind: it serves.
            listener.Dispose();
            return null;
        }
    }

    private static async Task<string> ServeAsync(Socket connection, InProcessCompiler compiler, CancellationToken ct)
    {
        await using var stream = new NetworkStream(connection, ownsSocket: false);
        var request = await CompileServerWire.ReadAsync(stream, CompileServerJsonContext.Default.CompileServerRequest, ct)
            ?? throw new JsonException("an empty request");
        CompileServerResponse response;
        if (request.Kind == CompileServerRequest.ShutdownKind)
            response = new CompileServerResponse { Compiled = false };
        else if (request is { Kind: CompileServerRequest.CompileKind, ProjectPath: { } projectPath })
        {
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            try
            {
                Compile(compiler, projectPath, writeOutput: true, ct);
                response = new CompileServerResponse { Compiled = true };
            }
            catch (SchemaSourceException e)
            {
                response = new CompileServerResponse { Compiled = false, Error = e.Message, Details = e.Details.ToList(), Remedy = e.Remedy };
            }
            response = response with { CpuMilliseconds = (long)(Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMilliseconds };
        }
        else
            response = new CompileServerResponse { Compiled = false, Unserved = $"a request this server does not know: {request.Kind}" };
        await CompileServerWire.WriteAsync(stream, response, CompileServerJsonContext.Default.CompileServerResponse, ct);
        return request.Kind;
    }

    // What the client checked before it asked (the manifest holds) is read here again from the same files.
    private static void Compile(InProcessCompiler compiler, string projectPath, bool writeOutput, CancellationToken ct)
    {
        var project = SchemaProject.Read(projectPath);
        var manifest = CompileManifest.Read(project)
            ?? throw new SchemaSourceException($"{projectPath} has no record of its last build (obj/strata-compile.json)", remedy: "Run the command again: it builds the project.");
        compiler.Compile(project, manifest, ct, writeOutput);
    }
}

/// <summary>A request to a <see cref="CompileServer"/>: compile a schema project from its recorded manifest, or stop.</summary>
internal sealed record CompileServerRequest
{
    public const string CompileKind = "compile";
    public const string ShutdownKind = "shutdown";

    public required string Kind { get; init; }

    public string? ProjectPath { get; init; }
}

/// <summary>A <see cref="CompileServer"/>'s answer: compiled (the assembly is written), the compiler's errors, or not served.</summary>
internal sealed record CompileServerResponse
{
    public bool Compiled { get; init; }

    /// <summary>The <see cref="SchemaSourceException"/> the compile gave: the project's errors, which the client reports as its own.</summary>
    public string? Error { get; init; }

    public List<string>? Details { get; init; }

    public string? Remedy { get; init; }

    /// <summary>Why the server did not compile (not the project's fault): the client compiles on its own.</summary>
    public string? Unserved { get; init; }

    /// <summary>The server's CPU time for the request.</summary>
    public long CpuMilliseconds { get; init; }
}

/// <summary>One JSON document per line, each way.</summary>
internal static class CompileServerWire
{
    public static async Task WriteAsync<T>(Stream stream, T value, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type, CancellationToken ct)
    {
        var bytes = JsonSerializer.SerializeToUtf8Bytes(value, type);
        await stream.WriteAsync(bytes, ct);
        await stream.WriteAsync("\n"u8.ToArray(), ct);
        await stream.FlushAsync(ct);
    }

    public static async Task<T?> ReadAsync<T>(Stream stream, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type, CancellationToken ct)
    {
        using var reader = new StreamReader(stream, Encoding.UTF8, detectEncodingFromByteOrderMarks: false, leaveOpen: true);
        var line = await reader.ReadLineAsync(ct);
        return line is null ? default : JsonSerializer.Deserialize(line, type);
    }
}

[JsonSerializable(typeof(CompileServerRequest))]
[JsonSerializable(typeof(CompileServerResponse))]
internal sealed partial class CompileServerJsonContext : JsonSerializerContext;
