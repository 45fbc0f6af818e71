using Npgsql;
using NpgsqlTypes;
using Strata.Model;

namespace Strata.Postgres.Introspection;

/// <summary>
/// The catalog queries of <see cref="PostgresIntrospector"/>: one per kind of object, each reading every
/// object of that kind in the database at once, so their number does not grow with the schema.
/// pg_catalog rather than information_schema, whose views are slow on large schemas.
/// </summary>
/// <remarks>
/// Every query takes the same parameters (<see cref="IntrospectionOptions"/>), so the filters never add
/// queries: $1 the excluded schema names, $2 the included ones (empty: all), $3 and $4 the table patterns
/// as LIKE patterns (schema, null for any; name; empty: all tables), $5 whether objects that belong to
/// an extension (pg_depend deptype 'e') are read; by default they are the extension's, not the schema's.
/// User schemas cannot start with <c>pg_</c>, so that prefix covers pg_catalog, pg_toast and the
/// temporary schemas.
/// A kind of object declared in its own file adds its query (and its part of <see cref="Reads"/>) there, in a
/// partial part of this class that registers a <see cref="CatalogKind"/> (see <c>Model/KindRegistry.cs</c>).
/// </remarks>
internal static partial class CatalogQueries
{
    private static string SchemaFilterOn(string schema) => $"""
        {schema} NOT LIKE 'pg\_%' AND {schema} <> 'information_schema' AND {schema} <> ALL ($1::text[])
        AND (cardinality($2::text[]) = 0 OR {schema} = ANY ($2::text[]))
        """;

    internal static readonly string SchemaFilter = SchemaFilterOn("n.nspname");

    /// <summary>The relation c in schema n matches one of the table patterns (or there are none).</summary>
    internal const string TablePatternFilter = """
        (cardinality($4::text[]) = 0 OR EXISTS (SELECT FROM unnest($3::text[], $4::text[]) p(s, t)
                                                WHERE (p.s IS NULL OR n.nspname LIKE p.s) AND c.relname LIKE p.t))
        """;

    // An extension's members are found from the extension's side (pg_depend_reference_index on refclassid): the
    // few rows of every extension's members, hashed once. Asked from the member's side, the planner scanned all of
    // pg_depend (17 000 rows on bench/pull.sh's schema) once per query that reads tables.
    internal static string NotFromExtension(string catalog, string oid) => $"""
        ($5::boolean OR {oid} NOT IN (SELECT x.objid FROM pg_catalog.pg_depend x
                                      WHERE x.refclassid = 'pg_catalog.pg_extension'::regclass AND x.classid = 'pg_catalog.{catalog}'::regclass AND x.deptype = 'e'))
        """;

    /// <summary>
    /// The typtype of <paramref name="type"/> (in schema <paramref name="schema"/>) as the model reads it: a type of a
    /// kind registered in <see cref="ColumnTypes"/> that its kind's query does not read (an extension's, or one in a
    /// schema left out of the selection) is not in the model, so a column or type over it keeps the type as
    /// PostgreSQL formats it ('b': read as a raw type) rather than naming a type the schema never declares.
    /// </summary>
    private static string ModelledTypeKind(string type, string schema)
    {
        var kinds = ColumnTypes.UserTypeKinds;
        if (kinds.Length == 0)
            return $"{type}.typtype::text";
        var notRead = $"NOT ({SchemaFilterOn(schema)} AND {NotFromExtension("pg_type", type + ".oid")})";
        return "CASE " + string.Concat(kinds.Select(k => $"WHEN {type}.typtype = '{k.TypType}' AND {notRead} THEN 'b' "
            + (k.Is is { } isOfKind ? $"WHEN {type}.typtype = '{k.TypType}' AND NOT {isOfKind(type)} THEN 'b' " : ""))) + $"ELSE {type}.typtype::text END";
    }

    // Partitions are read as tables too: their partitioning (parent and bound) is read with their columns.
    // Materialized, so the filters run once per table rather than once per column, constraint or index row.
    private static string RelationsCte(string relkinds) => $"""
        WITH tables AS MATERIALIZED (
            SELECT c.oid, n.nspname, c.relname, c.relpersistence
            FROM pg_catalog.pg_class c
            JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
            WHERE c.relkind IN ({relkinds}) AND {SchemaFilter} AND {TablePatternFilter} AND {NotFromExtension("pg_class", "c.oid")})
        """;

