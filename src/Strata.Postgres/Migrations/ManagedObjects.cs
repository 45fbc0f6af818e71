using Npgsql;
using Strata.Model;
using Strata.Postgres.Execution;
using Strata.Postgres.Sql;

namespace Strata.Postgres.Migrations;

/// <summary>
/// Drops what a reset drops: the managed schemas with everything in them, the default privileges, and the tracking table.
/// </summary>
/// <remarks>
/// <c>public</c> is emptied, not dropped: PostgreSQL creates it with the database, owned by
/// <c>pg_database_owner</c> and with grants the migration role usually cannot give again, so DROP SCHEMA
/// public + CREATE SCHEMA public would leave a schema owned by the wrong role with the wrong privileges.
/// Its tables, views, sequences, types, domains, collations and routines are dropped instead, except the members of
/// an extension (an extension someone installed in <c>public</c> stays, as other schemas do).
/// <para>The tables go in transactions of <see cref="TablesPerTransaction"/>: one DROP of a thousand tables
/// takes a lock on every table, index, sequence and constraint, which overflows PostgreSQL's shared lock
/// table (max_locks_per_transaction) at default settings. A reset that fails part-way leaves some tables
/// dropped; running it again finishes it, since every DROP says IF EXISTS.</para>
/// </remarks>
public static class ManagedObjects
{
    private const int TablesPerTransaction = 100;

    /// <summary>
    /// A live database's model without the tracking table, and without the tracking table's schema when
    /// nothing else is in it: the table is Strata's, not the application's. Exactly that one table is left
    /// out, wherever it lives (in <c>public</c> too), so everything else in its schema is still compared.
    /// What push, pull, check --env and migrate --baseline all compare or write.
    /// </summary>
    public static DatabaseModel WithoutTrackingTable(DatabaseModel model, QualifiedName trackingTable)
    {
        var tables = model.Tables.Where(t => t.QualifiedName != trackingTable).ToValueList();
        var schema = trackingTable.Schema;
        var without = model with { Tables = tables };
        return without.ObjectSchemas().Contains(schema, StringComparer.Ordinal)
            ? without
            : without with { Schemas = model.Schemas.Where(s => s != schema).ToValueList() };
    }

    /// <summary>
    /// What <see cref="DropAsync"/> would drop, in the order it drops them: the contents of each of
    /// <paramref name="schemas"/> (found by the same catalog query the drop uses), each schema but
    /// <c>public</c>, the default privileges it takes back, and the tracking table. What a reset --dry-run lists, and what a
    /// reset lists before it drops.
    /// </summary>
    public static async Task<IReadOnlyList<ManagedObject>> ListAsync(NpgsqlConnection connection, IReadOnlyCollection<string> schemas, QualifiedName historyTable, CancellationToken ct = default)
    {
        var list = new List<ManagedObject>();
        foreach (var schema in schemas.Order(StringComparer.Ordinal))
        {
            foreach (var (kind, names) in await ContentsAsync(connection, schema, ct))
            {
                list.AddRange(names
                    .Where(n => n.Name != historyTable)
                    .Select(n => new ManagedObject(kind, n.Name, n.Display)));
            }
            if (schema != QualifiedName.DefaultSchema
                && await DisplayIfExistsAsync(connection, "SELECT CASE WHEN to_regnamespace($1) IS NOT NULL THEN quote_ident($2) END", SqlIdentifier.QuoteAsText(schema), schema, null, ct) is { } shown)
                list.Add(new ManagedObject("SCHEMA", new QualifiedName(schema, ""), shown));
        }
        list.AddRange(await DefaultPrivilegesAsync(connection, ct));
        // Named as PostgreSQL prints it (quoted only where it must be), as the catalog query names the rest.
        if (await DisplayIfExistsAsync(connection, "SELECT CASE WHEN to_regclass($1) IS NOT NULL THEN format('%I.%I', $2, $3) END",
                SqlIdentifier.QuoteAsText(historyTable), historyTable.Schema, historyTable.Name, ct) is { } tracking)
            list.Add(new ManagedObject("TABLE", historyTable, tracking, IsTrackingTable: true));
        return list;
    }

