using Strata.Model;

namespace Strata.Postgres.Introspection;

// PostgreSQL functions and procedures read from the catalog, in one file: the query of the routines with a body in a
// string or a SQL-standard one (one row per argument), and their reading into the model. Aggregates, window functions,
// C and internal functions are not modelled: UnmodelledObjects names them.

internal static partial class CatalogQueries
{
    internal static readonly CatalogKind FunctionCatalog = Register(new(Order: 20, FunctionsQuery,
        static (reader, model, ct) => reader.ReadFunctionsAsync(model, ct)));

    /// <summary>
    /// The routines the model carries (<see cref="ModelledRoutine"/>), one row per argument (one with NULLs for a
    /// routine without arguments), in order: argument types and the result type are described as a column's are (an
    /// array by its element), the modes, names and defaults from pg_proc's arrays (proallargtypes holds the OUT and
    /// TABLE arguments too; it is NULL when all are IN).
    /// </summary>
    private static string FunctionsQuery() => $"""
        SELECT n.nspname::text, p.proname::text, p.prokind::text, l.lanname::text, p.provolatile::text, p.proisstrict, p.prosecdef,
               p.proleakproof, p.proparallel::text, p.procost::numeric, p.prorows::numeric, p.proretset, {RoutineBody}, p.proconfig,
               {Comment("p.oid", "pg_proc")}, p.oid::int8,
               (rt.typcategory = 'A' AND rt.typelem <> 0), ret.typname::text, retn.nspname::text, {ModelledTypeKind("ret", "retn.nspname")},
               pg_catalog.format_type(ret.oid, NULL),
               a.ord::int4, a.name, a.mode::text,
               (at.typcategory = 'A' AND at.typelem <> 0), aet.typname::text, aetn.nspname::text, {ModelledTypeKind("aet", "aetn.nspname")},
               pg_catalog.format_type(aet.oid, NULL),
               CASE WHEN a.ord IS NOT NULL THEN pg_catalog.pg_get_function_arg_default(p.oid, a.ord::int4) END
        FROM pg_catalog.pg_proc p
        JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
        JOIN pg_catalog.pg_language l ON l.oid = p.prolang
        JOIN pg_catalog.pg_type rt ON rt.oid = p.prorettype
        JOIN pg_catalog.pg_type ret ON ret.oid = CASE WHEN rt.typcategory = 'A' AND rt.typelem <> 0 THEN rt.typelem ELSE rt.oid END
        JOIN pg_catalog.pg_namespace retn ON retn.oid = ret.typnamespace
        LEFT JOIN LATERAL unnest(COALESCE(p.proallargtypes, p.proargtypes::oid[]), p.proargmodes, p.proargnames)
            WITH ORDINALITY AS a(typ, mode, name, ord) ON a.typ IS NOT NULL
        LEFT JOIN pg_catalog.pg_type at ON at.oid = a.typ
        LEFT JOIN pg_catalog.pg_type aet ON aet.oid = CASE WHEN at.typcategory = 'A' AND at.typelem <> 0 THEN at.typelem ELSE at.oid END
        LEFT JOIN pg_catalog.pg_namespace aetn ON aetn.oid = aet.typnamespace
        WHERE {ModelledRoutine} AND {SchemaFilter} AND {NotFromExtension("pg_proc", "p.oid")}
        ORDER BY p.oid, a.ord
        """;

    /// <summary>
    /// Routine p's body: a SQL-standard one (PostgreSQL 14+, which leaves prosrc empty) as PostgreSQL prints it, from its
    /// RETURN or BEGIN ATOMIC; else the string. (<see cref="ForServer"/> reads prosrc alone before 14.)
    /// </summary>
    internal const string RoutineBody = "CASE WHEN p.prosqlbody IS NOT NULL THEN pg_catalog.pg_get_function_sqlbody(p.oid) ELSE p.prosrc END";

