using System.Text;
using Npgsql;
using Strata.Postgres.Execution;

namespace Strata.Postgres.Migrations;

/// <summary>
/// A statement of a migration failed on the server. Carries everything a person needs to find and fix
/// it: the migration, the file and line, the statement and PostgreSQL's own diagnostics (those of
/// <see cref="StatementFailedException"/>), and what the failure left applied.
/// </summary>
public sealed class MigrationFailedException : StatementFailedException
{
    internal MigrationFailedException(string migrationId, bool ranInTransaction, StatementFailedException failure)
        : base(failure)
    {
        MigrationId = migrationId;
        RanInTransaction = ranInTransaction;
    }

    public string MigrationId { get; }

    /// <summary>False for a <c>-- strata:no-transaction</c> migration, whose earlier statements stay applied.</summary>
    public bool RanInTransaction { get; }

    /// <summary>The run used one transaction for all its migrations (TransactionMode.All): none of them is applied.</summary>
    public bool WholeRunRolledBack { get; internal set; }

    /// <summary>How many times the statement (or its migration's transaction) ran before this failure: more than 1 after lock-timeout retries.</summary>
    public int Attempts { get; internal set; } = 1;

    /// <summary>The statement was part of a down.sql run by a rollback, not of an up.sql.</summary>
    public bool DuringRollback { get; internal set; }

    public override string Message
    {
        get
        {
            var text = new StringBuilder($"{File}:{Line}: migration {MigrationId} failed: {SqlState}: {MessageText}");
            AppendDiagnostics(text);
            if (Attempts > 1)
                text.Append("\n  It was tried ").Append(Attempts).Append(" times (lockRetries in strata.json sets how many), and every attempt ran out of lock_timeout.");
            if (SqlState == PostgresErrorCodes.ActiveSqlTransaction && RanInTransaction)
                text.Append("\n  The statement cannot run in a transaction: put the line -- strata:no-transaction at the top of ").Append(System.IO.Path.GetFileName(File)).Append('.');
            AppendStatement(text);
            text.Append(WholeRunRolledBack
                ? "\n  The run used one transaction for all migrations (--transaction all): it was rolled back, and none of them is applied."
                : DuringRollback && RanInTransaction
                ? "\n  Its rollback was undone: the migration is still applied and still recorded."
                : DuringRollback
                ? "\n  The down script runs outside a transaction (-- strata:no-transaction): the statements before this one are undone, but the migration stays recorded as applied. "
                  + "Finish the remaining statements by hand and delete its row from the tracking table, or make them safe to repeat (IF EXISTS) and roll back again."
                : RanInTransaction
                ? "\n  The migration was rolled back: none of it is applied."
                : "\n  The migration runs outside a transaction (-- strata:no-transaction): the statements before this one stay applied, and the next strata migrate resumes at this one.");
            return text.ToString();
        }
    }
}
