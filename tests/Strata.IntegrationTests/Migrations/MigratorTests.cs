using Npgsql;
using Strata.IntegrationTests.Infrastructure;
using Strata.Model;
using Strata.Postgres.Execution;
using Strata.Postgres.Migrations;
using Strata.Snapshots;
using Strata.Testing;

namespace Strata.IntegrationTests.Migrations;

public sealed class MigratorTests(PostgresFixture fixture) : IClassFixture<PostgresFixture>, IDisposable
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

    private async Task<MigrationDirectory> AddMigrationTextAsync(string id, string upSql, string downSql = "")
    {
        var directory = await MigrationDirectory.LoadAsync(_folder);
        var snapshot = new Snapshot(Snapshot.ComputeId(_lastSnapshotId, id, DatabaseModel.Empty), _lastSnapshotId, DatabaseModel.Empty, default);
        await directory.WriteMigrationAsync(id, upSql, downSql, snapshot);
        _lastSnapshotId = snapshot.Id;
        return directory;
    }

    private static Task<IReadOnlyList<AppliedMigration>> ApplyAsync(TestDatabase database, MigrationDirectory directory, MigratorOptions? options = null) =>
        ApplyAsync(database.DataSource, directory, options);

    private static async Task<IReadOnlyList<AppliedMigration>> ApplyAsync(NpgsqlDataSource dataSource, MigrationDirectory directory, MigratorOptions? options = null) =>
        (await Migrator(dataSource, directory, options).ApplyAsync()).Applied;

    private static Migrator Migrator(NpgsqlDataSource dataSource, MigrationDirectory directory, MigratorOptions? options = null) =>
        new(dataSource, MigrationSource.FromDirectory(directory), options);

    [Fact]
    public async Task A_reset_whose_drop_waits_past_lock_timeout_names_the_session_holding_the_lock_as_migrate_does()
    {
        await using var database = await fixture.CreateDatabaseAsync("runner_reset_lock");
        var directory = await AddMigrationAsync("0000_accounts", "CREATE TABLE accounts (id bigint PRIMARY KEY);");
        await ApplyAsync(database, directory);
        await using var holder = await database.OpenConnectionAsync();
        await using (var hold = new NpgsqlCommand("BEGIN; LOCK TABLE accounts IN ACCESS SHARE MODE", holder))
            await hold.ExecuteNonQueryAsync();

        var error = await Assert.ThrowsAsync<StatementFailedException>(() =>
            Migrator(database.DataSource, directory, new MigratorOptions { LockTimeout = TimeSpan.FromSeconds(5) }).ResetAsync(["public"]));

        Assert.True(error.IsLockTimeout);
        Assert.Equal(TimeSpan.FromSeconds(5), error.LockTimeout);
        Assert.Contains(holder.ProcessID, error.Blockers.Select(b => b.Pid));
        Assert.Contains("LOCK TABLE accounts IN ACCESS SHARE MODE", error.Message);
        Assert.Equal(1L, await database.ScalarAsync<long>("SELECT count(*) FROM pg_tables WHERE tablename = 'accounts'"));
    }

    [Fact]
    public async Task A_reset_takes_away_the_database_wide_default_privileges_and_those_in_public_that_migrations_gave()
    {
        await using var database = await fixture.CreateDatabaseAsync("runner_reset_default_privileges");
        var directory = await AddMigrationAsync("0000_defaults",
            "ALTER DEFAULT PRIVILEGES GRANT SELECT ON TABLES TO PUBLIC;",
            "ALTER DEFAULT PRIVILEGES REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC;",
            "ALTER DEFAULT PRIVILEGES REVOKE USAGE ON TYPES FROM PUBLIC;",
            "ALTER DEFAULT PRIVILEGES REVOKE TRUNCATE ON TABLES FROM CURRENT_USER;",
            "ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE ON SEQUENCES TO PUBLIC;");
        await ApplyAsync(database, directory);
        // One row per role, schema and kind of object: both entries on tables are one.
        Assert.Equal(4L, await database.ScalarAsync<long>("SELECT count(*) FROM pg_default_acl"));

        // One the migrations do not give: the reset takes it away with the others, and the migration gives its own again.
        await database.ExecuteAsync("ALTER DEFAULT PRIVILEGES GRANT UPDATE ON TABLES TO PUBLIC");
        await Migrator(database.DataSource, directory).ResetAsync(["public"]);

        Assert.Equal(4L, await database.ScalarAsync<long>("SELECT count(*) FROM pg_default_acl"));
        Assert.Equal(0L, await database.ScalarAsync<long>(
            "SELECT count(*) FROM pg_default_acl d, aclexplode(d.defaclacl) a WHERE d.defaclnamespace = 0 AND d.defaclobjtype = 'r' AND a.grantee = 0 AND a.privilege_type = 'UPDATE'"));
    }

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
    public async Task A_migration_older_than_the_newest_applied_one_is_refused_by_name_and_applied_when_allowed()
    {
        // A branch merged late brings 0001 after 0002 ran: a high-water mark would skip it for ever.
        await using var database = await fixture.CreateDatabaseAsync("runner_order");
        await AddMigrationAsync("0000_a", "CREATE TABLE a (id int);");
        var directory = await AddMigrationAsync("0002_c", "CREATE TABLE c (id int);");
        await ApplyAsync(database, directory);
        Directory.CreateDirectory(Path.Combine(_folder, "0001_b"));
        await File.WriteAllTextAsync(Path.Combine(_folder, "0001_b", "up.sql"), "CREATE TABLE b (id int);\n");
        var merged = await MigrationDirectory.LoadAsync(_folder);
        await merged.RehashAsync();

        var refused = await Assert.ThrowsAsync<MigrationRefusedException>(() => ApplyAsync(database, merged));
        var refusal = Assert.Single(refused.Refusals);
        Assert.Equal((RefusalKind.OutOfOrder, "0001_b"), (refusal.Kind, refusal.MigrationId));
        Assert.Contains("older than 0002_c", refusal.Message);
        Assert.False(await database.TableExistsAsync(new QualifiedName("public", "b")));
        var status = await Migrator(database.DataSource, merged).StatusAsync();
        Assert.Equal([MigrationState.Applied, MigrationState.OutOfOrder, MigrationState.Applied], status.Migrations.Select(m => m.State));

        var applied = await ApplyAsync(database, merged, new MigratorOptions { AllowOutOfOrder = true });

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

        var duplicate = await Assert.ThrowsAsync<MigrationFailedException>(() => ApplyAsync(dataSource, directory));
        Assert.Equal("23505", duplicate.SqlState);
        Assert.Equal("Key (id)=(1) already exists.", duplicate.Detail);
        Assert.Contains("DETAIL: Key (id)=(1) already exists.", duplicate.Message);

        await File.WriteAllTextAsync(directory.Migrations[0].UpPath, "CREATE TABLE t (id int PRIMARY KEY);\n");
        await directory.RehashAsync();
        var missing = await Assert.ThrowsAsync<MigrationFailedException>(() => ApplyAsync(dataSource, directory));
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
        Assert.Equal([["0000_partial", false, 1]], await database.QueryAsync("SELECT id, completed, statements_applied FROM strata.__strata_migrations"));
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
    public async Task An_empty_folder_applies_nothing_and_creates_no_tracking_table()
    {
        await using var database = await fixture.CreateDatabaseAsync("runner_empty");

        Assert.Empty(await ApplyAsync(database, await MigrationDirectory.LoadAsync(_folder)));
        Assert.Empty(await ApplyAsync(database, await MigrationDirectory.LoadAsync(_folder)));
        // Nothing to record, so nothing is created: the tracking table comes with the first migration.
        Assert.Equal(0L, await database.ScalarAsync<long>("SELECT count(*) FROM pg_namespace WHERE nspname = 'strata'"));
    }

    [Fact]
    public async Task An_edited_applied_migration_stops_the_run_naming_the_file_and_both_hashes_before_anything_runs()
    {
        await using var database = await fixture.CreateDatabaseAsync("migrator_edited");
        var directory = await AddMigrationAsync("0000_users", "CREATE TABLE users (id int);");
        await ApplyAsync(database, directory);
        var recorded = StrataSum.Hash(await directory.Migrations[0].ReadUpAsync());
        await File.WriteAllTextAsync(directory.Migrations[0].UpPath, "CREATE TABLE users (id bigint);\n");
        directory = await AddMigrationAsync("0001_posts", "CREATE TABLE posts (id int);");
        await directory.RehashAsync();

        var refused = await Assert.ThrowsAsync<MigrationRefusedException>(() => ApplyAsync(database, directory));

        var refusal = Assert.Single(refused.Refusals);
        Assert.Equal((RefusalKind.ChecksumMismatch, "0000_users", directory.Migrations[0].UpPath), (refusal.Kind, refusal.MigrationId, refusal.File));
        Assert.Contains(recorded, refusal.Message);
        Assert.Contains(StrataSum.Hash("CREATE TABLE users (id bigint);\n"), refusal.Message);
        Assert.False(await database.TableExistsAsync(new QualifiedName("public", "posts")));
        var status = await Migrator(database.DataSource, directory).StatusAsync();
        Assert.Equal([MigrationState.ChecksumMismatch, MigrationState.Pending], status.Migrations.Select(m => m.State));
        Assert.True(status.HasProblems);
    }

    [Fact]
    public async Task An_applied_migration_missing_from_the_folder_and_a_broken_sum_are_each_refused()
    {
        await using var database = await fixture.CreateDatabaseAsync("migrator_missing");
        await AddMigrationAsync("0000_users", "CREATE TABLE users (id int);");
        var directory = await AddMigrationAsync("0001_posts", "CREATE TABLE posts (id int);");
        await ApplyAsync(database, directory);
        Directory.Delete(directory.Migrations[1].FolderPath, recursive: true);
        directory = await MigrationDirectory.LoadAsync(_folder);
        await directory.RehashAsync();
        directory = await AddMigrationAsync("0002_tags", "CREATE TABLE tags (id int);");

        var missing = await Assert.ThrowsAsync<MigrationRefusedException>(() => ApplyAsync(database, directory));
        Assert.Equal((RefusalKind.MissingOnDisk, "0001_posts"), (missing.Refusals[0].Kind, missing.Refusals[0].MigrationId));
        Assert.Contains("was deleted or renamed after it was applied", missing.Refusals[0].Message);

        await File.AppendAllTextAsync(directory.SumPath, "0009_x/up.sql h1:AAAA\n");
        var broken = await Assert.ThrowsAsync<MigrationRefusedException>(() => ApplyAsync(database, directory));
        Assert.Contains(broken.Refusals, r => r.Kind == RefusalKind.SumMismatch && r.Message.Contains("strata.sum"));
        Assert.False(await database.TableExistsAsync(new QualifiedName("public", "tags")));
        Assert.Equal(2L, await database.CountRowsAsync("strata.__strata_migrations"));
    }

    [Fact]
    public async Task A_failed_no_transaction_migration_resumes_at_the_failed_statement_once_fixed()
    {
        await using var database = await fixture.CreateDatabaseAsync("migrator_resume");
        const string Start = """
            -- strata:no-transaction
            CREATE TABLE runs (n int);
            --> statement-breakpoint
            INSERT INTO runs VALUES (1);
            --> statement-breakpoint

            """;
        var directory = await AddMigrationTextAsync("0000_partial", Start + "CREATE INDEX CONCURRENTLY runs_m_idx ON runs (m);\n");
        await Assert.ThrowsAsync<MigrationFailedException>(() => ApplyAsync(database, directory));
        var status = await Migrator(database.DataSource, directory).StatusAsync();
        Assert.Equal(MigrationState.Partial, Assert.Single(status.Migrations).State);
        Assert.Equal(2, status.Migrations[0].Applied!.StatementsApplied);

        // Editing a statement that already ran is refused: the resumption would skip it.
        await File.WriteAllTextAsync(directory.Migrations[0].UpPath, Start.Replace("VALUES (1)", "VALUES (2)") + "CREATE INDEX CONCURRENTLY runs_n_idx ON runs (n);\n");
        await directory.RehashAsync();
        var refused = await Assert.ThrowsAsync<MigrationRefusedException>(() => ApplyAsync(database, directory));
        Assert.Contains("stopped part-way after 2 statements", Assert.Single(refused.Refusals).Message);

        await File.WriteAllTextAsync(directory.Migrations[0].UpPath, Start + "CREATE INDEX CONCURRENTLY runs_n_idx ON runs (n);\n");
        await directory.RehashAsync();
        var applied = await ApplyAsync(database, directory);

        Assert.Equal(["0000_partial"], applied.Select(a => a.Id));
        Assert.Equal(1L, await database.CountRowsAsync("public.runs"));
        Assert.True(await database.ScalarAsync<bool>("SELECT indisvalid FROM pg_index WHERE indexrelid = 'runs_n_idx'::regclass"));
        Assert.Equal([[true, 3, StrataSum.Hash(await directory.Migrations[0].ReadUpAsync())]],
            await database.QueryAsync("SELECT completed, statements_applied, checksum FROM strata.__strata_migrations"));
    }

    [Fact]
    public async Task A_unique_index_built_concurrently_that_failed_on_duplicates_is_rebuilt_on_the_rerun_not_reported_as_existing()
    {
        await using var database = await fixture.CreateDatabaseAsync("migrator_cic_invalid");
        var directory = await AddMigrationTextAsync("0000_emails", """
            -- strata:no-transaction
            CREATE TABLE people (email text);
            --> statement-breakpoint
            INSERT INTO people VALUES ('a@example.com'), ('a@example.com');
            --> statement-breakpoint
            CREATE UNIQUE INDEX CONCURRENTLY "People_Email_Key" ON public.people (email);
            --> statement-breakpoint
            INSERT INTO people VALUES ('b@example.com');

            """);
        var failed = await Assert.ThrowsAsync<MigrationFailedException>(() => ApplyAsync(database, directory));
        Assert.Equal("23505", failed.SqlState);
        // PostgreSQL leaves the half-built index behind, marked invalid.
        Assert.False(await database.ScalarAsync<bool>("SELECT indisvalid FROM pg_index WHERE indexrelid = 'public.\"People_Email_Key\"'::regclass"));

        await database.ExecuteAsync("DELETE FROM people WHERE ctid = (SELECT max(ctid) FROM people)");
        await ApplyAsync(database, directory);

        Assert.True(await database.ScalarAsync<bool>("SELECT indisvalid FROM pg_index WHERE indexrelid = 'public.\"People_Email_Key\"'::regclass"));
        Assert.Equal(2L, await database.CountRowsAsync("public.people"));
        Assert.Equal([[true, 4]], await database.QueryAsync("SELECT completed, statements_applied FROM strata.__strata_migrations"));
    }

    [Fact]
    public async Task A_run_stopped_after_an_index_built_concurrently_but_before_its_progress_row_skips_it_on_resume()
    {
        await using var database = await fixture.CreateDatabaseAsync("migrator_cic_done");
        var directory = await AddMigrationTextAsync("0000_index", """
            -- strata:no-transaction
            CREATE TABLE items (n int);
            --> statement-breakpoint
            CREATE INDEX CONCURRENTLY items_n_idx ON items (n);
            --> statement-breakpoint
            DROP INDEX CONCURRENTLY items_n_idx;
            --> statement-breakpoint
            CREATE INDEX CONCURRENTLY items_n_idx2 ON items (n);

            """);
        await ApplyAsync(database, directory);
        var statements = MigrationScript.Parse(await directory.Migrations[0].ReadUpAsync(), "up.sql").Statements;
        async Task StopAfterAsync(int recorded)
        {
            await database.ExecuteAsync("DROP INDEX IF EXISTS items_n_idx2");
            await database.ExecuteAsync(
                $"UPDATE strata.__strata_migrations SET completed = false, statements_applied = {recorded}, progress_checksum = '{MigrationInventory.ProgressChecksum(statements, recorded)}'");
        }

        // Killed after CREATE INDEX CONCURRENTLY (statement 2) finished, before its progress row.
        await StopAfterAsync(1);
        await database.ExecuteAsync("CREATE INDEX items_n_idx ON items (n)");
        await ApplyAsync(database, directory);
        Assert.Equal([[true, 4]], await database.QueryAsync("SELECT completed, statements_applied FROM strata.__strata_migrations"));
        Assert.Equal(["items_n_idx2"], (await database.QueryAsync("SELECT indexname FROM pg_indexes WHERE tablename = 'items'")).Select(r => r[0]));

        // Killed after DROP INDEX CONCURRENTLY (statement 3) finished, before its progress row: the index is gone.
        await StopAfterAsync(2);
        await ApplyAsync(database, directory);
        Assert.Equal([[true, 4]], await database.QueryAsync("SELECT completed, statements_applied FROM strata.__strata_migrations"));
        Assert.Equal(["items_n_idx2"], (await database.QueryAsync("SELECT indexname FROM pg_indexes WHERE tablename = 'items'")).Select(r => r[0]));
    }

    [Fact]
    public async Task A_held_lock_makes_the_run_wait_then_give_up_saying_who_holds_it_and_a_failed_run_releases_it()
    {
        await using var database = await fixture.CreateDatabaseAsync("migrator_lock");
        var directory = await AddMigrationAsync("0000_users", "CREATE TABLE users (id int);");
        var key = MigrationLock.KeyFor(HistoryTable.DefaultName);
        await using (var holder = await database.OpenConnectionAsync())
        {
            await using (var take = new NpgsqlCommand($"SELECT pg_advisory_lock({MigrationLock.KeySpace}, {key})", holder))
                await take.ExecuteNonQueryAsync();
            var holderPid = holder.ProcessID;

            var timeout = await Assert.ThrowsAsync<MigrationLockTimeoutException>(() =>
                ApplyAsync(database, directory, new MigratorOptions { LockWaitTimeout = TimeSpan.FromMilliseconds(300) }));

            Assert.Contains($"pid {holderPid}", timeout.Holder);
            Assert.True(timeout.Waited >= TimeSpan.FromMilliseconds(250));
            Assert.False(await database.TableExistsAsync(new QualifiedName("public", "users")));

            // A pooled connection keeps its session (and its advisory locks) when returned to the pool.
            await using var release = new NpgsqlCommand("SELECT pg_advisory_unlock_all()", holder);
            await release.ExecuteNonQueryAsync();
        }

        directory = await AddMigrationAsync("0001_broken", "SELECT * FROM nowhere;");
        await Assert.ThrowsAsync<MigrationFailedException>(() => ApplyAsync(database, directory));
        Assert.Equal(0L, await database.ScalarAsync<long>($"SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND classid = {MigrationLock.KeySpace} AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"));
        Assert.True(await database.TableExistsAsync(new QualifiedName("public", "users")));
    }

    [Fact]
    public async Task Transaction_mode_all_rolls_every_migration_back_when_one_fails_and_refuses_no_transaction_ones()
    {
        await using var database = await fixture.CreateDatabaseAsync("migrator_all");
        await AddMigrationAsync("0000_users", "CREATE TABLE users (id int);");
        var directory = await AddMigrationAsync("0001_broken", "CREATE TABLE posts (id int);", "SELECT * FROM nowhere;");
        var all = new MigratorOptions { TransactionMode = TransactionMode.All };

        var error = await Assert.ThrowsAsync<MigrationFailedException>(() => ApplyAsync(database, directory, all));

        Assert.True(error.WholeRunRolledBack);
        Assert.Contains("none of them is applied", error.Message);
        Assert.False(await database.TableExistsAsync(new QualifiedName("public", "users")));
        Assert.Equal(0L, await database.CountRowsAsync("strata.__strata_migrations"));

        Directory.Delete(directory.Migrations[1].FolderPath, recursive: true);
        directory = await MigrationDirectory.LoadAsync(_folder);
        await directory.RehashAsync();
        directory = await AddMigrationTextAsync("0001_index", "-- strata:no-transaction\nCREATE INDEX CONCURRENTLY users_id_idx ON users (id);\n");
        var refused = await Assert.ThrowsAsync<MigrationRefusedException>(() => ApplyAsync(database, directory, all));
        Assert.Equal(RefusalKind.NoTransactionInAll, Assert.Single(refused.Refusals).Kind);

        Assert.Equal(["0000_users", "0001_index"], (await ApplyAsync(database, directory)).Select(a => a.Id));
    }

    [Fact]
    public async Task A_target_stops_after_that_migration_and_a_plan_changes_nothing()
    {
        await using var database = await fixture.CreateDatabaseAsync("migrator_target");
        await AddMigrationAsync("0000_a", "CREATE TABLE a (id int);");
        await AddMigrationAsync("0001_b", "CREATE TABLE b (id int);");
        var directory = await AddMigrationAsync("0002_c", "CREATE TABLE c (id int);");

        var plan = await Migrator(database.DataSource, directory, new MigratorOptions { TargetId = "0001" }).PlanAsync();
        Assert.Equal(["0000_a", "0001_b"], plan.Select(p => p.Id));
        Assert.Equal("CREATE TABLE a (id int);", Assert.Single(plan[0].Statements).Sql);
        Assert.False(await database.TableExistsAsync(HistoryTable.DefaultName));

        Assert.Equal(["0000_a", "0001_b"], (await ApplyAsync(database, directory, new MigratorOptions { TargetId = "0001" })).Select(a => a.Id));
        Assert.False(await database.TableExistsAsync(new QualifiedName("public", "c")));

        var unknown = await Assert.ThrowsAsync<MigrationRefusedException>(() => ApplyAsync(database, directory, new MigratorOptions { TargetId = "0007" }));
        Assert.Equal(RefusalKind.UnknownTarget, Assert.Single(unknown.Refusals).Kind);
    }

    [Fact]
    public async Task Rollback_runs_down_scripts_newest_first_and_up_down_up_gives_the_same_schema()
    {
        await using var database = await fixture.CreateDatabaseAsync("migrator_rollback");
        await AddMigrationTextAsync("0000_users", "CREATE TABLE users (id int PRIMARY KEY, email text);\n", "DROP TABLE users;\n");
        await AddMigrationTextAsync("0001_index", "CREATE INDEX users_email_idx ON users (email);\n", "DROP INDEX users_email_idx;\n");
        var directory = await AddMigrationTextAsync("0002_posts",
            "CREATE TABLE posts (id int PRIMARY KEY, user_id int REFERENCES users (id));\n",
            "-- strata:data-loss drops table public.posts and all its rows\n\nDROP TABLE posts;\n");
        await ApplyAsync(database, directory);
        var migrated = await ReadSchemaAsync(database);
        var migrator = Migrator(database.DataSource, directory);

        var refused = await Assert.ThrowsAsync<MigrationRefusedException>(() => migrator.RollbackAsync(new RollbackOptions { Steps = 2 }));
        Assert.Equal((RefusalKind.DataLoss, "0002_posts"), (Assert.Single(refused.Refusals).Kind, refused.Refusals[0].MigrationId));
        Assert.True(await database.TableExistsAsync(new QualifiedName("public", "posts")));

        var undone = await migrator.RollbackAsync(new RollbackOptions { Steps = 2, AcceptDataLoss = true });

        Assert.Equal(["0002_posts", "0001_index"], undone.Select(u => u.Id));
        Assert.False(await database.TableExistsAsync(new QualifiedName("public", "posts")));
        Assert.Equal(0L, await database.ScalarAsync<long>("SELECT count(*) FROM pg_indexes WHERE indexname = 'users_email_idx'"));
        Assert.Equal([["0000_users"]], await database.QueryAsync("SELECT id FROM strata.__strata_migrations"));

        Assert.Equal(["0001_index", "0002_posts"], (await ApplyAsync(database, directory)).Select(a => a.Id));
        Assert.Equal(migrated, await ReadSchemaAsync(database));
    }

    [Fact]
    public async Task Rollback_of_a_migration_without_a_down_script_is_refused_with_the_file_named()
    {
        await using var database = await fixture.CreateDatabaseAsync("migrator_nodown");
        var directory = await AddMigrationTextAsync("0000_custom", "CREATE TABLE t (id int);\n", "-- The SQL that undoes this migration's up.sql\n");
        await ApplyAsync(database, directory);

        var refused = await Assert.ThrowsAsync<MigrationRefusedException>(() => Migrator(database.DataSource, directory).RollbackAsync(new RollbackOptions()));

        var refusal = Assert.Single(refused.Refusals);
        Assert.Equal((RefusalKind.NoDownScript, directory.Migrations[0].DownPath), (refusal.Kind, refusal.File));
        Assert.Contains("has no statements", refusal.Message);
        Assert.True(await database.TableExistsAsync(new QualifiedName("public", "t")));
    }

    [Fact]
    public async Task Hand_written_chunks_with_several_statements_or_semicolons_in_bodies_run_between_batched_ones()
    {
        await using var database = await fixture.CreateDatabaseAsync("migrator_chunks");
        var directory = await AddMigrationAsync("0000_mixed",
            "CREATE TABLE a (id int);",
            "CREATE TABLE b (id int); CREATE TABLE c (id int);\nINSERT INTO a VALUES (1);",
            "CREATE FUNCTION twice(n int) RETURNS int LANGUAGE plpgsql AS $$ BEGIN RETURN n * 2; END $$;",
            "INSERT INTO b VALUES (twice(21))",
            "INSERT INTO c SELECT id FROM a;\n-- a comment after the statement");
        await ApplyAsync(database, directory);
        Assert.Equal([[1, 42, 1]], await database.QueryAsync("SELECT (SELECT id FROM a), (SELECT id FROM b), (SELECT id FROM c)"));

        directory = await AddMigrationAsync("0001_fails_late",
            "CREATE TABLE d (id int);",
            "INSERT INTO d VALUES (1);",
            "INSERT INTO d VALUES ('x');",
            "CREATE TABLE e (id int);");
        var error = await Assert.ThrowsAsync<MigrationFailedException>(() => ApplyAsync(database, directory));
        Assert.Equal(("INSERT INTO d VALUES ('x');", 5), (error.Statement, error.StatementLine));
        Assert.False(await database.TableExistsAsync(new QualifiedName("public", "d")));
    }

    [Fact]
    public async Task A_failing_down_statement_undoes_its_rollback_and_keeps_the_migration_recorded()
    {
        await using var database = await fixture.CreateDatabaseAsync("migrator_downfail");
        await AddMigrationTextAsync("0000_t", "CREATE TABLE t (id int);\n", "DROP TABLE t;\n");
        var directory = await AddMigrationTextAsync("0001_u", "CREATE TABLE u (id int);\n",
            "DROP TABLE u;\n--> statement-breakpoint\nDROP TABLE nowhere;\n");
        await ApplyAsync(database, directory);

        var failed = await Assert.ThrowsAsync<MigrationFailedException>(() => Migrator(database.DataSource, directory).RollbackAsync(new RollbackOptions { Steps = 2 }));

        Assert.True(failed.DuringRollback);
        Assert.Equal((directory.Migrations[1].DownPath, 3), (failed.File, failed.Line));
        Assert.Contains("Its rollback was undone: the migration is still applied and still recorded.", failed.Message);
        Assert.True(await database.TableExistsAsync(new QualifiedName("public", "u")));
        Assert.Equal([["0000_t"], ["0001_u"]], await database.QueryAsync("SELECT id FROM strata.__strata_migrations ORDER BY id"));
    }

    [Fact]
    public async Task An_enum_value_added_in_one_migration_can_be_used_by_the_next()
    {
        await using var database = await fixture.CreateDatabaseAsync("migrator_enum");
        await AddMigrationAsync("0000_status", "CREATE TYPE status AS ENUM ('open');", "CREATE TABLE tasks (s status);");
        await AddMigrationAsync("0001_add_value", "ALTER TYPE status ADD VALUE 'done';");
        var directory = await AddMigrationAsync("0002_use_value", "INSERT INTO tasks VALUES ('done');", "ALTER TABLE tasks ALTER COLUMN s SET DEFAULT 'done';");

        Assert.Equal(3, (await ApplyAsync(database, directory)).Count);
        Assert.Equal(1L, await database.ScalarAsync<long>("SELECT count(*) FROM tasks WHERE s = 'done'"));
    }

    [Fact]
    public async Task A_tracking_table_written_by_strata_0_1_gets_the_progress_columns_and_keeps_its_rows()
    {
        await using var database = await fixture.CreateDatabaseAsync("migrator_upgrade");
        var directory = await AddMigrationAsync("0000_users", "CREATE TABLE users (id int);");
        await database.ExecuteAsync($"""
            CREATE SCHEMA strata;
            CREATE TABLE strata.__strata_migrations (id text PRIMARY KEY, checksum text NOT NULL, applied_at timestamptz NOT NULL DEFAULT clock_timestamp(),
                execution_ms bigint NOT NULL, applied_by text NOT NULL DEFAULT current_user);
            CREATE TABLE users (id int);
            INSERT INTO strata.__strata_migrations (id, checksum, execution_ms) VALUES ('0000_users', '{StrataSum.Hash(await directory.Migrations[0].ReadUpAsync())}', 5);
            """);
        Assert.Equal(MigrationState.Applied, Assert.Single((await Migrator(database.DataSource, directory).StatusAsync()).Migrations).State);

        directory = await AddMigrationAsync("0001_posts", "CREATE TABLE posts (id int);");
        Assert.Equal(["0001_posts"], (await ApplyAsync(database, directory)).Select(a => a.Id));
        Assert.Equal([["0000_users", true], ["0001_posts", true]], await database.QueryAsync("SELECT id, completed FROM strata.__strata_migrations ORDER BY id"));
    }

    private static async Task<DatabaseModel> ReadSchemaAsync(TestDatabase database)
    {
        await using var connection = await database.OpenConnectionAsync();
        return await Strata.Postgres.Introspection.PostgresIntrospector.ReadAsync(connection, ["strata"]);
    }
}
