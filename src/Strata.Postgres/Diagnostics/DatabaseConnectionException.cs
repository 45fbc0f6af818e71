namespace Strata.Postgres.Diagnostics;

/// <summary>Why Strata cannot use a connection: each cause has its own message and remedy.</summary>
public enum ConnectionProblem
{
    /// <summary>The server rejected the password (28P01).</summary>
    PasswordRejected,
    /// <summary>The user (role) does not exist on the server.</summary>
    RoleMissing,
    /// <summary>The server's pg_hba.conf accepts no connection for this user, database, address and SSL mode.</summary>
    NotAllowed,
    /// <summary>The database does not exist on the server (3D000).</summary>
    DatabaseMissing,
    /// <summary>The server refused the connection with another error (too many connections, shutting down…).</summary>
    ServerError,
    /// <summary>No answer within the connect timeout.</summary>
    Timeout,
    /// <summary>Nothing listens on the host and port.</summary>
    ConnectionRefused,
    /// <summary>The host name does not resolve.</summary>
    UnknownHost,
    /// <summary>Another network failure between here and the server.</summary>
    Unreachable,
    /// <summary>The connection requires SSL and the server offers none.</summary>
    SslNotOffered,
    /// <summary>The server's SSL certificate failed verification.</summary>
    CertificateRejected,
    /// <summary>Any other failure to connect.</summary>
    Other,
    /// <summary>The connection works but goes through a transaction-mode pooler, which a schema change cannot run through.</summary>
    TransactionPooler,
}

/// <summary>
/// A connection Strata cannot use, described for its user: what went wrong (naming the user, host, port and
/// database, never the password), details, and what to do. <see cref="ConnectionErrors.Describe"/> builds it from
/// Npgsql's failure; the CLI prints it as a usage error (exit 2: nothing was read or changed), Strata.Hosting logs it.
/// </summary>
public class DatabaseConnectionException(ConnectionProblem problem, string message, IReadOnlyList<string>? details = null, string? remedy = null, Exception? inner = null)
    : Exception(message, inner)
{
    public ConnectionProblem Problem { get; } = problem;

    /// <summary>More lines about it (the server's DETAIL and HINT, why a pooler breaks a migration), in order.</summary>
    public IReadOnlyList<string> Details { get; } = details ?? [];

    /// <summary>What to do about it; null when the message says it.</summary>
    public string? Remedy { get; } = remedy;
}
