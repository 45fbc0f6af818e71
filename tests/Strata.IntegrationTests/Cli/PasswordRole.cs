using System.Net;
using System.Net.Sockets;
using Npgsql;
using Strata.IntegrationTests.Infrastructure;
using Strata.Testing;

namespace Strata.IntegrationTests.Cli;

/// <summary>
/// A login role whose password the test server really checks: the throwaway cluster trusts every
/// connection, so this adds scram-sha-256 lines for this one role at the top of its pg_hba.conf
/// (through SQL, so it works for any server the tests are given) and reloads. Other users keep trust.
/// </summary>
public static class PasswordRole
{
    /// <summary>Recognisable in any output, so a test can assert it appears nowhere.</summary>
    public const string Password = "S3cr3t-Pa55-XYZZY";

    public static readonly string Name = "strata_secret_" + Environment.ProcessId;

    private static readonly SemaphoreSlim Lock = new(1, 1);
    private static bool _ready;

    /// <summary>A new database owned by the role (so it may create schemas in it).</summary>
    public static async Task<TestDatabase> CreateDatabaseAsync(PostgresFixture postgres, string prefix)
    {
        await EnsureAsync(postgres);
        var database = await postgres.CreateDatabaseAsync(prefix);
        await database.ExecuteAsync($"ALTER DATABASE \"{database.Name}\" OWNER TO {Name}; ALTER SCHEMA public OWNER TO {Name}");
        return database;
    }

    /// <summary>postgres://role:password@host:port/database?sslmode=disable</summary>
    public static string Url(TestDatabase database, string password = Password, string? databaseName = null)
    {
        var target = new NpgsqlConnectionStringBuilder(database.ConnectionString);
        return $"postgres://{Name}:{Uri.EscapeDataString(password)}@{target.Host}:{target.Port}/{databaseName ?? target.Database}?sslmode=disable";
    }

    /// <summary>A port on 127.0.0.1 where nothing listens (it was free a moment ago).</summary>
    public static int UnusedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>
    /// Writes a text file on the server's machine as the server's user (COPY … TO, superuser only): its
    /// owner and mode are then the ones PostgreSQL demands of pg_hba.conf or an SSL key.
    /// </summary>
    public static async Task WriteServerFileAsync(NpgsqlDataSource admin, string path, IEnumerable<string> lines)
    {
        // One line per row, as CSV with a delimiter and quote that never occur, so nothing is escaped;
        // empty lines are left out (CSV writes an empty string as a quoted field). COPY takes no parameters.
        var rows = string.Join(", ", lines.Where(l => l.Trim().Length > 0).Select(Literal));
        await using var write = admin.CreateCommand(
            $"COPY (SELECT unnest(ARRAY[{rows}]::text[])) TO {Literal(path)} WITH (FORMAT csv, DELIMITER E'\\x01', QUOTE E'\\x02')");
        await write.ExecuteNonQueryAsync();
    }

    private static string Literal(string text) => "'" + text.Replace("'", "''", StringComparison.Ordinal) + "'";

    private static async Task EnsureAsync(PostgresFixture postgres)
    {
        await Lock.WaitAsync();
        try
        {
            if (_ready)
                return;
            await using var admin = NpgsqlDataSource.Create(postgres.ConnectionString);
            await using (var create = admin.CreateCommand($"""
                DO $$ BEGIN
                  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{Name}') THEN
                    CREATE ROLE {Name} LOGIN PASSWORD '{Password}';
                  END IF;
                END $$;
                SET password_encryption = 'scram-sha-256';
                ALTER ROLE {Name} PASSWORD '{Password}';
                """))
                await create.ExecuteNonQueryAsync();

            var hbaFile = (string)(await admin.CreateCommand("SHOW hba_file").ExecuteScalarAsync())!;
            await using var read = admin.CreateCommand("SELECT pg_read_file($1)");
            read.Parameters.Add(new NpgsqlParameter { Value = hbaFile });
            var lines = ((string)(await read.ExecuteScalarAsync())!).Split('\n');
            if (!lines.Any(l => l.Contains(Name, StringComparison.Ordinal)))
            {
                string[] rules = [$"host all {Name} 127.0.0.1/32 scram-sha-256", $"host all {Name} ::1/128 scram-sha-256"];
                await WriteServerFileAsync(admin, hbaFile, rules.Concat(lines));
                await admin.CreateCommand("SELECT pg_reload_conf()").ExecuteNonQueryAsync();
            }

            // The reload is asynchronous: wait until a wrong password is refused.
            var wrong = new NpgsqlConnectionStringBuilder(postgres.ConnectionString) { Username = Name, Password = "not-the-password", Host = "127.0.0.1", Pooling = false };
            for (var attempt = 0; ; attempt++)
            {
                try
                {
                    await using var connection = new NpgsqlConnection(wrong.ConnectionString);
                    await connection.OpenAsync();
                }
                catch (PostgresException e) when (e.SqlState == "28P01")
                {
                    break;
                }
                if (attempt >= StrataProcess.Patience.TotalSeconds * 10)
                    throw new InvalidOperationException($"The server still accepts {Name} without its password after editing {hbaFile}");
                await Task.Delay(100);
            }
            _ready = true;
        }
        finally
        {
            Lock.Release();
        }
    }
}
