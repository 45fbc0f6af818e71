using Npgsql;
using Strata.Model;
using Strata.Postgres.Introspection;
using Strata.Postgres.Migrations;

namespace Strata.Postgres.Comparison;

/// <summary>
/// The live database a comparison reads: its pool, its connection settings (a scratch database is opened
/// with them, under another name, on the same server) and how it is named in messages.
/// </summary>
public sealed record LiveDatabase(NpgsqlDataSource DataSource, NpgsqlConnectionStringBuilder Connection, string Description)
{
    /// <summary>
    /// The live schema as <paramref name="selection"/> (--schema, --table) selects it, without the tracking
    /// table (and its schema when nothing else is in it): what push, pull and check --env compare or write.
    /// </summary>
    public async Task<DatabaseModel> ReadAsync(QualifiedName trackingTable, IntrospectionOptions selection, CancellationToken ct)
    {
        await using var connection = await DataSource.OpenConnectionAsync(ct);
        return await ReadAsync(connection, trackingTable, selection, ct);
    }

    /// <summary>
    /// The schema <paramref name="connection"/>'s database holds, as <paramref name="selection"/> selects it,
    /// without the tracking table (<see cref="ManagedObjects.WithoutTrackingTable"/>): every comparison with a
    /// live database reads it so, migrate --baseline inside the migrator's own session.
    /// </summary>
    public static async Task<DatabaseModel> ReadAsync(NpgsqlConnection connection, QualifiedName trackingTable, IntrospectionOptions selection, CancellationToken ct) =>
        ManagedObjects.WithoutTrackingTable(await PostgresIntrospector.ReadAsync(connection, selection, ct), trackingTable);
}
