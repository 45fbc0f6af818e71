namespace Strata.IntegrationTests.Cli;

/// <summary>What the command line says before any command runs: a misspelt command, and how commands are named in messages.</summary>
public sealed class CommandLineTests
{
    [Fact]
    public async Task A_misspelt_command_suggests_the_nearest_one_and_exits_2()
    {
        using var folder = new ScratchFolder("typo");

        var result = await StrataProcess.RunAsync(folder.Path, "migrte");

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.StartsWith("error: 'migrte' is not a strata command; did you mean 'strata migrate'?", result.Stderr);
        Assert.Contains("Run 'strata --help' for the commands:", result.Stderr);
        Assert.DoesNotContain("Required command was not provided", result.Output);
    }

    [Fact]
    public async Task Run_as_a_local_tool_messages_name_commands_as_dotnet_strata()
    {
        // A local tool runs from the NuGet package cache: the same build, laid out as `dotnet tool restore` puts it.
        using var folder = new ScratchFolder("localtool");
        var tool = folder.Combine("packages", "strata.cli", "0.0.1", "tools", "net10.0", "any");
        SampleCopy.CopyDirectory(Path.GetDirectoryName(StrataProcess.CliAssemblyPath)!, tool, (_, _) => false);
        Directory.CreateDirectory(folder.Combine("project"));

        var typo = await StrataProcess.RunAssemblyAsync(Path.Combine(tool, "Strata.Cli.dll"), folder.Combine("project"), "migrte");

        Assert.True(typo.ExitCode == 2, typo.ToString());
        Assert.Contains("did you mean 'dotnet strata migrate'?", typo.Stderr);
        Assert.Contains("Run 'dotnet strata --help'", typo.Stderr);

        // A message from deep inside a command: the local server says how to stop it.
        File.WriteAllText(folder.Combine("project", "strata.json"), """{ "schema": "src/App.Schema/App.Schema.csproj" }""");
        try
        {
            var start = await StrataProcess.RunAssemblyAsync(Path.Combine(tool, "Strata.Cli.dll"), folder.Combine("project"), "dev", "start");

            Assert.True(start.ExitCode == 0, start.ToString());
            Assert.Contains("Stop it with: dotnet strata dev stop", start.Stdout);
        }
        finally
        {
            await InitTests.StopLocalServerAsync(folder.Combine("project"));
        }
    }
}
