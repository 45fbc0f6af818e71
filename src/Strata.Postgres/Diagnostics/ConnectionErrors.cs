using System.Net.Sockets;
using System.Security.Authentication;
using Npgsql;
using Strata.Postgres.Configuration;

namespace Strata.Postgres.Diagnostics;

/// <summary>
/// Why a connection could not be opened, one message and remedy per cause (<see cref="ConnectionProblem"/>);
/// nothing was read or changed, and the CLI prints it as a usage error (exit 2). Messages name the user,
/// host, port and database, never the password.
/// </summary>
public static class ConnectionErrors
{
    /// <param name="source">Where the connection string came from, for remedies: "--connection", "\"url\" of environment \"production\"".</param>
    /// <param name="sslModeFrom">Where its SSL mode came from (the URL's sslmode, or strata.json's "sslMode"); null for the driver's default.</param>
    public static DatabaseConnectionException Describe(NpgsqlException e, NpgsqlConnectionStringBuilder connection, string source, string? sslModeFrom = null)
    {
        var at = $"{connection.Host}:{connection.Port}";
        var target = DatabaseConnection.Describe(connection);
        var socket = Find<SocketException>(e);
        return e switch
        {
            PostgresException { SqlState: "28P01" } => new(ConnectionProblem.PasswordRejected, inner: e, message:
                $"password authentication failed for user \"{connection.Username}\" on {at}",
                remedy: $"Check the user and password in {source} (in a postgres:// URL, percent-encode special characters of the password)."),
            // PostgreSQL reports an unknown user with the same SQLSTATE as a pg_hba.conf rejection.
            PostgresException { SqlState: "28000" } missing when missing.MessageText.StartsWith("role \"", StringComparison.Ordinal)
                && missing.MessageText.EndsWith("\" does not exist", StringComparison.Ordinal) => new(ConnectionProblem.RoleMissing, inner: e, message:
                $"the role \"{connection.Username}\" does not exist on {at} ({missing.MessageText})",
                remedy: $"Check the user name in {source}, or create the role on the server (CREATE ROLE … LOGIN PASSWORD '…', or ask its administrator)."),
            PostgresException { SqlState: "28000" } refused => new(ConnectionProblem.NotAllowed, inner: e, message:
                $"{at} refused the connection of {target}: {refused.MessageText}",
                remedy: "The server accepts no connection for this user, database, address and SSL mode (its pg_hba.conf): check them, or ask its administrator."),
            PostgresException { SqlState: "3D000" } => new(ConnectionProblem.DatabaseMissing, inner: e, message:
                $"the database \"{connection.Database}\" does not exist on {at}",
                remedy: $"Create it (CREATE DATABASE, or createdb -h {connection.Host} -p {connection.Port} {connection.Database}), or fix the database name in {source}."),
            PostgresException other => new(ConnectionProblem.ServerError, inner: e, message:
                $"cannot connect to {target}: {other.SqlState}: {other.MessageText}",
                details: new[] { other.Detail, other.Hint }.OfType<string>().ToList()),
            _ when Find<TimeoutException>(e) is not null => new(ConnectionProblem.Timeout, inner: e, message:
                $"no answer from {at} within {connection.Timeout} s (the connect timeout)",
                remedy: "Check the host and port, and that no firewall drops the connection; give a slow server longer with \"connectTimeout\" in strata.json (or Timeout=… in the connection string)."),
            _ when socket?.SocketErrorCode == SocketError.ConnectionRefused => new(ConnectionProblem.ConnectionRefused, inner: e, message:
                $"cannot reach {at}: connection refused (nothing listens on that port)",
                remedy: $"Check that the server is running, and the host and port in {source}."),
            _ when socket?.SocketErrorCode is SocketError.HostNotFound or SocketError.TryAgain or SocketError.NoData => new(ConnectionProblem.UnknownHost, inner: e, message:
                $"cannot reach {at}: the host name \"{connection.Host}\" is not known",
                remedy: $"Check the host in {source}."),
            _ when socket is not null => new(ConnectionProblem.Unreachable, inner: e, message:
                $"cannot reach {at}: {socket.Message}",
                remedy: $"Check the host and port in {source}, and the network between here and the server."),
            // Npgsql's words when the server answers the SSL request with 'N'.
            _ when e.Message.Contains("No SSL enabled connection", StringComparison.Ordinal) => new(ConnectionProblem.SslNotOffered, inner: e, message:
                $"{at} does not offer SSL, and the connection requires it (SSL mode {SslModeName(connection.SslMode)}, from {sslModeFrom ?? source})",
                remedy: NoSslRemedy(sslModeFrom, source)),
            _ when Find<AuthenticationException>(e) is not null => new(ConnectionProblem.CertificateRejected, inner: e, message:
                $"the SSL certificate of {at} failed verification (SSL mode {SslModeName(connection.SslMode)}, "
                    + (string.IsNullOrEmpty(connection.RootCertificate) ? "checked against the system's certificate authorities)" : $"root certificate {connection.RootCertificate})"),
                remedy: connection.SslMode == SslMode.VerifyFull
                    ? $"verify-full checks that the certificate is signed by the root certificate and names the host \"{connection.Host}\": set \"rootCertificate\" to your provider's CA file and connect by the host name the certificate names."
                    : "Set \"rootCertificate\" to the CA certificate file that signed the server's certificate (your provider publishes it)."),
            _ => new(ConnectionProblem.Other, inner: e, message: $"cannot connect to {target}: {e.Message}",
                remedy: $"Check the host, port, database, user, password and SSL mode in {source}."),
        };
    }

    // The remedy names the setting that actually decided the SSL mode: the URL's own sslmode wins over
    // strata.json's "sslMode", so advice to change the other one would change nothing.
    private static string NoSslRemedy(string? sslModeFrom, string source)
    {
        if (sslModeFrom is not null && sslModeFrom.StartsWith("\"sslMode\"", StringComparison.Ordinal))
            return $"Use a server that accepts SSL; for a local server without SSL, set \"sslMode\": \"disable\" for the environment in strata.json, or add sslmode=disable to {source} (a URL's own sslmode wins over strata.json's).";
        return $"Use a server that accepts SSL; for a local server without SSL, change sslmode to disable in {source} (the URL's own sslmode wins over \"sslMode\" in strata.json).";
    }

    public static string SslModeName(SslMode mode) => mode switch
    {
        SslMode.VerifyCA => "verify-ca",
        SslMode.VerifyFull => "verify-full",
        _ => mode.ToString().ToLowerInvariant(),
    };

    private static T? Find<T>(Exception e) where T : Exception
    {
        for (Exception? current = e; current is not null; current = current.InnerException)
        {
            if (current is T found)
                return found;
        }
        return null;
    }
}
