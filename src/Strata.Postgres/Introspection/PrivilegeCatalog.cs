using Strata.Model;

namespace Strata.Postgres.Introspection;

// Privileges read from the catalog, in one file: the query of the grants on schemas, relations, sequences, routines
// and types beyond what PostgreSQL gives an object when it is created (and PUBLIC's defaults revoked), and their reading into the model with the
// roles they name (as existing roles: the server's).

internal static partial class CatalogQueries
{
    // After the functions: a grant on a routine names it by the model's signature.
    internal static readonly CatalogKind PrivilegeCatalog = Register(new(Order: 50, PrivilegesQuery,
        static (reader, model, ct) => reader.ReadGrantsAsync(model, ct)));

    /// <summary>
    /// One row per privilege granted beyond the object's defaults: acldefault() for its owner (the owner's privileges,
    /// PUBLIC's EXECUTE on routines and USAGE on types), or what initdb gave a schema (pg_init_privs, as pg_dump compares);
    /// the owner's own privileges are not grants. Kind, schema, name (a routine's with its input types), grantee
    /// (<c>public</c> for PUBLIC), privilege, WITH GRANT OPTION, a routine's input argument count, and whether the row is
    /// one of PUBLIC's defaults taken away (a REVOKE of a default; the owner's are not the model's), and a column-level
    /// grant's column (pg_attribute.attacl; empty for a grant on the whole object).
    /// </summary>
    private static string PrivilegesQuery() => $"""
        {RelationsCte("'r', 'p', 'm', 'v', 'f', 'S'")},
        objects AS (
            SELECT CASE WHEN pc.relkind = 'S' THEN 'sequence' ELSE 'table' END AS kind, c.nspname::text AS schema_name, c.relname::text AS name,
                   pc.relacl AS acl, pg_catalog.acldefault(CASE WHEN pc.relkind = 'S' THEN 's' ELSE 'r' END::"char", pc.relowner) AS base, pc.relowner AS owner, 0 AS args,
                   '' AS column_name
            FROM tables c JOIN pg_catalog.pg_class pc ON pc.oid = c.oid
            WHERE pc.relacl IS NOT NULL
          UNION ALL
            -- A column has no default privileges: its ACL is all grants.
            SELECT 'table', c.nspname::text, c.relname::text, a.attacl, NULL, pc.relowner, 0, a.attname::text
            FROM tables c JOIN pg_catalog.pg_class pc ON pc.oid = c.oid
            JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid
            WHERE a.attacl IS NOT NULL AND a.attnum > 0 AND NOT a.attisdropped AND pc.relkind <> 'S'
          UNION ALL
            SELECT 'schema', n.nspname::text, '', n.nspacl,
                   {SchemaDefaultAcl("n")}, n.nspowner, 0, ''
            FROM pg_catalog.pg_namespace n
            WHERE n.nspacl IS NOT NULL AND {SchemaFilter} AND {NotFromExtension("pg_namespace", "n.oid")}
          UNION ALL
            SELECT 'function', n.nspname::text,
                   p.proname::text || '(' || COALESCE((SELECT pg_catalog.string_agg(pg_catalog.format_type(a.t, NULL), ',' ORDER BY a.i)
                                                       FROM unnest(p.proargtypes) WITH ORDINALITY a(t, i)), '') || ')',
                   p.proacl, pg_catalog.acldefault('f', p.proowner), p.proowner, p.pronargs::int, ''
            FROM pg_catalog.pg_proc p
            JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
            WHERE p.proacl IS NOT NULL AND {SchemaFilter} AND {NotFromExtension("pg_proc", "p.oid")}
          UNION ALL
            SELECT 'type', n.nspname::text, t.typname::text, t.typacl, pg_catalog.acldefault('T', t.typowner), t.typowner, 0, ''
            FROM pg_catalog.pg_type t
            JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
            WHERE t.typacl IS NOT NULL AND t.typtype IN ('e', 'd', 'c', 'r')
              AND (t.typtype <> 'c' OR (SELECT r.relkind FROM pg_catalog.pg_class r WHERE r.oid = t.typrelid) = 'c')
              AND {SchemaFilter} AND {NotFromExtension("pg_type", "t.oid")}
        )
        SELECT o.kind, o.schema_name, o.name,
               CASE WHEN g.grantee = 0 THEN 'public' ELSE pg_catalog.pg_get_userbyid(g.grantee)::text END,
               g.privilege_type::text, g.is_grantable, o.args, g.revoked, o.column_name
        FROM objects o,
             LATERAL (SELECT e.grantee, e.privilege_type, e.is_grantable, false AS revoked
                      FROM (SELECT x.grantee, x.privilege_type, x.is_grantable FROM pg_catalog.aclexplode(o.acl) x
                            EXCEPT SELECT d.grantee, d.privilege_type, d.is_grantable FROM pg_catalog.aclexplode(o.base) d) e
                    UNION ALL
                      SELECT d.grantee, d.privilege_type, false, true FROM pg_catalog.aclexplode(o.base) d
                      WHERE d.grantee = 0 AND NOT EXISTS (SELECT FROM pg_catalog.aclexplode(o.acl) x WHERE x.grantee = 0 AND x.privilege_type = d.privilege_type)) g
        WHERE g.grantee <> o.owner
        """;

