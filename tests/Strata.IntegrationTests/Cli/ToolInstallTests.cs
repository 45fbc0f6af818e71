using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;
using System.Xml.Linq;

namespace Strata.IntegrationTests.Cli;

/// <summary>
/// Packs the CLI and the Strata library into a local feed, once for the test class, as docs/install.md
/// tells a user to. Everything after the pack runs with a package cache of its own, so what is installed
/// comes from that feed and nothing from an earlier build.
/// </summary>
public sealed class ToolFeedFixture : IAsyncLifetime
{
    /// <summary>The projects packed, in order, each with <c>dotnet pack &lt;project&gt; -c Release -o &lt;feed&gt;</c> (docs/install.md's commands).</summary>
    public static readonly IReadOnlyList<string> Projects = ["src/Strata.Cli/Strata.Cli.csproj", "src/Strata/Strata.csproj"];

    private readonly string _root = Path.Combine(Path.GetTempPath(), "strata-tool-" + Guid.NewGuid().ToString("N")[..8]);

    public string Feed => Path.Combine(_root, "feed");

    public string Root => _root;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(Feed);
        foreach (var project in Projects)
        {
            var pack = await DotnetProcess.RunAsync(StrataProcess.RepositoryRoot, null, "pack", project, "-c", "Release", "-o", Feed, "-nologo");
            Assert.True(pack.ExitCode == 0, pack.ToString());
        }
    }

    public Task DisposeAsync()
    {
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
            // A build server may still hold a file for a moment.
        }
        return Task.CompletedTask;
    }
}

/// <summary>
/// The classes that install the packed tool share one pack (a pack takes minutes on a busy machine, and two packs of
/// the same projects at once would write the same Release output).
/// </summary>
[CollectionDefinition(Name)]
public sealed class ToolFeedCollection : ICollectionFixture<ToolFeedFixture>
{
    public const string Name = "tool feed";
}

[Collection(ToolFeedCollection.Name)]
public sealed class ToolInstallTests(ToolFeedFixture feed)
{
    private static readonly string Version = XDocument.Load(Path.Combine(StrataProcess.RepositoryRoot, "Directory.Build.props")).Descendants("Version").Single().Value;

    [Fact]
    public void The_feed_holds_the_platform_packages_and_the_one_for_this_machine_is_ready_to_run()
    {
        var packages = Directory.GetFiles(feed.Feed, "*.nupkg").Select(Path.GetFileName).Order().ToList();

        Assert.Equal([$"Strata.{Version}.nupkg", $"Strata.Cli.{Version}.nupkg", $"Strata.Cli.any.{Version}.nupkg", $"Strata.Cli.linux-x64.{Version}.nupkg"], packages);
        using var linux = System.IO.Compression.ZipFile.OpenRead(Path.Combine(feed.Feed, $"Strata.Cli.linux-x64.{Version}.nupkg"));
        using var any = System.IO.Compression.ZipFile.OpenRead(Path.Combine(feed.Feed, $"Strata.Cli.any.{Version}.nupkg"));
        var linuxCli = linux.GetEntry("tools/net10.0/linux-x64/Strata.Cli.dll")!;
        var anyCli = any.GetEntry("tools/net10.0/any/Strata.Cli.dll")!;
        // ReadyToRun code sits beside the IL: the platform's assembly is well over twice the size of the neutral one.
        Assert.True(linuxCli.Length > 2 * anyCli.Length, $"linux-x64 {linuxCli.Length} bytes, any {anyCli.Length} bytes");
    }

    [Fact]
    public async Task The_installed_tool_prints_its_version_and_runs_init_then_generate_from_the_package()
    {
        var project = await NewRepositoryAsync("shop");

        var install = await RunAsync(project, "tool", "install", "Strata.Cli", "--add-source", feed.Feed);
        Assert.True(install.ExitCode == 0, install.ToString());
        var version = await RunAsync(project, "strata", "--version");
        Assert.True(version.ExitCode == 0, version.ToString());
        Assert.StartsWith(Version + "+", version.Stdout.Trim()); // the informational version: release and commit

        var init = await RunAsync(project, "strata", "init", "--name", "Shop");
        Assert.True(init.ExitCode == 0, init.ToString());
        // Outside a clone of the repository, the schema project references the Strata package from the feed.
        Assert.Contains($"<PackageReference Include=\"Strata\" Version=\"{Version}\" />", File.ReadAllText(Path.Combine(project, "src", "Shop.Schema", "Shop.Schema.csproj")));
        // The manifest `dotnet new tool-manifest` made is the one init keeps the tool in.
        Assert.False(File.Exists(Path.Combine(project, ".config", "dotnet-tools.json")));
        var tools = JsonNode.Parse(File.ReadAllText(Path.Combine(project, "dotnet-tools.json")))!["tools"]!.AsObject();
        Assert.Equal(Version, (string)tools["strata.cli"]!["version"]!);

        var generate = await RunAsync(project, "strata", "generate", "--name", "init");
        Assert.True(generate.ExitCode == 0, generate.ToString());
        var up = Assert.Single(Directory.GetFiles(Path.Combine(project, "db", "migrations"), "up.sql", SearchOption.AllDirectories));
        Assert.Contains("CREATE TABLE \"public\".\"notes\"", File.ReadAllText(up));
        Assert.True(File.Exists(Path.Combine(project, "db", "migrations", "strata.sum")));
    }

