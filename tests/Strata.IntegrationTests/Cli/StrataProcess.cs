using System.Diagnostics;
using System.Text;

namespace Strata.IntegrationTests.Cli;

/// <summary>What a run of the strata command printed and returned.</summary>
public sealed record CliResult(int ExitCode, string Stdout, string Stderr)
{
    public string Output => Stdout + Stderr;

    /// <summary>Stdout without terminal escape sequences (colours, cursor moves), for runs in a terminal.</summary>
    public string PlainStdout => System.Text.RegularExpressions.Regex.Replace(Stdout, @"\u001b(\[[0-9;?]*[A-Za-z]|[=>])", "");

    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Stdout}\n--- stderr\n{Stderr}";
}

/// <summary>Runs the built CLI as a real process: <c>dotnet Strata.Cli.dll …</c>, stdin redirected (no terminal).</summary>
public static class StrataProcess
{
    private static readonly Lazy<string> CliAssembly = new(FindCliAssembly);

    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    /// <summary>
    /// How long a test waits for a process to end or for a condition before it calls that a failure: half an hour,
    /// because a shared 2-core CI machine can take tens of seconds to start a process, and a loaded one (load 150
    /// in a fresh-clone run) took over ten minutes to build and diff a 1000-table schema. Tests wait for what they
    /// need and never sleep, so a generous limit costs nothing when all goes well.
    /// </summary>
    public static readonly TimeSpan Patience = TimeSpan.FromMinutes(30);

    /// <summary>The built Strata.Cli.dll that every run starts.</summary>
    public static string CliAssemblyPath => CliAssembly.Value;

    public static async Task<CliResult> RunAsync(string workingDirectory, params string[] args) =>
        await RunAsync(workingDirectory, environment: null, args);

    public static async Task<CliResult> RunAsync(string workingDirectory, IReadOnlyDictionary<string, string?>? environment, params string[] args)
    {
        using var run = Start(workingDirectory, environment, args);
        return await run.WaitAsync(Patience);
    }

    /// <summary>Starts the CLI without waiting for it, so that a test can run several at once or kill one mid-way.</summary>
    public static StrataRun Start(string workingDirectory, params string[] args) => Start(workingDirectory, environment: null, args);

    public static StrataRun Start(string workingDirectory, IReadOnlyDictionary<string, string?>? environment, params string[] args) =>
        StartAssembly(CliAssembly.Value, workingDirectory, environment, args);

    /// <summary>Runs a copy of the CLI from another folder (laid out as a tool install puts it, say).</summary>
    public static async Task<CliResult> RunAssemblyAsync(string assembly, string workingDirectory, params string[] args)
    {
        using var run = StartAssembly(assembly, workingDirectory, null, args);
        return await run.WaitAsync(Patience);
    }

    private static StrataRun StartAssembly(string assembly, string workingDirectory, IReadOnlyDictionary<string, string?>? environment, string[] args) =>
        new(Process.Start(StartInfo(assembly, workingDirectory, environment, args))!, args);

    /// <summary>How every run starts the CLI (for a test that reads its output as it comes, see WatchProcess).</summary>
    internal static ProcessStartInfo StartInfo(string workingDirectory, IReadOnlyDictionary<string, string?>? environment, params string[] args) =>
        StartInfo(CliAssembly.Value, workingDirectory, environment, args);

