using Npgsql;
using Strata.Model;
using Strata.Postgres.Sql;

namespace Strata.Postgres.Migrations;

/// <summary>
/// Drops what a reset drops: the managed schemas with everything in them, and the tracking table.
/// </summary>
/// <remarks>
/// <c>public</c> is emptied, not dropped: PostgreSQL creates it with the database, owned by
/// <c>pg_database_owner</c> and with grants the migration role usually cannot give again, so DROP SCHEMA
/// public + CREATE SCHEMA public would leave a schema owned by the wrong role with the wrong privileges.
/// Its tables, views, sequences, types, domains and routines are dropped instead, except the members of
/// an extension (an extension someone installed in <c>public</c> stays, as other schemas do).
/// <para>The tables go in transactions of <see cref="TablesPerTransaction"/>: one DROP of a thousand tables
/// takes a lock on every table, index, sequence and constraint, which overflows PostgreSQL's shared lock
/// table (max_locks_per_transaction) at default settings. A reset that fails part-way leaves some tables
/// dropped; running it again finishes it, since every DROP says IF EXISTS.</para>
/// </remarks>
internal static class ManagedObjects
{
    private const int TablesPerTransaction = 100;

    /// <summary>Drops them; returns true when the tracking table's schema was left empty and dropped too.</summary>
    public static async Task<bool> DropAsync(NpgsqlConnection connection, IReadOnlyCollection<string> schemas, QualifiedName historyTable, CancellationToken ct)
    {
        foreach (var schema in schemas.Order(StringComparer.Ordinal))
            await EmptySchemaAsync(connection, schema, ct);

        await using var transaction = await connection.BeginTransactionAsync(ct);
        await ExecuteAsync(connection, transaction, $"DROP TABLE IF EXISTS {SqlIdentifier.Quote(historyTable)}", ct);
        foreach (var schema in schemas.Where(s => s != QualifiedName.DefaultSchema).Order(StringComparer.Ordinal))
            await ExecuteAsync(connection, transaction, $"DROP SCHEMA IF EXISTS {SqlIdentifier.Quote(schema)} CASCADE", ct);

        // Strata created the tracking schema (CREATE SCHEMA IF NOT EXISTS) unless it was there already;
        // when nothing else lives in it now, it goes too. RESTRICT fails on anything left, and the
        // savepoint keeps that failure from aborting the reset.
        var trackingSchema = historyTable.Schema;
        var trackingSchemaDropped = false;
        if (trackingSchema != QualifiedName.DefaultSchema && !schemas.Contains(trackingSchema))
        {
            await ExecuteAsync(connection, transaction, "SAVEPOINT strata_tracking_schema", ct);
            try
            {
                await ExecuteAsync(connection, transaction, $"DROP SCHEMA IF EXISTS {SqlIdentifier.Quote(trackingSchema)} RESTRICT", ct);
                trackingSchemaDropped = true;
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.DependentObjectsStillExist)
            {
                await ExecuteAsync(connection, transaction, "ROLLBACK TO SAVEPOINT strata_tracking_schema", ct);
            }
        }
        await transaction.CommitAsync(ct);
        return trackingSchemaDropped;
    }

    // One DROP per kind of object, each naming every object of that kind (IF EXISTS: a CASCADE of an
    // earlier one may have taken some already, as a table takes its owned sequences and its row type).
    private static async Task EmptySchemaAsync(NpgsqlConnection connection, string schema, CancellationToken ct)
    {
        const string objects = """
            WITH ext AS (SELECT classid, objid FROM pg_depend WHERE deptype = 'e')
            SELECT CASE c.relkind WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW' WHEN 'S' THEN 'SEQUENCE' WHEN 'f' THEN 'FOREIGN TABLE' ELSE 'TABLE' END,
                   format('%I.%I', n.nspname, c.relname)
            FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = $1 AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f') AND NOT c.relispartition
              AND NOT EXISTS (SELECT FROM ext WHERE ext.classid = 'pg_class'::regclass AND ext.objid = c.oid)
            UNION ALL
            SELECT CASE t.typtype WHEN 'd' THEN 'DOMAIN' ELSE 'TYPE' END, format('%I.%I', n.nspname, t.typname)
            FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
            WHERE n.nspname = $1 AND t.typtype IN ('e', 'd', 'r', 'c', 'm')
              AND (t.typrelid = 0 OR (SELECT relkind FROM pg_class WHERE oid = t.typrelid) = 'c')
              AND NOT EXISTS (SELECT FROM ext WHERE ext.classid = 'pg_type'::regclass AND ext.objid = t.oid)
            UNION ALL
            SELECT 'ROUTINE', p.oid::regprocedure::text
            FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
            WHERE n.nspname = $1 AND p.prokind IN ('f', 'p')
              AND NOT EXISTS (SELECT FROM ext WHERE ext.classid = 'pg_proc'::regclass AND ext.objid = p.oid)
            """;
        var byKind = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        await using (var command = new NpgsqlCommand(objects, connection))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = schema });
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                var kind = reader.GetString(0);
                if (!byKind.TryGetValue(kind, out var names))
                    byKind[kind] = names = [];
                names.Add(reader.GetString(1));
            }
        }
        // Views before the tables they read, routines last (a routine may be a column default's).
        foreach (var kind in new[] { "MATERIALIZED VIEW", "VIEW", "FOREIGN TABLE", "TABLE", "SEQUENCE", "TYPE", "DOMAIN", "ROUTINE" })
        {
            if (!byKind.TryGetValue(kind, out var names))
                continue;
            foreach (var chunk in names.Chunk(TablesPerTransaction))
                await ExecuteAsync(connection, null, $"DROP {kind} IF EXISTS {string.Join(", ", chunk)} CASCADE", ct);
        }
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction) { CommandTimeout = 0 };
        await command.ExecuteNonQueryAsync(ct);
    }
}
