using System.Text.RegularExpressions;

namespace Strata.Cli.Output;

/// <summary>
/// How the user starts Strata, so that a message naming a command names it the way they type it:
/// <c>strata</c> (a global tool, a --tool-path install, a build run directly) or <c>dotnet strata</c>
/// (a local tool from the repository's tool manifest, the way DESIGN.md's workflow runs it).
/// </summary>
internal static partial class ToolInvocation
{
    /// <summary>"strata" or "dotnet strata".</summary>
    public static string Command { get; } = Detect(typeof(ToolInvocation).Assembly.Location);

    /// <summary>
    /// A local tool runs from the NuGet package cache, <c>…/strata.cli[.rid]/&lt;version&gt;/tools/&lt;tfm&gt;/&lt;rid&gt;/</c>;
    /// global and --tool-path installs run from a <c>.store</c> folder next to their <c>strata</c> launcher.
    /// </summary>
    internal static string Detect(string assemblyLocation)
    {
        var folders = Path.GetDirectoryName(assemblyLocation)?.Split(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar) ?? [];
        var tools = Array.LastIndexOf(folders, "tools");
        var inPackage = tools >= 2 && tools + 1 < folders.Length && folders[tools + 1].StartsWith("net", StringComparison.Ordinal);
        return inPackage && !folders.Contains(".store") ? "dotnet strata" : "strata";
    }

    /// <summary>
    /// <paramref name="text"/> with each <c>strata &lt;command&gt;</c> as the user types it. Every message
    /// goes through here on its way out (<see cref="MarkupWriter"/>), library messages included, so no
    /// message has to know.
    /// </summary>
    public static string Apply(string text) => Apply(text, Command);

    internal static string Apply(string text, string command) =>
        command == "strata" || !text.Contains("strata ", StringComparison.Ordinal) ? text : Named().Replace(text, command + " ");

    [GeneratedRegex(@"(?<![\w./\\-])(?<!dotnet )strata (?=(init|generate|migrate|status|rollback|reset|seed|check|export|drop|hash|dev|doctor|push|pull|lint|import|--help|--version)\b)")]
    private static partial Regex Named();
}
