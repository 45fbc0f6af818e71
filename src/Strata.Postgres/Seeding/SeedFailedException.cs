using System.Text;
using Npgsql;
using Strata.Postgres.Migrations;

namespace Strata.Postgres.Seeding;

/// <summary>A statement of a SQL seed failed on the server; the seed's transaction was rolled back.</summary>
public sealed class SeedFailedException : Exception
{
    internal SeedFailedException(string file, ScriptStatement statement, PostgresException error)
        : base(null, error)
    {
        File = file;
        Statement = statement.Sql;
        StatementExcerpt = statement.Excerpt(statement.LineAt(error.Position));
        StatementLine = statement.Line;
        Line = statement.LineAt(error.Position);
        SqlState = error.SqlState;
        MessageText = error.MessageText;
        Detail = error.Detail;
        Hint = error.Hint;
    }

    public string File { get; }

    /// <summary>The 1-based line of the file where PostgreSQL located the error, or where the statement starts.</summary>
    public int Line { get; }

    public int StatementLine { get; }

    public string Statement { get; }

    /// <summary>The lines of <see cref="Statement"/> a message quotes (see <see cref="ScriptStatement.Excerpt"/>).</summary>
    public string StatementExcerpt { get; }

    public string SqlState { get; }

    public string MessageText { get; }

    public string? Detail { get; }

    public string? Hint { get; }

    public override string Message
    {
        get
        {
            var text = new StringBuilder($"{File}:{Line}: the seed failed: {SqlState}: {MessageText}");
            if (Detail is not null)
                text.Append("\n  DETAIL: ").Append(Detail);
            if (Hint is not null)
                text.Append("\n  HINT: ").Append(Hint);
            text.Append("\n  statement (line ").Append(StatementLine).Append("):\n").Append(StatementExcerpt);
            text.Append("\n  The seed ran in one transaction: it was rolled back, and nothing of it is in the database.");
            return text.ToString();
        }
    }
}
