using Npgsql;
using Strata.IntegrationTests.Infrastructure;
using Strata.Postgres.Diagnostics;

namespace Strata.IntegrationTests.Diagnostics;

public sealed class PoolerDetectorTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    [Fact]
    public async Task A_direct_connection_is_not_taken_for_a_pooler()
    {
        await using var database = await postgres.CreateDatabaseAsync("pooler_direct");
        var connection = new NpgsqlConnectionStringBuilder(database.ConnectionString);

        for (var run = 0; run < 5; run++)
        {
            var detection = await PoolerDetector.DetectAsync(connection);

            Assert.False(detection.SharesServerSessions, detection.Evidence);
            Assert.False(detection.Forwarded, detection.Evidence);
            Assert.Equal(connection.Port, detection.ServerPort);
        }
    }

    [Fact]
    public async Task PgBouncer_in_transaction_mode_is_detected()
    {
        await using var database = await postgres.CreateDatabaseAsync("pooler_tx");
        await using var bouncer = await PgBouncer.StartAsync(postgres.ConnectionString, "transaction");
        var pooled = new NpgsqlConnectionStringBuilder(bouncer.ConnectionStringFor(postgres.ConnectionString, database.Name));

        var detection = await PoolerDetector.DetectAsync(pooled);

        Assert.True(detection.SharesServerSessions, detection.Evidence);
        Assert.True(detection.Forwarded);
        Assert.Equal(new NpgsqlConnectionStringBuilder(postgres.ConnectionString).Port, detection.ServerPort);
        Assert.Contains("transaction-mode pooler", detection.Evidence);
    }

    [Fact]
    public async Task PgBouncer_in_session_mode_is_not_taken_for_a_transaction_pooler_but_seen_forwarding()
    {
        await using var database = await postgres.CreateDatabaseAsync("pooler_session");
        await using var bouncer = await PgBouncer.StartAsync(postgres.ConnectionString, "session");
        var pooled = new NpgsqlConnectionStringBuilder(bouncer.ConnectionStringFor(postgres.ConnectionString, database.Name));

        var detection = await PoolerDetector.DetectAsync(pooled);

        Assert.False(detection.SharesServerSessions, detection.Evidence);
        Assert.True(detection.Forwarded, detection.Evidence);
        Assert.Contains("session-mode pooler or a proxy", detection.Evidence);
    }
}
