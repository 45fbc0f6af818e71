namespace Strata.Postgres.Configuration;

/// <summary>
/// A mistake in the project's configuration that its user fixes: strata.json, a .env file, a variable, a
/// connection string, an environment. The message names the file, line or setting and never quotes a
/// value that may hold a password; <see cref="Remedy"/> says what to do. The CLI prints it as a usage
/// error (exit 2) without a stack trace; an application sees an ordinary exception.
/// </summary>
public class ConfigurationException(string message, IReadOnlyList<string>? details = null, string? remedy = null, Exception? inner = null)
    : Exception(message, inner)
{
    /// <summary>One line per item (each problem of a strata.json, the files a variable may come from), in order.</summary>
    public IReadOnlyList<string> Details { get; } = details ?? [];

    /// <summary>What to do about it; null when the message says it.</summary>
    public string? Remedy { get; } = remedy;
}
