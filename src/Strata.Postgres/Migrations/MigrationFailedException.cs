using System.Text;
using Npgsql;

namespace Strata.Postgres.Migrations;

/// <summary>
/// A statement of a migration failed on the server. Carries everything a person needs to find and fix
/// it: the migration, the file and line, the statement and PostgreSQL's own diagnostics.
/// </summary>
public sealed class MigrationFailedException : Exception
{
    internal MigrationFailedException(string migrationId, string file, ScriptStatement statement, bool ranInTransaction, PostgresException error)
        : base(null, error)
    {
        MigrationId = migrationId;
        File = file;
        StatementLine = statement.Line;
        Statement = statement.Sql;
        StatementExcerpt = statement.Excerpt(statement.LineAt(error.Position));
        RanInTransaction = ranInTransaction;
        SqlState = error.SqlState;
        MessageText = error.MessageText;
        Detail = error.Detail;
        Hint = error.Hint;
        Position = error.Position;
        Line = statement.LineAt(error.Position);
    }

    public string MigrationId { get; }

    /// <summary>The script that holds the statement (the path of up.sql).</summary>
    public string File { get; }

    /// <summary>The 1-based line of the file where PostgreSQL located the error, or where the statement starts when it gave no position.</summary>
    public int Line { get; }

    /// <summary>The 1-based line of the file where the failing statement starts.</summary>
    public int StatementLine { get; }

    public string Statement { get; }

    /// <summary>The lines of <see cref="Statement"/> a message quotes: its first lines, or those around the error (see <see cref="ScriptStatement.Excerpt"/>).</summary>
    public string StatementExcerpt { get; }

    /// <summary>False for a <c>-- strata:no-transaction</c> migration, whose earlier statements stay applied.</summary>
    public bool RanInTransaction { get; }

    /// <summary>The run used one transaction for all its migrations (TransactionMode.All): none of them is applied.</summary>
    public bool WholeRunRolledBack { get; internal set; }

    /// <summary>The statement was part of a down.sql run by a rollback, not of an up.sql.</summary>
    public bool DuringRollback { get; internal set; }

    public string SqlState { get; }

    public string MessageText { get; }

    public string? Detail { get; }

    public string? Hint { get; }

    /// <summary>PostgreSQL's 1-based character position of the error in <see cref="Statement"/>, or 0.</summary>
    public int Position { get; }

    public override string Message
    {
        get
        {
            var text = new StringBuilder($"{File}:{Line}: migration {MigrationId} failed: {SqlState}: {MessageText}");
            if (Detail is not null)
                text.Append("\n  DETAIL: ").Append(Detail);
            if (Hint is not null)
                text.Append("\n  HINT: ").Append(Hint);
            if (SqlState == PostgresErrorCodes.ActiveSqlTransaction && RanInTransaction)
                text.Append("\n  The statement cannot run in a transaction: put the line -- strata:no-transaction at the top of ").Append(System.IO.Path.GetFileName(File)).Append('.');
            text.Append("\n  statement (line ").Append(StatementLine).Append("):\n").Append(StatementExcerpt);
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