    private static readonly string TablesCte = RelationsCte("'r', 'p'");

    public static readonly string Schemas = $"""
        SELECT n.nspname::text, {Comment("n.oid", "pg_namespace")}
        FROM pg_catalog.pg_namespace n
        WHERE {SchemaFilter} AND {NotFromExtension("pg_namespace", "n.oid")}
        """;

    public static readonly string Enums = $"""
        SELECT n.nspname::text, t.typname::text,
               COALESCE((SELECT array_agg(e.enumlabel::text ORDER BY e.enumsortorder) FROM pg_catalog.pg_enum e WHERE e.enumtypid = t.oid), '{"{}"}'),
               {Comment("t.oid", "pg_type")}
        FROM pg_catalog.pg_type t
        JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
        WHERE t.typtype = 'e' AND {SchemaFilter} AND {NotFromExtension("pg_type", "t.oid")}
        """;

    /// <summary>
    /// All sequences, with the column that owns one: deptype 'a' for a serial's (or OWNED BY) sequence,
    /// 'i' for an identity column's. The caller decides which are stand-alone.
    /// </summary>
    public static readonly string Sequences = $"""
        SELECT n.nspname::text, c.relname::text, pg_catalog.format_type(s.seqtypid, NULL),
               s.seqstart, s.seqincrement, s.seqmin, s.seqmax, s.seqcache, s.seqcycle,
               c.oid::regclass::text, o.refobjid::int8, o.refobjsubid, o.deptype::text,
               {Comment("c.oid", "pg_class")}
        FROM pg_catalog.pg_sequence s
        JOIN pg_catalog.pg_class c ON c.oid = s.seqrelid
        JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
        LEFT JOIN pg_catalog.pg_depend o ON o.classid = 'pg_catalog.pg_class'::regclass AND o.objid = c.oid
             AND o.refclassid = 'pg_catalog.pg_class'::regclass AND o.deptype IN ('a', 'i')
        WHERE {SchemaFilter} AND {NotFromExtension("pg_class", "c.oid")}
        """;

    /// <summary>
    /// Every table with its columns (a table without columns gives one row of NULLs); the caller orders
    /// them by attnum. A table's storage parameters come with its TOAST table's, prefixed <c>toast.</c> as pg_dump writes them. An array column is described by its element type: attndims is only what the DDL said.
    /// A column's collation is read where it is not the type's, with its schema (the last column) unless it lives in
    /// pg_catalog or public, which the model names unqualified (<see cref="CollationReference"/>).
    /// </summary>
    public static readonly string Columns = $"""
        {TablesCte}
        SELECT c.oid::int8, c.nspname::text, c.relname::text, {Comment("c.oid", "pg_class")},
               a.attnum, a.attname::text, a.attnotnull, a.attidentity::text, a.attgenerated::text, a.attndims, a.atttypmod,
               (t.typcategory = 'A' AND t.typelem <> 0) AS is_array,
               et.typname::text, etn.nspname::text, {ModelledTypeKind("et", "etn.nspname")}, pg_catalog.format_type(et.oid, a.atttypmod),
               pg_catalog.pg_get_expr(ad.adbin, ad.adrelid), pg_catalog.pg_get_expr(ad.adbin, ad.adrelid, true),
               {Comment("c.oid", "pg_class", "a.attnum")}, pg_catalog.format_type(a.atttypid, NULL), ad.oid::int8,
               c.relpersistence = 'u',
               CASE WHEN rel.relkind = 'p' THEN pg_catalog.pg_get_partkeydef(c.oid) END,
               pn.nspname::text, pc.relname::text, CASE WHEN rel.relispartition THEN pg_catalog.pg_get_expr(rel.relpartbound, c.oid) END,
               CASE WHEN a.attcollation <> t.typcollation THEN co.collname::text END,
               a.attislocal,
               ih.schemas, ih.names,
               CASE WHEN tc.reloptions IS NULL THEN rel.reloptions::text[]
                    ELSE pg_catalog.array_cat(rel.reloptions::text[], ARRAY(SELECT 'toast.' || x FROM pg_catalog.unnest(tc.reloptions) x)) END,
               CASE WHEN a.attcollation <> t.typcollation AND con.nspname NOT IN ('pg_catalog', 'public') THEN con.nspname::text END,
               {ClusteredIndex("c.oid")}
        FROM tables c
        JOIN pg_catalog.pg_class rel ON rel.oid = c.oid
        LEFT JOIN pg_catalog.pg_class tc ON tc.oid = rel.reltoastrelid
        LEFT JOIN pg_catalog.pg_inherits ph ON rel.relispartition AND ph.inhrelid = c.oid
        -- INHERITS (parents…) of a table that is not a partition, in inhseqno order: the parents' schemas and names.
        LEFT JOIN LATERAL (
            SELECT array_agg(ihn.nspname::text ORDER BY i.inhseqno) AS schemas, array_agg(ihc.relname::text ORDER BY i.inhseqno) AS names
            FROM pg_catalog.pg_inherits i
            JOIN pg_catalog.pg_class ihc ON ihc.oid = i.inhparent
            JOIN pg_catalog.pg_namespace ihn ON ihn.oid = ihc.relnamespace
            WHERE i.inhrelid = c.oid AND NOT rel.relispartition) ih ON true
        LEFT JOIN pg_catalog.pg_class pc ON pc.oid = ph.inhparent
        LEFT JOIN pg_catalog.pg_namespace pn ON pn.oid = pc.relnamespace
        LEFT JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
        LEFT JOIN pg_catalog.pg_type t ON t.oid = a.atttypid
        LEFT JOIN pg_catalog.pg_type et ON et.oid = CASE WHEN t.typcategory = 'A' AND t.typelem <> 0 THEN t.typelem ELSE t.oid END
        LEFT JOIN pg_catalog.pg_namespace etn ON etn.oid = et.typnamespace
        LEFT JOIN pg_catalog.pg_attrdef ad ON ad.adrelid = c.oid AND ad.adnum = a.attnum
        LEFT JOIN pg_catalog.pg_collation co ON co.oid = a.attcollation
        LEFT JOIN pg_catalog.pg_namespace con ON con.oid = co.collnamespace
        """;

