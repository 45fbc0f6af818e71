using Strata.IntegrationTests.Cli;

namespace Strata.IntegrationTests.Docs;

/// <summary>
/// docs/tutorial.md, run as a newcomer would: from an empty folder, every command in order, with <c>dotnet strata</c>
/// the tool the tutorial's own step 1 installs (from a local feed of this repository's packages, into a home folder
/// and package cache of the test's own, so nothing is taken from or left in the machine's), and the output shown
/// under each command compared with all it prints.
/// </summary>
[Collection(ToolFeedCollection.Name)]
public sealed class TutorialTests(ToolFeedFixture feed)
{
    [Fact]
    public async Task The_five_minute_tutorial_runs_as_written_from_an_empty_folder()
    {
        var root = Path.Combine(feed.Root, "tutorial-" + Guid.NewGuid().ToString("N")[..6]);
        var home = Path.Combine(root, "home");
        var empty = Path.Combine(root, "work");
        Directory.CreateDirectory(home);
        Directory.CreateDirectory(empty);
        // Run as root, Strata runs PostgreSQL as the postgres user, which must be able to enter the folders.
        if (!OperatingSystem.IsWindows())
        {
            foreach (var folder in new[] { feed.Root, root, empty })
                File.SetUnixFileMode(folder, (UnixFileMode)0b111_101_101);
        }
        var runner = new DocRunner("docs/tutorial.md", empty, new Dictionary<string, string?>
        {
            ["HOME"] = home,
            ["DOTNET_CLI_HOME"] = home,
            ["NUGET_PACKAGES"] = Path.Combine(home, ".nuget", "packages"),
            ["DOTNET_NOLOGO"] = "1",
            ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
        })
        {
            UsesInstalledTool = true,
            ComparesWholeOutput = true,
        };
        // The packages come from the pack ToolFeedFixture made of this repository with the same command, once for
        // every class that installs the tool: "your clone" is this repository, and the pack runs with the machine's
        // package cache, which the newcomer's commands that follow never see.
        foreach (var project in ToolFeedFixture.Projects)
        {
            var packages = Path.GetFileNameWithoutExtension(project) + (project.EndsWith("Strata.Cli.csproj", StringComparison.Ordinal) ? ".*.nupkg" : ".[0-9]*.nupkg");
            runner.Substitutions[$"dotnet pack ~/strata/{project} -c Release -o ~/strata-feed"] = $"mkdir -p ~/strata-feed && cp '{feed.Feed}'/{packages} ~/strata-feed/";
        }
        try
        {
            await runner.RunAsync();

            Assert.Empty(runner.NotRun);
            Assert.Equal(runner.Substitutions.Keys.Order(), runner.SubstitutionsUsed.Order());
            Assert.True(runner.CommandsRun >= 20, $"{runner.CommandsRun} commands ran");
            Assert.True(File.Exists(Path.Combine(empty, "shop", "dotnet-tools.json")), "the tool was installed into the project's manifest");
            Assert.True(File.Exists(Path.Combine(empty, "shop", "db", "migrations", "0001_pin_notes", "up.sql")));
        }
        finally
        {
            if (File.Exists(Path.Combine(empty, "shop", ".strata", "postgres", "postmaster.pid")))
                await StrataProcess.RunAsync(Path.Combine(empty, "shop"), "dev", "stop");
        }
    }
}
