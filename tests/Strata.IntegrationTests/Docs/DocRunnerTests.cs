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

    private string Write(string markdown)
    {
        var path = Path.Combine(_folder, "doc.md");
        File.WriteAllText(path, markdown);
        return path;
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
