using Strata.IntegrationTests.Infrastructure;
using Strata.Postgres.Execution;

namespace Strata.IntegrationTests.Execution;

/// <summary>What a resumed migration does with the CREATE or DROP INDEX CONCURRENTLY the last run may have finished.</summary>
public sealed class ConcurrentIndexResumeTests(PostgresFixture fixture) : IClassFixture<PostgresFixture>
{
    [Fact]
    public async Task A_create_with_comments_and_quoted_names_whose_index_is_valid_finished()
    {
        await using var database = await fixture.CreateDatabaseAsync("resume_create",
            "CREATE SCHEMA \"My.Schema\"; CREATE TABLE \"My.Schema\".users (email text); CREATE INDEX \"Email.Idx\" ON \"My.Schema\".users (email);");
        await using var connection = await database.OpenConnectionAsync();

        var resume = await ConcurrentIndexStatement.PrepareAsync(connection,
            "-- built online\nCREATE INDEX /* no lock */ CONCURRENTLY \"Email.Idx\" ON \"My.Schema\" . USERS (email);", CancellationToken.None);

        Assert.Equal(ConcurrentIndexStatement.Resume.AlreadyDone, resume);
    }

    [Fact]
    public async Task A_create_whose_index_another_table_has_runs()
    {
        await using var database = await fixture.CreateDatabaseAsync("resume_other",
            "CREATE TABLE a (x int); CREATE TABLE b (x int); CREATE INDEX x_idx ON a (x);");
        await using var connection = await database.OpenConnectionAsync();

        var resume = await ConcurrentIndexStatement.PrepareAsync(connection, "CREATE INDEX CONCURRENTLY x_idx ON b (x);", CancellationToken.None);

        Assert.Equal(ConcurrentIndexStatement.Resume.Run, resume);
    }

    [Fact]
    public async Task A_drop_followed_by_a_comment_whose_index_is_gone_finished_and_one_whose_index_is_there_runs()
    {
        await using var database = await fixture.CreateDatabaseAsync("resume_drop",
            "CREATE SCHEMA \"Billing\"; CREATE TABLE \"Billing\".t (x int); CREATE INDEX \"Kept Idx\" ON \"Billing\".t (x);");
        await using var connection = await database.OpenConnectionAsync();

        Assert.Equal(ConcurrentIndexStatement.Resume.AlreadyDone,
            await ConcurrentIndexStatement.PrepareAsync(connection, "DROP INDEX CONCURRENTLY \"Billing\".\"Gone Idx\"; -- cleaned up", CancellationToken.None));
        Assert.Equal(ConcurrentIndexStatement.Resume.Run,
            await ConcurrentIndexStatement.PrepareAsync(connection, "DROP INDEX CONCURRENTLY \"Billing\".\"Kept Idx\"; -- cleaned up", CancellationToken.None));
    }
}
