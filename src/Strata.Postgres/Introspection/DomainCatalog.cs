using Strata.Model;

namespace Strata.Postgres.Introspection;

// PostgreSQL domains read from the catalog, in one file: the query of the domains with their checks, what their
// defaults and checks read (their part of the Reads query), their reading into the model, and a column's type that
// is a domain (pg_type.typtype 'd').

internal static partial class CatalogQueries
{
    internal static readonly CatalogKind DomainCatalog = Register(new(Order: 10, DomainsQuery,
        static (reader, model, ct) => reader.ReadDomainsAsync(model, ct),
        ReadsObjectKinds: "tk", Reads: DomainReads));

    /// <summary>
    /// Domains (typtype 'd') with their base type described as a column's is (an array by its element type),
    /// the collation when it is not the base type's, the default and what it reads, and the checks
    /// (pg_constraint.contypid; a domain's constraints have no conrelid, so the Constraints query never sees
    /// them): one row per check (one with NULLs for a domain without checks), with its name, definition and oid. What
    /// the default and the checks read is in <see cref="Reads"/>.
    /// </summary>
    /// <remarks>
    /// PostgreSQL records a domain default's dependencies on the domain's own pg_type row, beside those of the type
    /// itself: its base type and the I/O functions it borrows from the base type (<see cref="DomainOwnDependency"/>
    /// leaves them out). A default that reads the base type (a constant of it: <c>DEFAULT 'ok'</c> on a domain over an
    /// enum) records it a second time, and is the only way to tell the two apart.
    /// </remarks>
    private static string DomainsQuery() => $"""
        SELECT n.nspname::text, t.typname::text, t.typnotnull, pg_catalog.pg_get_expr(t.typdefaultbin, 0),
               (bt.typcategory = 'A' AND bt.typelem <> 0) AS is_array, t.typndims, t.typtypmod,
               et.typname::text, etn.nspname::text, {ModelledTypeKind("et", "etn.nspname")}, pg_catalog.format_type(et.oid, t.typtypmod),
               pg_catalog.format_type(t.typbasetype, NULL),
               CASE WHEN t.typcollation <> bt.typcollation THEN co.collname::text END,
               {Comment("t.oid", "pg_type")},
               t.oid::int8,
               c.conname::text, pg_catalog.pg_get_constraintdef(c.oid, true), c.oid::int8,
               CASE WHEN t.typcollation <> bt.typcollation AND con.nspname NOT IN ('pg_catalog', 'public') THEN con.nspname::text END
        FROM pg_catalog.pg_type t
        JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
        JOIN pg_catalog.pg_type bt ON bt.oid = t.typbasetype
        JOIN pg_catalog.pg_type et ON et.oid = CASE WHEN bt.typcategory = 'A' AND bt.typelem <> 0 THEN bt.typelem ELSE bt.oid END
        JOIN pg_catalog.pg_namespace etn ON etn.oid = et.typnamespace
        LEFT JOIN pg_catalog.pg_collation co ON co.oid = t.typcollation
        LEFT JOIN pg_catalog.pg_namespace con ON con.oid = co.collnamespace
        LEFT JOIN pg_catalog.pg_constraint c ON c.contypid = t.oid AND c.contype = 'c'
        WHERE t.typtype = 'd' AND {SchemaFilter} AND {NotFromExtension("pg_type", "t.oid")}
        """;

