using System.Diagnostics;
using System.Net;
using Npgsql;
using Strata.Model;
using Strata.Postgres.Configuration;
using Strata.Postgres.Migrations;

namespace Strata.Postgres.Diagnostics;

public enum FindingResult { Ok, Warning, Problem }

/// <summary>One thing <see cref="DatabaseDoctor"/> looked at: what it found and, when it is not fine, what to do.</summary>
/// <param name="Check">Which check: "connection", "server version", "ssl", "privileges", "ownership", "advisory locks", "pooler", "search_path".</param>
public sealed record DoctorFinding(string Check, FindingResult Result, string Detail, string? Remedy = null);

/// <summary>What to examine.</summary>
/// <param name="Connection">The connection queries use (an environment's url).</param>
/// <param name="DirectConnection">The connection schema changes use instead, when set (directUrl).</param>
/// <param name="Schemas">The schemas the schema project puts objects in (public included when it does).</param>
/// <param name="TrackingTable">The table that records applied migrations; its schema must exist or be creatable.</param>
public sealed record DoctorRequest(
    NpgsqlConnectionStringBuilder Connection,
    NpgsqlConnectionStringBuilder? DirectConnection,
    IReadOnlyList<string> Schemas,
    QualifiedName TrackingTable);

/// <summary>The databases doctor examines, chosen but not connected to yet.</summary>
/// <param name="Url">The database queries use, as <see cref="EnvironmentDatabase.Choose"/> picks it for a query: a given connection, the environment's url, or the local development database (<see cref="DatabaseChoice.IsLocalDevDatabase"/>), which the caller starts.</param>
/// <param name="Direct">The environment's directUrl, which schema changes use instead of its url; null when it has none, or when a given connection or the local database replaces the url.</param>
public sealed record DoctorDatabases(DatabaseChoice Url, NpgsqlConnectionStringBuilder? Direct)
{
    /// <summary>The databases of <paramref name="environment"/>, or the given connection, which replaces both.</summary>
    /// <param name="given">A connection string or URL that replaces the environment's (<see cref="EnvironmentDatabase.GivenConnection"/>), or null.</param>
    /// <param name="givenSource">Where <paramref name="given"/> came from, for messages.</param>
    /// <exception cref="ConfigurationException"><paramref name="given"/> is not a valid URL or connection string.</exception>
    public static DoctorDatabases Choose(StrataEnvironment environment, string? given, string givenSource)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var url = EnvironmentDatabase.Choose(environment, given, givenSource, DatabaseUse.Query);
        var direct = url.Overridden || url.IsLocalDevDatabase || environment.DirectConnection is null
            ? null
            : new NpgsqlConnectionStringBuilder(environment.DirectConnection.ConnectionString);
        return new DoctorDatabases(url, direct);
    }
}

/// <summary>
/// Checks that a database is ready for Strata: it can be reached, its version is supported, SSL is in
/// use and verified, the user may create what the migrations create, advisory locks hold, no
/// transaction-mode pooler sits in the way of schema changes, and no search_path trap is set. Every
/// finding says what it means; the ones that are not fine say what to do.
/// </summary>
/// <remarks>
/// The checks that matter to a migration (privileges, locks, version, SSL) run on the connection
/// migrations use: directUrl when set. Reaching the server and the pooler check run on both.
/// </remarks>
public static class DatabaseDoctor
{
    /// <summary>
    /// The schemas the newest snapshot in <paramref name="migrationsDirectory"/> uses, so that doctor works without
    /// building the schema project; <c>public</c> when the folder has no migration yet (or none that uses a schema).
    /// </summary>
    public static async Task<IReadOnlyList<string>> ProjectSchemasAsync(string migrationsDirectory, CancellationToken ct = default)
    {
        var directory = await MigrationDirectory.LoadAsync(migrationsDirectory, ct);
        if (await directory.LatestSnapshotAsync(ct) is not { } snapshot)
            return [QualifiedName.DefaultSchema];
        return snapshot.Schema.SchemasInUse() is { Count: > 0 } schemas ? schemas : [QualifiedName.DefaultSchema];
    }

