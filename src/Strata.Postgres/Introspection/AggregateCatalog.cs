using Strata.Model;

namespace Strata.Postgres.Introspection;

// PostgreSQL aggregates read from the catalog, in one file: the query of the aggregates in the selected schemas, with
// their definitions printed as pg_dump's dumpAgg prints them, and their reading into the model.

internal static partial class CatalogQueries
{
    internal static readonly CatalogKind AggregateCatalog = Register(new(Order: 22, AggregatesQuery,
        static (reader, model, ct) => reader.ReadAggregatesAsync(model, ct)));

    /// <summary>
    /// Aggregates (pg_aggregate over pg_proc) with their arguments (<c>*</c> for none) and their definition: the options of
    /// CREATE AGGREGATE in pg_dump's order, each only where it is not PostgreSQL's default (FINALFUNC_MODIFY's is READ_ONLY
    /// for a plain aggregate, READ_WRITE for an ordered-set one), functions and types named as the search path of the
    /// introspection prints them.
    /// </summary>
    private static string AggregatesQuery() => $"""
        SELECT n.nspname::text, p.proname::text,
               CASE WHEN p.pronargs = 0 THEN '*' ELSE pg_catalog.pg_get_function_identity_arguments(p.oid) END,
               {AggregateDefinition},
               d.description
        FROM pg_catalog.pg_aggregate a
        JOIN pg_catalog.pg_proc p ON p.oid = a.aggfnoid
        JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
        LEFT JOIN pg_catalog.pg_description d ON d.objoid = p.oid AND d.classoid = 'pg_catalog.pg_proc'::regclass AND d.objsubid = 0
        WHERE {SchemaFilter} AND {NotFromExtension("pg_proc", "p.oid")}
        """;

    /// <summary>The definition of aggregate a (pg_aggregate) over p (its pg_proc row), as <see cref="Aggregate.Definition"/> holds it.</summary>
    private const string AggregateDefinition = """
        pg_catalog.concat_ws(', ',
            'SFUNC = ' || a.aggtransfn::pg_catalog.regproc,
            'STYPE = ' || pg_catalog.format_type(a.aggtranstype, NULL),
            CASE WHEN a.aggtransspace <> 0 THEN 'SSPACE = ' || a.aggtransspace END,
            CASE WHEN a.aggfinalfn <> 0 THEN 'FINALFUNC = ' || a.aggfinalfn::pg_catalog.regproc END,
            CASE WHEN a.aggfinalextra THEN 'FINALFUNC_EXTRA' END,
            CASE WHEN a.aggfinalfn <> 0 AND a.aggfinalmodify <> CASE a.aggkind WHEN 'n' THEN 'r' ELSE 'w' END
                 THEN 'FINALFUNC_MODIFY = ' || CASE a.aggfinalmodify WHEN 'r' THEN 'READ_ONLY' WHEN 's' THEN 'SHAREABLE' ELSE 'READ_WRITE' END END,
            CASE WHEN a.aggcombinefn <> 0 THEN 'COMBINEFUNC = ' || a.aggcombinefn::pg_catalog.regproc END,
            CASE WHEN a.aggserialfn <> 0 THEN 'SERIALFUNC = ' || a.aggserialfn::pg_catalog.regproc END,
            CASE WHEN a.aggdeserialfn <> 0 THEN 'DESERIALFUNC = ' || a.aggdeserialfn::pg_catalog.regproc END,
            CASE WHEN a.agginitval IS NOT NULL THEN 'INITCOND = ' || pg_catalog.quote_literal(a.agginitval) END,
            CASE WHEN a.aggmtransfn <> 0 THEN 'MSFUNC = ' || a.aggmtransfn::pg_catalog.regproc END,
            CASE WHEN a.aggminvtransfn <> 0 THEN 'MINVFUNC = ' || a.aggminvtransfn::pg_catalog.regproc END,
            CASE WHEN a.aggmtransfn <> 0 THEN 'MSTYPE = ' || pg_catalog.format_type(a.aggmtranstype, NULL) END,
            CASE WHEN a.aggmtransspace <> 0 THEN 'MSSPACE = ' || a.aggmtransspace END,
            CASE WHEN a.aggmfinalfn <> 0 THEN 'MFINALFUNC = ' || a.aggmfinalfn::pg_catalog.regproc END,
            CASE WHEN a.aggmfinalextra THEN 'MFINALFUNC_EXTRA' END,
            CASE WHEN a.aggmfinalfn <> 0 AND a.aggmfinalmodify <> CASE a.aggkind WHEN 'n' THEN 'r' ELSE 'w' END
                 THEN 'MFINALFUNC_MODIFY = ' || CASE a.aggmfinalmodify WHEN 'r' THEN 'READ_ONLY' WHEN 's' THEN 'SHAREABLE' ELSE 'READ_WRITE' END END,
            CASE WHEN a.aggminitval IS NOT NULL THEN 'MINITCOND = ' || pg_catalog.quote_literal(a.aggminitval) END,
            CASE WHEN a.aggsortop <> 0 THEN (SELECT pg_catalog.format('SORTOP = OPERATOR(%I.%s)', opn.nspname, o.oprname)
                                             FROM pg_catalog.pg_operator o JOIN pg_catalog.pg_namespace opn ON opn.oid = o.oprnamespace
                                             WHERE o.oid = a.aggsortop) END,
            CASE p.proparallel WHEN 's' THEN 'PARALLEL = SAFE' WHEN 'r' THEN 'PARALLEL = RESTRICTED' END,
            CASE WHEN a.aggkind = 'h' THEN 'HYPOTHETICAL' END)
        """;
}

internal sealed partial class ModelReader
{
    internal async Task<DatabaseModel> ReadAggregatesAsync(DatabaseModel model, CancellationToken ct)
    {
        var aggregates = new List<Aggregate>();
        while (await reader.ReadAsync(ct))
            aggregates.Add(new Aggregate(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), NullableString(4)));
        return model with { Aggregates = aggregates.ToValueList() };
    }
}
