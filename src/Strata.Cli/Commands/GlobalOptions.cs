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

    public Option<string?> Env { get; } = CreateEnvOption();

    // Environments (strata.json "environments", .env files) are not built yet. Accepting --env and
    // ignoring it would let `migrate --env production` quietly run against another database.
    private static Option<string?> CreateEnvOption()
    {
        var option = new Option<string?>("--env")
        {
            Description = "The environment to use (not available yet: pass --connection or set $STRATA_DATABASE_URL)",
            HelpName = "name",
            Recursive = true,
        };
        // TEMPORARY (ops branch shim until the env helper lands): --env is read by EnvironmentShim, for the
        // commands that consult it; the others still refuse it.
        option.Validators.Add(result =>
        {
            if (result.Parent is System.CommandLine.Parsing.CommandResult { Command.Name: not ("reset" or "seed" or "rollback" or "drop") })
                result.AddError("--env: environments are not available in this version of Strata yet; pass the database with --connection or $STRATA_DATABASE_URL");
        });
        return option;
    }

    public void AddTo(RootCommand root)
    {
        root.Options.Add(Config);
        root.Options.Add(Json);
        root.Options.Add(Verbose);
        root.Options.Add(Env);
    }
}
