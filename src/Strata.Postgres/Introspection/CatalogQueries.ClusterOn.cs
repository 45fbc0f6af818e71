namespace Strata.Postgres.Introspection;

internal static partial class CatalogQueries
{
    /// <summary>
    /// The name of the index of relation <paramref name="relation"/> marked clustered (ALTER TABLE … CLUSTER ON), as a
    /// scalar subquery, when the model holds that index: a plain index, a primary key's or a unique constraint's; not an
    /// exclusion constraint's nor a partition's copy of its parent's index, which pull lists as not carried
    /// (<see cref="UnmodelledObjects"/>). Probes pg_index's index on indrelid.
    /// </summary>
    internal static string ClusteredIndex(string relation) => $"""
        (SELECT ic.relname::text FROM pg_catalog.pg_index ci JOIN pg_catalog.pg_class ic ON ic.oid = ci.indexrelid
         WHERE ci.indrelid = {relation} AND ci.indisclustered AND {ClusterOnCarried("ci")})
        """;

    /// <summary>Whether the model carries pg_index row <paramref name="index"/>'s CLUSTER ON mark (see <see cref="ClusteredIndex"/>).</summary>
    internal static string ClusterOnCarried(string index) => $"""
        NOT EXISTS (SELECT FROM pg_catalog.pg_constraint cx WHERE cx.conindid = {index}.indexrelid AND cx.contype = 'x')
             AND NOT EXISTS (SELECT FROM pg_catalog.pg_inherits cih WHERE cih.inhrelid = {index}.indexrelid)
        """;
}