    /// <summary>The oldest PostgreSQL major version Strata supports (and its tests and generated SQL assume).</summary>
    public const int OldestSupportedVersion = 13;

    public static async Task<IReadOnlyList<DoctorFinding>> ExamineAsync(DoctorRequest request, CancellationToken ct = default)
    {
        var findings = new List<DoctorFinding>();
        var migrationConnection = request.DirectConnection ?? request.Connection;
        var reachable = await CheckConnectionAsync(request.Connection, request.DirectConnection is null ? "connection" : "connection (url)", findings, ct);
        if (request.DirectConnection is not null)
            reachable = await CheckConnectionAsync(request.DirectConnection, "connection (directUrl)", findings, ct) && reachable;
        if (!reachable)
            return findings;

        await CheckPoolersAsync(request, findings, ct);

        await using var connection = new NpgsqlConnection(Probe(migrationConnection).ConnectionString);
        await connection.OpenAsync(ct);
        var on = request.DirectConnection is null ? "" : " (on directUrl)";
        CheckVersion(connection, findings);
        await CheckSslAsync(connection, migrationConnection, on, findings, ct);
        await CheckPrivilegesAsync(connection, request, on, findings, ct);
        await CheckAdvisoryLocksAsync(connection, on, findings, ct);
        await CheckSearchPathAsync(connection, request, findings, ct);
        return findings;
    }

    private static NpgsqlConnectionStringBuilder Probe(NpgsqlConnectionStringBuilder connection) =>
        new(connection.ConnectionString) { Pooling = false, ApplicationName = "strata doctor" };

    private static async Task<bool> CheckConnectionAsync(NpgsqlConnectionStringBuilder builder, string check, List<DoctorFinding> findings, CancellationToken ct)
    {
        var target = Describe(builder);
        var started = Stopwatch.StartNew();
        try
        {
            await using var connection = new NpgsqlConnection(Probe(builder).ConnectionString);
            await connection.OpenAsync(ct);
            findings.Add(new(check, FindingResult.Ok, $"connected to {target} in {started.Elapsed.TotalMilliseconds:0} ms"));
            return true;
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException or InvalidOperationException or ArgumentException)
        {
            var message = WithoutPassword(e is PostgresException p ? $"{p.SqlState}: {p.MessageText}" : e.Message, builder);
            var remedy = (e as PostgresException)?.SqlState switch
            {
                "28P01" => "The password is wrong: check the password in the connection string (or the variable it comes from).",
                "28000" => "The server's pg_hba.conf does not let this user in from here (or requires SSL): ask the administrator, or check the SSL mode.",
                "3D000" => $"The database does not exist: create it (CREATE DATABASE {builder.Database}) or fix the database name.",
                "53300" => "The server has no free connection slots: close idle connections or raise max_connections.",
                _ when started.Elapsed.TotalSeconds >= builder.Timeout - 0.5 =>
                    $"No answer within the connect timeout of {builder.Timeout} s: check the host and port, that the server is running and that a firewall lets the connection through.",
                _ => "Check the host, port, database, user, password and SSL mode of the connection string.",
            };
            findings.Add(new(check, FindingResult.Problem, $"cannot connect to {target} (connect timeout {builder.Timeout} s): {message}", remedy));
            return false;
        }
    }

