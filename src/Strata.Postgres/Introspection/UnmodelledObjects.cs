using Npgsql;

namespace Strata.Postgres.Introspection;

/// <summary>
/// Something a live database has that Strata's model has no place for (a function, a rule, a
/// partitioned table's partitioning, an extension), and so that <see cref="PostgresIntrospector"/> leaves
/// out or reads as something plainer. pull names each one, so that adopting a database never drops
/// anything silently.
/// </summary>
/// <param name="Kind">What it is, in words: "function", "rule", "partitioned table".</param>
/// <param name="Name">Its name as PostgreSQL prints it: <c>public.touch(integer)</c>, <c>tasks_touch on public.tasks</c>.</param>
/// <param name="Detail">What the model keeps of it, or what it needs, when there is something to say.</param>
/// <param name="Schema">An extension's schema (CREATE EXTENSION … WITH SCHEMA); null for the rest.</param>
/// <param name="Carried">
/// How pull's baseline re-creates it verbatim, as PostgreSQL prints it, when it can (a rule, extended
/// statistics, a range type); null when it cannot.
/// </param>
public sealed record UnmodelledObject(string Kind, string Name, string? Detail, string? Schema = null, CarriedObject? Carried = null)
{
    public const string ExtensionKind = "extension";

    /// <summary>An extension in a schema outside the selection (the model holds the others): a baseline creates it first, since the model's objects may use it.</summary>
    public bool IsExtension => Kind == ExtensionKind;
}

/// <summary>
/// The statements that re-create an <see cref="UnmodelledObject"/> in pull's baseline and drop it in its down.sql.
/// The baseline creates what tables and views may use (<see cref="BeforeTables"/>: range types) after the
/// model's schemas, types and functions and before its tables, and the rest (rules, statistics) after
/// everything, since they are built on the model's tables.
/// </summary>
/// <param name="Create">CREATE, then what PostgreSQL keeps apart from it (a statistics target, the comment).</param>
/// <param name="Drop">The DROP that undoes it.</param>
public sealed record CarriedObject(IReadOnlyList<string> Create, string Drop, bool BeforeTables);

/// <summary>
/// Lists the <see cref="UnmodelledObject"/>s of a database in one catalog query, with the same selection
/// (<see cref="IntrospectionOptions"/>) as the introspector: objects on tables follow the table patterns,
/// functions and types the schemas, and extensions outside the selected schemas are listed (the model holds the others), since a new
/// database needs them before anything else.
/// </summary>
public static class UnmodelledObjects
{
    private const string Savepoint = "strata_unmodelled";

    /// <summary>
    /// Reads them in a repeatable-read transaction of its own, or, on a connection already inside a transaction,
    /// in that one (the caller's snapshot), leaving its settings as they were.
    /// </summary>
    public static async Task<IReadOnlyList<UnmodelledObject>> ReadAsync(NpgsqlConnection connection, IntrospectionOptions options, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(options);
        NpgsqlTransaction? transaction = null;
        try
        {
            transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, ct);
        }
        catch (InvalidOperationException)
        {
            // The caller's transaction is open (a read beside the introspector's, on the same snapshot): read inside
            // it, under a savepoint whose rollback restores the settings changed below.
        }
        await using var ownTransaction = transaction;
        // The definitions are printed with only pg_catalog on the search path, so that every name outside it comes
        // schema-qualified, whatever search path the baseline later runs with; set for this transaction only.
        await using var batch = new NpgsqlBatch(connection, transaction);
        if (transaction is null)
            batch.BatchCommands.Add(new NpgsqlBatchCommand($"SAVEPOINT {Savepoint}"));
        batch.BatchCommands.Add(new NpgsqlBatchCommand(CatalogQueries.JitOff));
        var list = new NpgsqlBatchCommand(Query);
        CatalogQueries.AddParameters(list.Parameters, options);
        var definitions = new NpgsqlBatchCommand(CarriedQuery(connection.PostgreSqlVersion.Major));
        CatalogQueries.AddParameters(definitions.Parameters, options);
        batch.BatchCommands.Add(list);
        batch.BatchCommands.Add(new NpgsqlBatchCommand("SELECT pg_catalog.set_config('search_path', 'pg_catalog', true)"));
        batch.BatchCommands.Add(definitions);

