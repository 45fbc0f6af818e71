namespace Strata.Postgres.Migrations;

/// <summary>A migration file or folder that Strata cannot use: missing, unreadable or malformed. Names the file and, where it can, the line.</summary>
public sealed class MigrationFileException : Exception
{
    public MigrationFileException(string file, int? line, string problem, Exception? inner = null)
        : base($"{file}{(line is { } l ? ":" + l : "")}: {problem}", inner)
    {
        File = file;
        Line = line;
        Problem = problem;
    }

    public string File { get; }

    /// <summary>The 1-based line of the problem, when there is one.</summary>
    public int? Line { get; }

    /// <summary>What is wrong and what to do, without the file name.</summary>
    public string Problem { get; }
}
