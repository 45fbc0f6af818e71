namespace Strata.Cli.Commands;

/// <summary>Library exceptions that describe a user's problem, turned into messages without stack traces.</summary>
internal static class KnownErrors
{
    public static CliException? Translate(Exception e) => e switch
    {
        FileNotFoundException or DirectoryNotFoundException or UnauthorizedAccessException or IOException =>
            CliException.Failure(e.Message, inner: e),
        _ => null,
    };
}