        var found = new List<UnmodelledObject>();
        var carried = new Dictionary<(string Kind, string Name), CarriedObject>();
        await using (var reader = await batch.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
                found.Add(new UnmodelledObject(reader.GetString(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetString(3)));
            await reader.NextResultAsync(ct);
            await reader.NextResultAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                var create = new List<string> { reader.GetString(2) };
                for (var i = 3; i <= 4; i++)
                {
                    if (!reader.IsDBNull(i))
                        create.Add(reader.GetString(i));
                }
                carried[(reader.GetString(0), reader.GetString(1))] = new CarriedObject(create, reader.GetString(5), reader.GetBoolean(6));
            }
        }
        if (transaction is not null)
        {
            await transaction.CommitAsync(ct);
        }
        else
        {
            await using var restore = new NpgsqlCommand($"ROLLBACK TO SAVEPOINT {Savepoint}; RELEASE SAVEPOINT {Savepoint}", connection);
            await restore.ExecuteNonQueryAsync(ct);
        }
        return [.. found.Select(o => carried.TryGetValue((o.Kind, o.Name), out var c) ? o with { Carried = c } : o)];
    }

    // The relations selected as the introspector selects tables and views (partitions are parts of their partitioned
    // table, which is named instead; a view can have triggers, rules and grants too), read once: the filters per row of pg_attribute or pg_trigger would
    // cost a 1000-table database 0.2 s.
    private static readonly string RelationsCte = $"""
        WITH rels AS MATERIALIZED (
            SELECT c.oid, n.nspname, c.relname, c.relkind, c.relpersistence
            FROM pg_catalog.pg_class c
            JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
            WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f') AND NOT c.relispartition
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
                   pg_catalog.format('%I.%I(%s)', n.nspname, p.proname, pg_catalog.pg_get_function_identity_arguments(p.oid)),
                   CASE WHEN p.prokind IN ('f', 'p') AND l.lanname IN ('c', 'internal') THEN 'LANGUAGE ' || l.lanname || ' (a compiled library)' END, NULL
            FROM pg_catalog.pg_proc p
            JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
            JOIN pg_catalog.pg_language l ON l.oid = p.prolang
            WHERE {CatalogQueries.SchemaFilter} AND {CatalogQueries.NotFromExtension("pg_proc", "p.oid")} AND NOT ({CatalogQueries.ModelledRoutine})
              AND p.prokind <> 'a'
              AND NOT EXISTS (SELECT FROM pg_catalog.pg_depend d WHERE d.classid = 'pg_catalog.pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'i')
          UNION ALL
            SELECT 3, 'range type',
                   pg_catalog.format('%I.%I', n.nspname, t.typname), NULL, NULL
            FROM pg_catalog.pg_type t
            JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
            WHERE t.typtype = 'r'
              AND {CatalogQueries.SchemaFilter} AND {CatalogQueries.NotFromExtension("pg_type", "t.oid")}
          UNION ALL
            SELECT 6, 'inherited column', pg_catalog.format('%I.%I.%I', c.nspname, c.relname, a.attname),
                   'NOT NULL or DEFAULT of its own on a column it inherits (ALTER TABLE ONLY); pulled with its parent''s', NULL
            FROM pg_catalog.pg_attribute a
            {OnRelation("a.attrelid")}
            LEFT JOIN pg_catalog.pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum
            WHERE a.attnum > 0 AND NOT a.attisdropped AND NOT a.attislocal AND c.relkind = 'r'
              AND NOT EXISTS (SELECT FROM pg_catalog.pg_constraint k WHERE k.conrelid = a.attrelid AND k.contype = 'p' AND a.attnum = ANY (k.conkey))
              AND NOT EXISTS (SELECT FROM pg_catalog.pg_inherits h
                              JOIN pg_catalog.pg_attribute pa ON pa.attrelid = h.inhparent AND pa.attname = a.attname AND NOT pa.attisdropped
                              LEFT JOIN pg_catalog.pg_attrdef pd ON pd.adrelid = pa.attrelid AND pd.adnum = pa.attnum
                              WHERE h.inhrelid = a.attrelid AND pa.attnotnull = a.attnotnull
                                AND pg_catalog.pg_get_expr(pd.adbin, pd.adrelid) IS NOT DISTINCT FROM pg_catalog.pg_get_expr(ad.adbin, ad.adrelid))
          UNION ALL
            SELECT 9, 'foreign table', pg_catalog.format('%I.%I', c.nspname, c.relname), NULL, NULL
            FROM rels c
            WHERE c.relkind = 'f'
          UNION ALL
            SELECT 11, 'constraint not valid', pg_catalog.format('%I on %I.%I', con.conname, c.nspname, c.relname), 'pulled as a validated constraint', NULL
            FROM pg_catalog.pg_constraint con
            {OnRelation("con.conrelid")}
            WHERE NOT con.convalidated AND con.contype IN ('c', 'f')
          UNION ALL
            SELECT 13, 'rule', pg_catalog.format('%I on %I.%I', r.rulename, c.nspname, c.relname), NULL, NULL
            FROM pg_catalog.pg_rewrite r
            {OnRelation("r.ev_class")}
            WHERE r.rulename <> '_RETURN'
          UNION ALL
            SELECT 16, 'extended statistics', pg_catalog.format('%I on %I.%I', s.stxname, c.nspname, c.relname), NULL, NULL
            FROM pg_catalog.pg_statistic_ext s
            {OnRelation("s.stxrelid")}
          UNION ALL
            -- Privileges PostgreSQL gives an object's owner when it is created that a REVOKE took away (relacl and the like
            -- are null until a GRANT or REVOKE; a schema's are compared with what initdb gave it, as pg_dump does): the
            -- model's grants are those beyond the defaults and PUBLIC's defaults revoked (PrivilegeCatalog), so these are
            -- not carried; nor are default privileges (ALTER DEFAULT PRIVILEGES) that take the role's own away.
            SELECT 17, 'privileges', pg_catalog.format('on %s %I.%I', CASE c.relkind WHEN 'v' THEN 'view' WHEN 'm' THEN 'materialized view' WHEN 'f' THEN 'foreign table' ELSE 'table' END, c.nspname, c.relname),
                   pg_catalog.array_to_string(pc.relacl, ', '), NULL
            FROM rels c
            JOIN pg_catalog.pg_class pc ON pc.oid = c.oid
            WHERE pc.relacl IS NOT NULL AND {CatalogQueries.RevokesDefault("pc.relacl", "pg_catalog.acldefault('r', pc.relowner)")}
          UNION ALL
            SELECT 17, 'privileges', pg_catalog.format('on sequence %I.%I', n.nspname, c.relname),
                   pg_catalog.array_to_string(c.relacl, ', '), NULL
            FROM pg_catalog.pg_class c
            JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
            WHERE c.relkind = 'S' AND c.relacl IS NOT NULL AND {CatalogQueries.RevokesDefault("c.relacl", "pg_catalog.acldefault('s', c.relowner)")}
              AND {CatalogQueries.SchemaFilter} AND {CatalogQueries.NotFromExtension("pg_class", "c.oid")}
          UNION ALL
            SELECT 17, 'privileges', pg_catalog.format('on schema %I', n.nspname), pg_catalog.array_to_string(n.nspacl, ', '), NULL
            FROM pg_catalog.pg_namespace n
            WHERE n.nspacl IS NOT NULL AND {CatalogQueries.SchemaFilter}
              AND {CatalogQueries.RevokesDefault("n.nspacl", CatalogQueries.SchemaDefaultAcl("n"))}
          UNION ALL
            SELECT 17, 'privileges', pg_catalog.format('on %s %I.%I(%s)', CASE p.prokind WHEN 'p' THEN 'procedure' ELSE 'function' END,
                       n.nspname, p.proname, pg_catalog.pg_get_function_identity_arguments(p.oid)),
                   pg_catalog.array_to_string(p.proacl, ', '), NULL
            FROM pg_catalog.pg_proc p
            JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
            WHERE p.proacl IS NOT NULL AND {CatalogQueries.RevokesDefault("p.proacl", "pg_catalog.acldefault('f', p.proowner)")} AND {CatalogQueries.SchemaFilter} AND {CatalogQueries.NotFromExtension("pg_proc", "p.oid")}
          UNION ALL
            SELECT 17, 'privileges', pg_catalog.format('on type %I.%I', n.nspname, t.typname), pg_catalog.array_to_string(t.typacl, ', '), NULL
            FROM pg_catalog.pg_type t
            JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
            WHERE t.typacl IS NOT NULL AND {CatalogQueries.RevokesDefault("t.typacl", "pg_catalog.acldefault('T', t.typowner)")} AND {CatalogQueries.SchemaFilter} AND {CatalogQueries.NotFromExtension("pg_type", "t.oid")}

          UNION ALL
            SELECT 18, 'default privileges', pg_catalog.format('for role %I%s on %s', pg_catalog.pg_get_userbyid(da.defaclrole),
                       CASE WHEN da.defaclnamespace = 0 THEN '' ELSE ' in schema ' || pg_catalog.quote_ident(n.nspname) END,
                       CASE da.defaclobjtype WHEN 'r' THEN 'tables' WHEN 'S' THEN 'sequences' WHEN 'f' THEN 'functions' WHEN 'T' THEN 'types' ELSE 'schemas' END),
                   pg_catalog.array_to_string(da.defaclacl, ', '), NULL
            FROM pg_catalog.pg_default_acl da
            LEFT JOIN pg_catalog.pg_namespace n ON n.oid = da.defaclnamespace
            WHERE da.defaclnamespace = 0
              AND {CatalogQueries.RevokesDefault("da.defaclacl", "pg_catalog.acldefault(CASE da.defaclobjtype WHEN 'S' THEN 's' ELSE da.defaclobjtype END::\"char\", da.defaclrole)")}
          UNION ALL
            -- The model holds the comment of a key's constraint, not that of the index behind it (COMMENT ON INDEX
            -- t_pkey), nor an exclusion constraint's.
            SELECT 19, 'comment',
                   CASE WHEN con.contype = 'x' AND pg_catalog.obj_description(con.oid, 'pg_constraint') IS NOT NULL
                        THEN pg_catalog.format('on constraint %I on %I.%I', con.conname, c.nspname, c.relname)
                        ELSE pg_catalog.format('on index %I.%I (of constraint %I)', c.nspname, ic.relname, con.conname) END,
                   'pulled without it', NULL
            FROM pg_catalog.pg_constraint con
            JOIN rels c ON c.oid = con.conrelid
            JOIN pg_catalog.pg_class ic ON ic.oid = con.conindid
            WHERE con.contype IN ('p', 'u', 'x')
              AND (pg_catalog.obj_description(con.conindid, 'pg_class') IS NOT NULL
                   OR con.contype = 'x' AND pg_catalog.obj_description(con.oid, 'pg_constraint') IS NOT NULL)
          UNION ALL
            -- ALTER TABLE … CLUSTER ON on an index the model does not hold (an exclusion constraint's, a partition's copy of
            -- its parent's index): which index a later CLUSTER without one uses.
            -- Partitions included (rels leaves them out), since their copies of a parent's index are what is not carried.
            SELECT 20, 'clustered index', pg_catalog.format('%I.%I', n.nspname, ic.relname), pg_catalog.format('CLUSTER ON of %I.%I; pulled without it', n.nspname, c.relname), NULL
            FROM pg_catalog.pg_index i
            JOIN pg_catalog.pg_class c ON c.oid = i.indrelid
            JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
            JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid
            WHERE i.indisclustered AND NOT ({CatalogQueries.ClusterOnCarried("i")})
              AND {CatalogQueries.SchemaFilter} AND {CatalogQueries.TablePatternFilter} AND {CatalogQueries.NotFromExtension("pg_class", "c.oid")}
        ) found
        ORDER BY ord, name
        """;

    // What the baseline can re-create verbatim, named as in Query: kind, name, CREATE (without its semicolon), then
    // the statements PostgreSQL keeps apart from it (a statistics target; the comment),
    // the DROP, and whether it goes before the model's objects. Printed under search_path = pg_catalog.
    private static string CarriedQuery(int serverMajor) => $"""
        {RelationsCte}
        SELECT kind, name, definition, alter_, comment_, drop_, before_tables FROM (
            SELECT 'rule' AS kind, pg_catalog.format('%I on %I.%I', r.rulename, c.nspname, c.relname) AS name,
                   pg_catalog.rtrim(pg_catalog.pg_get_ruledef(r.oid), ';') AS definition,
                   NULL AS alter_,
                   CASE WHEN pg_catalog.obj_description(r.oid, 'pg_rewrite') IS NOT NULL THEN pg_catalog.format('COMMENT ON RULE %I ON %I.%I IS %L', r.rulename, c.nspname, c.relname, pg_catalog.obj_description(r.oid, 'pg_rewrite')) END AS comment_,
                   pg_catalog.format('DROP RULE %I ON %I.%I', r.rulename, c.nspname, c.relname) AS drop_, false AS before_tables
            FROM pg_catalog.pg_rewrite r
            {OnRelation("r.ev_class")}
            WHERE r.rulename <> '_RETURN'
          UNION ALL
            SELECT 'extended statistics', pg_catalog.format('%I on %I.%I', s.stxname, c.nspname, c.relname),
                   pg_catalog.pg_get_statisticsobjdef(s.oid),
                   CASE WHEN COALESCE(s.stxstattarget, -1) >= 0
                        THEN pg_catalog.format('ALTER STATISTICS %I.%I SET STATISTICS %s', sn.nspname, s.stxname, s.stxstattarget) END,
                   CASE WHEN pg_catalog.obj_description(s.oid, 'pg_statistic_ext') IS NOT NULL THEN pg_catalog.format('COMMENT ON STATISTICS %I.%I IS %L', sn.nspname, s.stxname, pg_catalog.obj_description(s.oid, 'pg_statistic_ext')) END,
                   pg_catalog.format('DROP STATISTICS %I.%I', sn.nspname, s.stxname), false
            FROM pg_catalog.pg_statistic_ext s
            JOIN pg_catalog.pg_namespace sn ON sn.oid = s.stxnamespace
            {OnRelation("s.stxrelid")}
          UNION ALL
            SELECT 'range type', pg_catalog.format('%I.%I', n.nspname, t.typname),
                   pg_catalog.format('CREATE TYPE %I.%I AS RANGE (%s)', n.nspname, t.typname,
                       pg_catalog.concat_ws(', ',
                           'SUBTYPE = ' || pg_catalog.format_type(r.rngsubtype, NULL),
                           (SELECT pg_catalog.format('SUBTYPE_OPCLASS = %I.%I', ocn.nspname, oc.opcname)
                            FROM pg_catalog.pg_opclass oc JOIN pg_catalog.pg_namespace ocn ON ocn.oid = oc.opcnamespace
                            WHERE oc.oid = r.rngsubopc AND NOT oc.opcdefault),
                           CASE WHEN r.rngcollation <> 0 AND r.rngcollation <> st.typcollation
                                THEN (SELECT pg_catalog.format('COLLATION = %I.%I', cn.nspname, co.collname)
                                      FROM pg_catalog.pg_collation co JOIN pg_catalog.pg_namespace cn ON cn.oid = co.collnamespace
                                      WHERE co.oid = r.rngcollation) END,
                           CASE WHEN r.rngcanonical <> 0 THEN 'CANONICAL = ' || r.rngcanonical::pg_catalog.regproc END,
                           CASE WHEN r.rngsubdiff <> 0 THEN 'SUBTYPE_DIFF = ' || r.rngsubdiff::pg_catalog.regproc END
                           {(serverMajor >= 14 ? ", 'MULTIRANGE_TYPE_NAME = ' || r.rngmultitypid::pg_catalog.regtype" : "")})),
                   NULL,
                   CASE WHEN pg_catalog.obj_description(t.oid, 'pg_type') IS NOT NULL THEN pg_catalog.format('COMMENT ON TYPE %I.%I IS %L', n.nspname, t.typname, pg_catalog.obj_description(t.oid, 'pg_type')) END,
                   pg_catalog.format('DROP TYPE %I.%I', n.nspname, t.typname), true
            FROM pg_catalog.pg_range r
            JOIN pg_catalog.pg_type t ON t.oid = r.rngtypid
            JOIN pg_catalog.pg_type st ON st.oid = r.rngsubtype
            JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
            WHERE {CatalogQueries.SchemaFilter} AND {CatalogQueries.NotFromExtension("pg_type", "t.oid")}
        ) carried
        """;
}
