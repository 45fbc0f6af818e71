using Npgsql;
using Strata.Postgres.Migrations;
using Strata.Testing;

namespace Strata.IntegrationTests.Scenarios;

/// <summary>
/// Three databases that a test class reuses for every round trip: db1 is migrated A → B → A, db2 is
/// built from B alone, db3 from A alone. Between round trips they are emptied by dropping the user's
/// schemas, which is far cheaper than creating databases.
/// </summary>
public sealed class RoundTripDatabases : IAsyncDisposable
{
    private readonly TestDatabase[] _databases;
    private readonly NpgsqlDataSource[] _sources;

    private RoundTripDatabases(TestDatabase[] databases)
    {
        _databases = databases;
        // PostgreSQL's DETAIL (which objects depend on a type, say) is what makes a failure readable.
        _sources = databases.Select(d => NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(d.ConnectionString) { IncludeErrorDetail = true }.ConnectionString)).ToArray();
    }

    public static async Task<RoundTripDatabases> CreateAsync()
    {
        var databases = new List<TestDatabase>();
        try
        {
            foreach (var role in new[] { "roundtrip_migrated", "roundtrip_to", "roundtrip_from" })
                databases.Add(await PostgresTestServer.CreateDatabaseAsync(role));
            return new RoundTripDatabases([.. databases]);
        }
        catch
        {
            foreach (var database in databases)
                await database.DisposeAsync();
            throw;
        }
    }

    /// <summary>Empties the three databases and returns them as (db1, db2, db3).</summary>
    public async Task<(NpgsqlDataSource Db1, NpgsqlDataSource Db2, NpgsqlDataSource Db3)> ResetAsync()
    {
        foreach (var database in _databases)
        {
            await database.ExecuteAsync(EmptySql);
            // The database-wide default privileges outlive the schemas: a reset takes them away, as here.
            await database.ExecuteAsync(ManagedObjects.DefaultPrivilegesResetSql);
        }
        return (_sources[0], _sources[1], _sources[2]);
    }

    // DROP SCHEMA … CASCADE takes every table, type, view and sequence in it; public is re-created as
    // PostgreSQL 15 makes it (owned by pg_database_owner, usable by everyone).
    private const string EmptySql = """
        DO $$
        DECLARE s name;
        BEGIN
          FOR s IN SELECT nspname FROM pg_namespace WHERE nspname NOT LIKE 'pg\_%' AND nspname <> 'information_schema' LOOP
            EXECUTE format('DROP SCHEMA %I CASCADE', s);
          END LOOP;
          CREATE SCHEMA public AUTHORIZATION pg_database_owner;
          GRANT USAGE ON SCHEMA public TO PUBLIC;
          COMMENT ON SCHEMA public IS 'standard public schema';
        END $$;
        """;

    public async ValueTask DisposeAsync()
    {
        foreach (var source in _sources)
            await source.DisposeAsync();
        foreach (var database in _databases)
            await database.DisposeAsync();
    }
}
