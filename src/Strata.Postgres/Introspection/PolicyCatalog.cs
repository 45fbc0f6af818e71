using Strata.Model;

namespace Strata.Postgres.Introspection;

// Row-level security read from the catalog, in one file: the query of the tables' ENABLE / FORCE ROW LEVEL SECURITY
// flags and their policies (pg_policy), what the policies' expressions read (their part of the Reads query), and
// their reading into the model. The tables are those the Columns query reads (the schema and table filters).

internal static partial class CatalogQueries
{
    internal static readonly CatalogKind PolicyCatalog = Register(new(Order: 40, PoliciesQuery,
        static (reader, model, ct) => reader.ReadRowSecurityAsync(model, ct),
        ReadsObjectKinds: "y", Reads: PolicyReads));

    /// <summary>
    /// The tables with row-level security enabled or forced or with a policy: one row per policy (one with NULLs for a
    /// table without), with the command (polcmd: r SELECT, a INSERT, w UPDATE, d DELETE, * ALL), PERMISSIVE, the roles
    /// by name (role 0 is PUBLIC), USING and WITH CHECK as PostgreSQL prints them, the comment and the policy's oid
    /// (what its expressions read is in <see cref="Reads"/>).
    /// </summary>
    private static string PoliciesQuery() => $"""
        {TablesCte}
        SELECT c.nspname::text, c.relname::text, r.relrowsecurity, r.relforcerowsecurity,
               pol.polname::text, pol.polcmd::text, pol.polpermissive,
               ARRAY(SELECT CASE WHEN x.role = 0 THEN 'public' ELSE pg_catalog.pg_get_userbyid(x.role)::text END
                     FROM unnest(pol.polroles) x(role)),
               pg_catalog.pg_get_expr(pol.polqual, pol.polrelid, true), pg_catalog.pg_get_expr(pol.polwithcheck, pol.polrelid, true),
               {Comment("pol.oid", "pg_policy")}, pol.oid::int8
        FROM tables c
        JOIN pg_catalog.pg_class r ON r.oid = c.oid
        LEFT JOIN pg_catalog.pg_policy pol ON pol.polrelid = c.oid
        WHERE r.relrowsecurity OR r.relforcerowsecurity OR pol.oid IS NOT NULL
        """;

    /// <summary>In <see cref="Reads"/>: 'y' a policy by its pg_policy oid (its dependency on its own table as a whole left out).</summary>
    private static ReadsPart PolicyReads() => new(
        Objects: """
                UNION ALL
                SELECT 'y', 'pg_catalog.pg_policy'::regclass, pol.oid, pol.polrelid, 0, NULL
                FROM tables c JOIN pg_catalog.pg_policy pol ON pol.polrelid = c.oid
            """);
}

internal sealed partial class ModelReader
{
    /// <summary>The tables' row-level security, from one row per policy (a table without policies has one row of NULLs for them).</summary>
    internal async Task<DatabaseModel> ReadRowSecurityAsync(DatabaseModel model, CancellationToken ct)
    {
        var tables = new List<TableSecurity>();
        var policiesOf = new List<List<Policy>>();
        var byTable = new Dictionary<QualifiedName, List<Policy>>();
        while (await reader.ReadAsync(ct))
        {
            var table = new QualifiedName(reader.GetString(0), reader.GetString(1));
            if (!byTable.TryGetValue(table, out var policies))
            {
                byTable.Add(table, policies = []);
                policiesOf.Add(policies);
                tables.Add(new TableSecurity(table.Schema, table.Name, reader.GetBoolean(2), reader.GetBoolean(3)));
            }
            if (reader.IsDBNull(4))
                continue;
            policies.Add(new Policy(
                reader.GetString(4),
                reader.GetString(5) switch
                {
                    "r" => PolicyCommand.Select,
                    "a" => PolicyCommand.Insert,
                    "w" => PolicyCommand.Update,
                    "d" => PolicyCommand.Delete,
                    _ => PolicyCommand.All,
                },
                reader.GetBoolean(6),
                reader.GetFieldValue<string[]>(7).ToValueList(),
                NullableString(8),
                NullableString(9),
                NullableString(10),
                _reads.Of('y', reader.GetInt64(11))));
        }
        for (var i = 0; i < tables.Count; i++)
            tables[i] = tables[i] with { Policies = policiesOf[i].ToValueList() };
        return model with { RowSecurity = tables.ToValueList() };
    }
}
