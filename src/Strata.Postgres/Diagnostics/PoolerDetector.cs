using Npgsql;

namespace Strata.Postgres.Diagnostics;

/// <summary>What <see cref="PoolerDetector"/> found about a connection string.</summary>
/// <param name="SharesServerSessions">
/// True when two clients connected at the same time were served by the same PostgreSQL session: a
/// transaction- or statement-mode pooler (PgBouncer, Supavisor, RDS Proxy pinning aside) sits in between,
/// and session state — advisory locks, SET, work outside a transaction — does not stay with the client.
/// </param>
/// <param name="ServerPort">The port the PostgreSQL server itself listens on (<c>inet_server_port()</c>); null over a Unix socket.</param>
/// <param name="ClientPort">The port in the connection string.</param>
/// <param name="Evidence">What the probe saw, in a sentence, for messages.</param>
public sealed record PoolerDetection(bool SharesServerSessions, int? ServerPort, int ClientPort, string Evidence)
{
    /// <summary>
    /// The server listens on another port than the client connected to: something forwards the connection
    /// (a pooler in any mode, a proxy, a port mapping). Supporting evidence only: it proves no pooling.
    /// </summary>
    public bool Forwarded => ServerPort is { } port && port != ClientPort;
}

/// <summary>
/// Tells whether a connection string leads to a transaction-mode pooler, by watching session state cross
/// between clients. PgBouncer does not announce itself or its pool mode (its maintainers decline to, see
/// pgbouncer/pgbouncer#653), and port or host-name conventions (6543, "-pooler") are guesses; behaviour is
/// what matters to a migration: client A sets a session-level setting and ends its transaction, then
/// client B — opened beside A and still connected to it — reads the setting and its backend's pid.
/// </summary>
/// <remarks>
/// On a direct connection, or through a session-mode pooler, A and B are two PostgreSQL sessions for as
/// long as both are connected: B can never see A's setting nor A's backend pid, so there is no false
/// positive. Through a transaction-mode pooler the server connection A released goes back to the pool,
/// and PgBouncer hands out the most recently released one first (LIFO, <c>server_round_robin = 0</c>), so
/// B is served by A's session. Another client taking that server connection in between can hide it for
/// one round, so the probe runs a few rounds.
/// </remarks>
public static class PoolerDetector
{
    private const string Setting = "strata.pooler_probe";
    private const int Rounds = 3;

    public static async Task<PoolerDetection> DetectAsync(NpgsqlConnectionStringBuilder connection, CancellationToken ct = default)
    {
        var probe = new NpgsqlConnectionStringBuilder(connection.ConnectionString)
        {
            // Two real client connections: Npgsql's own pool must not hand back the same one, nor reset it.
            Pooling = false,
            Multiplexing = false,
            ApplicationName = "strata pooler probe",
        };
        await using var a = new NpgsqlConnection(probe.ConnectionString);
        await using var b = new NpgsqlConnection(probe.ConnectionString);
        await a.OpenAsync(ct);
        await b.OpenAsync(ct);

        int? serverPort = null;
        for (var round = 0; round < Rounds; round++)
        {
            var marker = Guid.NewGuid().ToString("N");
            // Autocommit: the statement is its own transaction, after which a transaction pooler releases the server connection.
            var (pidA, portA, _) = await QueryAsync(a, "SELECT pg_backend_pid(), inet_server_port(), set_config($1, $2, false)", [Setting, marker], ct);
            serverPort = portA;
            var (pidB, _, value) = await QueryAsync(b, "SELECT pg_backend_pid(), NULL::int, current_setting($1, true)", [Setting], ct);
            if (pidA == pidB || value == marker)
            {
                await ClearAsync(b, ct);
                return new PoolerDetection(true, serverPort, connection.Port,
                    $"two clients connected at the same time were served by the same PostgreSQL session (backend pid {pidB}"
                    + (value == marker ? ", and one saw the other's session setting" : "") + "): the connection goes through a transaction-mode pooler");
            }
        }
        await ClearAsync(a, ct);
        var detection = new PoolerDetection(false, serverPort, connection.Port, "");
        return detection with
        {
            Evidence = detection.Forwarded
                ? $"each client has a PostgreSQL session of its own, but the server listens on port {serverPort} while the connection string names {connection.Port}: something forwards the connection (a session-mode pooler or a proxy), which is fine for migrations"
                : "each client has a PostgreSQL session of its own: a direct connection (or a session-mode pooler)",
        };
    }

    private static async Task<(int Pid, int? Port, string? Value)> QueryAsync(NpgsqlConnection connection, string sql, string[] parameters, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var parameter in parameters)
            command.Parameters.Add(new NpgsqlParameter { Value = parameter });
        await using var reader = await command.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        return (reader.GetInt32(0), reader.IsDBNull(1) ? null : reader.GetInt32(1), reader.IsDBNull(2) ? null : reader.GetString(2));
    }

    // The setting would otherwise stay on a pooled server connection; it is harmless there, but not ours to leave.
    private static async Task ClearAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        await using var clear = new NpgsqlCommand("SELECT set_config($1, '', false)", connection);
        clear.Parameters.Add(new NpgsqlParameter { Value = Setting });
        await clear.ExecuteNonQueryAsync(ct);
    }
}
