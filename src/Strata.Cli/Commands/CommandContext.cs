using System.CommandLine;
using Strata.Postgres.Configuration;
using Strata.Cli.Output;
using Strata.Design.SchemaSource;
using Strata.Model;

namespace Strata.Cli.Commands;

/// <summary>What a running command needs: its parsed arguments, where to write, and the project's configuration.</summary>
public sealed class CommandContext(ParseResult parseResult, GlobalOptions global, CliOutput output)
{
    public ParseResult ParseResult { get; } = parseResult;

    public CliOutput Output { get; } = output;

    public T? Get<T>(Option<T> option) => ParseResult.GetValue(option);

    public Task<StrataConfig> LoadConfigAsync(CancellationToken ct) =>
        StrataConfigLoader.LoadAsync(ParseResult.GetValue(global.Config), Directory.GetCurrentDirectory(), ct);

    /// <summary>
    /// The environment the command runs against (<c>--env</c> &gt; <c>$STRATA_ENV</c> &gt;
    /// <c>$DOTNET_ENVIRONMENT</c> &gt; development), its .env files read and its URLs parsed.
    /// </summary>
    public Task<StrataEnvironment> ResolveEnvironmentAsync(StrataConfig config, CancellationToken ct) =>
        Task.FromResult(ResolveEnvironment(config, withConnections: true));

    /// <summary>As <see cref="ResolveEnvironmentAsync"/>; without connections when --connection replaces them.</summary>
    internal StrataEnvironment ResolveEnvironment(StrataConfig config, bool withConnections)
    {
        var environment = EnvironmentResolver.Resolve(config, ParseResult.GetValue(global.Env), withConnections: withConnections);
        Output.Detail($"Environment {environment.Name} (chosen by {environment.ChosenBy}); .env files, most specific first: "
            + (environment.EnvFilesRead.Count == 0 ? "none" : string.Join(", ", environment.EnvFilesRead.Select(Display))));
        foreach (var variable in environment.VariableSources ?? [])
            Output.Detail($"  {variable.Name} from {(variable.Source.StartsWith("the ", StringComparison.Ordinal) ? variable.Source : Display(variable.Source))}");
        return environment;
    }

    /// <summary>Builds (when stale) and runs the C# schema.</summary>
    public async Task<DatabaseModel> LoadSchemaAsync(StrataConfig config, CancellationToken ct)
    {
        var compiled = await SchemaProjectLoader.EnsureCompiledAsync(SchemaProject.Read(config.SchemaProject), Output.Status, ct);
        // Its CPU is not this process's: --verbose says what the edit cost in all.
        if (compiled.CompileServerCpu is { } serverCpu)
            Output.Detail($"Compiled by the compile server ({serverCpu.TotalMilliseconds:0} ms of its CPU).");
        return SchemaProjectLoader.Run(compiled.AssemblyPath, config.SchemaType);
    }

    /// <summary>
    /// With --verbose, where a command's time goes: the CPU spent so far and how much of it the JIT took, after
    /// <paramref name="done"/> (generate's and pull's phases: a cold process spends much of a command in the JIT).
    /// </summary>
    public void Phase(string done)
    {
        if (Output.Verbose)
            Output.Detail($"{done}: {System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime.TotalMilliseconds:0} ms of CPU so far, "
                + $"{System.Runtime.JitInfo.GetCompilationTime().TotalMilliseconds:0} ms of it compiling {System.Runtime.JitInfo.GetCompiledMethodCount()} methods");
    }

    /// <summary>A path as the user would write it: relative to the current folder when that is shorter.</summary>
    public static string Display(string path)
    {
        var relative = Path.GetRelativePath(Directory.GetCurrentDirectory(), path);
        return relative.StartsWith("..", StringComparison.Ordinal) && relative.Length > path.Length ? path : relative;
    }
}
