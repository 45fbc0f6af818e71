using Npgsql;
using Strata.Postgres.Configuration;

namespace Strata.Postgres.Diagnostics;

/// <summary>
/// Stops a schema change (migrate, rollback, and later reset and push) that would run through a
/// transaction-mode pooler, before anything runs: the migration lock is a session-level advisory lock
/// held across transactions, and <c>-- strata:no-transaction</c> migrations run statement by statement
/// outside a transaction; a pooler that hands each transaction to whichever server session is free
/// breaks both without an error.
/// </summary>
public static class PoolerCheck
{
    public const string Why = "Migrations need a direct connection to PostgreSQL: the migration lock is a session-level advisory lock held for the whole run, "
        + "and -- strata:no-transaction migrations run statement by statement outside a transaction; a transaction-mode pooler gives each transaction "
        + "whichever server session is free, so the lock would not protect the run and those statements could land in different sessions.";

    /// <param name="source">Where <paramref name="connection"/> came from, for the message ("--connection", "the url of the production environment").</param>
    public static async Task EnsureSessionsAsync(NpgsqlConnectionStringBuilder connection, string source, StrataEnvironment environment, Action<string> note, CancellationToken ct)
    {
        PoolerDetection detection;
        try
        {
            detection = await PoolerDetector.DetectAsync(connection, ct);
        }
        catch (NpgsqlException e)
        {
            // The connection itself worked a moment ago; a probe that cannot run (a connection limit, say) is not a reason to refuse.
            note($"Could not check {DatabaseConnection.Describe(connection)} for a transaction-mode pooler: {e.Message}");
            return;
        }
        if (!detection.SharesServerSessions)
            return;

        var usingDirectUrl = environment.DirectConnection is { } direct && SameTarget(direct, connection);
        var remedy = usingDirectUrl
            ? $"Point \"directUrl\" of the \"{environment.Name}\" environment in strata.json at the PostgreSQL server itself (for PgBouncer: the server's host and port; for a hosted database: its direct, non-pooled connection string)."
            : environment.DirectConnection is null
                ? $"Set \"directUrl\" in the \"{environment.Name}\" environment of strata.json to a direct connection (for PgBouncer: the server's host and port; for a hosted database: its direct, non-pooled connection string), "
                  + "e.g. \"directUrl\": \"${DIRECT_DATABASE_URL}\"; schema changes then use it while queries keep the pooled url. Or pass a direct connection with --connection."
                : $"Pass a direct connection with --connection, or leave it out to use \"directUrl\" of the \"{environment.Name}\" environment.";
        throw new DatabaseConnectionException(ConnectionProblem.TransactionPooler,
            $"{DatabaseConnection.Describe(connection)} ({source}) goes through a transaction-mode pooler: {detection.Evidence}.",
            details: [Why],
            remedy: remedy);
    }

    private static bool SameTarget(NpgsqlConnectionStringBuilder a, NpgsqlConnectionStringBuilder b) =>
        a.Host == b.Host && a.Port == b.Port && a.Database == b.Database && a.Username == b.Username;
}