    // After the grants: the roles both name are read once.
    internal static readonly CatalogKind DefaultPrivilegeCatalog = Register(new(Order: 51, DefaultPrivilegesQuery,
        static (reader, model, ct) => reader.ReadDefaultPrivilegesAsync(model, ct)));

    /// <summary>
    /// One row per entry of pg_default_acl beyond PostgreSQL's built-in defaults: a database-wide entry replaces
    /// acldefault() for its role (so PUBLIC's EXECUTE on functions or USAGE on types may be revoked), an IN SCHEMA entry
    /// only adds to it. FOR ROLE (empty for the connected role, the one that applies migrations), schema (empty for every
    /// schema), object type, grantee, privilege, WITH GRANT OPTION, revoked. The role's own privileges are not the model's.
    /// </summary>
    private static string DefaultPrivilegesQuery() => $"""
        SELECT CASE WHEN pg_catalog.pg_get_userbyid(d.defaclrole) = current_user THEN '' ELSE pg_catalog.pg_get_userbyid(d.defaclrole)::text END,
               COALESCE(n.nspname::text, ''), d.defaclobjtype::text,
               CASE WHEN g.grantee = 0 THEN 'public' ELSE pg_catalog.pg_get_userbyid(g.grantee)::text END,
               g.privilege_type::text, g.is_grantable, g.revoked
        FROM pg_catalog.pg_default_acl d
        LEFT JOIN pg_catalog.pg_namespace n ON n.oid = d.defaclnamespace
        CROSS JOIN LATERAL (SELECT CASE WHEN d.defaclnamespace = 0
                                        THEN pg_catalog.acldefault(CASE d.defaclobjtype WHEN 'S' THEN 's' ELSE d.defaclobjtype END::"char", d.defaclrole) END AS acl) base
        CROSS JOIN LATERAL (SELECT e.grantee, e.privilege_type, e.is_grantable, false AS revoked
                            FROM (SELECT x.grantee, x.privilege_type, x.is_grantable FROM pg_catalog.aclexplode(d.defaclacl) x
                                  EXCEPT SELECT b.grantee, b.privilege_type, b.is_grantable FROM pg_catalog.aclexplode(base.acl) b) e
                          UNION ALL
                            SELECT b.grantee, b.privilege_type, false, true FROM pg_catalog.aclexplode(base.acl) b
                            WHERE b.grantee = 0 AND NOT EXISTS (SELECT FROM pg_catalog.aclexplode(d.defaclacl) x WHERE x.grantee = 0 AND x.privilege_type = b.privilege_type)) g
        WHERE g.grantee <> d.defaclrole AND (d.defaclnamespace = 0 OR {SchemaFilter})
        """;

    /// <summary>
    /// What a schema (pg_namespace row <paramref name="n"/>) has without a GRANT: what initdb gave it (pg_init_privs, as
    /// pg_dump compares), else its owner's privileges, and PUBLIC's USAGE on a public schema made again as PostgreSQL
    /// 15 makes it (CREATE SCHEMA public AUTHORIZATION pg_database_owner; GRANT USAGE ON SCHEMA public TO PUBLIC).
    /// </summary>
    internal static string SchemaDefaultAcl(string n) => $"""
        COALESCE((SELECT i.initprivs FROM pg_catalog.pg_init_privs i WHERE i.objoid = {n}.oid AND i.classoid = 'pg_catalog.pg_namespace'::pg_catalog.regclass),
                 CASE WHEN {n}.nspname = 'public'
                      THEN pg_catalog.array_append(pg_catalog.acldefault('n', {n}.nspowner), pg_catalog.makeaclitem(0, {n}.nspowner, 'USAGE', false))
                      ELSE pg_catalog.acldefault('n', {n}.nspowner) END)
        """;

