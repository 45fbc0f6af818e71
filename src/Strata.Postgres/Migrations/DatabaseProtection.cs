using System.Text.RegularExpressions;
using Npgsql;
using Strata.Model;
using Strata.Postgres.Sql;

namespace Strata.Postgres.Migrations;

/// <summary>
/// A database's own record that it is protected: the line <c>strata:protected environment=&lt;name&gt;</c>
/// in the COMMENT of its tracking table, written when a protected environment migrates it. It makes the
/// protection follow the database rather than the environment's name: a destructive command reaching the
/// same database through <c>--connection</c>, <c>$STRATA_DATABASE_URL</c> or an unprotected environment
/// finds it there and refuses as a protected environment does.
/// </summary>
/// <param name="Environment">The protected environment that recorded it.</param>
/// <param name="Table">The table whose comment holds the marker (the tracking table of the run that wrote it).</param>
public sealed partial record DatabaseProtection(string Environment, QualifiedName Table)
{
    private const string Prefix = "strata:protected environment=";

    /// <summary>Where the marker is, for messages: <c>the comment of strata.__strata_migrations</c>.</summary>
    public string Location => $"the comment of the table {Table}";

    /// <summary>
    /// The marker, looked up in every table's comment (pg_description) rather than in one tracking table,
    /// so that a reader configured with another trackingTable (or none) still finds it. Null when there is none.
    /// </summary>
    public static async Task<DatabaseProtection?> FindAsync(NpgsqlConnection connection, CancellationToken ct = default)
    {
        const string sql = """
            SELECT n.nspname, c.relname, d.description
            FROM pg_description d
            JOIN pg_class c ON d.classoid = 'pg_class'::regclass AND d.objoid = c.oid AND d.objsubid = 0
            JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE d.description LIKE '%' || $1 || '%'
            ORDER BY n.nspname, c.relname
            LIMIT 1
            """;
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.Add(new NpgsqlParameter { Value = Prefix });
        await using var reader = await command.ExecuteReaderAsync(ct);
        if (!await reader.ReadAsync(ct))
            return null;
        var environment = MarkerLine().Match(reader.GetString(2)).Groups["environment"].Value;
        return new DatabaseProtection(environment, new QualifiedName(reader.GetString(0), reader.GetString(1)));
    }

    /// <summary>
    /// Writes the marker into the comment of <paramref name="historyTable"/> (kept, with any earlier marker
    /// replaced). Does nothing when the table does not exist yet.
    /// </summary>
    public static async Task RecordAsync(NpgsqlConnection connection, QualifiedName historyTable, string environment, CancellationToken ct = default)
    {
        await using var read = new NpgsqlCommand("SELECT to_regclass($1) IS NOT NULL, obj_description(to_regclass($1), 'pg_class')", connection);
        // to_regclass reads the plain "…" form of a name only (not the U&"…" one Quote gives a name with a line break).
        read.Parameters.Add(new NpgsqlParameter { Value = SqlIdentifier.QuoteAsText(historyTable) });
        string? comment;
        await using (var reader = await read.ExecuteReaderAsync(ct))
        {
            await reader.ReadAsync(ct);
            if (!reader.GetBoolean(0))
                return;
            comment = reader.IsDBNull(1) ? null : reader.GetString(1);
        }
        var kept = comment is null ? "" : MarkerLine().Replace(comment, "").TrimEnd('\n');
        var marked = (kept.Length == 0 ? "" : kept + "\n") + Prefix + environment.ReplaceLineEndings(" ");
        if (marked == comment)
            return;
        // COMMENT takes no parameters; the text goes in as a quoted literal.
        await using var write = new NpgsqlCommand($"COMMENT ON TABLE {SqlIdentifier.Quote(historyTable)} IS {SqlIdentifier.Literal(marked)}", connection);
        await write.ExecuteNonQueryAsync(ct);
    }

    [GeneratedRegex(@"^strata:protected environment=(?<environment>[^\n]*)\n?", RegexOptions.Multiline)]
    private static partial Regex MarkerLine();
}