    /// <summary>
    /// What the expressions of the objects read here read, from pg_depend, one row per dependency: which
    /// object ('d' a column's default or generation expression by pg_attrdef oid, 'c' a table's check by
    /// pg_constraint oid, 'i' an index with an expression or predicate by its pg_class oid, 'v' a view's or
    /// materialized view's query by its pg_rewrite oid, and the letters of the registered kinds' objects, see
    /// <see cref="ReadsPart"/>), then the (kind, schema, name, column) of each table or
    /// view column, relation, sequence, user-defined type (an array type as its element type) and function it
    /// depends on, leaving out the object's own table (as a whole; a default also its own column; a view all of
    /// itself). Normal and automatic dependencies: PostgreSQL records those of an expression on its own table's
    /// columns as automatic. Pinned objects (the built-in types and functions) have no rows. An object with no
    /// row reads nothing of ours.
    /// </summary>
    /// <remarks>
    /// One query, joined by the reader on the objects' oids, rather than a correlated subquery per default,
    /// check, index and view returning a text[][]: on the bench's 100 tables those subqueries ran some 600
    /// times (the Columns query alone took 28 ms instead of 11) and were planned in four queries, so the server
    /// spent a median 136 ms of CPU on a pull's reads against 120 ms before reads were recorded; with this
    /// query, which reads pg_depend once by a hash join, 128 ms (log_statement_stats, 10 pulls each).
    /// The registered kinds' objects join the same query (<see cref="ReadsPart"/>), so they read pg_depend in the
    /// same hash join. Built on first use: it holds the registered kinds' parts.
    /// </remarks>
    public static string Reads => _reads ??= ReadsQuery();

    private static string? _reads;

