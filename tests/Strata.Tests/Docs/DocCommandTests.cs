using System.CommandLine;
using Strata.Cli.Commands;
using Xunit.Abstractions;

namespace Strata.Tests.Docs;

/// <summary>
/// Every <c>strata …</c> / <c>dotnet strata …</c> line in a fenced shell block of the docs parses against the
/// real command tree: no unknown command or option, no missing argument. A synopsis ("[--steps n | --to id]")
/// is checked for its command and option names.
/// </summary>
public sealed class DocCommandTests(ITestOutputHelper log)
{
    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    [Fact]
    public void Every_strata_command_in_the_docs_parses_against_the_command_tree()
    {
        var checkedCount = 0;
        var problems = new List<string>();
        foreach (var file in DocFiles.All(RepositoryRoot))
        {
            foreach (var command in DocFiles.Blocks(RepositoryRoot, file).SelectMany(DocFiles.Commands))
            {
                foreach (var args in DocFiles.Invocations(command.Text))
                {
                    checkedCount++;
                    if (Problem(args) is { } problem)
                        problems.Add($"{command.Where}: strata {string.Join(' ', args)}: {problem}");
                }
            }
        }

        log.WriteLine($"{checkedCount} strata commands checked in {DocFiles.All(RepositoryRoot).Count} documents");
        Assert.True(problems.Count == 0, "Commands in the docs that strata would refuse:\n" + string.Join('\n', problems));
        // The docs show dozens of commands: finding only a few means the extraction broke, not the docs.
        Assert.True(checkedCount >= 20, $"only {checkedCount} strata commands found in the docs");
    }

    [Fact]
    public void The_blocks_marked_not_run_are_few_and_each_says_why()
    {
        var notRun = DocFiles.All(RepositoryRoot).SelectMany(f => DocFiles.Blocks(RepositoryRoot, f)).Where(b => b.NotRunReason is not null).ToList();

        foreach (var block in notRun)
            log.WriteLine($"not run: {block.Where}: {block.NotRunReason}");
        Assert.All(notRun, b => Assert.True(b.NotRunReason!.Length > 10, $"{b.Where}: say why the block cannot run"));
        // Production with its secrets and Neon; anything else a test can run.
        Assert.True(notRun.Count <= 4, "blocks not run:\n" + string.Join('\n', notRun.Select(b => $"{b.Where}: {b.NotRunReason}")));
    }

    [Theory]
    [InlineData("dotnet strata migrate --env test", null)]
    [InlineData("strata rollback --steps 2 --accept-data-loss", null)]
    [InlineData("export DATABASE_URL=$(dotnet strata dev url)", null)]
    [InlineData("strata migrate --dry-run --to 0005 > pending.sql", null)]
    [InlineData("dotnet strata init --strata-source <clone>", null)]
    [InlineData("strata rollback [--steps n | --to id] [--accept-data-loss]", null)]
    [InlineData("dotnet strata migrate --enviroment test", "--enviroment")]
    [InlineData("strata migrat", "migrat")]
    [InlineData("strata generate --name", "--name")]
    [InlineData("cd app && dotnet strata check --all-env", "--all-env")]
    [InlineData("strata rollback [--steps n | --step id]", "--step")]
    [InlineData("strata dev restart", "restart")]
    public void A_bad_command_is_reported_naming_what_is_wrong(string line, string? named)
    {
        var invocation = Assert.Single(DocFiles.Invocations(line));

        var problem = Problem(invocation);

        if (named is null)
            Assert.Null(problem);
        else
            Assert.Contains(named, problem ?? "(no problem found)");
    }

    [Fact]
    public void Commands_come_from_prompts_of_console_blocks_and_lines_of_shell_blocks_with_their_exit_codes()
    {
        var blocks = DocFiles.Blocks("x.md", """
            Text with `strata migrate` inline is prose.

            <!-- not-run: needs production secrets -->
            ```bash
            dotnet strata migrate --env production   # applies what is pending
            ```

            ```console
            $ dotnet strata check   # exit 3: not generated yet
            error: the schema has changes
            $ strata status
            ```

            ```
            strata.json   the configuration
            strata drop   # removes the newest migration
            ```

            ```json
            { "strata": 1 }
            ```
            """.Split('\n'));

        Assert.Equal(4, blocks.Count);
        Assert.Equal("needs production secrets", blocks[0].NotRunReason);
        var commands = blocks.SelectMany(DocFiles.Commands).ToList();
        Assert.Equal(["dotnet strata migrate --env production   # applies what is pending", "dotnet strata check   # exit 3: not generated yet", "strata status", "strata drop   # removes the newest migration"],
            commands.Select(c => c.Text));
        Assert.Equal([0, 3, 0, 0], commands.Select(c => c.ExpectedExit));
        Assert.Equal(["error: the schema has changes"], commands[1].Output);
        Assert.Equal("x.md:9", commands[1].Where);
    }

    /// <summary>What the parser refuses in <paramref name="args"/>, or null when it parses.</summary>
    internal static string? Problem(IReadOnlyList<string> args)
    {
        if (DocFiles.IsSynopsis(args))
            return SynopsisProblem(args);
        var result = StrataCommandLine.Parse([.. args], out _, out _);
        return result.Errors.Count == 0 ? null : string.Join("; ", result.Errors.Select(e => e.Message));
    }

    /// <summary>The command path must exist and every option named must be one of its options (or a global one).</summary>
    private static string? SynopsisProblem(IReadOnlyList<string> args)
    {
        StrataCommandLine.Parse([], out _, out var root);
        Command command = root;
        var words = args.Select(a => a.Trim('[', ']')).ToList();
        var i = 0;
        for (; i < words.Count && !words[i].StartsWith('-'); i++)
        {
            var alternatives = words[i].Split('|', StringSplitOptions.RemoveEmptyEntries);
            if (alternatives.Length == 0 || alternatives.All(a => a.Contains('…', StringComparison.Ordinal) || a == "..."))
                return null;
            var subcommands = alternatives.Select(a => command.Subcommands.FirstOrDefault(s => s.Name == a)).ToList();
            if (subcommands.Any(s => s is null))
            {
                // Words after a command without subcommands are its arguments.
                if (command.Subcommands.Count == 0)
                    break;
                return $"unknown command '{alternatives.First(a => command.Subcommands.All(s => s.Name != a))}' of 'strata {command.Name}'";
            }
            command = subcommands[0]!;
        }
        var known = new HashSet<string>(StringComparer.Ordinal);
        for (var c = command; c is not null; c = c.Parents.OfType<Command>().FirstOrDefault())
        {
            foreach (var option in c.Options.Where(o => c == command || o.Recursive))
            {
                known.Add(option.Name);
                known.UnionWith(option.Aliases);
            }
        }
        known.UnionWith(["--help", "-h", "-?"]);
        var unknown = words.Skip(i).SelectMany(w => w.Split('|')).Where(w => w.StartsWith('-') && w.Length > 1 && !known.Contains(w.Split('=')[0])).ToList();
        return unknown.Count == 0 ? null : $"unknown option {string.Join(", ", unknown)} of 'strata {command.Name}'";
    }

    private static string FindRepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Strata.slnx")))
                return directory.FullName;
        }
        throw new InvalidOperationException($"No Strata.slnx above {AppContext.BaseDirectory}");
    }
}
