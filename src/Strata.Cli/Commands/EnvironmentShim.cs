using System.CommandLine;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Strata.Cli.Configuration;

namespace Strata.Cli.Commands;

// TEMPORARY (ops branch): a stand-in for the env helper's environment resolution, so that reset, seed
// and the protected-environment guard build and run against the contract's names
// (CommandContext.ResolveEnvironmentAsync, DatabaseTarget.Environment, DatabaseTarget.OpenAsync(..., use, ...),
// DatabaseUse). The merge with the env branch deletes this file; nothing else refers to it except the
// two marked lines in StrataConfigLoader.

/// <summary>TEMPORARY shim: which connection a command needs.</summary>
internal enum DatabaseUse { Query, SchemaChange }

internal static class EnvironmentShim
{
    private static readonly ConditionalWeakTable<DatabaseTarget, StrataEnvironment> Resolved = new();

    /// <summary>strata.json "environments" as written: only "url" and "protected" are read by the shim.</summary>
    public static IReadOnlyDictionary<string, EnvironmentSettings>? ParseEnvironments(JsonElement root)
    {
        if (!root.TryGetProperty("environments", out var environments) || environments.ValueKind != JsonValueKind.Object)
            return null;
        var result = new Dictionary<string, EnvironmentSettings>(StringComparer.Ordinal);
        foreach (var environment in environments.EnumerateObject())
        {
            var url = environment.Value.TryGetProperty("url", out var u) && u.ValueKind == JsonValueKind.String ? u.GetString() : null;
            var isProtected = environment.Value.TryGetProperty("protected", out var p) && p.ValueKind == JsonValueKind.True;
            result[environment.Name] = new EnvironmentSettings(environment.Name, Url: url, Protected: isProtected);
        }
        return result;
    }

    extension(CommandContext context)
    {
        public Task<StrataEnvironment> ResolveEnvironmentAsync(StrataConfig config, CancellationToken ct)
        {
            _ = ct;
            var (name, chosenBy) = context.ParseResult.GetValue<string?>("--env") is { } flag ? (flag, "--env")
                : System.Environment.GetEnvironmentVariable("STRATA_ENV") is { Length: > 0 } strata ? (strata, "$STRATA_ENV")
                : System.Environment.GetEnvironmentVariable("DOTNET_ENVIRONMENT") is { Length: > 0 } dotnet ? (dotnet.ToLowerInvariant(), "$DOTNET_ENVIRONMENT")
                : (StrataEnvironment.Development, "the default");
            EnvironmentSettings? settings = null;
            if (config.Environments is { } known && !known.TryGetValue(name, out settings) && chosenBy != "the default")
                throw CliException.Usage($"no environment \"{name}\" in {config.ConfigPath}; the environments are {string.Join(", ", known.Keys)}");
            settings ??= new EnvironmentSettings(name);
            var connection = settings.Url is { } url ? DatabaseConnection.Parse(url, $"environments.{name}.url") : null;
            return Task.FromResult(new StrataEnvironment(name, chosenBy, connection, null, settings, []));
        }
    }

    extension(DatabaseTarget target)
    {
        public StrataEnvironment Environment => Resolved.TryGetValue(target, out var environment)
            ? environment
            : throw new InvalidOperationException("TEMPORARY shim: the target was not opened through the environment-aware OpenAsync");
    }

    extension(DatabaseTarget)
    {
        public static async Task<DatabaseTarget> OpenAsync(CommandContext context, Option<string?> option, StrataConfig config, string commandName, DatabaseUse use, bool stdoutIsData, CancellationToken ct)
        {
            _ = use;
            var environment = await context.ResolveEnvironmentAsync(config, ct);
            var target = await DatabaseTarget.OpenAsync(context, option, config, commandName, stdoutIsData, ct);
            Resolved.AddOrUpdate(target, environment);
            return target;
        }
    }
}