    private static string ReadsQuery()
    {
        var parts = Array.ConvertAll(Array.FindAll(Kinds, k => k.Reads is not null), k => k.Reads!());
        var wheres = Array.FindAll(parts, p => p.Where.Length > 0);
        var where = wheres.Length switch
        {
            0 => "",
            1 => "\nWHERE " + wheres[0].Where,
            _ => "\nWHERE " + string.Join(" AND ", wheres.Select(p => $"({p.Where})")),
        };
        return $"""
            {RelationsCte("'r', 'p', 'm', 'v'")},
            {string.Concat(parts.Select(p => p.Ctes.Length > 0 ? p.Ctes + ",\n" : ""))}objects AS (
                SELECT 'd' AS object_kind, 'pg_catalog.pg_attrdef'::regclass AS classid, ad.oid AS objid, ad.adrelid AS owner, ad.adnum AS owner_column, NULL::oid AS own_type
                FROM tables c JOIN pg_catalog.pg_attrdef ad ON ad.adrelid = c.oid
                UNION ALL
                SELECT 'c', 'pg_catalog.pg_constraint'::regclass, con.oid, con.conrelid, 0, NULL
                FROM tables c JOIN pg_catalog.pg_constraint con ON con.conrelid = c.oid AND con.contype = 'c'
                UNION ALL
                SELECT 'i', 'pg_catalog.pg_class'::regclass, i.indexrelid, i.indrelid, 0, NULL
                FROM tables c JOIN pg_catalog.pg_index i ON i.indrelid = c.oid AND (i.indexprs IS NOT NULL OR i.indpred IS NOT NULL)
                UNION ALL
                SELECT 'v', 'pg_catalog.pg_rewrite'::regclass, rw.oid, rw.ev_class, NULL, NULL
                FROM tables c JOIN pg_catalog.pg_rewrite rw ON rw.ev_class = c.oid AND rw.rulename = '_RETURN'{string.Concat(parts.Select(p => "\n" + p.Objects))})
            SELECT o.object_kind, o.objid::int8,
                   CASE WHEN rd.refclassid = 'pg_catalog.pg_class'::regclass THEN
                            CASE WHEN rc.relkind = 'S' THEN 'sequence' WHEN rd.refobjsubid <> 0 THEN 'column' ELSE 'relation' END
                        WHEN rd.refclassid = 'pg_catalog.pg_type'::regclass THEN 'type'
                        ELSE 'function' END,
                   COALESCE(rcn.nspname, rtn.nspname, rpn.nspname)::text,
                   COALESCE(rc.relname, rt.typname, rp.proname)::text,
                   ra.attname::text
            FROM objects o
            JOIN pg_catalog.pg_depend rd ON rd.classid = o.classid AND rd.objid = o.objid AND rd.deptype IN ('n', 'a')
                 AND rd.refclassid IN ('pg_catalog.pg_class'::regclass, 'pg_catalog.pg_type'::regclass, 'pg_catalog.pg_proc'::regclass)
                 AND NOT (rd.refclassid = 'pg_catalog.pg_class'::regclass AND rd.refobjid = o.owner
                          AND (o.owner_column IS NULL OR rd.refobjsubid IN (0, o.owner_column))){string.Concat(parts.Select(p => p.NotRead.Length > 0 ? "\n" + p.NotRead : ""))}
            {string.Concat(parts.Select(p => p.Joins.Length > 0 ? p.Joins + "\n" : ""))}LEFT JOIN pg_catalog.pg_class rc ON rd.refclassid = 'pg_catalog.pg_class'::regclass AND rc.oid = rd.refobjid
            LEFT JOIN pg_catalog.pg_namespace rcn ON rcn.oid = rc.relnamespace
            LEFT JOIN pg_catalog.pg_attribute ra ON rd.refclassid = 'pg_catalog.pg_class'::regclass AND rd.refobjsubid > 0
                 AND ra.attrelid = rd.refobjid AND ra.attnum = rd.refobjsubid
            LEFT JOIN pg_catalog.pg_type rt0 ON rd.refclassid = 'pg_catalog.pg_type'::regclass AND rt0.oid = rd.refobjid
            LEFT JOIN pg_catalog.pg_type rt ON rt.oid = CASE WHEN rt0.typcategory = 'A' AND rt0.typelem <> 0 THEN rt0.typelem ELSE rt0.oid END
            LEFT JOIN pg_catalog.pg_namespace rtn ON rtn.oid = rt.typnamespace
            LEFT JOIN pg_catalog.pg_proc rp ON rd.refclassid = 'pg_catalog.pg_proc'::regclass AND rp.oid = rd.refobjid
            LEFT JOIN pg_catalog.pg_namespace rpn ON rpn.oid = rp.pronamespace{where}
            """;
    }

    private static string AttributeNames(string keys, string relation) => $"""
        ARRAY(SELECT a.attname::text FROM unnest({keys}) WITH ORDINALITY k(num, ord)
              JOIN pg_catalog.pg_attribute a ON a.attrelid = {relation} AND a.attnum = k.num ORDER BY k.ord)
        """;

