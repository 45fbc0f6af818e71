using Npgsql;
using Strata.Model;
using Strata.Postgres.Sql;
using Strata.Sql;

namespace Strata.Postgres.Execution;

/// <summary>
/// <c>CREATE [UNIQUE] INDEX CONCURRENTLY</c> and <c>DROP INDEX CONCURRENTLY</c>: statements that cannot run
/// in a transaction, so their progress row is written after them rather than with them. When a run
/// stops there (killed, or the statement failed) the next run cannot know from the tracking table
/// alone whether the statement finished; the catalog can. A failed or interrupted CREATE INDEX
/// CONCURRENTLY leaves an INVALID index behind, which makes the same statement fail with "already
/// exists" on every rerun (and IF NOT EXISTS would keep the broken index silently).
/// </summary>
internal static class ConcurrentIndexStatement
{
    /// <summary>A CREATE or DROP INDEX CONCURRENTLY read by the one SQL lexer, with the names it gives.</summary>
    /// <param name="Index">The index: the name a CREATE gives it (null when it leaves the naming to PostgreSQL), the one a DROP names (null when it names none PostgreSQL would accept).</param>
    /// <param name="Table">The table a CREATE builds the index on; null for a DROP.</param>
    internal sealed record Statement(bool Creates, ObjectName? Index, ObjectName? Table);

    /// <summary>A name as PostgreSQL reads it: a bare word folded to lower case, a quoted one as it stands.</summary>
    internal sealed record ObjectName(string? Schema, string Name)
    {
        /// <summary>The name quoted, as <c>to_regclass</c> reads it back.</summary>
        public string Quoted => Schema is null ? SqlIdentifier.Quote(Name) : SqlIdentifier.Quote(new QualifiedName(Schema, Name));
    }

    /// <summary>
    /// <paramref name="sql"/> read as a CREATE [UNIQUE] INDEX CONCURRENTLY or DROP INDEX CONCURRENTLY; null for any
    /// other statement. Comments and white space may stand anywhere between the words; a word in a string, a
    /// dollar quote or a comment is no keyword, and a quoted name is a name even when it reads like one.
    /// </summary>
    internal static Statement? Read(string sql)
    {
        // Not a decision, a short cut: the keyword is written out in any statement that has it (a statement
        // may be a long function body or a large INSERT, not worth reading for nothing).
        if (!sql.Contains("concurrently", StringComparison.OrdinalIgnoreCase))
            return null;
        var lexemes = SqlLexer.Tokenize(sql).Lexemes();
        var i = 0;
        bool WordAt(int at, string word) => at < lexemes.Count && lexemes[at].Kind == SqlLexemeKind.Word && lexemes[at].Value == word;
        // The words in a row, taken only when all are there (IF is also a name PostgreSQL accepts).
        bool Keywords(params string[] words)
        {
            for (var w = 0; w < words.Length; w++)
            {
                if (!WordAt(i + w, words[w]))
                    return false;
            }
            i += words.Length;
            return true;
        }
        ObjectName? Name()
        {
            if (i >= lexemes.Count || !lexemes[i].IsName)
                return null;
            var first = lexemes[i++].Value;
            if (i + 1 < lexemes.Count && lexemes[i].Is(".") && lexemes[i + 1].IsName)
            {
                i += 2;
                return new ObjectName(first, lexemes[i - 1].Value);
            }
            return new ObjectName(null, first);
        }
        bool AtEnd() => i == lexemes.Count || (i == lexemes.Count - 1 && lexemes[i].Is(";"));

        if (Keywords("create"))
        {
            Keywords("unique");
            if (!Keywords("index") || !Keywords("concurrently"))
                return null;
            Keywords("if", "not", "exists");
            // ON is reserved: an index called on is quoted, and a bare ON means the name was left out.
            var index = WordAt(i, "on") ? null : Name();
            ObjectName? table = null;
            if (Keywords("on"))
            {
                Keywords("only");
                table = Name();
            }
            return new Statement(Creates: true, index, table);
        }
        if (Keywords("drop"))
        {
            if (!Keywords("index") || !Keywords("concurrently"))
                return null;
            Keywords("if", "exists");
            var index = Name();
            if (!Keywords("restrict"))
                Keywords("cascade");
            if (!AtEnd())
                index = null;
            return new Statement(Creates: false, index, Table: null);
        }
        return null;
    }

    /// <summary>Whether <paramref name="sql"/> is a CREATE or DROP INDEX CONCURRENTLY.</summary>
    public static bool IsConcurrent(string sql) => Read(sql) is not null;

    /// <summary>What resuming at a statement must do.</summary>
    public enum Resume { Run, AlreadyDone }

    /// <summary>
    /// Before re-running a statement that may have run already: a CREATE INDEX CONCURRENTLY whose index
    /// exists and is valid finished (skip it); one whose index exists but is invalid is dropped so
    /// that it can be built again; a DROP INDEX CONCURRENTLY whose index is gone finished.
    /// </summary>
    public static async Task<Resume> PrepareAsync(NpgsqlConnection connection, string sql, CancellationToken ct)
    {
        var statement = Read(sql);
        if (statement is { Creates: true, Index: { } index, Table: { } table })
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
            command.Parameters.Add(new NpgsqlParameter { Value = index.Name });
            command.Parameters.Add(new NpgsqlParameter { Value = table.Quoted });
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
        if (statement is { Creates: false, Index: { } dropped })
        {
            await using var command = new NpgsqlCommand("SELECT to_regclass($1) IS NULL", connection);
            command.Parameters.Add(new NpgsqlParameter { Value = dropped.Quoted });
            return (bool)(await command.ExecuteScalarAsync(ct))! ? Resume.AlreadyDone : Resume.Run;
        }
        return Resume.Run;
    }
}
