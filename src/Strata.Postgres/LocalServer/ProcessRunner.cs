using System.ComponentModel;
using System.Diagnostics;
using System.Text;

namespace Strata.Postgres.LocalServer;

internal sealed record ProcessResult(int ExitCode, string StandardOutput, string StandardError)
{
    public string Output => (StandardOutput + Environment.NewLine + StandardError).Trim();
}

/// <summary>
/// Runs the PostgreSQL server programs. They refuse to run as root, so as root each one runs as the
/// <c>postgres</c> user through runuser (or su where runuser is missing).
/// </summary>
internal sealed class ProcessRunner
{
    public const string ServerUser = "postgres";

    private readonly bool _asServerUser;
    private readonly string? _runuser;

    private ProcessRunner(bool asServerUser, string? runuser)
    {
        _asServerUser = asServerUser;
        _runuser = runuser;
    }

    public bool RunsAsServerUser => _asServerUser;

    public static ProcessRunner ForCurrentUser()
    {
        if (OperatingSystem.IsWindows() || Environment.UserName != "root")
            return new ProcessRunner(false, null);
        var runuser = new[] { "/usr/sbin/runuser", "/sbin/runuser", "/usr/bin/runuser", "/bin/runuser" }.FirstOrDefault(File.Exists);
        return new ProcessRunner(true, runuser);
    }

    /// <summary>Runs a server program, as the postgres user when we are root.</summary>
    public Task<ProcessResult> RunServerProgramAsync(string program, IReadOnlyList<string> arguments, CancellationToken ct)
    {
        if (!_asServerUser)
            return RunAsync(program, arguments, ct);
        if (_runuser is not null)
            return RunAsync(_runuser, ["-u", ServerUser, "--", program, .. arguments], ct);
        var command = string.Join(' ', new[] { program }.Concat(arguments).Select(ShellQuote));
        return RunAsync("su", [ServerUser, "-s", "/bin/sh", "-c", command], ct);
    }

    /// <summary>Gives a directory we created to the postgres user, so the server can own its data directory.</summary>
    public async Task GiveToServerUserAsync(string directory, CancellationToken ct)
    {
        if (!_asServerUser)
            return;
        var result = await RunAsync("chown", ["-R", $"{ServerUser}:{ServerUser}", directory], ct);
        if (result.ExitCode != 0)
            throw new LocalPostgresException($"Could not give {directory} to the '{ServerUser}' user (PostgreSQL refuses to run as root): {result.Output}");
    }

    public static async Task<ProcessResult> RunAsync(string program, IReadOnlyList<string> arguments, CancellationToken ct)
    {
        var info = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            // The postgres user may not be allowed into our working directory; the server programs get absolute paths.
            WorkingDirectory = "/",
        };
        foreach (var argument in arguments)
            info.ArgumentList.Add(argument);
        using var process = new Process { StartInfo = info };
        try
        {
            process.Start();
        }
        catch (Win32Exception e)
        {
            throw new LocalPostgresException($"Could not run {program}: {e.Message}", e);
        }
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync(ct);
        var stderr = process.StandardError.ReadToEndAsync(ct);
        try
        {
            await process.WaitForExitAsync(ct);
        }
        catch (OperationCanceledException)
        {
            try { process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
            throw;
        }
        return new ProcessResult(process.ExitCode, await stdout, await stderr);
    }

    internal static string ShellQuote(string argument) => "'" + argument.Replace("'", "'\\''") + "'";

    internal static string Describe(string program, IEnumerable<string> arguments)
    {
        var text = new StringBuilder(Path.GetFileName(program));
        foreach (var argument in arguments)
            text.Append(' ').Append(argument.Any(c => char.IsWhiteSpace(c) || c == '\'' || c == '"') ? ShellQuote(argument) : argument);
        return text.ToString();
    }
}
