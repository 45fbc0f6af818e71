using System.CommandLine;

namespace Strata.Cli.Commands;

/// <summary>The options every command accepts.</summary>
public sealed class GlobalOptions
{
    public Option<string?> Config { get; } = new("--config")
    {
        Description = "Path to strata.json (default: strata.json in the current folder or the nearest parent)",
        HelpName = "path",
        Recursive = true,
    };

    public Option<bool> Json { get; } = new("--json")
    {
        Description = "Write one JSON document to stdout instead of text for humans",
        Recursive = true,
    };

    public Option<bool> Verbose { get; } = new("--verbose", "-v")
    {
        Description = "Show more detail, including the cause of errors",
        Recursive = true,
    };

    public Option<string?> Env { get; } = new("--env")
    {
        Description = "The environment of strata.json to use (default: $STRATA_ENV, else $DOTNET_ENVIRONMENT, else development)",
        HelpName = "name",
        Recursive = true,
    };

    public void AddTo(RootCommand root)
    {
        root.Options.Add(Config);
        root.Options.Add(Json);
        root.Options.Add(Verbose);
        root.Options.Add(Env);
    }
}
