namespace Strata.Postgres.Configuration;

/// <summary>
/// Work on a <see cref="DatabaseTarget"/> outside any migration (reading the tracking table, a drift check, a
/// push) failed on the server or lost its connection: the message names the database (never the password) and
/// the server's error, <see cref="Remedy"/> what to do. The CLI prints it as a failure (exit 1) without a stack trace.
/// </summary>
public sealed class DatabaseTargetException(string message, IReadOnlyList<string>? details = null, string? remedy = null, Exception? inner = null)
    : Exception(message, inner)
{
    /// <summary>The server's DETAIL and HINT, in order.</summary>
    public IReadOnlyList<string> Details { get; } = details ?? [];

    /// <summary>What to do about it (for a lost connection: what the interrupted work left and whether to run it again); null when the message says it.</summary>
    public string? Remedy { get; } = remedy;
}