    /// <summary>
    /// Primary keys, uniques, checks and foreign keys (exclusion constraints are read by their own query, ExclusionCatalog),
    /// with the key as attnums (the caller knows the table's columns) and a foreign key's referenced
    /// columns by name (the referenced table may be in a schema that is not read).
    /// conparentid &lt;&gt; 0 are the copies PostgreSQL makes for partitions; a check that is not conislocal is a parent's
    /// (inheritance or partitioning), copied down.
    /// </summary>
    public static readonly string Constraints = $"""
        {TablesCte}
        SELECT con.conrelid::int8, con.conname::text, con.contype::text, con.conkey,
               fn.nspname::text, fc.relname::text,
               CASE WHEN con.contype = 'f' THEN {AttributeNames("con.confkey", "con.confrelid")} END,
               con.confdeltype::text, con.confupdtype::text, con.condeferrable, con.condeferred,
               CASE WHEN con.contype = 'c' THEN pg_catalog.pg_get_constraintdef(con.oid, true) END,
               COALESCE(i.indnullsnotdistinct, false), con.oid::int8,
               con.connoinherit, con.confmatchtype = 'f', {Comment("con.oid", "pg_constraint")},
               CASE WHEN con.contype IN ('p', 'u') THEN (SELECT ki.reloptions::text[] FROM pg_catalog.pg_class ki WHERE ki.oid = con.conindid) END
        FROM tables c
        JOIN pg_catalog.pg_constraint con ON con.conrelid = c.oid
        LEFT JOIN pg_catalog.pg_class fc ON fc.oid = con.confrelid
        LEFT JOIN pg_catalog.pg_namespace fn ON fn.oid = fc.relnamespace
        LEFT JOIN pg_catalog.pg_index i ON i.indexrelid = con.conindid AND con.contype = 'u'
        WHERE con.contype IN ('p', 'u', 'c', 'f') AND con.conparentid = 0
          AND NOT (con.contype = 'c' AND NOT con.conislocal)
        """;

    /// <summary>
    /// The keys of pg_index row <c>i</c>, five columns: its key and included columns by name (NULL for an expression),
    /// the expression text per key position, indoption, the operator class per key when it is not the type's default,
    /// and the predicate. Read by <c>ModelReader.IndexKeyOf</c>; an index's and an exclusion constraint's.
    /// </summary>
    /// <remarks>
    /// Each name (a key's column, operator class, collation) is looked up by a scalar subquery on the catalog's oid
    /// or (attrelid, attnum) index. Joined to the unnested keys instead, the planner hashed or scanned the whole of
    /// pg_opclass, pg_collation or the table's pg_attribute rows again for every index: on bench/pull.sh's 1125
    /// indexes the Indexes query took 2.5 times as long.
    /// </remarks>
    internal static readonly string IndexKeys = """
        ARRAY(SELECT (SELECT a.attname::text FROM pg_catalog.pg_attribute a WHERE a.attrelid = i.indrelid AND a.attnum = k.num)
              FROM unnest(i.indkey::int2[]) WITH ORDINALITY k(num, ord) ORDER BY k.ord),
        ARRAY(SELECT CASE WHEN k.num = 0 THEN pg_catalog.pg_get_indexdef(i.indexrelid, k.ord::int, true) END
              FROM unnest(i.indkey::int2[]) WITH ORDINALITY k(num, ord) ORDER BY k.ord),
        i.indoption::int2[],
        ARRAY(SELECT (SELECT CASE WHEN opc.opcdefault THEN NULL
                                  WHEN ocn.nspname IN ('pg_catalog', 'public') THEN opc.opcname::text
                                  ELSE ocn.nspname || '.' || opc.opcname END
                      FROM pg_catalog.pg_opclass opc JOIN pg_catalog.pg_namespace ocn ON ocn.oid = opc.opcnamespace
                      WHERE opc.oid = o.oid)
              FROM unnest(i.indclass::oid[]) WITH ORDINALITY o(oid, ord) ORDER BY o.ord),
        pg_catalog.pg_get_expr(i.indpred, i.indrelid, true)
        """;