    /// <summary>
    /// Routine p (in language l) is one the model carries: a function or procedure with a body in a string or a
    /// SQL-standard one, in a language other than C and internal, not made by PostgreSQL for another object (deptype
    /// 'i': a range type's constructors).
    /// </summary>
    internal const string ModelledRoutine = """
        p.prokind IN ('f', 'p') AND l.lanname NOT IN ('c', 'internal')
          AND NOT EXISTS (SELECT FROM pg_catalog.pg_depend i WHERE i.classid = 'pg_catalog.pg_proc'::regclass AND i.objid = p.oid AND i.deptype = 'i')
        """;
}

internal sealed partial class ModelReader
{
    /// <summary>The routines, from one row per argument (a routine without arguments has one row of NULLs for them).</summary>
    internal async Task<DatabaseModel> ReadFunctionsAsync(DatabaseModel model, CancellationToken ct)
    {
        // (Lists side by side rather than of tuples: generic code over a value type that ReadyToRun cannot precompile.)
        var functions = new List<Function>();
        var argumentsOf = new List<List<FunctionArgument>>();
        var lastOid = -1L;
        List<FunctionArgument>? arguments = null;
        while (await reader.ReadAsync(ct))
        {
            var oid = reader.GetInt64(15);
            if (oid != lastOid || arguments is null)
            {
                lastOid = oid;
                argumentsOf.Add(arguments = []);
                var isProcedure = reader.GetString(2) == "p";
                var returnsSet = reader.GetBoolean(11);
                var language = reader.GetString(3);
                var cost = reader.GetDecimal(9);
                var rows = reader.GetDecimal(10);
                functions.Add(new Function(
                    reader.GetString(0),
                    reader.GetString(1),
                    [],
                    isProcedure ? null : ColumnTypes.FromCatalog(reader.GetBoolean(16), 0, -1, reader.GetString(17), reader.GetString(18), reader.GetString(19), reader.GetString(20)),
                    language,
                    reader.GetString(12).Replace("\r\n", "\n", StringComparison.Ordinal),
                    isProcedure ? RoutineKind.Procedure : RoutineKind.Function,
                    returnsSet,
                    reader.GetString(4) switch { "i" => Volatility.Immutable, "s" => Volatility.Stable, _ => Volatility.Volatile },
                    reader.GetBoolean(5),
                    reader.GetBoolean(6),
                    reader.GetBoolean(7),
                    reader.GetString(8) switch { "s" => ParallelSafety.Safe, "r" => ParallelSafety.Restricted, _ => ParallelSafety.Unsafe },
                    // A procedure has no cost or rows the DDL can set.
                    isProcedure ? null : cost,
                    isProcedure ? null : rows,
                    Settings(reader.IsDBNull(13) ? [] : reader.GetFieldValue<string[]>(13)),
                    NullableString(14)));
            }
            if (reader.IsDBNull(21))
                continue;
            var type = ColumnTypes.FromCatalog(reader.GetBoolean(24), 0, -1, reader.GetString(25), reader.GetString(26), reader.GetString(27), reader.GetString(28));
            arguments.Add(new FunctionArgument(
                NullableString(22) is { Length: > 0 } name ? name : null,
                type,
                NullableString(23) switch { "o" => ArgumentMode.Out, "b" => ArgumentMode.InOut, "v" => ArgumentMode.Variadic, "t" => ArgumentMode.Table, _ => ArgumentMode.In },
                NullableString(29)));
        }
        for (var i = 0; i < functions.Count; i++)
            functions[i] = functions[i] with { Arguments = argumentsOf[i].ToValueList() };
        return model with { Functions = functions.ToValueList() };
    }

    /// <summary>pg_proc.proconfig's <c>name=value</c> entries.</summary>
    private static ValueList<FunctionSetting> Settings(string[] entries) => entries
        .Select(e => e.IndexOf('=', StringComparison.Ordinal) is var at and > 0
            ? new FunctionSetting(e[..at], e[(at + 1)..])
            : new FunctionSetting(e, ""))
        .ToValueList();
}
