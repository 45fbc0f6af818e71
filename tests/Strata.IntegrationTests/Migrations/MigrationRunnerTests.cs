using Npgsql;
using Strata.IntegrationTests.Infrastructure;
using Strata.Model;
using Strata.Postgres.Migrations;
using Strata.Snapshots;
using Strata.Testing;

namespace Strata.IntegrationTests.Migrations;

public sealed class MigrationRunnerTests(PostgresFixture fixture) : IClassFixture<PostgresFixture>, IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "strata-runner-" + Guid.NewGuid().ToString("N"));
    private string? _lastSnapshotId;

    public void Dispose()
    {
        if (Directory.Exists(_folder))
            Directory.Delete(_folder, recursive: true);
    }

    /// <summary>Writes a hand-made migration (each string one statement) on top of the previous one.</summary>
    private async Task<MigrationDirectory> AddMigrationAsync(string id, params string[] statements) =>
        await AddMigrationTextAsync(id, string.Join("\n--> statement-breakpoint\n", statements) + "\n");

    private async Task<MigrationDirectory> AddMigrationTextAsync(string id, string upSql)
    {
        var directory = await MigrationDirectory.LoadAsync(_folder);
        var snapshot = new Snapshot(Snapshot.ComputeId(_lastSnapshotId, id, DatabaseModel.Empty), _lastSnapshotId, DatabaseModel.Empty, default);
        await directory.WriteMigrationAsync(id, upSql, "", snapshot);
        _lastSnapshotId = snapshot.Id;
        return directory;
    }

    private static Task<IReadOnlyList<AppliedMigration>> ApplyAsync(TestDatabase database, MigrationDirectory directory) =>
        MigrationRunner.ApplyAsync(database.DataSource, directory, logger: null, CancellationToken.None);

    [Fact]
    public async Task Pending_migrations_are_applied_in_id_order_and_recorded_in_the_tracking_table()
    {
        await using var database = await fixture.CreateDatabaseAsync("runner_apply");
        await AddMigrationAsync("0000_users", "CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL);");
        var directory = await AddMigrationAsync("0001_orders",
            "CREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint NOT NULL REFERENCES users (id));",
            "CREATE INDEX orders_user_id_idx ON orders (user_id);");

        var applied = await ApplyAsync(database, directory);

        Assert.Equal(["0000_users", "0001_orders"], applied.Select(a => a.Id));
        Assert.True(await database.TableExistsAsync(new QualifiedName("public", "orders")));
        var rows = await database.QueryAsync(
            "SELECT id, checksum, applied_by = current_user, applied_at <= now(), execution_ms >= 0 FROM strata.__strata_migrations ORDER BY id");
        Assert.Equal(2, rows.Count);
        Assert.Equal(["0000_users", StrataSum.Hash(await directory.Migrations[0].ReadUpAsync()), true, true, true], rows[0]);
        Assert.Equal(applied[1].Checksum, rows[1][1]);
    }

    [Fact]
    public async Task A_second_run_applies_nothing()
    {
        await using var database = await fixture.CreateDatabaseAsync("runner_rerun");
        var directory = await AddMigrationAsync("0000_users", "CREATE TABLE users (id bigint PRIMARY KEY);");
        await ApplyAsync(database, directory);

        var again = await ApplyAsync(database, directory);

        Assert.Empty(again);
        Assert.Equal(1L, await database.CountRowsAsync("strata.__strata_migrations"));
    }

    [Fact]
    public async Task A_migration_older_than_the_newest_applied_one_is_still_pending()
    {
        // A branch merged late brings 0001 after 0002 ran: a high-water mark would skip it for ever.
        await using var database = await fixture.CreateDatabaseAsync("runner_order");
        await AddMigrationAsync("0000_a", "CREATE TABLE a (id int);");
        var directory = await AddMigrationAsync("0002_c", "CREATE TABLE c (id int);");
        await ApplyAsync(database, directory);
        Directory.CreateDirectory(Path.Combine(_folder, "0001_b"));
        await File.WriteAllTextAsync(Path.Combine(_folder, "0001_b", "up.sql"), "CREATE TABLE b (id int);\n");

        var applied = await ApplyAsync(database, await MigrationDirectory.LoadAsync(_folder));

        Assert.Equal(["0001_b"], applied.Select(a => a.Id));
        Assert.True(await database.TableExistsAsync(new QualifiedName("public", "b")));
    }

    [Fact]
    public async Task A_failing_statement_names_migration_file_line_and_statement_and_rolls_its_migration_back()
    {
        await using var database = await fixture.CreateDatabaseAsync("runner_fail");
        await AddMigrationAsync("0000_users", "CREATE TABLE users (id bigint PRIMARY KEY);");
        var directory = await AddMigrationAsync("0001_broken",
            "CREATE TABLE posts (id bigint PRIMARY KEY);",
            "CREATE VIEW post_titles AS\n    SELECT id, title FROM posts;");

        var error = await Assert.ThrowsAsync<MigrationFailedException>(() => ApplyAsync(database, directory));

        Assert.Equal("0001_broken", error.MigrationId);
        Assert.Equal(directory.Migrations[1].UpPath, error.File);
        Assert.Equal(3, error.StatementLine);
        Assert.Equal(4, error.Line);
        Assert.Equal("CREATE VIEW post_titles AS\n    SELECT id, title FROM posts;", error.Statement);
        Assert.Equal("42703", error.SqlState);
        Assert.Equal("column \"title\" does not exist", error.MessageText);
        Assert.True(error.Position > 0);
        Assert.True(error.RanInTransaction);
        Assert.StartsWith($"{error.File}:4: migration 0001_broken failed: 42703: column \"title\" does not exist", error.Message);
        Assert.Contains("rolled back", error.Message);

        Assert.True(await database.TableExistsAsync(new QualifiedName("public", "users")));
        Assert.False(await database.TableExistsAsync(new QualifiedName("public", "posts")));
        Assert.Equal(["0000_users"], (await database.QueryAsync("SELECT id FROM strata.__strata_migrations")).Select(r => r[0]));
    }

    [Fact]
    public async Task PostgreSQL_detail_and_hint_are_passed_on()
    {
        await using var database = await fixture.CreateDatabaseAsync("runner_detail");
        // Npgsql redacts DETAIL unless the connection string allows it; the CLI's migration connection does.
        var builder = new NpgsqlDataSourceBuilder(database.ConnectionString);
        builder.ConnectionStringBuilder.IncludeErrorDetail = true;
        await using var dataSource = builder.Build();
        await AddMigrationAsync("0000_seed",
            "CREATE TABLE t (id int PRIMARY KEY);",
            "INSERT INTO t VALUES (1), (1);");
        var directory = await AddMigrationAsync("0001_hint", "SELECT no_such_function(1);");

        var duplicate = await Assert.ThrowsAsync<MigrationFailedException>(() => MigrationRunner.ApplyAsync(dataSource, directory, null, default));
        Assert.Equal("23505", duplicate.SqlState);
        Assert.Equal("Key (id)=(1) already exists.", duplicate.Detail);
        Assert.Contains("DETAIL: Key (id)=(1) already exists.", duplicate.Message);

        await File.WriteAllTextAsync(directory.Migrations[0].UpPath, "CREATE TABLE t (id int PRIMARY KEY);\n");
        var missing = await Assert.ThrowsAsync<MigrationFailedException>(() => MigrationRunner.ApplyAsync(dataSource, directory, null, default));
        Assert.Equal("0001_hint", missing.MigrationId);
        Assert.Equal("42883", missing.SqlState);
        Assert.NotNull(missing.Hint);
        Assert.Contains("HINT: " + missing.Hint, missing.Message);
    }

    [Fact]
    public async Task A_no_transaction_migration_runs_statement_by_statement_outside_a_transaction()
    {
        await using var database = await fixture.CreateDatabaseAsync("runner_notx");
        await AddMigrationAsync("0000_users", "CREATE TABLE users (id bigint PRIMARY KEY, email text);");
        var directory = await AddMigrationTextAsync("0001_index", """
            -- strata:no-transaction

            CREATE INDEX CONCURRENTLY users_email_idx ON users (email);
            --> statement-breakpoint
            CREATE INDEX CONCURRENTLY users_id_email_idx ON users (id, email);

            """);

        var applied = await ApplyAsync(database, directory);

        Assert.Equal(["0000_users", "0001_index"], applied.Select(a => a.Id));
        Assert.Equal(2L, await database.ScalarAsync<long>("SELECT count(*) FROM pg_indexes WHERE tablename = 'users' AND indexname LIKE 'users_%email_idx'"));
        Assert.Equal(2L, await database.CountRowsAsync("strata.__strata_migrations"));
    }

    [Fact]
    public async Task A_failure_in_a_no_transaction_migration_leaves_the_earlier_statements_and_says_so()
    {
        await using var database = await fixture.CreateDatabaseAsync("runner_notx_fail");
        var directory = await AddMigrationTextAsync("0000_partial", """
            -- strata:no-transaction
            CREATE TABLE kept (id int);
            --> statement-breakpoint
            CREATE INDEX CONCURRENTLY kept_missing_idx ON kept (missing);

            """);

        var error = await Assert.ThrowsAsync<MigrationFailedException>(() => ApplyAsync(database, directory));

        Assert.False(error.RanInTransaction);
        Assert.Equal(4, error.Line);
        Assert.Contains("the statements before this one stay applied", error.Message);
        Assert.True(await database.TableExistsAsync(new QualifiedName("public", "kept")));
        Assert.Equal(0L, await database.CountRowsAsync("strata.__strata_migrations"));
    }

    [Fact]
    public async Task A_statement_that_cannot_run_in_a_transaction_suggests_the_no_transaction_directive()
    {
        await using var database = await fixture.CreateDatabaseAsync("runner_needs_notx");
        await AddMigrationAsync("0000_users", "CREATE TABLE users (id bigint PRIMARY KEY, email text);");
        var directory = await AddMigrationAsync("0001_index", "CREATE INDEX CONCURRENTLY users_email_idx ON users (email);");

        var error = await Assert.ThrowsAsync<MigrationFailedException>(() => ApplyAsync(database, directory));

        Assert.Equal("25001", error.SqlState);
        Assert.Contains("put the line -- strata:no-transaction at the top of up.sql", error.Message);
    }

    [Fact]
    public async Task A_malformed_pending_script_stops_the_run_before_anything_is_applied()
    {
        await using var database = await fixture.CreateDatabaseAsync("runner_malformed");
        await AddMigrationAsync("0000_users", "CREATE TABLE users (id int);");
        var directory = await AddMigrationTextAsync("0001_typo", "-- strata:no-transactoin\nCREATE TABLE x (id int);\n");

        var error = await Assert.ThrowsAsync<MigrationFileException>(() => ApplyAsync(database, directory));

        Assert.Equal((directory.Migrations[1].UpPath, 1), (error.File, error.Line));
        Assert.False(await database.TableExistsAsync(new QualifiedName("public", "users")));
    }

    [Fact]
    public async Task An_existing_tracking_table_is_reused_and_an_empty_folder_applies_nothing()
    {
        await using var database = await fixture.CreateDatabaseAsync("runner_empty");

        Assert.Empty(await ApplyAsync(database, await MigrationDirectory.LoadAsync(_folder)));
        Assert.Empty(await ApplyAsync(database, await MigrationDirectory.LoadAsync(_folder)));
        Assert.Equal(0L, await database.CountRowsAsync("strata.__strata_migrations"));
    }
}
