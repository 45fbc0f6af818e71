using Microsoft.Extensions.Logging;
using Strata.Postgres.Migrations;

namespace Strata.Hosting.Internal;

/// <summary>The start-up runner's log messages, under the Migrator's category; event ids from 100 keep clear of the Migrator's own.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 100, Level = LogLevel.Information, Message = "Migrating {Target} from {Location} ({MigrationCount} migrations)")]
    public static partial void Migrating(ILogger logger, string target, string location, int migrationCount);

    [LoggerMessage(EventId = 101, Level = LogLevel.Information,
        Message = "{Target} is up to date: {AppliedCount} migrations applied now, {AlreadyAppliedCount} already applied (waited {LockWaitMs} ms for the migration lock)")]
    public static partial void UpToDate(ILogger logger, string target, int appliedCount, int alreadyAppliedCount, long lockWaitMs);

    [LoggerMessage(EventId = 102, Level = LogLevel.Warning, Message = "{Location} holds no migrations: check that the migrations are copied or embedded into the app")]
    public static partial void NoMigrations(ILogger logger, string location);

    [LoggerMessage(EventId = 110, Level = LogLevel.Error, Message = "Migration {MigrationId} failed at {File}:{Line}: {Error}")]
    public static partial void MigrationFailed(ILogger logger, string migrationId, string file, int line, string error);

    [LoggerMessage(EventId = 111, Level = LogLevel.Error, Message = "Cannot use the migration file {File}:{Line}: {Problem}. Nothing was applied")]
    public static partial void FileProblemAtLine(ILogger logger, string file, int line, string problem);

    [LoggerMessage(EventId = 112, Level = LogLevel.Error, Message = "Cannot use the migrations at {File}: {Problem}. Nothing was applied")]
    public static partial void FileProblem(ILogger logger, string file, string problem);

    [LoggerMessage(EventId = 113, Level = LogLevel.Error, Message = "Refused to migrate {Target}, nothing was applied ({Kind}): {Reason}")]
    public static partial void Refused(ILogger logger, string target, RefusalKind kind, string reason);

    [LoggerMessage(EventId = 114, Level = LogLevel.Error, Message = "Could not migrate {Target}: {Reason}")]
    public static partial void LockTimeout(ILogger logger, string target, string reason);

    [LoggerMessage(EventId = 115, Level = LogLevel.Error, Message = "Migration {MigrationId} on {Target} was interrupted: {Reason}")]
    public static partial void Interrupted(ILogger logger, string migrationId, string target, string reason);

    [LoggerMessage(EventId = 116, Level = LogLevel.Error, Message = "Could not migrate {Target}: {Reason}")]
    public static partial void DatabaseError(ILogger logger, string target, string reason);

    [LoggerMessage(EventId = 117, Level = LogLevel.Error, Message = "Migrating {Target} failed unexpectedly")]
    public static partial void Unexpected(ILogger logger, string target, Exception exception);
}
