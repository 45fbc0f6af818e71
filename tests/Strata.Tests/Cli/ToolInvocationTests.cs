using Strata.Cli.Output;

namespace Strata.Tests.Cli;

/// <summary>How Strata knows it runs as `dotnet strata` (a local tool), and the messages that follow from it.</summary>
public sealed class ToolInvocationTests
{
    [Theory]
    [InlineData("/home/me/.nuget/packages/strata.cli/0.2.0/tools/net10.0/any/Strata.Cli.dll", "dotnet strata")]
    [InlineData("/home/me/.nuget/packages/strata.cli.linux-x64/0.2.0/tools/net10.0/linux-x64/Strata.Cli.dll", "dotnet strata")]
    [InlineData("/home/me/.dotnet/tools/.store/strata.cli/0.2.0/strata.cli/0.2.0/tools/net10.0/any/Strata.Cli.dll", "strata")]
    [InlineData("/repo/.tools/.store/strata.cli/0.2.0/strata.cli/0.2.0/tools/net10.0/any/Strata.Cli.dll", "strata")]
    [InlineData("/repo/src/Strata.Cli/bin/Debug/net10.0/Strata.Cli.dll", "strata")]
    public void A_local_tool_runs_from_the_package_cache_and_every_other_install_as_strata(string assembly, string expected) =>
        Assert.Equal(expected, ToolInvocation.Detect(assembly));

    [Fact]
    public void Only_command_names_are_rewritten_never_file_names_or_text_already_saying_dotnet_strata()
    {
        Assert.Equal("Stop it with: dotnet strata dev stop", ToolInvocation.Apply("Stop it with: strata dev stop", "dotnet strata"));
        Assert.Equal("run 'dotnet strata --help'", ToolInvocation.Apply("run 'strata --help'", "dotnet strata"));
        Assert.Equal("dotnet strata migrate", ToolInvocation.Apply("dotnet strata migrate", "dotnet strata"));
        Assert.Equal("strata.json and the strata schema", ToolInvocation.Apply("strata.json and the strata schema", "dotnet strata"));
        Assert.Equal("Stop it with: strata dev stop", ToolInvocation.Apply("Stop it with: strata dev stop", "strata"));
    }
}
