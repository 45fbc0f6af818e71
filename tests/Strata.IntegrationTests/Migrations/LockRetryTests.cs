using Npgsql;
using Strata.IntegrationTests.Infrastructure;
using Strata.Model;
using Strata.Postgres.Migrations;
using Strata.Snapshots;
using Strata.Testing;

namespace Strata.IntegrationTests.Migrations;

/// <summary>
/// A migration statement that runs out of lock_timeout gives way to the traffic and is tried again (the statement of a
/// no-transaction migration, a transactional migration's whole transaction), a bounded number of times.
/// </summary>
public sealed class LockRetryTests(PostgresFixture fixture) : IClassFixture<PostgresFixture>, IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "strata-retry-" + Guid.NewGuid().ToString("N")[..12]);

    public void Dispose()
    {
        if (Directory.Exists(_folder))
            Directory.Delete(_folder, recursive: true);
    }

    private async Task<MigrationDirectory> WriteAsync(string id, string up, MigrationDirectory? directory = null)
    {
        directory ??= await MigrationDirectory.LoadAsync(_folder);
        var parent = await directory.LatestSnapshotAsync();
        await directory.WriteMigrationAsync(id, up, "", new Snapshot(Snapshot.ComputeId(parent?.Id, id, DatabaseModel.Empty), parent?.Id, DatabaseModel.Empty, default));
        return directory;
    }

    private static MigratorOptions Options(int retries, Action<LockRetry>? retrying = null) => new()
    {
        LockTimeout = TimeSpan.FromMilliseconds(200),
        LockRetries = retries,
        LockRetryPause = TimeSpan.FromMilliseconds(50),
        LockRetrying = retrying,
    };

    /// <summary>A session that holds ACCESS SHARE on accounts in an open transaction (a long-running read), which any DDL on it waits for.</summary>
    private static async Task<NpgsqlConnection> HoldAsync(TestDatabase database)
    {
        var holder = await database.OpenConnectionAsync();
        await using var hold = new NpgsqlCommand("BEGIN; LOCK TABLE accounts IN ACCESS SHARE MODE", holder);
        await hold.ExecuteNonQueryAsync();
        return holder;
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_lock_timeout_is_retried_and_the_migration_applies_once_the_lock_is_released(bool inTransaction)
    {
        await using var database = await fixture.CreateDatabaseAsync("retry_ok");
        var directory = await WriteAsync("0000_accounts", "CREATE TABLE accounts (id bigint PRIMARY KEY);\n");
        await new Migrator(database.DataSource, MigrationSource.FromDirectory(directory)).ApplyAsync();
        await WriteAsync("0001_note", (inTransaction ? "" : "-- strata:no-transaction\n\n") + "ALTER TABLE accounts ADD COLUMN note text;\n", directory);
        await using var holder = await HoldAsync(database);

        var firstRetry = new TaskCompletionSource<LockRetry>(TaskCreationOptions.RunContinuationsAsynchronously);
        var retries = new List<LockRetry>();
        var apply = new Migrator(database.DataSource, MigrationSource.FromDirectory(directory), Options(retries: 100, retry =>
        {
            lock (retries)
                retries.Add(retry);
            firstRetry.TrySetResult(retry);
        })).ApplyAsync();
        // Released only once the migration was seen to give way: no guess at how long it takes.
        // A migration that fails instead of retrying ends the wait too, and the test with its error.
        if (await Task.WhenAny(firstRetry.Task, apply) == apply)
            await apply;
        var retry = await firstRetry.Task;
        await using (var commit = new NpgsqlCommand("COMMIT", holder))
            await commit.ExecuteNonQueryAsync();
        var result = await apply;

        Assert.Equal("0001_note", Assert.Single(result.Applied).Id);
        Assert.Equal(("0001_note", 1, 101, inTransaction), (retry.MigrationId, retry.Attempt, retry.MaxAttempts, retry.WholeTransaction));
        Assert.True(retry.Failure.IsLockTimeout);
        Assert.Contains(holder.ProcessID, retry.Failure.Blockers.Select(b => b.Pid));
        Assert.Contains("note", await database.ColumnNamesAsync(QualifiedName.Parse("public.accounts")));
    }

    [Fact]
    public async Task The_last_failure_after_the_retries_says_how_many_attempts_were_made()
    {
        await using var database = await fixture.CreateDatabaseAsync("retry_fail");
        var directory = await WriteAsync("0000_accounts", "CREATE TABLE accounts (id bigint PRIMARY KEY);\n");
        await new Migrator(database.DataSource, MigrationSource.FromDirectory(directory)).ApplyAsync();
        await WriteAsync("0001_note", "ALTER TABLE accounts ADD COLUMN note text;\n", directory);
        await using var holder = await HoldAsync(database);
        var retries = new List<LockRetry>();

        var failure = await Assert.ThrowsAsync<MigrationFailedException>(() =>
            new Migrator(database.DataSource, MigrationSource.FromDirectory(directory), Options(retries: 2, retries.Add)).ApplyAsync());

        Assert.True(failure.IsLockTimeout);
        Assert.Equal(3, failure.Attempts);
        Assert.Contains("It was tried 3 times", failure.Message);
        Assert.Equal([1, 2], retries.Select(r => r.Attempt));
        Assert.Equal([TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(100)], retries.Select(r => r.Pause));
        Assert.DoesNotContain("note", await database.ColumnNamesAsync(QualifiedName.Parse("public.accounts")));
    }
}
