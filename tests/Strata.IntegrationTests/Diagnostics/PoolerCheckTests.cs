using Npgsql;
using Strata.IntegrationTests.Infrastructure;
using Strata.Postgres.Configuration;
using Strata.Postgres.Diagnostics;

namespace Strata.IntegrationTests.Diagnostics;

/// <summary>The library's refusal of a schema change through a transaction-mode pooler, as the CLI and users' code get it.</summary>
public sealed class PoolerCheckTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    private static StrataEnvironment Environment(NpgsqlConnectionStringBuilder url, NpgsqlConnectionStringBuilder? directUrl = null) =>
        new("production", "--env", url, directUrl, new EnvironmentSettings("production"), []);

    [Fact]
    public async Task A_transaction_mode_pooler_is_refused_naming_the_source_and_directUrl_and_a_direct_connection_passes()
    {
        await using var database = await postgres.CreateDatabaseAsync("pooler_check");
        await using var bouncer = await PgBouncer.StartAsync(postgres.ConnectionString, "transaction");
        var pooled = new NpgsqlConnectionStringBuilder(bouncer.ConnectionStringFor(postgres.ConnectionString, database.Name));
        var direct = new NpgsqlConnectionStringBuilder(database.ConnectionString);
        var notes = new List<string>();

        var refused = await Assert.ThrowsAsync<DatabaseConnectionException>(() =>
            PoolerCheck.EnsureSessionsAsync(pooled, "\"url\" of environment \"production\"", Environment(pooled), notes.Add, default));
        await PoolerCheck.EnsureSessionsAsync(direct, "\"directUrl\" of environment \"production\"", Environment(pooled, direct), notes.Add, default);

        Assert.Equal(ConnectionProblem.TransactionPooler, refused.Problem);
        Assert.Contains($"/{database.Name} (\"url\" of environment \"production\") goes through a transaction-mode pooler", refused.Message);
        Assert.Contains("session-level advisory lock", Assert.Single(refused.Details));
        Assert.StartsWith("Set \"directUrl\" in the \"production\" environment of strata.json", refused.Remedy);
        Assert.Empty(notes);
    }
}
