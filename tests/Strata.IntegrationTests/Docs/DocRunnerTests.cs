using Strata.IntegrationTests.Cli;

namespace Strata.IntegrationTests.Docs;

/// <summary>The doc runner itself: it fails on an output line the CLI does not print and on a wrong exit code, and follows cd and hidden steps.</summary>
public sealed class DocRunnerTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "strata-docrunner-" + Guid.NewGuid().ToString("N")[..8]);

    public DocRunnerTests() => Directory.CreateDirectory(_folder);

    [Fact]
    public async Task A_doc_whose_commands_print_what_it_shows_passes_following_cd_and_hidden_steps()
    {
        var doc = Write("""
            <!-- run: mkdir -p app && echo hidden > app/note.txt -->
            ```console
            $ cd app
            $ cat note.txt
            hidden
            $ dotnet strata check   # exit 2
            error: no strata.json in … or any folder above it
            ```

            ```bash
            test -f note.txt
            ```
            """);
        var runner = new DocRunner(doc, _folder, new Dictionary<string, string?>());

        await runner.RunAsync();

        Assert.Equal(Path.Combine(_folder, "app"), runner.Directory);
        Assert.Equal(5, runner.CommandsRun);
    }

    [Theory]
    [InlineData("$ dotnet strata check   # exit 2\nerror: something Strata never says", "lines the doc shows that the output lacks")]
    [InlineData("$ dotnet strata check", "exit 2, the doc expects 0")]
    public async Task A_doc_that_differs_from_what_strata_does_fails_naming_the_line(string block, string expected)
    {
        var doc = Write($"Intro.\n\n```console\n{block}\n```\n");
        var runner = new DocRunner(doc, _folder, new Dictionary<string, string?>());

        var failure = await Assert.ThrowsAnyAsync<Exception>(runner.RunAsync);

        Assert.Contains(expected, failure.Message);
        Assert.Contains($"{doc}:4: dotnet strata check", failure.Message);
    }

    [Theory]
    [InlineData("$ printf 'one\\ntwo\\nthree\\n'\none\ntwo\nthree", null)]
    [InlineData("$ printf 'one\\ntwo\\nthree\\n'\none\n…", null)]
    [InlineData("$ printf 'one\\ntwo\\nthree\\n'\n…\nthree", null)]
    [InlineData("$ printf 'took 5 ms\\n│    7 ms │\\n'\ntook 120 ms\n│  1200 ms │", null)]
    [InlineData("$ printf 'one\\ntwo\\nthree\\n'\none\nthree", "at line 2 of the output:\n    doc:    three\n    output: two")]
    [InlineData("$ printf 'one\\ntwo\\n'\none\ntwo\nthree", "at line 3 of the output:\n    doc:    three\n    output: (nothing more)")]
    [InlineData("$ printf 'one\\ntwo\\n'\none", "at line 2 of the output:\n    doc:    (nothing more)\n    output: two")]
    public async Task Compared_whole_the_output_shown_must_be_all_the_command_prints(string block, string? failure)
    {
        var doc = Write($"```console\n{block}\n```\n");
        var runner = new DocRunner(doc, _folder, new Dictionary<string, string?>()) { ComparesWholeOutput = true };

        if (failure is null)
        {
            await runner.RunAsync();
        }
        else
        {
            var error = await Assert.ThrowsAnyAsync<Exception>(runner.RunAsync);
            Assert.Contains(failure, error.Message);
        }
    }

    [Fact]
    public async Task A_substitution_runs_in_place_of_the_doc_text_and_is_recorded_as_used()
    {
        var doc = Write("```bash\ncp ~/nowhere/feed.nupkg .\n```\n");
        var runner = new DocRunner(doc, _folder, new Dictionary<string, string?>());
        runner.Substitutions["cp ~/nowhere/feed.nupkg ."] = "touch feed.nupkg";
        runner.Substitutions["never in the doc"] = "false";

        await runner.RunAsync();

        Assert.True(File.Exists(Path.Combine(_folder, "feed.nupkg")));
        Assert.Equal(["cp ~/nowhere/feed.nupkg ."], runner.SubstitutionsUsed);
    }

    [Fact]
    public async Task With_the_installed_tool_dotnet_strata_is_what_the_folder_has_installed_not_the_repository_build()
    {
        var doc = Write("```console\n$ dotnet strata --version   # exit 1\n…\n```\n");
        // No tool manifest in the folder: the .NET SDK finds no strata, as on a machine where step 1 was skipped.
        var runner = new DocRunner(doc, _folder, new Dictionary<string, string?>()) { UsesInstalledTool = true, ComparesWholeOutput = true };

        await runner.RunAsync();
    }

    private string Write(string markdown)
    {
        var path = Path.Combine(_folder, "doc.md");
        File.WriteAllText(path, markdown);
        return path;
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