    /// <summary>
    /// The default privileges <see cref="DefaultPrivilegesResetSql"/> takes back (the same entries: those of the roles
    /// the connected role may act for), each as <c>for role r [in schema s] on tables</c>.
    /// </summary>
    private static async Task<List<ManagedObject>> DefaultPrivilegesAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        const string sql = """
            SELECT 'for role ' || d.defaclrole::regrole::text
                   || CASE WHEN n.nspname IS NULL THEN '' ELSE ' in schema ' || quote_ident(n.nspname) END
                   || ' on ' || CASE d.defaclobjtype WHEN 'r' THEN 'tables' WHEN 'S' THEN 'sequences' WHEN 'f' THEN 'functions'
                                WHEN 'T' THEN 'types' ELSE 'schemas' END,
                   coalesce(n.nspname, '')
            FROM pg_catalog.pg_default_acl d LEFT JOIN pg_catalog.pg_namespace n ON n.oid = d.defaclnamespace
            WHERE pg_catalog.pg_has_role(d.defaclrole, 'MEMBER')
            ORDER BY 1
            """;
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var list = new List<ManagedObject>();
        while (await reader.ReadAsync(ct))
            list.Add(new ManagedObject("DEFAULT PRIVILEGES", new QualifiedName(reader.GetString(1), ""), reader.GetString(0)));
        return list;
    }

    private static async Task<string?> DisplayIfExistsAsync(NpgsqlConnection connection, string sql, string quoted, string first, string? second, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.Add(new NpgsqlParameter { Value = quoted });
        command.Parameters.Add(new NpgsqlParameter { Value = first });
        if (second is not null)
            command.Parameters.Add(new NpgsqlParameter { Value = second });
        return await command.ExecuteScalarAsync(ct) as string;
    }

    /// <summary>Drops them with <paramref name="executor"/>; returns true when the tracking table's schema was left empty and dropped too.</summary>
    /// <exception cref="StatementFailedException">A DROP failed (its file is <see cref="DropSource"/>); what was dropped before it stays dropped.</exception>
    public static async Task<bool> DropAsync(StatementExecutor executor, IReadOnlyCollection<string> schemas, QualifiedName historyTable, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(executor);
        var connection = executor.Connection;
        foreach (var schema in schemas.Order(StringComparer.Ordinal))
            await EmptySchemaAsync(executor, schema, ct);

        await using var transaction = await connection.BeginTransactionAsync(ct);
        await ExecuteAsync(executor, transaction, DefaultPrivilegesResetSql, ct);
        await ExecuteAsync(executor, transaction, $"DROP TABLE IF EXISTS {SqlIdentifier.Quote(historyTable)}", ct);
        foreach (var schema in schemas.Where(s => s != QualifiedName.DefaultSchema).Order(StringComparer.Ordinal))
            await ExecuteAsync(executor, transaction, $"DROP SCHEMA IF EXISTS {SqlIdentifier.Quote(schema)} CASCADE", ct);

        // Strata created the tracking schema (CREATE SCHEMA IF NOT EXISTS) unless it was there already;
        // when nothing else lives in it now, it goes too. RESTRICT fails on anything left, and the
        // savepoint keeps that failure from aborting the reset.
        var trackingSchema = historyTable.Schema;
        var trackingSchemaDropped = false;
        if (trackingSchema != QualifiedName.DefaultSchema && !schemas.Contains(trackingSchema))
        {
            await ExecuteAsync(executor, transaction, "SAVEPOINT strata_tracking_schema", ct);
            try
            {
                await ExecuteAsync(executor, transaction, $"DROP SCHEMA IF EXISTS {SqlIdentifier.Quote(trackingSchema)} RESTRICT", ct);
                trackingSchemaDropped = true;
            }
            catch (StatementFailedException e) when (e.SqlState == PostgresErrorCodes.DependentObjectsStillExist)
            {
                await ExecuteAsync(executor, transaction, "ROLLBACK TO SAVEPOINT strata_tracking_schema", ct);
            }
        }
        await transaction.CommitAsync(ct);
        return trackingSchemaDropped;
    }

    /// <summary>
    /// Takes back every default privilege (ALTER DEFAULT PRIVILEGES) of the roles the connected role may act for: a
    /// schema Strata drops takes its own entries with it, but the database-wide ones and those in <c>public</c> outlive
    /// the drop and would give the next migration's objects privileges its schema does not declare. Each entry's
    /// grantees lose everything, and a database-wide entry gives back PostgreSQL's built-in defaults (the owner's
    /// privileges, PUBLIC's EXECUTE on functions and USAGE on types), after which PostgreSQL removes the entry.
    /// A role the connected role is not a member of keeps its entries: only that role may change them.
    /// </summary>
    /// <remarks>One statement (a DO block) so that the test harness, which empties its databases between round trips, runs the same.</remarks>
    public const string DefaultPrivilegesResetSql = """
        DO $strata_reset$
        DECLARE
          entry record;
          grantee text;
          scope text;
          objects text;
        BEGIN
          FOR entry IN
            SELECT d.defaclrole::regrole::text AS owner, n.nspname AS schema, d.defaclobjtype AS kind,
                   ARRAY(SELECT DISTINCT CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE a.grantee::regrole::text END
                         FROM aclexplode(d.defaclacl) a) AS grantees
            FROM pg_default_acl d LEFT JOIN pg_namespace n ON n.oid = d.defaclnamespace
            WHERE pg_has_role(d.defaclrole, 'MEMBER')
          LOOP
            scope := 'ALTER DEFAULT PRIVILEGES FOR ROLE ' || entry.owner
              || CASE WHEN entry.schema IS NULL THEN '' ELSE ' IN SCHEMA ' || quote_ident(entry.schema) END;
            objects := CASE entry.kind WHEN 'r' THEN 'TABLES' WHEN 'S' THEN 'SEQUENCES' WHEN 'f' THEN 'FUNCTIONS'
              WHEN 'T' THEN 'TYPES' ELSE 'SCHEMAS' END;
            FOREACH grantee IN ARRAY entry.grantees LOOP
              EXECUTE scope || ' REVOKE ALL ON ' || objects || ' FROM ' || grantee;
            END LOOP;
            IF entry.schema IS NULL THEN
              EXECUTE scope || ' GRANT ALL ON ' || objects || ' TO ' || entry.owner;
              IF entry.kind IN ('f', 'T') THEN
                EXECUTE scope || ' GRANT ALL ON ' || objects || ' TO PUBLIC';
              END IF;
            END IF;
          END LOOP;
        END $strata_reset$
        """;

    // One DROP per kind of object, each naming every object of that kind (IF EXISTS: a CASCADE of an
    // earlier one may have taken some already, as a table takes its owned sequences and its row type).
    private static async Task EmptySchemaAsync(StatementExecutor executor, string schema, CancellationToken ct)
    {
        var byKind = await ContentsAsync(executor.Connection, schema, ct);
        // Views before the tables they read, collations after the tables and types that use them, routines last (a
        // routine may be a column default's).
        foreach (var (kind, names) in byKind)
        {
            foreach (var chunk in names.Chunk(TablesPerTransaction))
                await ExecuteAsync(executor, null, $"DROP {kind} IF EXISTS {string.Join(", ", chunk.Select(n => n.Display))} CASCADE", ct);
        }
    }

    // The objects of one schema by kind, in the order they are dropped: views before the tables they
    // read, routines last (a routine may be a column default's).
    private static async Task<List<(string Kind, List<(QualifiedName Name, string Display)> Names)>> ContentsAsync(NpgsqlConnection connection, string schema, CancellationToken ct)
    {
        const string objects = """
            WITH ext AS (SELECT classid, objid FROM pg_depend WHERE deptype = 'e')
            SELECT CASE c.relkind WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW' WHEN 'S' THEN 'SEQUENCE' WHEN 'f' THEN 'FOREIGN TABLE' ELSE 'TABLE' END,
                   format('%I.%I', n.nspname, c.relname), c.relname::text
            FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = $1 AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f') AND NOT c.relispartition
              AND NOT EXISTS (SELECT FROM ext WHERE ext.classid = 'pg_class'::regclass AND ext.objid = c.oid)
            UNION ALL
            SELECT CASE t.typtype WHEN 'd' THEN 'DOMAIN' ELSE 'TYPE' END, format('%I.%I', n.nspname, t.typname), t.typname::text
            FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
            WHERE n.nspname = $1 AND t.typtype IN ('e', 'd', 'r', 'c', 'm')
              AND (t.typrelid = 0 OR (SELECT relkind FROM pg_class WHERE oid = t.typrelid) = 'c')
              AND NOT EXISTS (SELECT FROM ext WHERE ext.classid = 'pg_type'::regclass AND ext.objid = t.oid)
            UNION ALL
            SELECT 'COLLATION', format('%I.%I', n.nspname, co.collname), co.collname::text
            FROM pg_collation co JOIN pg_namespace n ON n.oid = co.collnamespace
            WHERE n.nspname = $1
              AND NOT EXISTS (SELECT FROM ext WHERE ext.classid = 'pg_collation'::regclass AND ext.objid = co.oid)
            UNION ALL
            SELECT 'ROUTINE', p.oid::regprocedure::text, p.proname::text
            FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
            WHERE n.nspname = $1 AND p.prokind IN ('f', 'p')
              AND NOT EXISTS (SELECT FROM ext WHERE ext.classid = 'pg_proc'::regclass AND ext.objid = p.oid)
            UNION ALL
            -- An aggregate over built-in functions is no routine's dependant: dropped by name, as DROP AGGREGATE names it.
            SELECT 'AGGREGATE', format('%I.%I(%s)', n.nspname, p.proname, CASE WHEN p.pronargs = 0 THEN '*' ELSE pg_get_function_identity_arguments(p.oid) END),
                   p.proname::text
            FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
            WHERE n.nspname = $1 AND p.prokind = 'a'
              AND NOT EXISTS (SELECT FROM ext WHERE ext.classid = 'pg_proc'::regclass AND ext.objid = p.oid)
            ORDER BY 2
            """;
        var byKind = new Dictionary<string, List<(QualifiedName, string)>>(StringComparer.Ordinal);
        await using (var command = new NpgsqlCommand(objects, connection))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = schema });
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                var kind = reader.GetString(0);
                if (!byKind.TryGetValue(kind, out var names))
                    byKind[kind] = names = [];
                names.Add((new QualifiedName(schema, reader.GetString(2)), reader.GetString(1)));
            }
        }
        return new[] { "MATERIALIZED VIEW", "VIEW", "FOREIGN TABLE", "TABLE", "SEQUENCE", "TYPE", "DOMAIN", "COLLATION", "AGGREGATE", "ROUTINE" }
            .Where(byKind.ContainsKey)
            .Select(kind => (kind, byKind[kind]))
            .ToList();
    }

    /// <summary>What a failed DROP names as its file: the statements are the reset's own, not a script's.</summary>
    public const string DropSource = "reset";

    private static Task ExecuteAsync(StatementExecutor executor, NpgsqlTransaction? transaction, string sql, CancellationToken ct) =>
        executor.ExecuteAsync(transaction, DropSource, new ScriptStatement(sql, 1), ct);
}

