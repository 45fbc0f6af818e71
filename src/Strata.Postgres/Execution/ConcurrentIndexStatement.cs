using System.Text.RegularExpressions;
using Npgsql;

namespace Strata.Postgres.Execution;

/// <summary>
/// <c>CREATE [UNIQUE] INDEX CONCURRENTLY</c> and <c>DROP INDEX CONCURRENTLY</c>: statements that cannot run
/// in a transaction, so their progress row is written after them rather than with them. When a run
/// stops there (killed, or the statement failed) the next run cannot know from the tracking table
/// alone whether the statement finished; the catalog can. A failed or interrupted CREATE INDEX
/// CONCURRENTLY leaves an INVALID index behind, which makes the same statement fail with "already
/// exists" on every rerun (and IF NOT EXISTS would keep the broken index silently).
/// </summary>
internal static partial class ConcurrentIndexStatement
{
    private const string Identifier = """(?:"(?:[^"]|"")+"|[A-Za-z_][A-Za-z0-9_$]*)""";

    [GeneratedRegex($"""^\s*CREATE\s+(?:UNIQUE\s+)?INDEX\s+CONCURRENTLY\s+(?:IF\s+NOT\s+EXISTS\s+)?(?<index>{Identifier})\s+ON\s+(?:ONLY\s+)?(?<table>{Identifier}(?:\s*\.\s*{Identifier})?)""", RegexOptions.IgnoreCase)]
    private static partial Regex CreatePattern();

    [GeneratedRegex($"""^\s*DROP\s+INDEX\s+CONCURRENTLY\s+(?:IF\s+EXISTS\s+)?(?<index>{Identifier}(?:\s*\.\s*{Identifier})?)\s*;?\s*$""", RegexOptions.IgnoreCase)]
    private static partial Regex DropPattern();

    /// <summary>Whether <paramref name="sql"/> is a CREATE or DROP INDEX CONCURRENTLY.</summary>
    public static bool IsConcurrent(string sql) => CreatePattern().IsMatch(sql) || DropPattern().IsMatch(sql);

    /// <summary>What resuming at a statement must do.</summary>
    public enum Resume { Run, AlreadyDone }

    /// <summary>
    /// Before re-running a statement that may have run already: a CREATE INDEX CONCURRENTLY whose index
    /// exists and is valid finished (skip it); one whose index exists but is invalid is dropped so
    /// that it can be built again; a DROP INDEX CONCURRENTLY whose index is gone finished.
    /// </summary>
    public static async Task<Resume> PrepareAsync(NpgsqlConnection connection, string sql, CancellationToken ct)
    {
        if (CreatePattern().Match(sql) is { Success: true } create)
        {
            // The index lives in its table's schema; regclass resolves the table as the statement would.
            const string query = """
                SELECT i.indisvalid, quote_ident(n.nspname) || '.' || quote_ident(c.relname)
                FROM pg_index i
                JOIN pg_class c ON c.oid = i.indexrelid
                JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE c.relname = $1 AND i.indrelid = to_regclass($2)
                """;
            await using var command = new NpgsqlCommand(query, connection);
            command.Parameters.Add(new NpgsqlParameter { Value = Unquote(create.Groups["index"].Value) });
            command.Parameters.Add(new NpgsqlParameter { Value = create.Groups["table"].Value });
            await using var reader = await command.ExecuteReaderAsync(ct);
            if (!await reader.ReadAsync(ct))
                return Resume.Run;
            var (valid, qualified) = (reader.GetBoolean(0), reader.GetString(1));
            await reader.DisposeAsync();
            if (valid)
                return Resume.AlreadyDone;
            await using var drop = new NpgsqlCommand($"DROP INDEX CONCURRENTLY IF EXISTS {qualified}", connection) { CommandTimeout = 0 };
            await drop.ExecuteNonQueryAsync(ct);
            return Resume.Run;
        }
        if (DropPattern().Match(sql) is { Success: true } dropped)
        {
            await using var command = new NpgsqlCommand("SELECT to_regclass($1) IS NULL", connection);
            command.Parameters.Add(new NpgsqlParameter { Value = dropped.Groups["index"].Value });
            return (bool)(await command.ExecuteScalarAsync(ct))! ? Resume.AlreadyDone : Resume.Run;
        }
        return Resume.Run;
    }

    private static string Unquote(string identifier) =>
        identifier.StartsWith('"') ? identifier[1..^1].Replace("\"\"", "\"") : identifier.ToLowerInvariant();
}