    /// <summary>
    /// Whether ACL <paramref name="acl"/> lacks a privilege the owner has in <paramref name="defaultAcl"/> (a REVOKE from
    /// the owner): what the model's grants cannot say, so pull names it as not carried. PUBLIC's defaults taken away
    /// are the model's revoked grants.
    /// </summary>
    internal static string RevokesDefault(string acl, string defaultAcl) =>
        $"EXISTS (SELECT FROM pg_catalog.aclexplode({defaultAcl}) d WHERE d.grantee <> 0 AND NOT EXISTS (SELECT FROM pg_catalog.aclexplode({acl}) x WHERE x.grantee = d.grantee AND x.privilege_type = d.privilege_type))";
}

internal sealed partial class ModelReader
{
    /// <summary>The grants, and the roles they name as existing roles (the server's; a schema may manage them instead).</summary>
    internal async Task<DatabaseModel> ReadGrantsAsync(DatabaseModel model, CancellationToken ct)
    {
        var grants = new List<Grant>();
        while (await reader.ReadAsync(ct))
        {
            var on = reader.GetString(0) switch
            {
                "schema" => GrantTarget.Schema,
                "sequence" => GrantTarget.Sequence,
                "function" => GrantTarget.Function,
                "type" => GrantTarget.Type,
                _ => GrantTarget.Table,
            };
            var schema = reader.GetString(1);
            var name = reader.GetString(2);
            if (on == GrantTarget.Function)
                name = RoutineSignature(model, schema, name, reader.GetInt32(6));
            var privilege = Enum.Parse<Privilege>(reader.GetString(4), ignoreCase: true);
            grants.Add(new Grant(on, schema, name, reader.GetString(3), privilege, reader.GetBoolean(5), reader.GetBoolean(7), reader.GetString(8)));
        }
        if (grants.Count == 0)
            return model;
        var roles = grants.Select(g => g.Grantee).Where(g => g != Grant.Public).Distinct(StringComparer.Ordinal)
            .Select(r => new Role(r, Existing: true));
        return model with { Grants = grants.ToValueList(), Roles = roles.ToValueList() };
    }

    /// <summary>The default privileges, and the roles they name as existing roles (with those the grants named).</summary>
    internal async Task<DatabaseModel> ReadDefaultPrivilegesAsync(DatabaseModel model, CancellationToken ct)
    {
        var entries = new List<DefaultPrivilege>();
        while (await reader.ReadAsync(ct))
        {
            var on = reader.GetString(2) switch
            {
                "S" => GrantTarget.Sequence,
                "f" => GrantTarget.Function,
                "T" => GrantTarget.Type,
                "n" => GrantTarget.Schema,
                _ => GrantTarget.Table,
            };
            var privilege = Enum.Parse<Privilege>(reader.GetString(4), ignoreCase: true);
            entries.Add(new DefaultPrivilege(reader.GetString(0), reader.GetString(1), on, reader.GetString(3), privilege, reader.GetBoolean(5), reader.GetBoolean(6)));
        }
        if (entries.Count == 0)
            return model;
        var named = entries.SelectMany(e => new[] { e.Grantee, e.ForRole }).Where(r => r.Length > 0 && r != Grant.Public);
        var roles = model.Roles.Concat(named.Except(model.Roles.Select(r => r.Name), StringComparer.Ordinal).Distinct(StringComparer.Ordinal)
            .Select(r => new Role(r, Existing: true)));
        return model with { DefaultPrivileges = entries.ToValueList(), Roles = roles.ToValueList() };
    }

    /// <summary>
    /// A routine's signature as the model writes it (its types in the DSL's words: <c>varchar</c>, not <c>character
    /// varying</c>): the model's routine of that name and input count when it is the only one, else the catalog's text.
    /// </summary>
    private static string RoutineSignature(DatabaseModel model, string schema, string printed, int inputs)
    {
        if (model.Functions.Any(f => f.Schema == schema && f.Signature == printed))
            return printed;
        var name = printed[..printed.IndexOf('(')];
        var candidates = model.Functions.Where(f => f.Schema == schema && f.Name == name && f.Arguments.Count(a => a.IsInput) == inputs).ToList();
        return candidates.Count == 1 ? candidates[0].Signature : printed;
    }
}
