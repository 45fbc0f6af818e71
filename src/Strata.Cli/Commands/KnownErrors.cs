using Strata.Postgres.LocalServer;
using Strata.Postgres.Migrations;
using Strata.Snapshots;

namespace Strata.Cli.Commands;

/// <summary>Library exceptions that describe a user's problem, turned into messages without stack traces.</summary>
internal static class KnownErrors
{
    public static CliException? Translate(Exception e) => e switch
    {
        // Their messages already name the file and line, and say what to do.
        MigrationFileException or SnapshotFormatException or MigrationFailedException or LocalPostgresException =>
            CliException.Failure(e.Message, inner: e),
        FileNotFoundException or DirectoryNotFoundException or UnauthorizedAccessException or IOException =>
            CliException.Failure(e.Message, inner: e),
        _ => null,
    };
}