    /// <summary>
    /// The keys' collations of pg_index row <c>i</c>, four columns: per key (indcollation, key columns only) the
    /// collation's name and schema (NULL in pg_catalog or public) where it may be the key's own COLLATE: never for a
    /// key that is not collatable, nor for a plain column's key that uses the column's collation. PostgreSQL records
    /// the collation of every collatable key, and an expression's own collation is not in the catalog: for an index
    /// with such a key, every key's printed text and the whole printed definition follow, in which pg_get_indexdef
    /// writes COLLATE exactly after a key whose collation is not its expression's (read by <c>ModelReader.KeyCollations</c>).
    /// </summary>
    internal static readonly string IndexKeyCollations = """
        ARRAY(SELECT CASE WHEN k.coll = 0 THEN NULL
                          WHEN k.num <> 0 AND k.coll = (SELECT a.attcollation FROM pg_catalog.pg_attribute a WHERE a.attrelid = i.indrelid AND a.attnum = k.num) THEN NULL
                          ELSE (SELECT kco.collname::text FROM pg_catalog.pg_collation kco WHERE kco.oid = k.coll) END
              FROM unnest(i.indkey::int2[], i.indcollation::oid[]) WITH ORDINALITY k(num, coll, ord)
              WHERE k.ord <= i.indnkeyatts ORDER BY k.ord),
        ARRAY(SELECT CASE WHEN k.coll <> 0 THEN (SELECT CASE WHEN kcn.nspname NOT IN ('pg_catalog', 'public') THEN kcn.nspname::text END
                                                 FROM pg_catalog.pg_collation kco JOIN pg_catalog.pg_namespace kcn ON kcn.oid = kco.collnamespace
                                                 WHERE kco.oid = k.coll) END
              FROM unnest(i.indcollation::oid[]) WITH ORDINALITY k(coll, ord) ORDER BY k.ord),
        CASE WHEN EXISTS (SELECT FROM unnest(i.indkey::int2[], i.indcollation::oid[]) k(num, coll) WHERE k.num = 0 AND k.coll <> 0)
             THEN ARRAY(SELECT pg_catalog.pg_get_indexdef(i.indexrelid, k.ord::int, true)
                        FROM generate_series(1, i.indnkeyatts) k(ord) ORDER BY k.ord) END,
        CASE WHEN EXISTS (SELECT FROM unnest(i.indkey::int2[], i.indcollation::oid[]) k(num, coll) WHERE k.num = 0 AND k.coll <> 0)
             THEN pg_catalog.pg_get_indexdef(i.indexrelid, 0, true) END
        """;

    /// <summary>
    /// Indexes of tables and materialized views that do not back a constraint: indkey as column names
    /// (NULL for an expression; names, since the Columns query covers tables only), the expression text
    /// per key position, the operator class when it is not the type's default, and the index's oid (what its
    /// expressions read is in <see cref="Reads"/>).
    /// </summary>
    public static readonly string Indexes = $"""
        {RelationsCte("'r', 'p', 'm'")}
        SELECT i.indrelid::int8, ic.relname::text, am.amname::text, i.indisunique, i.indnkeyatts, i.indnullsnotdistinct,
               {IndexKeys}, i.indexrelid::int8, {Comment("i.indexrelid", "pg_class")}, ic.reloptions::text[],
               {IndexKeyCollations}
        FROM tables c
        JOIN pg_catalog.pg_index i ON i.indrelid = c.oid
        JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid
        JOIN pg_catalog.pg_am am ON am.oid = ic.relam
        WHERE NOT EXISTS (SELECT FROM pg_catalog.pg_constraint con WHERE con.conindid = i.indexrelid AND con.contype IN ('p', 'u', 'x'))
          AND NOT EXISTS (SELECT FROM pg_catalog.pg_inherits ih WHERE ih.inhrelid = i.indexrelid)
        """;