    [Fact]
    public async Task A_clone_gets_the_tool_with_dotnet_tool_restore()
    {
        var first = await NewRepositoryAsync("original");
        var install = await RunAsync(first, "tool", "install", "Strata.Cli", "--add-source", feed.Feed);
        Assert.True(install.ExitCode == 0, install.ToString());

        // A clone: the committed manifest and nuget.config, and a machine that has never seen the package.
        var clone = Path.Combine(feed.Root, "clone-" + Guid.NewGuid().ToString("N")[..6]);
        Directory.CreateDirectory(clone);
        File.Copy(Path.Combine(first, "dotnet-tools.json"), Path.Combine(clone, "dotnet-tools.json"));
        File.Copy(Path.Combine(first, "nuget.config"), Path.Combine(clone, "nuget.config"));
        var machine = Path.Combine(clone, ".machine");
        Assert.NotEqual(0, (await RunInAsync(clone, machine, "strata", "--version")).ExitCode); // not there before the restore
        var restore = await RunInAsync(clone, machine, "tool", "restore");
        Assert.True(restore.ExitCode == 0, restore.ToString());
        Assert.True(Directory.Exists(Path.Combine(machine, "packages", "strata.cli.linux-x64", Version)), "restore installed the linux-x64 package");

        var version = await RunInAsync(clone, machine, "strata", "--version");
        Assert.True(version.ExitCode == 0, version.ToString());
        Assert.StartsWith(Version + "+", version.Stdout.Trim());
        var help = await RunInAsync(clone, machine, "strata", "--help");
        Assert.Contains("generate", help.Stdout);
    }

    [Fact]
    public async Task A_tool_path_install_gives_a_strata_that_starts_the_tool_directly()
    {
        var folder = await NewRepositoryAsync("scripts");

        var install = await RunAsync(folder, "tool", "install", "Strata.Cli", "--add-source", feed.Feed, "--tool-path", ".tools");
        Assert.True(install.ExitCode == 0, install.ToString());
        var version = await DotnetProcess.RunAsync(Path.Combine(folder, ".tools", "strata"), folder, null, "--version");

        Assert.True(version.ExitCode == 0, version.ToString());
        Assert.StartsWith(Version + "+", version.Stdout.Trim());
    }

    /// <summary>A new folder with a nuget.config naming the feed (as docs/install.md says) and an empty tool manifest.</summary>
    private async Task<string> NewRepositoryAsync(string name)
    {
        var folder = Path.Combine(feed.Root, name + "-" + Guid.NewGuid().ToString("N")[..6]);
        Directory.CreateDirectory(folder);
        foreach (var args in new[]
                 {
                     new[] { "new", "nugetconfig" },
                     ["nuget", "add", "source", feed.Feed, "--name", "strata-local", "--configfile", "nuget.config"],
                     ["new", "tool-manifest"],
                 })
        {
            var result = await RunAsync(folder, args);
            Assert.True(result.ExitCode == 0, result.ToString());
        }
        return folder;
    }

    private Task<CliResult> RunAsync(string folder, params string[] args) => RunInAsync(folder, Path.Combine(feed.Root, "machine"), args);

    /// <summary>
    /// Runs dotnet as on a machine whose package cache and .dotnet folder are in <paramref name="machine"/>: the SDK
    /// remembers where it found a local tool of a given version (.dotnet/toolResolverCache), and would otherwise run
    /// a Strata.Cli 0.1.0 installed earlier on this machine rather than the one just packed.
    /// </summary>
    private static Task<CliResult> RunInAsync(string folder, string machine, params string[] args) =>
        DotnetProcess.RunAsync(folder, new Dictionary<string, string?>
        {
            ["NUGET_PACKAGES"] = Path.Combine(machine, "packages"),
            ["DOTNET_CLI_HOME"] = Path.Combine(machine, "home"),
        }, args);
}

/// <summary>Runs <c>dotnet</c> (or another program) with arguments, without the MSBuild variables <c>dotnet test</c> leaves behind.</summary>
internal static class DotnetProcess
{
    public static Task<CliResult> RunAsync(string folder, IReadOnlyDictionary<string, string?>? environment, params string[] args) =>
        RunAsync("dotnet", folder, environment, args);

    public static async Task<CliResult> RunAsync(string program, string folder, IReadOnlyDictionary<string, string?>? environment, params string[] args)
    {
        var start = new ProcessStartInfo(program)
        {
            WorkingDirectory = folder,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (var arg in args)
            start.ArgumentList.Add(arg);
        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("MSBUILD", StringComparison.OrdinalIgnoreCase)).ToList())
            start.Environment.Remove(key);
        start.Environment["NO_COLOR"] = "1";
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        // As StrataProcess: a compile server would outlive the test by its ten idle minutes.
        start.Environment[Strata.Design.SchemaSource.CompileServerClient.SwitchVariable] = "off";
        foreach (var (key, value) in environment ?? new Dictionary<string, string?>())
            start.Environment[key] = value;
        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        // A pack or a restore on a loaded 2-core machine can take many minutes; a hang still ends here.
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(30));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} {string.Join(' ', args)} did not finish in 30 minutes");
        }
        return new CliResult(process.ExitCode, await stdout, await stderr);
    }
}
