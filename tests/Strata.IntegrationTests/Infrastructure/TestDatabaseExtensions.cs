using Npgsql;
using Strata.Model;
using Strata.Testing;

namespace Strata.IntegrationTests.Infrastructure;

/// <summary>Questions tests ask a database, answered from the catalog.</summary>
public static class TestDatabaseExtensions
{
    /// <summary>The database as push, check and the scratch builds take it (<see cref="Strata.Postgres.Comparison.LiveDatabase"/>).</summary>
    public static Strata.Postgres.Comparison.LiveDatabase AsLive(this TestDatabase database) =>
        new(database.DataSource, new NpgsqlConnectionStringBuilder(database.ConnectionString), database.Name);

    /// <summary>
    /// How many databases named <paramref name="prefix"/>… the server still has, after waiting (up to a minute) for
    /// none: the test classes run in parallel on one server, and another class's push or check holds a scratch database
    /// of the same prefix for a moment, while one left behind stays for good.
    /// </summary>
    public static async Task<long> ScratchDatabasesLeftAsync(this TestDatabase database, string prefix)
    {
        var pattern = prefix.Replace("_", "\\_", StringComparison.Ordinal) + "%";
        var deadline = DateTime.UtcNow.AddMinutes(1);
        long count;
        while ((count = await database.ScalarAsync<long>($"SELECT count(*) FROM pg_database WHERE datname LIKE '{pattern}'")) > 0
               && DateTime.UtcNow < deadline)
            await Task.Delay(200);
        return count;
    }

    public static async Task<long> CountRowsAsync(this TestDatabase database, QualifiedName table) =>
        await database.ScalarAsync<long>($"SELECT count(*) FROM {Quote(table)}");

    public static Task<long> CountRowsAsync(this TestDatabase database, string table) => database.CountRowsAsync(QualifiedName.Parse(table));

    public static async Task<bool> TableExistsAsync(this TestDatabase database, QualifiedName table)
    {
        await using var command = database.DataSource.CreateCommand(
            "SELECT EXISTS (SELECT FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relname = $2)");
        command.Parameters.Add(new NpgsqlParameter { Value = table.Schema });
        command.Parameters.Add(new NpgsqlParameter { Value = table.Name });
        return (bool)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>Column names of a table, in order.</summary>
    public static async Task<IReadOnlyList<string>> ColumnNamesAsync(this TestDatabase database, QualifiedName table)
    {
        await using var command = database.DataSource.CreateCommand(
            "SELECT attname FROM pg_attribute WHERE attrelid = $1::regclass AND attnum > 0 AND NOT attisdropped ORDER BY attnum");
        command.Parameters.Add(new NpgsqlParameter { Value = Quote(table) });
        var names = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
            names.Add(reader.GetString(0));
        return names;
    }

    /// <summary>Every row of a query, each as an array of its column values (DBNull as null).</summary>
    public static async Task<IReadOnlyList<object?[]>> QueryAsync(this TestDatabase database, string sql)
    {
        await using var command = database.DataSource.CreateCommand(sql);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<object?[]>();
        while (await reader.ReadAsync())
        {
            var row = new object?[reader.FieldCount];
            for (var i = 0; i < row.Length; i++)
                row[i] = await reader.IsDBNullAsync(i) ? null : reader.GetValue(i);
            rows.Add(row);
        }
        return rows;
    }

    private static string Quote(QualifiedName name) => Quote(name.Schema) + "." + Quote(name.Name);

    private static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"") + "\"";
}
