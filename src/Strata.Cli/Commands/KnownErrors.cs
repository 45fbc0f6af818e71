using System.Text.Json;
using Strata.Cli.Output;
using Strata.Design.SchemaSource;
using Strata.Postgres.Configuration;
using Strata.Postgres.Diagnostics;
using Strata.Postgres.Execution;
using Strata.Postgres.LocalServer;
using Strata.Postgres.Migrations;
using Strata.Snapshots;

namespace Strata.Cli.Commands;

/// <summary>Library exceptions that describe a user's problem, turned into messages without stack traces.</summary>
internal static class KnownErrors
{
    public static CliException? Translate(Exception e) => e switch
    {
        // strata.json, .env files, variables, connection strings, the schema project: the user fixes them (exit 2).
        // Its cause (a JSON syntax error, the user's exception) is what --verbose shows, as before the move.
        ConfigurationException configuration => CliException.Usage(configuration.Message, configuration.Details, configuration.Remedy, configuration.InnerException),
        // --renames-file names no file (exit 2).
        Strata.Renaming.RenameHintsFileNotFoundException missing => CliException.Usage(missing.Message),
        // A connection that cannot be opened, or cannot carry a schema change: nothing was read or changed (exit 2).
        DatabaseConnectionException connection => CliException.Usage(connection.Message, connection.Details, connection.Remedy),
        // Work on the database outside any migration failed on the server or lost its connection (exit 1).
        DatabaseTargetException target => CliException.Failure(target.Message, target.Details, target.Remedy, target.InnerException),
        SchemaCodeFailedException failed => CliException.Failure(failed.Message, inner: failed.InnerException),
        LocalDevDatabaseException local => CliException.Failure(local.Message, remedy: ConnectionOption.LocalDevRemedy, inner: local.InnerException),
        MigrationRefusedException refused => Refused(refused),
        MigrationLockTimeoutException timeout => CliException.Failure(timeout.Message,
            remedy: timeout.Holder is null
                ? "Wait for the other run to finish, or give it longer with --lock-wait <seconds>."
                : "Wait for that run to finish, or give it longer with --lock-wait <seconds>. If it is stuck, end that session (SELECT pg_terminate_backend(<pid>)).",
            inner: e,
            fields: LockWaitErrorJson.From(timeout)),
        MigrationInterruptedException interrupted => CliException.Failure(interrupted.Message, inner: e, fields: InterruptedErrorJson.From(interrupted)),
        // Migrations, push and a reset's drops: the executor's failures name file, line, statement and SQLSTATE.
        StatementFailedException { IsLockTimeout: true } failed => CliException.Failure(failed.Message, inner: e, fields: StatementErrorJson.From(failed),
            remedy: (failed.Blockers.Count == 0 ? "Find the session with pg_stat_activity and pg_locks, let it finish or end it" : $"Let that session finish, or end it (SELECT pg_terminate_backend({failed.Blockers[0].Pid}))")
                + $", then run the command again. To let {(failed is MigrationFailedException ? "migration statements" : "its statements")} wait longer for a lock, raise lockTimeout for the environment in strata.json or pass --lock-timeout <seconds>."),
        StatementFailedException failed when Strata.Postgres.Comparison.PolicyRoles.IsMissingRole(failed.SqlState, failed.MessageText) =>
            CliException.Failure(failed.Message, inner: e, fields: StatementErrorJson.From(failed), remedy: Strata.Postgres.Comparison.PolicyRoles.Remedy),
        StatementFailedException failed when Strata.Postgres.Comparison.MissingExtensionObject.Is(failed.SqlState, failed.MessageText) =>
            CliException.Failure(failed.Message, inner: e, fields: StatementErrorJson.From(failed), remedy: Strata.Postgres.Comparison.MissingExtensionObject.Remedy),
        StatementFailedException failed => CliException.Failure(failed.Message, inner: e, fields: StatementErrorJson.From(failed)),
        MigrationFileException file => CliException.Failure(file.Message, inner: e,
            fields: new FileErrorJson(file.File, file.Line)),
        // Its message names the object and says how to reword its SQL.
        Strata.Postgres.Sql.MigrationTextException text => CliException.Failure(text.Message, inner: e),
        // Their messages already name the file and line, and say what to do.
        SnapshotFormatException or LocalPostgresException =>
            CliException.Failure(e.Message, inner: e),
        FileNotFoundException or DirectoryNotFoundException or UnauthorizedAccessException or IOException =>
            CliException.Failure(e.Message, inner: e),
        _ => null,
    };