    private static ProcessStartInfo StartInfo(string assembly, string workingDirectory, IReadOnlyDictionary<string, string?>? environment, string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        start.ArgumentList.Add(assembly);
        foreach (var arg in args)
            start.ArgumentList.Add(arg);
        // `dotnet test` leaves MSBuild variables behind that would steer the schema project's nested build.
        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("MSBUILD", StringComparison.OrdinalIgnoreCase)).ToList())
            start.Environment.Remove(key);
        start.Environment["NO_COLOR"] = "1";
        start.Environment.Remove("STRATA_DATABASE_URL");
        // A compile server outlives the command that starts it (ten idle minutes): tests that want one say so, with a
        // socket folder of their own that they clean up (CompileServerTests).
        start.Environment[Strata.Design.SchemaSource.CompileServerClient.SwitchVariable] = "off";
        foreach (var (key, value) in environment ?? new Dictionary<string, string?>())
            start.Environment[key] = value;
        return start;
    }

    /// <summary>
    /// Runs the CLI on a pseudo-terminal (util-linux <c>script</c>), as a person at a terminal would:
    /// each time the output shows the next prompt text, the matching keys are typed.
    /// </summary>
    public static async Task<CliResult> RunInTerminalAsync(string workingDirectory, IReadOnlyList<(string Prompt, string Keys)> answers, params string[] args)
    {
        // A wide terminal, so that the lines a test looks for are not wrapped.
        var command = "stty cols 250 rows 50; " + string.Join(' ', new[] { "dotnet", CliAssembly.Value }.Concat(args).Select(ShellQuote));
        var start = new ProcessStartInfo("script")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
        };
        foreach (var arg in new[] { "--quiet", "--return", "--command", command, "/dev/null" })
            start.ArgumentList.Add(arg);
        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("MSBUILD", StringComparison.OrdinalIgnoreCase)).ToList())
            start.Environment.Remove(key);
        start.Environment["TERM"] = "xterm";

        using var process = Process.Start(start)!;
        var output = new StringBuilder();
        var buffer = new char[4096];
        using var timeout = new CancellationTokenSource(Patience);
        var next = 0;
        var searchFrom = 0;
        try
        {
            int read;
            while ((read = await process.StandardOutput.ReadAsync(buffer, timeout.Token)) > 0)
            {
                output.Append(buffer, 0, read);
                if (next < answers.Count)
                {
                    var found = output.ToString().IndexOf(answers[next].Prompt, searchFrom, StringComparison.Ordinal);
                    if (found >= 0)
                    {
                        searchFrom = found + answers[next].Prompt.Length;
                        await process.StandardInput.WriteAsync(answers[next].Keys);
                        await process.StandardInput.FlushAsync();
                        next++;
                    }
                }
            }
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"strata {string.Join(' ', args)} on a terminal did not finish in {Patience.TotalMinutes:0} minutes; it printed:\n{output}");
        }
        // A terminal has one stream: everything the program wrote arrives as stdout.
        return new CliResult(process.ExitCode, output.ToString(), await process.StandardError.ReadToEndAsync());
    }

    private static string ShellQuote(string text) => "'" + text.Replace("'", "'\\''") + "'";

    private static string FindRepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Strata.slnx")))
                return directory.FullName;
        }
        throw new InvalidOperationException($"No Strata.slnx above {AppContext.BaseDirectory}");
    }

    // The CLI's own build output, in the configuration the tests were built in (bin/<Configuration>/<tfm>/).
    private static string FindCliAssembly()
    {
        var testOutput = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var framework = testOutput.Name;
        var configuration = testOutput.Parent!.Name;
        var path = Path.Combine(RepositoryRoot, "src", "Strata.Cli", "bin", configuration, framework, "Strata.Cli.dll");
        return File.Exists(path) ? path : throw new InvalidOperationException($"The CLI is not built: {path} is missing");
    }
}

/// <summary>A CLI process that is running: wait for it, or kill it as a crash or an operator would.</summary>
public sealed class StrataRun : IDisposable
{
    private readonly Process _process;
    private readonly string[] _args;
    private readonly Task<string> _stdout;
    private readonly Task<string> _stderr;

    internal StrataRun(Process process, string[] args)
    {
        _process = process;
        _args = args;
        process.StandardInput.Close();
        _stdout = process.StandardOutput.ReadToEndAsync();
        _stderr = process.StandardError.ReadToEndAsync();
    }

    public int ProcessId => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>Waits for the process to end; kills it and throws when it takes longer than <paramref name="timeout"/>.</summary>
    public async Task<CliResult> WaitAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
            throw new TimeoutException($"strata {string.Join(' ', _args)} did not finish in {timeout.TotalSeconds:0} s");
        }
        return new CliResult(_process.ExitCode, await _stdout, await _stderr);
    }

    /// <summary>SIGKILL (what <see cref="Process.Kill()"/> sends on Linux): no handler runs, no connection is closed politely.</summary>
    public async Task KillAsync()
    {
        try
        {
            _process.Kill();
        }
        catch (InvalidOperationException)
        {
            // It had already exited.
        }
        await _process.WaitForExitAsync();
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
                _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
        }
        _process.Dispose();
    }
}
