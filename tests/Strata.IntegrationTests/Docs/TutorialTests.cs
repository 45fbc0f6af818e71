using Strata.Design.SchemaSource;
using Strata.IntegrationTests.Cli;

namespace Strata.IntegrationTests.Docs;

/// <summary>
/// docs/tutorial.md and docs/getting-started.md, run as a newcomer would: from an empty folder, every command in
/// order, with <c>dotnet strata</c> the tool the doc's own first step installs (from a local feed of this
/// repository's packages, into a home folder and package cache of the test's own, so nothing is taken from or left
/// in the machine's), and the output shown under each command compared with all it prints.
/// </summary>
[Collection(ToolFeedCollection.Name)]
public sealed class TutorialTests(ToolFeedFixture feed)
{
    [Theory]
    [InlineData("docs/tutorial.md", 20, "0001_pin_notes")]
    [InlineData("docs/getting-started.md", 6, "0000_init")]
    public async Task A_newcomers_doc_runs_as_written_from_an_empty_folder(string doc, int commands, string lastMigration)
    {
        var (runner, folder) = await RunAsNewcomerAsync(doc);

        Assert.Empty(runner.NotRun);
        Assert.True(runner.CommandsRun >= commands, $"{runner.CommandsRun} commands and scripts ran");
        Assert.True(File.Exists(Path.Combine(folder, "shop", "db", "migrations", lastMigration, "up.sql")));
    }

    /// <summary>Runs <paramref name="doc"/> in a new empty folder; returns the runner and that folder.</summary>
    private async Task<(DocRunner Runner, string Folder)> RunAsNewcomerAsync(string doc)
    {
        var root = Path.Combine(feed.Root, "newcomer-" + Guid.NewGuid().ToString("N")[..6]);
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
        var runner = new DocRunner(doc, empty, new Dictionary<string, string?>
        {
            ["HOME"] = home,
            ["DOTNET_CLI_HOME"] = home,
            ["NUGET_PACKAGES"] = Path.Combine(home, ".nuget", "packages"),
            ["DOTNET_NOLOGO"] = "1",
            ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
            // The compile server is on, as a newcomer has it, in a folder of the test's own: removing its socket stops it.
            [CompileServerClient.SwitchVariable] = "on",
            [CompileServerClient.FolderVariable] = Path.Combine(root, "compile-server"),
        })
        {
            UsesInstalledTool = true,
            ComparesWholeOutput = true,
        };
        // "Your clone" is this repository, packed by ToolFeedFixture with the doc's own command, once for every class
        // that installs the tool, and with the machine's package cache, which the newcomer's commands never see.
        foreach (var project in ToolFeedFixture.Projects)
        {
            var packages = Path.GetFileNameWithoutExtension(project) + (project.EndsWith("Strata.Cli.csproj", StringComparison.Ordinal) ? ".*.nupkg" : ".[0-9]*.nupkg");
            runner.Substitutions[$"dotnet pack ~/strata/{project} -c Release -o ~/strata-feed"] = $"mkdir -p ~/strata-feed && cp '{feed.Feed}'/{packages} ~/strata-feed/";
        }
        try
        {
            await runner.RunAsync();
            // A pack command the doc no longer has would be a doc that installs the tool some other way: look at it.
            Assert.Equal(runner.Substitutions.Keys.Order(), runner.SubstitutionsUsed.Order());
            Assert.True(File.Exists(Path.Combine(empty, "shop", "dotnet-tools.json")), "the tool was installed into the project's manifest");
            return (runner, empty);
        }
        finally
        {
            if (File.Exists(Path.Combine(empty, "shop", ".strata", "postgres", "postmaster.pid")))
                await StrataProcess.RunAsync(Path.Combine(empty, "shop"), "dev", "stop");
            foreach (var socket in Directory.Exists(Path.Combine(root, "compile-server")) ? Directory.GetFiles(Path.Combine(root, "compile-server"), "*.sock") : [])
                File.Delete(socket);
        }
    }
}
