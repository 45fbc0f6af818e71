namespace Strata.Snapshots;

/// <summary>A snapshot file that cannot be read: not JSON, a missing or wrong value, or a format from a newer Strata.</summary>
public sealed class SnapshotFormatException : Exception
{
    /// <param name="remedy">What to do; by default, restore the file from version control.</param>
    public SnapshotFormatException(string sourceName, int? line, string problem, string? remedy = null)
        : base($"{sourceName}{(line is { } l ? ":" + l : "")}: {problem}; {remedy ?? RestoreRemedy(sourceName)}")
    {
        SourceName = sourceName;
        Line = line;
        Problem = problem;
        Remedy = remedy ?? RestoreRemedy(sourceName);
    }

    private static string RestoreRemedy(string sourceName) =>
        $"the snapshot is written by Strata and should not be edited by hand: restore it from version control (git checkout -- {sourceName})";

    /// <summary>The file (or other source) the JSON came from, as given to <see cref="SnapshotSerializer.Deserialize(string, string)"/>.</summary>
    public string SourceName { get; }

    /// <summary>The 1-based line of the problem, when it can be located.</summary>
    public int? Line { get; }

    /// <summary>What is wrong, without the file name and remedy.</summary>
    public string Problem { get; }

    /// <summary>What the user should do about it.</summary>
    public string Remedy { get; }
}
