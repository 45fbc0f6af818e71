using Strata.Model;

namespace Strata.Postgres.Introspection;

// PostgreSQL composite types read from the catalog, in one file: the query of the composite types (pg_type typtype 'c'
// whose pg_class row is relkind 'c', not a table's row type) with their fields, their reading into the model, and a
// column's type that is one.

internal static partial class CatalogQueries
{
    internal static readonly CatalogKind CompositeCatalog = Register(new(Order: 13, CompositesQuery,
        static (reader, model, ct) => reader.ReadCompositesAsync(model, ct)));

    /// <summary>
    /// Composite types with their fields in order, one row per field (one with NULLs for a type without fields): each
    /// field's type described as a column's is (an array by its element type), and its collation when not its type's.
    /// </summary>
    private static string CompositesQuery() => $"""
        SELECT n.nspname::text, t.typname::text, {Comment("t.oid", "pg_type")}, t.oid::int8,
               a.attname::text, a.attndims, a.atttypmod, (at.typcategory = 'A' AND at.typelem <> 0) AS is_array,
               et.typname::text, etn.nspname::text, {ModelledTypeKind("et", "etn.nspname")}, pg_catalog.format_type(et.oid, a.atttypmod),
               CASE WHEN a.attcollation <> at.typcollation THEN co.collname::text END,
               CASE WHEN a.attcollation <> at.typcollation AND con.nspname NOT IN ('pg_catalog', 'public') THEN con.nspname::text END
        FROM pg_catalog.pg_type t
        JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
        JOIN pg_catalog.pg_class c ON c.oid = t.typrelid AND c.relkind = 'c'
        LEFT JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
        LEFT JOIN pg_catalog.pg_type at ON at.oid = a.atttypid
        LEFT JOIN pg_catalog.pg_type et ON et.oid = CASE WHEN at.typcategory = 'A' AND at.typelem <> 0 THEN at.typelem ELSE at.oid END
        LEFT JOIN pg_catalog.pg_namespace etn ON etn.oid = et.typnamespace
        LEFT JOIN pg_catalog.pg_collation co ON co.oid = a.attcollation
        LEFT JOIN pg_catalog.pg_namespace con ON con.oid = co.collnamespace
        WHERE t.typtype = 'c' AND {SchemaFilter} AND {NotFromExtension("pg_type", "t.oid")}
        ORDER BY t.oid, a.attnum
        """;

    /// <summary>A pg_type row (alias <paramref name="type"/>) of typtype 'c' is a composite type, not a table's, view's or sequence's row type.</summary>
    internal static string IsCompositeType(string type) =>
        $"EXISTS (SELECT FROM pg_catalog.pg_class rc WHERE rc.oid = {type}.typrelid AND rc.relkind = 'c')";
}

internal sealed partial class ModelReader
{
    /// <summary>The composite types, from one row per field (a type without fields has one row of NULLs for them).</summary>
    internal async Task<DatabaseModel> ReadCompositesAsync(DatabaseModel model, CancellationToken ct)
    {
        // (Lists side by side rather than of tuples: generic code over a value type that ReadyToRun cannot precompile.)
        var composites = new List<CompositeType>();
        var fieldsOf = new List<List<CompositeField>>();
        var lastOid = -1L;
        while (await reader.ReadAsync(ct))
        {
            var oid = reader.GetInt64(3);
            if (oid != lastOid)
            {
                lastOid = oid;
                composites.Add(new CompositeType(reader.GetString(0), reader.GetString(1), [], NullableString(2)));
                fieldsOf.Add([]);
            }
            if (reader.IsDBNull(4))
                continue;
            var type = ColumnTypes.FromCatalog(
                isArray: reader.GetBoolean(7),
                declaredDimensions: reader.GetInt32(5),
                typeModifier: reader.GetInt32(6),
                typeName: reader.GetString(8),
                typeSchema: reader.GetString(9),
                typeKind: reader.GetString(10),
                formattedType: reader.GetString(11));
            fieldsOf[^1].Add(new CompositeField(reader.GetString(4), type, NullableString(12), NullableString(13)));
        }
        for (var i = 0; i < composites.Count; i++)
            composites[i] = composites[i] with { Fields = fieldsOf[i].ToValueList() };
        return model with { Composites = composites.ToValueList() };
    }
}

internal static partial class ColumnTypes
{
    internal static readonly UserTypeKind CompositeType = Register(new(Order: 13, TypType: "c",
        static name => new ColumnType(TypeKind.Composite, CompositeName: name), CatalogQueries.IsCompositeType));
}