    /// <summary>
    /// In <see cref="Reads"/>: 't' a domain's default by the domain's pg_type oid, 'k' a domain's check by pg_constraint
    /// oid (its dependency on its own domain left out), from the domains read here (<c>domains</c>).
    /// </summary>
    private static ReadsPart DomainReads() => new(
        Ctes: $"""
            domains AS MATERIALIZED (
                SELECT t.oid, t.typdefaultbin
                FROM pg_catalog.pg_type t
                JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
                WHERE t.typtype = 'd' AND {SchemaFilter} AND {NotFromExtension("pg_type", "t.oid")})
            """,
        Objects: """
                UNION ALL
                SELECT 't', 'pg_catalog.pg_type'::regclass, t.oid, NULL, NULL, t.oid
                FROM domains t WHERE t.typdefaultbin IS NOT NULL
                UNION ALL
                SELECT 'k', 'pg_catalog.pg_constraint'::regclass, con.oid, NULL, NULL, t.oid
                FROM domains t JOIN pg_catalog.pg_constraint con ON con.contypid = t.oid AND con.contype = 'c'
            """,
        NotRead: """
                 AND NOT (rd.refclassid = 'pg_catalog.pg_type'::regclass AND rd.refobjid = o.own_type AND o.object_kind = 'k')
            """,
        Joins: "LEFT JOIN pg_catalog.pg_type t ON o.object_kind = 't' AND t.oid = o.objid",
        Where: $"t.oid IS NULL OR NOT ({DomainOwnDependency})");

    /// <summary>
    /// pg_depend row rd (of domain t's pg_type row) is the type's own, not its default's: the base type recorded once,
    /// or a function the domain takes from its base type for input, output and analysis.
    /// </summary>
    private const string DomainOwnDependency = """
        (rd.refclassid = 'pg_catalog.pg_type'::regclass AND rd.refobjid = t.typbasetype
         AND (SELECT count(*) FROM pg_catalog.pg_depend b WHERE b.classid = 'pg_catalog.pg_type'::regclass AND b.objid = t.oid
                AND b.refclassid = 'pg_catalog.pg_type'::regclass AND b.refobjid = t.typbasetype) = 1)
        OR (rd.refclassid = 'pg_catalog.pg_proc'::regclass
            AND rd.refobjid IN (t.typinput, t.typoutput, t.typreceive, t.typsend, t.typmodin, t.typmodout, t.typanalyze, t.typsubscript))
        """;
}

internal sealed partial class ModelReader
{
    /// <summary>The domains, from one row per check (a domain without checks has one row of NULLs for them).</summary>
    internal async Task<DatabaseModel> ReadDomainsAsync(DatabaseModel model, CancellationToken ct)
    {
        // (Lists side by side rather than of tuples: generic code over a value type that ReadyToRun cannot precompile.)
        var domains = new List<Domain>();
        var checksOf = new List<List<CheckConstraint>>();
        var checks = new Dictionary<long, List<CheckConstraint>>();
        while (await reader.ReadAsync(ct))
        {
            var oid = reader.GetInt64(14);
            if (!checks.TryGetValue(oid, out var domainChecks))
            {
                checks.Add(oid, domainChecks = []);
                var baseType = ColumnTypes.FromCatalog(
                    isArray: reader.GetBoolean(4),
                    declaredDimensions: reader.GetInt32(5),
                    typeModifier: reader.GetInt32(6),
                    typeName: reader.GetString(7),
                    typeSchema: reader.GetString(8),
                    typeKind: reader.GetString(9),
                    formattedType: reader.GetString(10));
                var defaultSql = NullableString(3) is { } expression ? DefaultExpressions.Normalize(expression, reader.GetString(11), baseType) : null;
                checksOf.Add(domainChecks);
                domains.Add(new Domain(
                    reader.GetString(0),
                    reader.GetString(1),
                    baseType,
                    reader.GetBoolean(2),
                    defaultSql,
                    Collation: NullableString(12),
                    Comment: NullableString(13),
                    DefaultReads: defaultSql is null ? ExpressionReads.Unknown : _reads.Of('t', oid),
                    CollationSchema: NullableString(18)));
            }
            if (!reader.IsDBNull(15))
                domainChecks.Add(new CheckConstraint(reader.GetString(15), CheckExpression(reader.GetString(16)), _reads.Of('k', reader.GetInt64(17))));
        }
        for (var i = 0; i < domains.Count; i++)
            domains[i] = domains[i] with { Checks = checksOf[i].ToValueList() };
        return model with { Domains = domains.ToValueList() };
    }
}

internal static partial class ColumnTypes
{
    internal static readonly UserTypeKind DomainType = Register(new(Order: 10, TypType: "d",
        static name => new ColumnType(TypeKind.Domain, DomainName: name)));
}
