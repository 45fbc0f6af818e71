using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Npgsql;
using Strata.Postgres.Migrations;
using Strata.Postgres.Sql;

namespace Strata.Testing;

/// <summary>
/// Finds or builds the migrated template database for one migration source. The template's key (a hash
/// of every migration's scripts, the migrator's target and tracking table, and the seed version) is
/// recorded in the database's comment, which is written last: a template whose comment holds the key is
/// complete and current, anything else under that name is dropped and built again. The build runs under
/// a session advisory lock, so that of several processes only the first builds and the others reuse it.
/// </summary>
internal sealed class MigratedTemplateBuilder(TestDatabaseServer server, MigrationSource migrations, TestTemplateOptions options)
{
    internal const string CommentPrefix = "strata test template ";

    public async Task<TestDatabaseTemplate> GetAsync(CancellationToken ct)
    {
        var name = options.Name;
        if (string.IsNullOrEmpty(name) || Encoding.UTF8.GetByteCount(name) > 63)
            throw new ArgumentException($"The template name \"{name}\" must be 1 to 63 bytes (a PostgreSQL database name).", nameof(options));
        var key = await ComputeKeyAsync(ct);

        // The common case takes no lock: the template is there and current.
        if (await ReadKeyAsync(server.Admin, name, ct) == key)
            return new TestDatabaseTemplate(server, name, key, wasBuilt: false, owned: null);

        // Advisory locks belong to the database the session is connected to: every process locks in the
        // maintenance database of the same connection string, so they meet on the same lock.
        await using var lockConnection = await server.Admin.OpenConnectionAsync(ct);
        var lockId = LockId(name);
        await ExecuteAsync(lockConnection, $"SELECT pg_advisory_lock({lockId})", ct);
        try
        {
            if (await ReadKeyAsync(server.Admin, name, ct) == key)
                return new TestDatabaseTemplate(server, name, key, wasBuilt: false, owned: null);
            await BuildAsync(name, key, ct);
            return new TestDatabaseTemplate(server, name, key, wasBuilt: true, owned: null);
        }
        finally
        {
            await ExecuteAsync(lockConnection, $"SELECT pg_advisory_unlock({lockId})", CancellationToken.None);
        }
    }

    private async Task BuildAsync(string name, string key, CancellationToken ct)
    {
        var quoted = SqlIdentifier.Quote(name);
        await DropAsync(server, name, ct);
        await server.ExecuteAsync($"CREATE DATABASE {quoted} TEMPLATE template0 ENCODING 'UTF8'", ct);
        var database = new TestDatabase(name, server.ConnectionStringFor(name), server.Admin);
        try
        {
            await new Migrator(database.DataSource, migrations, options.Migrator).ApplyAsync(ct);
            if (options.Seed is { } seed)
                await seed(database, ct);
            await database.CloseConnectionsAsync();
            // No connections from now on: PostgreSQL copies a database only while nobody is connected to it,
            // and a stray session (a debugger, a leaked pool) would make every clone fail.
            await server.ExecuteAsync($"ALTER DATABASE {quoted} WITH IS_TEMPLATE true ALLOW_CONNECTIONS false", ct);
            await server.ExecuteAsync($"COMMENT ON DATABASE {quoted} IS {SqlIdentifier.Literal(CommentPrefix + key)}", ct);
        }
        catch
        {
            // The half-built template goes; it may already be marked a template, which a plain DROP refuses.
            await database.CloseConnectionsAsync();
            await DropAsync(server, name, CancellationToken.None);
            await database.DisposeAsync();
            throw;
        }
    }

    /// <summary>Drops the template <paramref name="name"/> if it is there (a template must be unmarked before it can be dropped).</summary>
    internal static async Task DropAsync(TestDatabaseServer server, string name, CancellationToken ct)
    {
        await using var exists = server.Admin.CreateCommand("SELECT datistemplate FROM pg_database WHERE datname = $1");
        exists.Parameters.Add(new NpgsqlParameter { Value = name });
        if (await exists.ExecuteScalarAsync(ct) is not bool isTemplate)
            return;
        var quoted = SqlIdentifier.Quote(name);
        if (isTemplate)
            await server.ExecuteAsync($"ALTER DATABASE {quoted} WITH IS_TEMPLATE false", ct);
        await server.ExecuteAsync($"DROP DATABASE IF EXISTS {quoted} WITH (FORCE)", ct);
    }

    /// <summary>The key recorded on the template <paramref name="name"/>, or null when there is none (or it is not marked a template).</summary>
    internal static async Task<string?> ReadKeyAsync(NpgsqlDataSource admin, string name, CancellationToken ct)
    {
        await using var command = admin.CreateCommand(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = $1 AND datistemplate");
        command.Parameters.Add(new NpgsqlParameter { Value = name });
        return await command.ExecuteScalarAsync(ct) is string comment && comment.StartsWith(CommentPrefix, StringComparison.Ordinal)
            ? comment[CommentPrefix.Length..]
            : null;
    }

    /// <summary>
    /// SHA-256 of what the template is built from. The scripts themselves are hashed rather than strata.sum's
    /// recorded total, so that a stale sum cannot leave an old template in use.
    /// </summary>
    private async Task<string> ComputeKeyAsync(CancellationToken ct)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        void Add(string? text)
        {
            hash.AppendData(Encoding.UTF8.GetBytes(text ?? "\u0001"));
            hash.AppendData([0]);
        }
        foreach (var id in migrations.Ids)
        {
            var scripts = await migrations.ReadAsync(id, ct);
            Add(scripts.Id);
            Add(scripts.UpChecksum);
            Add(scripts.DownSql);
        }
        Add("target:" + options.Migrator?.TargetId);
        Add("history:" + (options.Migrator ?? new MigratorOptions()).HistoryTable);
        Add("seed:" + options.SeedVersion + (options.Seed is null ? "" : ":seeded"));
        return Convert.ToHexStringLower(hash.GetHashAndReset())[..32];
    }

    private static long LockId(string name) =>
        BinaryPrimitives.ReadInt64BigEndian(SHA256.HashData(Encoding.UTF8.GetBytes("strata.testing/template/" + name)));

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(ct);
    }
}