/// <summary>One object a reset drops.</summary>
/// <param name="Kind">As in its DROP statement: TABLE, VIEW, MATERIALIZED VIEW, FOREIGN TABLE, SEQUENCE, TYPE, DOMAIN, AGGREGATE, ROUTINE, SCHEMA.</param>
/// <param name="Name">Schema and name (a routine's bare name; a schema's Name is empty).</param>
/// <param name="Display">As PostgreSQL would print it (a routine with its argument types).</param>
/// <param name="IsTrackingTable">The tracking table itself.</param>
public sealed record ManagedObject(string Kind, QualifiedName Name, string Display, bool IsTrackingTable = false)
{
    /// <summary>
    /// Whether the migrations account for it: the tracking table, anything that is not a relation (sequences,
    /// types and routines come and go with what the migrations define), or a table or view that
    /// <paramref name="schema"/> (the newest snapshot's; null before the first migration) defines. A reset
    /// lists the others as data it drops that no migration brings back.
    /// </summary>
    public bool IsDefinedBy(DatabaseModel? schema) =>
        IsTrackingTable
        || Kind is not ("TABLE" or "VIEW" or "MATERIALIZED VIEW" or "FOREIGN TABLE")
        || schema is not null && (schema.Tables.Any(t => t.QualifiedName == Name) || schema.Views.Any(v => v.Schema == Name.Schema && v.Name == Name.Name));
}
