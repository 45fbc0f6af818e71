using Npgsql;

namespace Strata.Postgres.Introspection;

/// <summary>
/// Something a live database has that Strata's model has no place for (a function, a trigger, a
/// partitioned table's partitioning, an extension), and so that <see cref="PostgresIntrospector"/> leaves
/// out or reads as something plainer. pull names each one, so that adopting a database never drops
/// anything silently.
/// </summary>
/// <param name="Kind">What it is, in words: "function", "trigger", "partitioned table".</param>
/// <param name="Name">Its name as PostgreSQL prints it: <c>public.touch(integer)</c>, <c>tasks_touch on public.tasks</c>.</param>
/// <param name="Detail">What the model keeps of it, or what it needs, when there is something to say.</param>
/// <param name="Schema">An extension's schema (CREATE EXTENSION … WITH SCHEMA); null for the rest.</param>
public sealed record UnmodelledObject(string Kind, string Name, string? Detail, string? Schema = null)
{
    public const string ExtensionKind = "extension";

    /// <summary>An extension in a schema outside the selection (the model holds the others): a baseline creates it first, since the model's objects may use it.</summary>
    public bool IsExtension => Kind == ExtensionKind;
}

/// <summary>
/// Lists the <see cref="UnmodelledObject"/>s of a database in one catalog query, with the same selection
/// (<see cref="IntrospectionOptions"/>) as the introspector: objects on tables follow the table patterns,
/// functions and types the schemas, and extensions outside the selected schemas are listed (the model holds the others), since a new
/// database needs them before anything else.
/// </summary>
public static class UnmodelledObjects
{
    public static async Task<IReadOnlyList<UnmodelledObject>> ReadAsync(NpgsqlConnection connection, IntrospectionOptions options, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(options);
        await using var command = new NpgsqlCommand(Query, connection);
        CatalogQueries.AddParameters(command.Parameters, options);

        var found = new List<UnmodelledObject>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
            found.Add(new UnmodelledObject(reader.GetString(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetString(3)));
        return found;
    }

    // The relations selected as the introspector selects tables (partitions are parts of their partitioned
    // table, which is named instead), read once: the filters per row of pg_attribute or pg_trigger would
    // cost a 1000-table database 0.2 s.
    private static readonly string RelationsCte = $"""
        WITH rels AS MATERIALIZED (
            SELECT c.oid, n.nspname, c.relname, c.relkind, c.relpersistence, c.relrowsecurity, c.relforcerowsecurity
            FROM pg_catalog.pg_class c
            JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
            WHERE c.relkind IN ('r', 'p', 'm', 'f') AND NOT c.relispartition
              AND {CatalogQueries.SchemaFilter} AND {CatalogQueries.TablePatternFilter} AND {CatalogQueries.NotFromExtension("pg_class", "c.oid")})
        """;

    private static string OnRelation(string oid) => $"JOIN rels c ON c.oid = {oid}";

    // One row per object: kind, name, detail, schema (extensions only); ordered by kind (in this order) and
    // name. Arrays, multiranges and a range type's constructor functions (deptype 'i') come with the types
    // they belong to, so only range types are named (the other user types are modelled); base types need C code and are
    // left to the extension that brings them.
    private static readonly string Query = $"""
        {RelationsCte}
        SELECT kind, name, detail, schema FROM (
            SELECT 1 AS ord, '{UnmodelledObject.ExtensionKind}' AS kind, e.extname::text AS name, 'version ' || e.extversion AS detail, n.nspname::text AS schema
            FROM pg_catalog.pg_extension e
            JOIN pg_catalog.pg_namespace n ON n.oid = e.extnamespace
            WHERE e.extname <> 'plpgsql' AND NOT ({CatalogQueries.SchemaFilter})
          UNION ALL
            SELECT 2, CASE p.prokind WHEN 'p' THEN 'procedure' WHEN 'a' THEN 'aggregate' WHEN 'w' THEN 'window function' ELSE 'function' END,
                   pg_catalog.format('%I.%I(%s)', n.nspname, p.proname, pg_catalog.pg_get_function_identity_arguments(p.oid)), NULL, NULL
            FROM pg_catalog.pg_proc p
            JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
            WHERE {CatalogQueries.SchemaFilter} AND {CatalogQueries.NotFromExtension("pg_proc", "p.oid")}
              AND NOT EXISTS (SELECT FROM pg_catalog.pg_depend d WHERE d.classid = 'pg_catalog.pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'i')
          UNION ALL
            SELECT 3, 'range type',
                   pg_catalog.format('%I.%I', n.nspname, t.typname), NULL, NULL
            FROM pg_catalog.pg_type t
            JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
            WHERE t.typtype = 'r'
              AND {CatalogQueries.SchemaFilter} AND {CatalogQueries.NotFromExtension("pg_type", "t.oid")}
          UNION ALL
            SELECT 4, 'collation', pg_catalog.format('%I.%I', n.nspname, co.collname), NULL, NULL
            FROM pg_catalog.pg_collation co
            JOIN pg_catalog.pg_namespace n ON n.oid = co.collnamespace
            WHERE {CatalogQueries.SchemaFilter} AND {CatalogQueries.NotFromExtension("pg_collation", "co.oid")}
          UNION ALL
            SELECT 5, 'partitioned table', pg_catalog.format('%I.%I', c.nspname, c.relname),
                   'PARTITION BY ' || pg_catalog.pg_get_partkeydef(c.oid) || ' with '
                   || (SELECT count(*) FROM pg_catalog.pg_inherits h WHERE h.inhparent = c.oid) || ' partition(s); pulled as a plain table', NULL
            FROM rels c
            WHERE c.relkind = 'p'
          UNION ALL
            SELECT 6, 'inheriting table', pg_catalog.format('%I.%I', c.nspname, c.relname),
                   'INHERITS ' || (SELECT string_agg(pg_catalog.format('%I.%I', pn.nspname, pc.relname), ', ' ORDER BY h.inhseqno)
                                  FROM pg_catalog.pg_inherits h
                                  JOIN pg_catalog.pg_class pc ON pc.oid = h.inhparent
                                  JOIN pg_catalog.pg_namespace pn ON pn.oid = pc.relnamespace
                                  WHERE h.inhrelid = c.oid)
                   || '; pulled as a plain table with all its columns', NULL
            FROM rels c
            WHERE c.relkind IN ('r', 'p') AND EXISTS (SELECT FROM pg_catalog.pg_inherits h WHERE h.inhrelid = c.oid)
          UNION ALL
            SELECT 7, 'unlogged table', pg_catalog.format('%I.%I', c.nspname, c.relname), 'pulled as a logged table', NULL
            FROM rels c
            WHERE c.relkind IN ('r', 'p') AND c.relpersistence = 'u'
          UNION ALL
            SELECT 8, 'column collation', pg_catalog.format('%I.%I.%I', c.nspname, c.relname, a.attname),
                   'COLLATE ' || (SELECT pg_catalog.quote_ident(cl.collname) FROM pg_catalog.pg_collation cl WHERE cl.oid = a.attcollation)
                   || '; pulled with the type''s default collation', NULL
            FROM pg_catalog.pg_attribute a
            JOIN pg_catalog.pg_type at ON at.oid = a.atttypid
            {OnRelation("a.attrelid")}
            WHERE a.attnum > 0 AND NOT a.attisdropped AND a.attcollation <> 0 AND a.attcollation <> at.typcollation
              AND c.relkind IN ('r', 'p')
          UNION ALL
            SELECT 9, 'foreign table', pg_catalog.format('%I.%I', c.nspname, c.relname), NULL, NULL
            FROM rels c
            WHERE c.relkind = 'f'
          UNION ALL
            SELECT 10, 'exclusion constraint', pg_catalog.format('%I on %I.%I', con.conname, c.nspname, c.relname), pg_catalog.pg_get_constraintdef(con.oid, true), NULL
            FROM pg_catalog.pg_constraint con
            {OnRelation("con.conrelid")}
            WHERE con.contype = 'x'
          UNION ALL
            SELECT 12, 'trigger', pg_catalog.format('%I on %I.%I', tg.tgname, c.nspname, c.relname), NULL, NULL
            FROM pg_catalog.pg_trigger tg
            {OnRelation("tg.tgrelid")}
            WHERE NOT tg.tgisinternal
          UNION ALL
            SELECT 13, 'rule', pg_catalog.format('%I on %I.%I', r.rulename, c.nspname, c.relname), NULL, NULL
            FROM pg_catalog.pg_rewrite r
            {OnRelation("r.ev_class")}
            WHERE r.rulename <> '_RETURN'
          UNION ALL
            SELECT 14, 'row-level security', pg_catalog.format('%I.%I', c.nspname, c.relname), CASE WHEN c.relforcerowsecurity THEN 'forced' END, NULL
            FROM rels c
            WHERE c.relrowsecurity
          UNION ALL
            SELECT 15, 'policy', pg_catalog.format('%I on %I.%I', pol.polname, c.nspname, c.relname), NULL, NULL
            FROM pg_catalog.pg_policy pol
            {OnRelation("pol.polrelid")}
          UNION ALL
            SELECT 16, 'extended statistics', pg_catalog.format('%I on %I.%I', s.stxname, c.nspname, c.relname), NULL, NULL
            FROM pg_catalog.pg_statistic_ext s
            {OnRelation("s.stxrelid")}
        ) found
        ORDER BY ord, name
        """;
}
