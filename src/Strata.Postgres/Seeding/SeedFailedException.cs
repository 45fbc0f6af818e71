using System.Text;
using Strata.Postgres.Execution;

namespace Strata.Postgres.Seeding;

/// <summary>A statement of a SQL seed failed on the server; the seed's transaction was rolled back.</summary>
public sealed class SeedFailedException : StatementFailedException
{
    internal SeedFailedException(StatementFailedException failure)
        : base(failure)
    {
    }

    public override string Message
    {
        get
        {
            var text = new StringBuilder($"{File}:{Line}: the seed failed: {SqlState}: {MessageText}");
            AppendDiagnostics(text);
            AppendStatement(text);
            text.Append("\n  The seed ran in one transaction: it was rolled back, and nothing of it is in the database.");
            return text.ToString();
        }
    }
}
