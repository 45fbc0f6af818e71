using System.Data;
using Npgsql;
using Strata.Model;
using Strata.Postgres.Introspection;
using Strata.Postgres.Migrations;
using Strata.Postgres.Sql;

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

    /// <summary>
    /// What pull reads: the schema as <see cref="ReadAsync(NpgsqlConnection, QualifiedName, IntrospectionOptions, CancellationToken)"/>
    /// reads it, and what the model has no place for (<see cref="UnmodelledObjects"/>). The two reads run at once
    /// on two connections of <paramref name="dataSource"/> that share one snapshot (<c>pg_export_snapshot</c>), so
    /// they see the same database and the server works on both together (the unmodelled objects' query alone
    /// took a fifth of a 375-table pull's reads); where a snapshot cannot be shared, one after the other in one
    /// transaction.
    /// </summary>
    public static async Task<(DatabaseModel Model, IReadOnlyList<UnmodelledObject> NotModelled)> ReadWithUnmodelledAsync(
        NpgsqlDataSource dataSource, QualifiedName trackingTable, IntrospectionOptions selection, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        var opening = dataSource.OpenConnectionAsync(ct).AsTask();
        NpgsqlConnection opened;
        try
        {
            opened = await dataSource.OpenConnectionAsync(ct);
        }
        catch
        {
            // The other connection may open all the same: it goes back to the pool rather than being held until collected.
            try
            {
                await (await opening).DisposeAsync();
            }
            catch (Exception) when (opening.IsFaulted || opening.IsCanceled)
            {
                // It failed too: the first failure is the one to tell.
            }
            throw;
        }
        await using var first = opened;
        await using var second = await opening;
        await using var transaction = await first.BeginTransactionAsync(IsolationLevel.RepeatableRead, ct);
        if (await ExportSnapshotAsync(first, ct) is not { } snapshot)
        {
            await transaction.RollbackAsync(ct);
            var model = await ReadAsync(first, trackingTable, selection, ct);
            return (model, await UnmodelledObjects.ReadAsync(first, selection, ct));
        }

        await using var beside = await second.BeginTransactionAsync(IsolationLevel.RepeatableRead, ct);
        await using (var import = new NpgsqlCommand($"SET TRANSACTION SNAPSHOT {SqlIdentifier.Literal(snapshot)}", second, beside))
            await import.ExecuteNonQueryAsync(ct);
        var notModelled = UnmodelledObjects.ReadAsync(second, selection, ct);
        var read = ReadAsync(first, trackingTable, selection, ct);
        await Task.WhenAll(read, notModelled);
        return (read.Result, notModelled.Result);
    }

    // pg_export_snapshot() is refused where a snapshot cannot be shared (a hot standby before PostgreSQL 10, some
    // proxies): the reads then run one after the other. (It cannot run under a savepoint: PostgreSQL exports no
    // snapshot from a subtransaction, so a refusal ends the transaction.)
    private static async Task<string?> ExportSnapshotAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand("SELECT pg_catalog.pg_export_snapshot()", connection);
        try
        {
            return (string?)await command.ExecuteScalarAsync(ct);
        }
        catch (PostgresException)
        {
            return null;
        }
    }
}
