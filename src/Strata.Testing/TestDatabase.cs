using Npgsql;
using Strata.Postgres.Execution;
using Strata.Postgres.Sql;

namespace Strata.Testing;

/// <summary>
/// A database of its own for one test (or one test class), created by
/// <see cref="TestDatabaseServer.CreateDatabaseAsync"/> or <see cref="TestDatabaseTemplate.CloneAsync"/> and dropped, with any open connections, on dispose.
/// </summary>
public sealed class TestDatabase : IAsyncDisposable
{
    private readonly NpgsqlDataSource _admin;
    private int _disposed;

    internal TestDatabase(string name, string connectionString, NpgsqlDataSource admin)
    {
        Name = name;
        ConnectionString = connectionString;
        _admin = admin;
        DataSource = NpgsqlDataSource.Create(connectionString);
    }

    /// <summary>The database's name (unique on the server).</summary>
    public string Name { get; }

    public string ConnectionString { get; }

    /// <summary>A data source (connection pool) for this database, disposed with it.</summary>
    public NpgsqlDataSource DataSource { get; }

    public ValueTask<NpgsqlConnection> OpenConnectionAsync(CancellationToken ct = default) => DataSource.OpenConnectionAsync(ct);

    /// <summary>Runs SQL (one or several statements separated by ';') and returns the rows affected.</summary>
    public async Task<int> ExecuteAsync(string sql, CancellationToken ct = default)
    {
        if (StatementExecutor.SplitWhereNpgsqlCannot(sql, "SQL") is { } statements)
        {
            await using var batch = DataSource.CreateBatch();
            foreach (var statement in statements)
                batch.BatchCommands.Add(new NpgsqlBatchCommand(statement.Sql));
            return await batch.ExecuteNonQueryAsync(ct);
        }
        await using var command = DataSource.CreateCommand(sql);
        return await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>The first column of the first row of a query.</summary>
    public async Task<T> ScalarAsync<T>(string sql, CancellationToken ct = default)
    {
        await using var command = DataSource.CreateCommand(sql);
        var value = await command.ExecuteScalarAsync(ct);
        return value is T typed ? typed : (T)Convert.ChangeType(value, typeof(T), System.Globalization.CultureInfo.InvariantCulture)!;
    }

    /// <summary>Closes this process's connections to the database (PostgreSQL copies a template only when nobody is connected).</summary>
    internal async Task CloseConnectionsAsync()
    {
        await DataSource.DisposeAsync();
        // Connections a test opened itself sit in Npgsql's global pool.
        await using var pooled = new NpgsqlConnection(ConnectionString);
        NpgsqlConnection.ClearPool(pooled);
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
            return;
        await CloseConnectionsAsync();
        await using var command = _admin.CreateCommand($"DROP DATABASE IF EXISTS {SqlIdentifier.Quote(Name)} WITH (FORCE)");
        await command.ExecuteNonQueryAsync();
    }
}
