using Strata.Model;

namespace Strata.Postgres.Introspection;

// PostgreSQL extensions read from the catalog, in one file: the query of the extensions in the selected schemas and
// their reading into the model. Their objects (pg_depend deptype 'e') are left out by every other query
// (CatalogQueries.NotFromExtension) and by the list of what the model has no place for.

internal static partial class CatalogQueries
{
    internal static readonly CatalogKind ExtensionCatalog = Register(new(Order: 3, ExtensionsQuery,
        static (reader, model, ct) => reader.ReadExtensionsAsync(model, ct)));

    /// <summary>
    /// Extensions in the selected schemas (plpgsql, in pg_catalog, is the server's, not the user's), with their version
    /// and comment only where they differ from the defaults of the extension's control file (what CREATE EXTENSION
    /// without VERSION installs and comments), which pg_available_extensions() reads, once per extension.
    /// </summary>
    private static string ExtensionsQuery() => $"""
        SELECT e.extname::text, n.nspname::text,
               CASE WHEN e.extversion IS DISTINCT FROM a.default_version THEN e.extversion END,
               CASE WHEN d.description IS DISTINCT FROM a.comment THEN d.description END
        FROM pg_catalog.pg_extension e
        JOIN pg_catalog.pg_namespace n ON n.oid = e.extnamespace
        LEFT JOIN LATERAL (SELECT x.default_version, x.comment FROM pg_catalog.pg_available_extensions() x WHERE x.name = e.extname) a ON true
        LEFT JOIN pg_catalog.pg_description d ON d.objoid = e.oid AND d.classoid = 'pg_catalog.pg_extension'::regclass AND d.objsubid = 0
        WHERE e.extname <> 'plpgsql' AND {SchemaFilter}
        """;
}

internal sealed partial class ModelReader
{
    internal async Task<DatabaseModel> ReadExtensionsAsync(DatabaseModel model, CancellationToken ct)
    {
        var extensions = new List<Extension>();
        while (await reader.ReadAsync(ct))
            extensions.Add(new Extension(reader.GetString(0), reader.GetString(1), NullableString(2), NullableString(3)));
        return model with { Extensions = extensions.ToValueList() };
    }
}