    private static async Task CheckPoolersAsync(DoctorRequest request, List<DoctorFinding> findings, CancellationToken ct)
    {
        var url = await PoolerDetector.DetectAsync(request.Connection, ct);
        if (request.DirectConnection is null)
        {
            findings.Add(url.SharesServerSessions
                ? new("pooler", FindingResult.Problem, url.Evidence + "; migrate and rollback refuse to run through it",
                    "Set directUrl (in strata.json's environment) to a direct connection to the server: schema changes use it, queries keep the pooled url.")
                : new("pooler", FindingResult.Ok, url.Evidence));
            return;
        }

        var direct = await PoolerDetector.DetectAsync(request.DirectConnection, ct);
        if (direct.SharesServerSessions)
            findings.Add(new("pooler", FindingResult.Problem, "directUrl: " + direct.Evidence + "; migrate and rollback refuse to run through it",
                "Point directUrl at the PostgreSQL server itself (for PgBouncer: the server's host and port; for a hosted database: its direct, non-pooled connection string)."));
        else
            findings.Add(new("pooler", FindingResult.Ok, url.SharesServerSessions
                ? $"url: {url.Evidence}; schema changes use directUrl, which has a session of its own"
                : $"url: {url.Evidence}; directUrl: {direct.Evidence}"));
    }

    private static void CheckVersion(NpgsqlConnection connection, List<DoctorFinding> findings)
    {
        var version = connection.PostgreSqlVersion;
        var text = connection.ServerVersion;
        findings.Add(version.Major >= OldestSupportedVersion
            ? new("server version", FindingResult.Ok, $"PostgreSQL {text}")
            : new("server version", FindingResult.Warning,
                $"PostgreSQL {text} is older than {OldestSupportedVersion}, the oldest version Strata supports: generated SQL may use syntax it does not know, and it is out of community support",
                $"Upgrade the server to PostgreSQL {OldestSupportedVersion} or later."));
    }

    private static async Task CheckSslAsync(NpgsqlConnection connection, NpgsqlConnectionStringBuilder builder, string on, List<DoctorFinding> findings, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand("SELECT ssl, version, cipher FROM pg_stat_ssl WHERE pid = pg_backend_pid()", connection);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var encrypted = await reader.ReadAsync(ct) && reader.GetBoolean(0);
        var protocol = encrypted ? $"{reader.GetString(1)}, {reader.GetString(2)}" : "";
        var mode = builder.SslMode;
        // libpq's spelling, as strata.json and URLs write it.
        var modeName = mode switch { SslMode.VerifyCA => "verify-ca", SslMode.VerifyFull => "verify-full", _ => mode.ToString().ToLowerInvariant() };
        var local = IsLocal(builder.Host);
        if (!encrypted)
        {
            findings.Add(local
                ? new("ssl", FindingResult.Ok, $"not encrypted{on} (sslmode {modeName}); the server is on this machine")
                : new("ssl", FindingResult.Warning, $"not encrypted{on} (sslmode {modeName}): passwords and data cross the network in clear text",
                    "Use sslMode verify-full (with rootCertificate for the server's CA) in the environment, and enable SSL on the server."));
            return;
        }
        findings.Add(mode switch
        {
            SslMode.VerifyFull => new("ssl", FindingResult.Ok, $"encrypted{on} ({protocol}); the certificate and host name are verified (sslmode verify-full)"),
            SslMode.VerifyCA => new("ssl", FindingResult.Warning, $"encrypted{on} ({protocol}); the certificate is verified but not the host name (sslmode verify-ca)",
                "Use sslMode verify-full so the certificate must also name the host."),
            _ => new("ssl", local ? FindingResult.Ok : FindingResult.Warning,
                $"encrypted{on} ({protocol}) but the server's certificate is not verified (sslmode {modeName}): a machine in between could pose as the server",
                local ? null : "Use sslMode verify-full, with rootCertificate naming the CA that signed the server's certificate."),
        });
    }

