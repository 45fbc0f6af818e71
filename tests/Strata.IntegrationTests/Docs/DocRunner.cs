using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using Strata.IntegrationTests.Cli;
using Strata.Tests.Docs;

namespace Strata.IntegrationTests.Docs;

/// <summary>
/// Runs the shell blocks of a Markdown document for real, in order, as a reader would type them:
/// <c>$</c> lines of console blocks one by one (their exit code must be 0, or what "# exit N" says, and
/// every output line shown must appear in what the command printed — or, with <see cref="ComparesWholeOutput"/>,
/// the lines shown must be the whole output), whole bash blocks as one script (exit 0). <c>strata</c> and
/// <c>dotnet strata</c> run the CLI built from this repository, unless <see cref="UsesInstalledTool"/>.
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

    /// <summary>
    /// Text of the doc's commands that the test runs differently (doc text → what runs instead), for a step that
    /// cannot run as written in a test (building packages from "your clone"). The log shows what ran.
    /// </summary>
    public Dictionary<string, string> Substitutions { get; } = new(StringComparer.Ordinal);

    /// <summary>The keys of <see cref="Substitutions"/> that matched a command: a substitution that never applied is a doc that changed.</summary>
    public IReadOnlySet<string> SubstitutionsUsed => _substitutionsUsed;

    private readonly HashSet<string> _substitutionsUsed = new(StringComparer.Ordinal);

    /// <summary>
    /// True: <c>dotnet strata</c> is whatever the doc's own commands installed (a newcomer's machine), not the CLI built
    /// from this repository, so a missing install step fails as it would for the reader.
    /// </summary>
    public bool UsesInstalledTool { get; init; }

    /// <summary>
    /// True: the output a console block shows after a command is all it prints, line for line (blank lines aside);
    /// a line that is only <c>…</c> stands for any number of lines. False: each line shown must appear somewhere.
    /// </summary>
    public bool ComparesWholeOutput { get; init; }

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
                await ExpectAsync(block.Where + " (hidden step)", hidden, 0, null);
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
                await ExpectAsync(block.Where, "set -e\n" + string.Join('\n', block.Lines), 0, null);
        }
        NotRun = notRun;
        Assert.True(_failures.Count == 0, $"{file}: {_failures.Count} command(s) did not do what the doc shows:\n\n{string.Join("\n\n", _failures)}\n\n--- everything that ran:\n{_log}");
    }

    /// <param name="shown">The output a console block shows after the command; null for a script or hidden step, whose output the doc does not show.</param>
    private async Task ExpectAsync(string where, string script, int expectedExit, IReadOnlyList<string>? shown)
    {
        CommandsRun++;
        var run = script;
        foreach (var (doc, instead) in Substitutions)
        {
            if (run.Contains(doc, StringComparison.Ordinal))
            {
                run = run.Replace(doc, instead, StringComparison.Ordinal);
                _substitutionsUsed.Add(doc);
            }
        }
        var (exit, output) = await RunShellAsync(run);
        foreach (var (actual, doc) in Replacements)
            output = output.Replace(actual, doc, StringComparison.Ordinal);
        _log.Append(run == script ? $"$ {script}\n" : $"$ {script}\n(the test ran instead: {run})\n").Append($"{output}[exit {exit}]\n");
        var lines = output.Split('\n').Select(l => l.TrimEnd()).ToList();
        var difference = shown is null ? null : ComparesWholeOutput ? WholeOutputDifference(shown, lines) : MissingLines(shown, lines);
        if (exit != expectedExit || difference is not null)
        {
            _failures.Add($"{where}: {script}\n  exit {exit}, the doc expects {expectedExit}" +
                (difference is not null ? "\n  " + difference : "") +
                "\n  output:\n    " + string.Join("\n    ", lines));
        }
    }

    private static string? MissingLines(IReadOnlyList<string> shown, IReadOnlyList<string> lines)
    {
        var missing = shown.Where(l => l.Trim().Length > 0).Where(l => !lines.Any(Pattern(l).IsMatch)).ToList();
        return missing.Count == 0 ? null : "lines the doc shows that the output lacks:\n    " + string.Join("\n    ", missing);
    }

    /// <summary>Null when the non-blank lines shown are the non-blank lines printed, in order; else the first difference.</summary>
    internal static string? WholeOutputDifference(IReadOnlyList<string> shown, IReadOnlyList<string> printed)
    {
        var expected = shown.Select(l => l.TrimEnd()).Where(l => l.Trim().Length > 0).ToList();
        var actual = printed.Select(l => l.TrimEnd()).Where(l => l.Trim().Length > 0).ToList();
        return Matches(0, 0) ? null : FirstDifference();

        bool Matches(int e, int a)
        {
            if (e == expected.Count)
                return a == actual.Count;
            if (expected[e].Trim() == "…")
                return Enumerable.Range(a, actual.Count - a + 1).Any(next => Matches(e + 1, next));
            return a < actual.Count && Pattern(expected[e]).IsMatch(actual[a]) && Matches(e + 1, a + 1);
        }

        string FirstDifference()
        {
            var i = 0;
            while (i < expected.Count && i < actual.Count && expected[i].Trim() != "…" && Pattern(expected[i]).IsMatch(actual[i]))
                i++;
            var doc = i < expected.Count ? expected[i] : "(nothing more)";
            var real = i < actual.Count ? actual[i] : "(nothing more)";
            return $"the output differs from what the doc shows at line {i + 1} of the output:\n    doc:    {doc}\n    output: {real}";
        }
    }

    /// <summary>
    /// A line of the doc as a pattern: numbers may differ, "…" stands for any text, a run of two or more spaces
    /// for any run of spaces (a table column padded to a wider or narrower number), the rest is literal.
    /// </summary>
    private static Regex Pattern(string line)
    {
        var pattern = new StringBuilder("^");
        foreach (var part in NumberOrEllipsisRegex().Split(line.TrimEnd()))
        {
            if (part == "…")
                pattern.Append(".*");
            else if (part.Length > 0 && part.All(char.IsAsciiDigit))
                pattern.Append(@"\d+");
            else if (part.Length > 1 && part.All(c => c == ' '))
                pattern.Append(" +");
            else
                pattern.Append(Regex.Escape(part));
        }
        return new Regex(pattern.Append('$').ToString(), RegexOptions.CultureInvariant);
    }

    private async Task<(int Exit, string Output)> RunShellAsync(string script)
    {
        var result = await StrataShell.RunAsync(Directory, environment, script, repositoryCli: !UsesInstalledTool);
        Directory = result.Directory;
        return (result.Exit, result.Output);
    }

    [GeneratedRegex(@"(\d+|…| {2,})")]
    private static partial Regex NumberOrEllipsisRegex();
}

