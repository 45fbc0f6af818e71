using System.Globalization;
using System.Text;
using Npgsql;
using Strata.Postgres.Migrations;

namespace Strata.Postgres.Execution;

/// <summary>
/// A statement run by the <see cref="StatementExecutor"/> failed on the server: where it came from (the
/// file and line), the lines of it a message quotes, and PostgreSQL's own diagnostics. Migrations and seeds
/// throw it as <see cref="MigrationFailedException"/> and <see cref="Seeding.SeedFailedException"/>, which
/// add what the failure means for them; push throws it as it is.
/// </summary>
public class StatementFailedException : Exception
{
    internal StatementFailedException(string file, ScriptStatement statement, PostgresException error)
        : base(null, error)
    {
        File = file;
        StatementLine = statement.Line;
        Statement = statement.Sql;
        Line = statement.LineAt(error.Position);
        StatementExcerpt = statement.Excerpt(Line);
        SqlState = error.SqlState;
        MessageText = error.MessageText;
        Detail = error.Detail;
        Hint = error.Hint;
        Position = error.Position;
    }

    /// <summary>The same failure, for a subclass that says what it means for its caller.</summary>
    protected StatementFailedException(StatementFailedException failure)
        : base(null, (failure ?? throw new ArgumentNullException(nameof(failure))).InnerException)
    {
        File = failure.File;
        StatementLine = failure.StatementLine;
        Statement = failure.Statement;
        Line = failure.Line;
        StatementExcerpt = failure.StatementExcerpt;
        SqlState = failure.SqlState;
        MessageText = failure.MessageText;
        Detail = failure.Detail;
        Hint = failure.Hint;
        Position = failure.Position;
        LockTimeout = failure.LockTimeout;
        Blockers = failure.Blockers;
    }

    /// <summary>The script that holds the statement (the path of an up.sql or a seed file), or what the statements were generated for (<c>push --dry-run</c>).</summary>
    public string File { get; }

    /// <summary>The 1-based line of <see cref="File"/> where PostgreSQL located the error, or where the statement starts when it gave no position.</summary>
    public int Line { get; }

    /// <summary>The 1-based line of <see cref="File"/> where the failing statement starts.</summary>
    public int StatementLine { get; }

    public string Statement { get; }

    /// <summary>The lines of <see cref="Statement"/> a message quotes: its first lines, or those around the error (see <see cref="ScriptStatement.Excerpt"/>).</summary>
    public string StatementExcerpt { get; }

    public string SqlState { get; }

    public string MessageText { get; }

    public string? Detail { get; }

    public string? Hint { get; }

    /// <summary>PostgreSQL's 1-based character position of the error in <see cref="Statement"/>, or 0.</summary>
    public int Position { get; }

    /// <summary>For a statement that ran out of lock_timeout (SQLSTATE 55P03): the lock_timeout, else null.</summary>
    public TimeSpan? LockTimeout { get; internal set; }

    /// <summary>For a statement that ran out of lock_timeout: the sessions that held the lock it waited for, as seen while it waited (may be empty).</summary>
    public IReadOnlyList<LockBlocker> Blockers { get; internal set; } = [];

    /// <summary>The statement waited for a lock longer than the session's lock_timeout.</summary>
    public bool IsLockTimeout => SqlState == PostgresErrorCodes.LockNotAvailable && LockTimeout is not null;

    public override string Message
    {
        get
        {
            var text = new StringBuilder($"{File}:{Line}: {SqlState}: {MessageText}");
            AppendDiagnostics(text);
            AppendStatement(text);
            return text.ToString();
        }
    }

    /// <summary>PostgreSQL's DETAIL and HINT, and for a lock timeout the sessions that held the lock.</summary>
    protected void AppendDiagnostics(StringBuilder text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (Detail is not null)
            text.Append("\n  DETAIL: ").Append(Detail);
        if (Hint is not null)
            text.Append("\n  HINT: ").Append(Hint);
        if (IsLockTimeout)
        {
            text.Append("\n  It waited longer than lock_timeout (").Append(LockTimeout!.Value.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture))
                .Append(" s) for a lock, rather than queueing every other query on the table behind it.");
            text.Append(Blockers.Count == 0
                ? " The session holding the lock had gone before it could be named."
                : Blockers.Count == 1 ? " The lock was held by " : " The lock was held by these sessions: ");
            text.Append(string.Join("; ", Blockers));
            if (Blockers.Count > 0)
                text.Append('.');
        }
    }

    /// <summary>The statement's line and excerpt.</summary>
    protected void AppendStatement(StringBuilder text)
    {
        ArgumentNullException.ThrowIfNull(text);
        text.Append("\n  statement (line ").Append(StatementLine).Append("):\n").Append(StatementExcerpt);
    }
}