    private static async Task CheckPrivilegesAsync(NpgsqlConnection connection, DoctorRequest request, string on, List<DoctorFinding> findings, CancellationToken ct)
    {
        var schemas = request.Schemas.Append(request.TrackingTable.Schema).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        string user;
        bool superuser, createSchema;
        await using (var who = new NpgsqlCommand(
            "SELECT current_user, rolsuper, has_database_privilege(current_database(), 'CREATE') FROM pg_roles WHERE rolname = current_user", connection))
        {
            await using var reader = await who.ExecuteReaderAsync(ct);
            await reader.ReadAsync(ct);
            (user, superuser, createSchema) = (reader.GetString(0), reader.GetBoolean(1), reader.GetBoolean(2));
        }
        if (superuser)
        {
            findings.Add(new("privileges", FindingResult.Ok, $"{user} is a superuser{on}: it may do everything migrations do (and much more; a role that owns the schemas is enough)"));
            return;
        }

        var existing = new Dictionary<string, (string Owner, bool Create, bool Owns)>(StringComparer.Ordinal);
        await using (var command = new NpgsqlCommand("""
            SELECT nspname, pg_get_userbyid(nspowner), has_schema_privilege(oid, 'CREATE'), pg_has_role(nspowner, 'USAGE')
            FROM pg_namespace WHERE nspname = ANY($1)
            """, connection))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = schemas });
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
                existing[reader.GetString(0)] = (reader.GetString(1), reader.GetBoolean(2), reader.GetBoolean(3));
        }

        var problems = new List<string>();
        var notes = new List<string>();
        foreach (var schema in schemas)
        {
            if (!existing.TryGetValue(schema, out var found))
            {
                if (createSchema)
                    notes.Add($"may create schema {schema}");
                else
                    problems.Add($"schema {schema} does not exist and {user} may not create schemas in this database (no CREATE on the database)");
            }
            else if (!found.Create)
                problems.Add($"{user} may not create objects in schema {schema} (owned by {found.Owner})");
            else
                notes.Add($"may create in {schema}");
        }
        findings.Add(problems.Count == 0
            ? new("privileges", FindingResult.Ok, $"{user}{on}: {string.Join(", ", notes)}")
            : new("privileges", FindingResult.Problem, string.Join("; ", problems),
                $"As the owner of the schema or a superuser: GRANT CREATE ON SCHEMA <schema> TO {user}; for a missing schema, GRANT CREATE ON DATABASE <database> TO {user} or create the schema first. "
                + "(PostgreSQL 15 and later no longer let every user create in public.)"));

        await CheckOwnershipAsync(connection, user, schemas, existing, findings, ct);
    }

    private static async Task CheckOwnershipAsync(NpgsqlConnection connection, string user, string[] schemas,
        Dictionary<string, (string Owner, bool Create, bool Owns)> existing, List<DoctorFinding> findings, CancellationToken ct)
    {
        var notOwnedSchemas = existing.Where(e => !e.Value.Owns && e.Key != QualifiedName.DefaultSchema).Select(e => $"{e.Key} (owner {e.Value.Owner})").ToList();
        var notOwned = new List<string>();
        var total = 0L;
        await using (var command = new NpgsqlCommand("""
            SELECT n.nspname || '.' || c.relname || ' (owner ' || pg_get_userbyid(c.relowner) || ')', count(*) OVER ()
            FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = ANY($1) AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f') AND NOT pg_has_role(c.relowner, 'USAGE')
            ORDER BY n.nspname, c.relname
            LIMIT 5
            """, connection))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = schemas });
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                notOwned.Add(reader.GetString(0));
                total = reader.GetInt64(1);
            }
        }
        if (notOwned.Count == 0 && notOwnedSchemas.Count == 0)
        {
            findings.Add(new("ownership", FindingResult.Ok, $"{user} owns (or is a member of the owner of) the existing schemas and objects the project uses"));
            return;
        }
        var parts = new List<string>();
        if (notOwnedSchemas.Count > 0)
            parts.Add($"schemas not owned by {user}: {string.Join(", ", notOwnedSchemas)}");
        if (notOwned.Count > 0)
            parts.Add($"{total} object{(total == 1 ? "" : "s")} not owned by {user}: {string.Join(", ", notOwned)}{(total > notOwned.Count ? ", …" : "")}");
        findings.Add(new("ownership", FindingResult.Warning,
            string.Join("; ", parts) + ". ALTER, DROP and CREATE INDEX on them need their owner, so migrations that change them will fail",
            $"Run migrations as the owner, or make {user} a member of the owning role (GRANT <owner> TO {user}), or ALTER … OWNER TO {user}."));
    }

    private static async Task CheckAdvisoryLocksAsync(NpgsqlConnection connection, string on, List<DoctorFinding> findings, CancellationToken ct)
    {
        // A key pair the migration lock never uses (its second key is never negative), taken and released
        // in separate statements: the lock must outlive the statement that took it, as the migration lock does.
        var key = -Random.Shared.Next(1, int.MaxValue);
        var taken = await ScalarAsync<bool>(connection, "SELECT pg_try_advisory_lock($2, $1)", key, ct);
        var held = taken && await ScalarAsync<long>(connection,
            "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid() AND classid = $2::oid AND objid = $1::oid AND objsubid = 2", key, ct) > 0;
        var released = taken && await ScalarAsync<bool>(connection, "SELECT pg_advisory_unlock($2, $1)", key, ct);
        findings.Add(taken && held && released
            ? new("advisory locks", FindingResult.Ok, $"a session-level advisory lock was taken, held across statements and released{on}")
            : new("advisory locks", FindingResult.Problem,
                $"a session-level advisory lock {(taken ? "did not stay with the session that took it" : "could not be taken")}{on}: the migration lock cannot keep two runs apart",
                "Connect migrations directly to PostgreSQL (directUrl), not through a pooler; if another tool holds advisory locks, see pg_locks."));
    }

    private static async Task CheckSearchPathAsync(NpgsqlConnection connection, DoctorRequest request, List<DoctorFinding> findings, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(
            "SELECT current_user, current_setting('search_path'), EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = current_user)", connection);
        await using var reader = await command.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        var (user, searchPath, schemaExists) = (reader.GetString(0), reader.GetString(1), reader.GetBoolean(2));
        var first = searchPath.Split(',')[0].Trim();
        var userFirst = first is "\"$user\"" or "$user";
        var projectUses = request.Schemas.Contains(user, StringComparer.Ordinal);
        if (userFirst && (schemaExists || projectUses))
        {
            findings.Add(new("search_path", FindingResult.Warning,
                $"the role {user} has a schema of the same name{(schemaExists ? "" : " (the project creates it)")} and search_path is {searchPath}: "
                + $"unqualified names resolve in schema {user} first, and tables created without a schema land there instead of public",
                $"Qualify names in hand-written SQL, or set the path without \"$user\": ALTER ROLE {user} SET search_path = public (or rename the schema)."));
            return;
        }
        findings.Add(new("search_path", FindingResult.Ok, $"search_path is {searchPath}" + (userFirst ? $"; there is no schema named {user}" : "")));
    }

    private static async Task<T> ScalarAsync<T>(NpgsqlConnection connection, string sql, int key, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.Add(new NpgsqlParameter { Value = key });
        command.Parameters.Add(new NpgsqlParameter { Value = MigrationLock.KeySpace });
        return (T)(await command.ExecuteScalarAsync(ct))!;
    }

    private static bool IsLocal(string? host) =>
        string.IsNullOrEmpty(host) || host.StartsWith('/') || host == "localhost" || (IPAddress.TryParse(host, out var address) && IPAddress.IsLoopback(address));

    private static string Describe(NpgsqlConnectionStringBuilder builder) =>
        $"{(string.IsNullOrEmpty(builder.Username) ? "" : builder.Username + "@")}{builder.Host}:{builder.Port}/{builder.Database ?? "(default database)"}";

    private static string WithoutPassword(string text, NpgsqlConnectionStringBuilder builder) =>
        string.IsNullOrEmpty(builder.Password) ? text : text.Replace(builder.Password, "********", StringComparison.Ordinal);
}