    /// <summary>Every refusal as a detail line, and one remedy per kind of refusal.</summary>
    private static CliException Refused(MigrationRefusedException refused)
    {
        var refusals = refused.Refusals;
        var message = refusals.Count == 1
            ? "refused to run, nothing was changed:"
            : $"refused to run for {refusals.Count} reasons, nothing was changed:";
        var remedies = refusals.Select(r => r.Kind).Distinct().Select(Remedy);
        return CliException.Failure(message, details: refusals.Select(r => r.Message).ToList(), remedy: string.Join("\n", remedies), inner: refused,
            fields: new RefusedErrorJson(refusals.Select(r =>
                new RefusalJson(JsonKind(r.Kind), r.MigrationId, r.File, r.Message, Remedy(r.Kind), r.Override == RefusalOverride.None ? null : Flag(r.Override))).ToList()));
    }

    private static string Remedy(RefusalKind kind) => kind switch
    {
        RefusalKind.ChecksumMismatch =>
            "An applied migration must not change: restore its up.sql from version control, and make the change as a new migration (strata generate).",
        RefusalKind.MissingOnDisk =>
            "Restore the applied migration's folder from version control: a migration applied to a database must stay in the folder.",
        RefusalKind.OutOfOrder =>
            $"Rerun with {Flag(RefusalOverride.AllowOutOfOrder)} after checking the migration is independent of the newer ones.",
        RefusalKind.SumMismatch =>
            "Make the folder agree with strata.sum (restore what changed), or run strata hash after a deliberate edit of a migration that is not applied anywhere.",
        RefusalKind.BranchConflict =>
            "Keep one of the two migrations: remove the other (strata drop removes the newest unapplied one) and run strata generate to regenerate its changes on top of the one kept; then strata check passes.",
        RefusalKind.DamagedTrackingRow =>
            "Repair or delete the damaged row of the tracking table as the message says (strata status lists what is applied once it reads the table again).",
        RefusalKind.UnknownTarget =>
            "Pass the id of a migration in the folder, or a prefix of one such as 0003 (strata status lists them).",
        RefusalKind.NoTransactionInAll =>
            "Leave out --transaction all: a -- strata:no-transaction migration cannot run inside one transaction.",
        RefusalKind.NoDownScript =>
            "Write the SQL that undoes it in its down.sql and run strata hash, or undo its changes with a new migration (strata generate --custom).",
        RefusalKind.DataLoss =>
            $"Rerun with {Flag(RefusalOverride.AcceptDataLoss)} if losing that data is intended (back it up first).",
        RefusalKind.Partial =>
            "Finish the partially applied migration first with strata migrate (it resumes at the statement that failed).",
        RefusalKind.EmptyMigration =>
            "Write the migration's SQL in its up.sql and run strata hash, or remove it with strata drop (it is the newest).",
        _ => "",
    };

    /// <summary>The command-line flag of a refusal's override.</summary>
    private static string Flag(RefusalOverride setting) => setting switch
    {
        RefusalOverride.AllowOutOfOrder => "--allow-out-of-order",
        RefusalOverride.AcceptDataLoss => "--accept-data-loss",
        _ => throw new ArgumentOutOfRangeException(nameof(setting), setting, null),
    };

    private static string JsonKind(RefusalKind kind) => JsonNamingPolicy.CamelCase.ConvertName(kind.ToString());
}