    /// <summary>
    /// Views and materialized views with the tables and views their rewrite rule reads (in the schemas
    /// read here), as a two-dimensional array of (schema, name) pairs, the oid that indexes name, and the
    /// rewrite rule's oid (everything the rule reads is in <see cref="Reads"/>).
    /// </summary>
    public static readonly string Views = $"""
        SELECT n.nspname::text, c.relname::text, c.relkind = 'm', pg_catalog.pg_get_viewdef(c.oid, true), {Comment("c.oid", "pg_class")},
               (SELECT array_agg(ARRAY[x.nspname, x.relname] ORDER BY x.nspname, x.relname)
                FROM (SELECT DISTINCT dn.nspname::text AS nspname, dc.relname::text AS relname
                      FROM pg_catalog.pg_rewrite r
                      JOIN pg_catalog.pg_depend dep ON dep.classid = 'pg_catalog.pg_rewrite'::regclass AND dep.objid = r.oid
                           AND dep.refclassid = 'pg_catalog.pg_class'::regclass AND dep.refobjid <> c.oid
                      JOIN pg_catalog.pg_class dc ON dc.oid = dep.refobjid AND dc.relkind IN ('r', 'p', 'v', 'm')
                      JOIN pg_catalog.pg_namespace dn ON dn.oid = dc.relnamespace
                      WHERE r.ev_class = c.oid
                        AND {SchemaFilterOn("dn.nspname")}) x),
               c.oid::int8, rw.oid::int8, c.reloptions::text[], {ClusteredIndex("c.oid")}
        FROM pg_catalog.pg_class c
        JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
        LEFT JOIN pg_catalog.pg_rewrite rw ON rw.ev_class = c.oid AND rw.rulename = '_RETURN'
        WHERE c.relkind IN ('v', 'm') AND {SchemaFilter} AND {TablePatternFilter} AND {NotFromExtension("pg_class", "c.oid")}
        """;

    /// <summary>The parameters $1-$5 every query here takes (see the remarks above), from <paramref name="options"/>.</summary>
    public static void AddParameters(NpgsqlParameterCollection parameters, IntrospectionOptions options)
    {
        var (patternSchemas, patternNames) = options.LikePatterns();
        parameters.Add(TextArray(options.ExcludeSchemas.ToArray()));
        parameters.Add(TextArray(options.IncludeSchemas.ToArray()));
        parameters.Add(TextArray(patternSchemas));
        parameters.Add(TextArray(patternNames));
        parameters.Add(new NpgsqlParameter { Value = options.IncludeExtensionObjects, NpgsqlDbType = NpgsqlDbType.Boolean });
    }

    private static NpgsqlParameter TextArray(string?[] values) => new() { Value = values, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text };

    /// <summary>
    /// The queries in the order <see cref="PostgresIntrospector"/> reads their results: the built-in kinds', then each
    /// registered kind's (<see cref="Kinds"/>), all in one batch. Built on first use: it holds the registered kinds' queries.
    /// </summary>
    public static IReadOnlyList<string> All => _all ??= [Schemas, Enums, Sequences, Reads, Columns, Constraints, Indexes, Views, .. Array.ConvertAll(Kinds, k => k.Query())];

    private static IReadOnlyList<string>? _all;

    /// <summary>
    /// The comment on an object, as a scalar subquery: one probe of pg_description's unique index per row, whatever the
    /// planner believes of pg_description's size. As a LEFT JOIN planned on the statistics of a database a migration
    /// has just built (pg_description "empty"), it became a nested loop over every column and every comment: 0.5 s of a
    /// 375-table pull, where the reads take 0.1 s.
    /// </summary>
    internal static string Comment(string objoid, string catalog, string subid = "0") =>
        $"(SELECT pd.description FROM pg_catalog.pg_description pd WHERE pd.objoid = {objoid} AND pd.classoid = 'pg_catalog.{catalog}'::regclass AND pd.objsubid = {subid})";

    /// <summary>
    /// Turns JIT compilation off for the rest of the transaction. The catalog queries of a large schema cross the
    /// planner's jit_above_cost, and compiling them costs far more than running them: with it on, the list of
    /// unmodelled objects of a 375-table schema took 0.5 s on PostgreSQL 15, of which 0.06 s was the query.
    /// </summary>
    internal const string JitOff = "SET LOCAL jit = off";

    private static IReadOnlyList<string>? _version14;
    private static IReadOnlyList<string>? _version13;
    private static IReadOnlyList<string>? _beforeVersion13;

