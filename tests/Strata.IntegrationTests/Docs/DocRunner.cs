using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using Strata.IntegrationTests.Cli;
using Strata.Tests.Docs;

namespace Strata.IntegrationTests.Docs;

/// <summary>
/// Runs the shell blocks of a Markdown document for real, in order, as a reader would type them:
/// <c>$</c> lines of console blocks one by one (their exit code must be 0, or what "# exit N" says, and
/// every output line shown must appear in what the command printed), whole bash blocks as one script
/// (exit 0). <c>strata</c> and <c>dotnet strata</c> run the CLI built from this repository.
/// Before a block, <c>&lt;!-- run: … --&gt;</c> runs a hidden step (an edit the reader makes by hand),
/// <c>&lt;!-- write: path --&gt;</c> writes the block to that file, and <c>&lt;!-- not-run: reason --&gt;</c> skips it.
/// </summary>
public sealed partial class DocRunner(string file, string directory, IReadOnlyDictionary<string, string?> environment)
{
    private static readonly HashSet<string> Runnable = new(StringComparer.Ordinal) { "bash", "sh", "shell", "console" };

    private readonly List<string> _failures = [];
    private readonly StringBuilder _log = new();

    /// <summary>The folder commands run in; a <c>cd</c> in the docs moves it.</summary>
    public string Directory { get; private set; } = directory;

    /// <summary>Values in the output that stand for something else in the doc (a generated database name → the doc's name).</summary>
    public Dictionary<string, string> Replacements { get; } = new(StringComparer.Ordinal);

    public int CommandsRun { get; private set; }

    public IReadOnlyList<string> NotRun { get; private set; } = [];

    public async Task RunAsync()
    {
        var notRun = new List<string>();
        foreach (var block in DocFiles.Blocks(StrataProcess.RepositoryRoot, file))
        {
            if (block.NotRunReason is { } reason)
            {
                notRun.Add($"{block.Where}: {reason}");
                continue;
            }
            if (block.HiddenRun is { } hidden)
                await ExpectAsync(block.Where + " (hidden step)", hidden, 0, []);
            if (block.Comment is { } comment && comment.StartsWith("write:", StringComparison.Ordinal))
            {
                File.WriteAllText(Path.Combine(Directory, comment["write:".Length..].Trim()), string.Join('\n', block.Lines) + "\n");
                continue;
            }
            if (!Runnable.Contains(block.Language))
                continue;
            if (block.HasPrompts)
            {
                foreach (var command in DocFiles.Commands(block))
                    await ExpectAsync(command.Where, command.Text, command.ExpectedExit, command.Output);
            }
            else
                await ExpectAsync(block.Where, "set -e\n" + string.Join('\n', block.Lines), 0, []);
        }
        NotRun = notRun;
        Assert.True(_failures.Count == 0, $"{file}: {_failures.Count} command(s) did not do what the doc shows:\n\n{string.Join("\n\n", _failures)}\n\n--- everything that ran:\n{_log}");
    }

    private async Task ExpectAsync(string where, string script, int expectedExit, IReadOnlyList<string> shown)
    {
        CommandsRun++;
        var (exit, output) = await RunShellAsync(script);
        foreach (var (actual, doc) in Replacements)
            output = output.Replace(actual, doc, StringComparison.Ordinal);
        _log.Append($"$ {script}\n{output}[exit {exit}]\n");
        var lines = output.Split('\n').Select(l => l.TrimEnd()).ToList();
        var missing = shown.Where(l => l.Trim().Length > 0).Where(l => !lines.Any(Pattern(l).IsMatch)).ToList();
        if (exit != expectedExit || missing.Count > 0)
        {
            _failures.Add($"{where}: {script}\n  exit {exit}, the doc expects {expectedExit}" +
                (missing.Count > 0 ? "\n  lines the doc shows that the output lacks:\n    " + string.Join("\n    ", missing) : "") +
                "\n  output:\n    " + string.Join("\n    ", lines));
        }
    }

    /// <summary>A line of the doc as a pattern: numbers may differ, "…" stands for any text, the rest is literal.</summary>
    private static Regex Pattern(string line)
    {
        var pattern = new StringBuilder("^");
        foreach (var part in NumberOrEllipsisRegex().Split(line.TrimEnd()))
        {
            if (part == "…")
                pattern.Append(".*");
            else if (part.Length > 0 && part.All(char.IsAsciiDigit))
                pattern.Append(@"\d+");
            else
                pattern.Append(Regex.Escape(part));
        }
        return new Regex(pattern.Append('$').ToString(), RegexOptions.CultureInvariant);
    }

    private async Task<(int Exit, string Output)> RunShellAsync(string script)
    {
        var result = await StrataShell.RunAsync(Directory, environment, script);
        Directory = result.Directory;
        return (result.Exit, result.Output);
    }

    [GeneratedRegex(@"(\d+|…)")]
    private static partial Regex NumberOrEllipsisRegex();
}

/// <summary>What a shell script printed (stdout and stderr in one stream), its exit code and the folder it ended in.</summary>
public sealed record ShellResult(int Exit, string Output, string Directory);

/// <summary>Runs a bash script in which <c>strata</c> and <c>dotnet strata</c> are the CLI built from this repository.</summary>
public static class StrataShell
{
    public static async Task<ShellResult> RunAsync(string directory, IReadOnlyDictionary<string, string?> environment, string script)
    {
        var testOutput = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var cli = Path.Combine(StrataProcess.RepositoryRoot, "src", "Strata.Cli", "bin", testOutput.Parent!.Name, testOutput.Name, "Strata.Cli.dll");
        var cwdFile = Path.GetTempFileName();
        // One stream (exec 2>&1), so that what a command writes to stdout and stderr stays in the order it wrote it.
        var text = $$"""
            exec 2>&1
            strata() { command dotnet '{{cli}}' "$@"; }
            dotnet() { if [ "$1" = strata ]; then shift; strata "$@"; else command dotnet "$@"; fi; }
            trap 'pwd > '\''{{cwdFile}}'\''' EXIT
            {{script}}

            """;
        var start = new ProcessStartInfo("bash") { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardInput = true, UseShellExecute = false };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(text);
        // `dotnet test` leaves MSBuild variables behind that would steer the schema project's nested build.
        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("MSBUILD", StringComparison.OrdinalIgnoreCase)).ToList())
            start.Environment.Remove(key);
        start.Environment.Remove("STRATA_DATABASE_URL");
        start.Environment.Remove("STRATA_ENV");
        start.Environment["NO_COLOR"] = "1";
        foreach (var (key, value) in environment)
            start.Environment[key] = value;
        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(StrataProcess.Patience);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"did not finish in {StrataProcess.Patience.TotalMinutes:0} minutes: {script}");
        }
        var cwd = File.ReadAllText(cwdFile).Trim();
        File.Delete(cwdFile);
        return new ShellResult(process.ExitCode, await output, cwd.Length > 0 ? cwd : directory);
    }
}
