using Strata.Cli.Output;

namespace Strata.Cli;

/// <summary>
/// A problem the user can fix: printed as a red "error:" line, the details below it and a remedy,
/// never as a stack trace (unless <c>--verbose</c>).
/// </summary>
public sealed class CliException(int exitCode, string message, IReadOnlyList<string>? details = null, string? remedy = null, Exception? inner = null, ErrorJson? fields = null)
    : Exception(message, inner)
{
    public int ExitCode { get; } = exitCode;

    /// <summary>One line per item (a schema error, a candidate, a mismatched file), printed indented.</summary>
    public IReadOnlyList<string> Details { get; } = details ?? [];

    /// <summary>What to do about it, printed last.</summary>
    public string? Remedy { get; } = remedy;

    /// <summary>Structured fields of the error (migration id, file, line, SQLSTATE…) that <c>--json</c> adds to the error object.</summary>
    public ErrorJson? Fields { get; } = fields;

    public static CliException Usage(string message, IReadOnlyList<string>? details = null, string? remedy = null, Exception? inner = null) =>
        new(ExitCodes.UsageError, message, details, remedy, inner);

    public static CliException Failure(string message, IReadOnlyList<string>? details = null, string? remedy = null, Exception? inner = null, ErrorJson? fields = null) =>
        new(ExitCodes.Failure, message, details, remedy, inner, fields);
}