/// <summary>What a shell script printed (stdout and stderr in one stream), its exit code and the folder it ended in.</summary>
public sealed record ShellResult(int Exit, string Output, string Directory);

/// <summary>Runs a bash script in which <c>strata</c> and <c>dotnet strata</c> are the CLI built from this repository.</summary>
public static class StrataShell
{
    /// <param name="repositoryCli">False: <c>dotnet strata</c> is left to the .NET SDK (the tool in the folder's manifest), as on a user's machine.</param>
    public static async Task<ShellResult> RunAsync(string directory, IReadOnlyDictionary<string, string?> environment, string script, bool repositoryCli = true)
    {
        var testOutput = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var cli = Path.Combine(StrataProcess.RepositoryRoot, "src", "Strata.Cli", "bin", testOutput.Parent!.Name, testOutput.Name, "Strata.Cli.dll");
        var cwdFile = Path.GetTempFileName();
        // One stream (exec 2>&1), so that what a command writes to stdout and stderr stays in the order it wrote it.
        var shims = repositoryCli
            ? $$"""
                strata() { command dotnet '{{cli}}' "$@"; }
                dotnet() { if [ "$1" = strata ]; then shift; strata "$@"; else command dotnet "$@"; fi; }
                """
            : "";
        var text = $$"""
            exec 2>&1
            {{shims}}
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
        // A compile server outlives the commands (ten idle minutes): a doc that wants one turns it on with a folder it cleans up.
        start.Environment[Strata.Design.SchemaSource.CompileServerClient.SwitchVariable] = "off";
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
