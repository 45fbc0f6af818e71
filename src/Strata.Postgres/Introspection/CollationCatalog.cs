using Strata.Model;

namespace Strata.Postgres.Introspection;

// PostgreSQL collations read from the catalog, in one file: the query of the collations in the selected schemas and
// their reading into the model. The ICU locale's column differs by server version (CatalogQueries.ForServer).

internal static partial class CatalogQueries
{
    internal static readonly CatalogKind CollationCatalog = Register(new(Order: 4, CollationsQuery,
        static (reader, model, ct) => reader.ReadCollationsAsync(model, ct)));

    /// <summary>
    /// The ICU locale as PostgreSQL 15 and 16 store it (<c>colliculocale</c>); 17 renamed it <c>colllocale</c> and 14 and
    /// older keep it in <c>collcollate</c>: <see cref="ForServer"/> replaces this text.
    /// </summary>
    internal const string IcuLocale = "co.colliculocale";

    /// <summary>
    /// Collations in the selected schemas (a libc one's LC_COLLATE and LC_CTYPE, an ICU one's locale; the model's
    /// normal form makes a libc pair that agree its LOCALE), with their comment.
    /// </summary>
    private static string CollationsQuery() => $"""
        SELECT n.nspname::text, co.collname::text, co.collprovider::text, co.collisdeterministic,
               CASE WHEN co.collprovider = 'i' THEN {IcuLocale} END,
               CASE WHEN co.collprovider = 'c' THEN co.collcollate END,
               CASE WHEN co.collprovider = 'c' THEN co.collctype END,
               d.description
        FROM pg_catalog.pg_collation co
        JOIN pg_catalog.pg_namespace n ON n.oid = co.collnamespace
        LEFT JOIN pg_catalog.pg_description d ON d.objoid = co.oid AND d.classoid = 'pg_catalog.pg_collation'::regclass AND d.objsubid = 0
        WHERE {SchemaFilter} AND {NotFromExtension("pg_collation", "co.oid")}
        """;
}

internal sealed partial class ModelReader
{
    internal async Task<DatabaseModel> ReadCollationsAsync(DatabaseModel model, CancellationToken ct)
    {
        var collations = new List<Collation>();
        while (await reader.ReadAsync(ct))
        {
            collations.Add(new Collation(
                reader.GetString(0),
                reader.GetString(1),
                reader.GetString(2) == "i" ? Collation.Icu : Collation.Libc,
                NullableString(4),
                NullableString(5),
                NullableString(6),
                reader.GetBoolean(3),
                NullableString(7)).Normalize());
        }
        return model with { Collations = collations.ToValueList() };
    }
}
