// TEMPORARY SHIM (doctor branch) — delete this file when the env helper's environment resolution is merged.
// It stands in for CommandContext.ResolveEnvironmentAsync and DatabaseUse, the names the issue-4 contract
// gives, with just enough of strata.json's "environments" (url, directUrl, ${VAR}) for the pooler tests.
using System.Text.Json;
using System.Text.RegularExpressions;
using Strata.Cli.Configuration;

namespace Strata.Cli.Commands;

/// <summary>What a command does with the database: commands that change the schema use directUrl when set.</summary>
public enum DatabaseUse { Query, SchemaChange }

internal static partial class EnvironmentShim
{
    public static async Task<StrataEnvironment> ResolveEnvironmentAsync(this CommandContext context, StrataConfig config, CancellationToken ct)
    {
        var name = Environment.GetEnvironmentVariable("STRATA_ENV") is { Length: > 0 } chosen ? chosen : StrataEnvironment.Development;
        using var document = JsonDocument.Parse(await File.ReadAllTextAsync(config.ConfigPath, ct),
            new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        string? url = null, directUrl = null;
        if (document.RootElement.TryGetProperty("environments", out var environments) && environments.TryGetProperty(name, out var entry))
        {
            url = entry.TryGetProperty("url", out var u) ? Substitute(u.GetString()!) : null;
            directUrl = entry.TryGetProperty("directUrl", out var d) ? Substitute(d.GetString()!) : null;
        }
        return new StrataEnvironment(name, "the default",
            url is null ? null : DatabaseConnection.Parse(url, $"the url of the {name} environment in strata.json"),
            directUrl is null ? null : DatabaseConnection.Parse(directUrl, $"the directUrl of the {name} environment in strata.json"),
            new EnvironmentSettings(name, url, directUrl), []);
    }

    private static string Substitute(string text) =>
        Variable().Replace(text, m => Environment.GetEnvironmentVariable(m.Groups[1].Value) ?? "");

    [GeneratedRegex(@"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")]
    private static partial Regex Variable();
}