    /// <summary>
    /// The queries for a server version: NULLS NOT DISTINCT (pg_index.indnullsnotdistinct) came with
    /// PostgreSQL 15; before it every unique index treats NULLs as distinct, and an ICU collation's locale is its
    /// collcollate (17 renamed 15's colliculocale colllocale). SQL-standard function bodies (pg_proc.prosqlbody) came
    /// with 14; before it every body is a string. pg_trigger.tgparentid came with 13; before it the triggers PostgreSQL
    /// clones onto partitions are marked internal, so tgisinternal alone leaves them out. The rest needs 12 or newer.
    /// </summary>
    public static IReadOnlyList<string> ForServer(Version version) => version.Major switch
    {
        >= 17 => _version17 ??= [.. All.Select(q => q.Replace(IcuLocale, "co.colllocale", StringComparison.Ordinal))],
        >= 15 => All,
        14 => _version14 ??= [.. All.Select(q => WithoutIcuLocale(WithoutNullsNotDistinct(q)))],
        13 => _version13 ??= [.. All.Select(q => WithoutSqlStandardBodies(WithoutIcuLocale(WithoutNullsNotDistinct(q))))],
        _ => _beforeVersion13 ??= [.. All.Select(q => WithoutTriggerParents(WithoutSqlStandardBodies(WithoutIcuLocale(WithoutNullsNotDistinct(q)))))],
    };

    private static IReadOnlyList<string>? _version17;

    /// <summary>Before 15 an ICU collation's locale is its collcollate.</summary>
    private static string WithoutIcuLocale(string query) => query.Replace(IcuLocale, "co.collcollate", StringComparison.Ordinal);

    private static string WithoutSqlStandardBodies(string query) => query.Replace(RoutineBody, "p.prosrc", StringComparison.Ordinal);

    private static string WithoutTriggerParents(string query) => query.Replace("tg.tgparentid = 0", "true", StringComparison.Ordinal);

    private static string WithoutNullsNotDistinct(string query) => query.Replace("i.indnullsnotdistinct", "false", StringComparison.Ordinal);

    // The kinds whose queries live in their own files. No initializer: the partial parts' initializers, which add to
    // it, run in an unspecified order, and one here could run after them.
    private static KindRegistry<CatalogKind>? _kinds;

    private static CatalogKind Register(CatalogKind kind) => (_kinds ??= new()).Add(kind);

    /// <summary>The registered kinds, in their order: their queries follow the built-in ones in this order, and their reads run in it.</summary>
    internal static CatalogKind[] Kinds => _kinds?.InOrder ?? [];
}

/// <summary>What a kind of object declared in its own file reads from the catalog, and how.</summary>
/// <param name="Order">Where its query goes after the built-in ones, and its read among the kinds' (unique).</param>
/// <param name="Query">
/// Its query, taking the parameters of <see cref="CatalogQueries.AddParameters"/>; a function, called when the batch
/// is first built, because a registration's initializer may run before the static fields it would read (<see cref="CatalogQueries.SchemaFilter"/>).
/// </param>
/// <param name="Read">Reads the query's result set into the model the built-in queries gave.</param>
/// <param name="ReadsObjectKinds">The object_kind letters of its rows in <see cref="CatalogQueries.Reads"/>, unique among the kinds.</param>
/// <param name="Reads">Its part of <see cref="CatalogQueries.Reads"/>, when its objects hold expressions whose reads PostgreSQL records.</param>
internal sealed record CatalogKind(int Order, Func<string> Query, KindRead Read, string ReadsObjectKinds = "", Func<ReadsPart>? Reads = null) : IKindPart;

/// <summary>Reads a kind's result set (the reader is on it) into <paramref name="model"/>, returning the model with the kind's objects.</summary>
internal delegate Task<DatabaseModel> KindRead(ModelReader reader, DatabaseModel model, CancellationToken ct);

/// <summary>
/// A kind's part of <see cref="CatalogQueries.Reads"/>, SQL fragments written where they go, lines indented as there.
/// </summary>
/// <param name="Objects">
/// Its rows of the <c>objects</c> CTE, each starting with <c>UNION ALL</c>: (object_kind letter, classid, objid, owner
/// relation, owner column, own_type: the type the object belongs to).
/// </param>
/// <param name="Ctes">CTEs the rows read from (written after <c>tables</c>, without a trailing comma), or empty.</param>
/// <param name="NotRead">Conditions on pg_depend row <c>rd</c> of object <c>o</c>, each starting with <c>AND NOT</c>, that leave out dependencies of the object itself rather than of its expression; or empty.</param>
/// <param name="Joins">Joins those conditions or <paramref name="Where"/> need, written after pg_depend's; or empty.</param>
/// <param name="Where">A condition every row of the query must meet, or empty.</param>
internal sealed record ReadsPart(string Objects, string Ctes = "", string NotRead = "", string Joins = "", string Where = "");
