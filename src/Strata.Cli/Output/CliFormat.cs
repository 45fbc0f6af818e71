namespace Strata.Cli.Output;

/// <summary>How values read in the CLI's lines, the same in every command.</summary>
internal static class CliFormat
{
    /// <summary>"12 ms" under a second, else "1.23 s".</summary>
    public static string Duration(TimeSpan duration) =>
        duration < TimeSpan.FromSeconds(1) ? $"{duration.TotalMilliseconds:0} ms" : $"{duration.TotalSeconds:0.00} s";
}
