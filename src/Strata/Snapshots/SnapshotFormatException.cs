namespace Strata.Snapshots;

/// <summary>A snapshot file that cannot be read: not JSON, a missing or wrong value, or a format from a newer Strata.</summary>
public sealed class SnapshotFormatException : Exception
{
    public SnapshotFormatException(string sourceName, int? line, string problem, string remedy = RestoreRemedy)
        : base($"{sourceName}{(line is { } l ? ":" + l : "")}: {problem}; {remedy}")
    {
        SourceName = sourceName;
        Line = line;
        Problem = problem;
        Remedy = remedy;
    }

    internal const string RestoreRemedy =
        "the snapshot is written by Strata and should not be edited by hand: restore it from version control (git checkout -- <file>)";

    /// <summary>The file (or other source) the JSON came from, as given to <see cref="SnapshotSerializer.Deserialize(string, string)"/>.</summary>
    public string SourceName { get; }

    /// <summary>The 1-based line of the problem, when it can be located.</summary>
    public int? Line { get; }

    /// <summary>What is wrong, without the file name and remedy.</summary>
    public string Problem { get; }

    /// <summary>What the user should do about it.</summary>
    public string Remedy { get; }
}
