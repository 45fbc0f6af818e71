using System.Diagnostics;
using Npgsql;
using Strata.IntegrationTests.Infrastructure;
using Strata.Model;

namespace Strata.IntegrationTests.Cli;

[Collection(CliCollection.Name)]
public sealed class MigrateTests(BuiltSample sample, PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    [Fact]
    public async Task Migrate_applies_the_pending_migrations_and_a_second_run_has_nothing_to_apply()
    {
        using var copy = sample.CreateCopy();
        Assert.Equal(0, (await copy.RunAsync("generate", "--name", "init")).ExitCode);
        await using var database = await postgres.CreateDatabaseAsync("cli_migrate");

        var first = await copy.RunAsync(database, "migrate");

        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.Contains("applied 0000_init in", first.Stdout);
        Assert.Equal(3L, await database.ScalarAsync<long>(
            "SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tablename IN ('users', 'lists', 'items')"));
        Assert.Equal(1L, await database.ScalarAsync<long>("SELECT count(*) FROM pg_views WHERE viewname = 'open_items'"));

        Assert.Equal(0, (await copy.RunAsync("generate", "--custom", "--name", "noop")).ExitCode);
        await File.AppendAllTextAsync(Path.Combine(copy.MigrationsDirectory, "0001_noop", "up.sql"), "SELECT 1;\n");
        Assert.Equal(0, (await copy.RunAsync("hash")).ExitCode);
        var second = await copy.RunAsync(database, "migrate");
        Assert.True(second.ExitCode == 0, second.ToString());
        Assert.Contains("applied 0001_noop", second.Stdout);
        Assert.DoesNotContain("0000_init", second.Stdout);

        var third = await copy.RunAsync(database, "migrate");
        Assert.True(third.ExitCode == 0, third.ToString());
        Assert.Contains("Nothing to apply", third.Stdout);
    }

    [Fact]
    public async Task Without_a_connection_migrate_starts_a_local_postgres_next_to_strata_json_and_keeps_using_it()
    {
        using var copy = sample.CreateCopy();
        Assert.Equal(0, (await copy.RunAsync("generate", "--name", "init")).ExitCode);
        var dataDirectory = Path.Combine(copy.Directory, ".strata", "postgres");
        try
        {
            var first = await copy.RunAsync("migrate");

            Assert.True(first.ExitCode == 0, first.ToString());
            Assert.Contains("Started the local PostgreSQL", first.Stdout);
            Assert.Contains("Created the database strata_dev", first.Stdout);
            Assert.Contains("applied 0000_init", first.Stdout);

            var second = await copy.RunAsync("migrate");

            Assert.True(second.ExitCode == 0, second.ToString());
            Assert.Contains("already running", second.Stdout);
            Assert.Contains("Nothing to apply", second.Stdout);
        }
        finally
        {
            if (File.Exists(Path.Combine(dataDirectory, "PG_VERSION")))
            {
                await using var server = await Strata.Postgres.LocalServer.LocalPostgres.StartAsync(new() { DataDirectory = dataDirectory });
                await server.StopAsync();
            }
        }
    }

    [Fact]
    public async Task A_postgres_url_in_STRATA_DATABASE_URL_is_used_and_its_password_never_printed()
    {
        using var copy = sample.CreateCopy();
        Assert.Equal(0, (await copy.RunAsync("generate", "--name", "init")).ExitCode);
        await using var database = await postgres.CreateDatabaseAsync("cli_url");
        var target = new NpgsqlConnectionStringBuilder(database.ConnectionString);
        const string password = "s3cret-Pa55word";
        var url = $"postgres://{Uri.EscapeDataString(target.Username!)}:{password}@{target.Host}:{target.Port}/{target.Database}?sslmode=disable";

        var result = await StrataProcess.RunAsync(copy.Directory, new Dictionary<string, string?> { ["STRATA_DATABASE_URL"] = url }, "migrate");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains($"{target.Host}:{target.Port}/{target.Database}", result.Stdout);
        Assert.DoesNotContain(password, result.Output);
        Assert.Equal(1L, await database.ScalarAsync<long>("SELECT count(*) FROM pg_tables WHERE tablename = 'items'"));
    }

    [Fact]
    public async Task A_failing_statement_is_reported_with_the_file_and_postgres_error_and_exit_1()
    {
        using var copy = sample.CreateCopy();
        Assert.Equal(0, (await copy.RunAsync("generate", "--custom", "--name", "broken")).ExitCode);
        var up = Path.Combine(copy.MigrationsDirectory, "0000_broken", "up.sql");
        await File.WriteAllTextAsync(up, "SELECT * FROM no_such_table;\n");
        Assert.Equal(0, (await copy.RunAsync("hash")).ExitCode);
        await using var database = await postgres.CreateDatabaseAsync("cli_fail");

        var result = await copy.RunAsync(database, "migrate");

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains("up.sql", result.Stderr);
        Assert.Contains("42P01", result.Stderr);
        Assert.DoesNotContain("   at ", result.Output);
    }

    [Fact]
    public async Task A_failure_shows_the_detail_postgres_gives_and_leaves_nothing_of_the_migration()
    {
        using var copy = sample.CreateCopy();
        Assert.Equal(0, (await copy.RunAsync("generate", "--custom", "--name", "duplicates")).ExitCode);
        var up = Path.Combine(copy.MigrationsDirectory, "0000_duplicates", "up.sql");
        await File.WriteAllTextAsync(up, """
            CREATE TABLE tags (name text PRIMARY KEY);
            --> statement-breakpoint
            INSERT INTO tags VALUES ('red'), ('red');

            """);
        Assert.Equal(0, (await copy.RunAsync("hash")).ExitCode);
        await using var database = await postgres.CreateDatabaseAsync("cli_detail");

        var result = await copy.RunAsync(database, "migrate");

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains("23505", result.Stderr);
        Assert.Contains("Key (name)=(red) already exists.", result.Stderr);
        Assert.Contains("up.sql:3", result.Stderr);
        Assert.Equal(0L, await database.ScalarAsync<long>("SELECT count(*) FROM pg_tables WHERE tablename = 'tags'"));
        Assert.Equal(0L, await database.ScalarAsync<long>("SELECT count(*) FROM strata.__strata_migrations"));
    }

    [Fact]
    public async Task An_unreachable_database_is_a_clear_failure_without_the_password()
    {
        using var copy = sample.CreateCopy();
        Assert.Equal(0, (await copy.RunAsync("generate", "--name", "init")).ExitCode);

        var result = await copy.RunAsync("migrate", "--connection", "Host=127.0.0.1;Port=1;Database=nowhere;Username=someone;Password=hunter2-secret;Timeout=3");

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("cannot reach 127.0.0.1:1: connection refused", result.Stderr);
        Assert.DoesNotContain("hunter2-secret", result.Output);
    }

    [Fact]
    public async Task Migrate_to_stops_after_the_migration_its_prefix_names_and_json_counts_the_rest()
    {
        using var copy = sample.CreateCopy();
        await copy.AddThreeTablesAsync();
        await using var database = await postgres.CreateDatabaseAsync("cli_to");

        var result = await copy.RunAsync(database, "migrate", "--to", "0001");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("applied 0001_b in", result.Stdout);
        Assert.DoesNotContain("0002_c", result.Stdout);
        Assert.Equal(["0000_a", "0001_b"], await database.TrackedIdsAsync());
        Assert.True(await database.TableExistsAsync(new QualifiedName("public", "b")));
        Assert.False(await database.TableExistsAsync(new QualifiedName("public", "c")));

        var rest = await copy.RunAsync(database, "migrate", "--json");

        Assert.True(rest.ExitCode == 0, rest.ToString());
        var json = rest.Json();
        Assert.True(json.GetProperty("ok").GetBoolean());
        Assert.Equal(["0002_c"], json.GetProperty("applied").EnumerateArray().Select(a => a.GetProperty("id").GetString()));
        Assert.True(json.GetProperty("applied")[0].GetProperty("milliseconds").GetDouble() >= 0);
        Assert.Equal(2, json.GetProperty("alreadyApplied").GetInt32());
        Assert.True(json.GetProperty("lockWaitMilliseconds").GetDouble() >= 0);
        Assert.Equal(["0000_a", "0001_b", "0002_c"], await database.TrackedIdsAsync());
    }

    [Fact]
    public async Task Dry_run_prints_pipeable_sql_and_leaves_the_database_untouched()
    {
        using var copy = sample.CreateCopy();
        await copy.AddThreeTablesAsync();
        await using var database = await postgres.CreateDatabaseAsync("cli_dry");

        var result = await copy.RunAsync(database, "migrate", "--dry-run", "--to", "0001_b");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.StartsWith("-- migration 0000_a (", result.Stdout);
        Assert.Contains("up.sql)", result.Stdout);
        Assert.Contains("CREATE TABLE a (id int PRIMARY KEY);", result.Stdout);
        Assert.True(result.Stdout.IndexOf("-- migration 0001_b (", StringComparison.Ordinal) > result.Stdout.IndexOf("CREATE TABLE a", StringComparison.Ordinal));
        Assert.DoesNotContain("CREATE TABLE c", result.Stdout);
        Assert.Contains("Dry run", result.Stderr);
        Assert.Equal(0L, await database.ScalarAsync<long>("SELECT count(*) FROM pg_namespace WHERE nspname = 'strata'"));
        Assert.False(await database.TableExistsAsync(new QualifiedName("public", "a")));

        // Plain SQL on stdout: run in another database, it makes what migrate --to 0001_b would.
        await using var piped = await postgres.CreateDatabaseAsync("cli_dry_pipe");
        await piped.ExecuteAsync(result.Stdout);
        Assert.True(await piped.TableExistsAsync(new QualifiedName("public", "b")));
        Assert.False(await piped.TableExistsAsync(new QualifiedName("public", "c")));
    }

    [Fact]
    public async Task Transaction_all_rolls_back_every_migration_when_the_second_one_fails()
    {
        using var copy = sample.CreateCopy();
        await copy.AddMigrationAsync("0000_a", "CREATE TABLE a (id int PRIMARY KEY);\n");
        await copy.AddMigrationAsync("0001_duplicates", "CREATE TABLE b (id int PRIMARY KEY);\n--> statement-breakpoint\nINSERT INTO b VALUES (1), (1);\n");
        await using var database = await postgres.CreateDatabaseAsync("cli_all");

        var all = await copy.RunAsync(database, "migrate", "--transaction", "all");

        Assert.True(all.ExitCode == 1, all.ToString());
        Assert.Contains("0001_duplicates", all.Stderr);
        Assert.Contains("23505", all.Stderr);
        Assert.DoesNotContain("   at ", all.Output);
        Assert.False(await database.TableExistsAsync(new QualifiedName("public", "a")));
        Assert.False(await database.TableExistsAsync(new QualifiedName("public", "b")));
        Assert.Empty(await database.TrackedIdsAsync());

        // The default keeps the migrations before the one that failed.
        var perMigration = await copy.RunAsync(database, "migrate");

        Assert.True(perMigration.ExitCode == 1, perMigration.ToString());
        Assert.True(await database.TableExistsAsync(new QualifiedName("public", "a")));
        Assert.False(await database.TableExistsAsync(new QualifiedName("public", "b")));
        Assert.Equal(["0000_a"], await database.TrackedIdsAsync());
    }

    [Fact]
    public async Task Migrate_json_on_failure_carries_the_sqlstate_file_and_line_and_never_the_password()
    {
        using var copy = sample.CreateCopy();
        await copy.AddMigrationAsync("0000_typo", "CREATE TABLE a (id int PRIMARY KEY);\n--> statement-breakpoint\nCREATE TABLE b (\n    id int PRIMARY KEY,\n    name text NOT NUL\n);\n");
        await using var database = await postgres.CreateDatabaseAsync("cli_json_fail");
        const string password = "s3cret-Pa55word";
        var connection = new NpgsqlConnectionStringBuilder(database.ConnectionString) { Password = password };

        var result = await copy.RunAsync("migrate", "--connection", connection.ConnectionString, "--json");

        Assert.True(result.ExitCode == 1, result.ToString());
        var json = result.Json();
        Assert.False(json.GetProperty("ok").GetBoolean());
        Assert.Equal(1, json.GetProperty("exitCode").GetInt32());
        Assert.Equal("42601", json.GetProperty("sqlState").GetString());
        Assert.Equal(5, json.GetProperty("line").GetInt32());
        Assert.Equal(3, json.GetProperty("statementLine").GetInt32());
        Assert.Equal("0000_typo", json.GetProperty("migrationId").GetString());
        Assert.EndsWith(Path.Combine("0000_typo", "up.sql"), json.GetProperty("file").GetString());
        Assert.Contains("NUL", json.GetProperty("messageText").GetString());
        Assert.DoesNotContain(password, result.Output);
        Assert.Empty(await database.TrackedIdsAsync());
        Assert.False(await database.TableExistsAsync(new QualifiedName("public", "a")));
    }

    [Fact]
    public async Task An_out_of_order_migration_is_refused_with_the_remedy_and_applied_with_allow_out_of_order()
    {
        using var copy = sample.CreateCopy();
        await using var database = await postgres.CreateDatabaseAsync("cli_order");
        await copy.AddOutOfOrderMigrationAsync(database);

        var refused = await copy.RunAsync(database, "migrate");

        Assert.True(refused.ExitCode == 1, refused.ToString());
        Assert.Contains("0001_b", refused.Stderr);
        Assert.Contains("rerun with --allow-out-of-order after checking the migration is independent of the newer ones", refused.Stderr, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("   at ", refused.Output);
        Assert.False(await database.TableExistsAsync(new QualifiedName("public", "b")));
        Assert.Equal(["0000_a", "0002_c"], await database.TrackedIdsAsync());

        var allowed = await copy.RunAsync(database, "migrate", "--allow-out-of-order");

        Assert.True(allowed.ExitCode == 0, allowed.ToString());
        Assert.Contains("applied 0001_b", allowed.Stdout);
        Assert.Equal(["0000_a", "0001_b", "0002_c"], await database.TrackedIdsAsync());
    }

    [Fact]
    public async Task The_trackingTable_of_strata_json_is_where_migrate_and_status_keep_the_applied_migrations()
    {
        using var copy = sample.CreateCopy();
        await File.WriteAllTextAsync(Path.Combine(copy.Directory, "strata.json"), """
            {
              "schema": "Todo.Schema/Todo.Schema.csproj",
              "migrations": "db/migrations",
              "trackingTable": "ops.schema_history"
            }
            """);
        await copy.AddThreeTablesAsync();
        await using var database = await postgres.CreateDatabaseAsync("cli_tracking");

        var result = await copy.RunAsync(database, "migrate");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(["0000_a", "0001_b", "0002_c"], await database.TrackedIdsAsync("ops.schema_history"));
        Assert.Equal(0L, await database.ScalarAsync<long>("SELECT count(*) FROM pg_namespace WHERE nspname = 'strata'"));

        var status = await copy.RunAsync(database, "status");
        Assert.True(status.ExitCode == 0, status.ToString());
        Assert.Contains("3 applied, 0 pending.", status.Stdout);
    }

    [Fact]
    public async Task A_second_migrate_gives_up_after_lock_wait_and_names_the_run_holding_the_lock()
    {
        using var copy = sample.CreateCopy();
        // The first run holds the lock until the test opens the gate (after the second run has given up),
        // however long the second takes to start on a busy machine.
        await copy.AddMigrationAsync("0000_slow", "DO $$ BEGIN WHILE NOT EXISTS (SELECT FROM lock_test_gate) LOOP PERFORM pg_sleep(0.02); END LOOP; END $$;\n");
        await using var database = await postgres.CreateDatabaseAsync("cli_lock");
        await database.ExecuteAsync("CREATE TABLE lock_test_gate (open boolean)");
        var first = copy.RunAsync(database, "migrate");
        var waiting = Stopwatch.StartNew();
        while (await database.ScalarAsync<long>(
            "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND classid = 1398035009 AND granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())") == 0)
        {
            Assert.True(waiting.Elapsed < StrataProcess.Patience, "the first migrate never took the lock");
            if (first.IsCompleted)
                Assert.Fail("the first migrate ended before the lock was seen: " + await first);
            await Task.Delay(50);
        }

        var second = await copy.RunAsync(database, "migrate", "--lock-wait", "1");

        Assert.True(second.ExitCode == 1, second.ToString());
        Assert.Contains("strata migrate", second.Stderr);
        Assert.Contains("--lock-wait", second.Stderr);
        Assert.DoesNotContain("   at ", second.Output);
        await database.ExecuteAsync("INSERT INTO lock_test_gate VALUES (true)");
        var firstResult = await first;
        Assert.True(firstResult.ExitCode == 0, firstResult.ToString());
        Assert.Equal(["0000_slow"], await database.TrackedIdsAsync());
    }

    [Fact]
    public async Task On_a_terminal_migrate_shows_progress_and_still_lists_what_it_applied()
    {
        using var copy = sample.CreateCopy();
        await copy.AddThreeTablesAsync();
        await using var database = await postgres.CreateDatabaseAsync("cli_tty");

        var result = await StrataProcess.RunInTerminalAsync(copy.Directory, [], "migrate", "--connection", database.ConnectionString);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("applied 0002_c in", result.PlainStdout);
        Assert.Contains("Applied 3 migrations", result.PlainStdout);
        Assert.Equal(["0000_a", "0001_b", "0002_c"], await database.TrackedIdsAsync());
    }

    // Every schema and relation outside the system catalogs: what a refusal must leave as it found it.
    private static async Task<IReadOnlyList<string>> CatalogAsync(Strata.Testing.TestDatabase database) =>
        (await database.QueryAsync(
            "SELECT n.nspname || '.' || coalesce(c.relname, '') || ':' || coalesce(c.relkind::text, '') FROM pg_namespace n LEFT JOIN pg_class c ON c.relnamespace = n.oid "
            + "WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp%' ORDER BY 1"))
        .Select(r => (string)r[0]!).ToList();

    [Fact]
    public async Task A_refused_migrate_on_an_empty_database_creates_nothing_not_even_the_tracking_table()
    {
        using var project = Strata.IntegrationTests.Migrations.ProofProject.Create();
        await project.AddAsync("0000_users", "CREATE TABLE users (id int)");
        // Edited after strata.sum was written: migrate refuses before running anything.
        project.WriteUp("0000_users", "CREATE TABLE users (id bigint)\n");
        await using var database = await postgres.CreateDatabaseAsync("cli_refused_nothing");
        var before = await CatalogAsync(database);

        var refused = await project.MigrateAsync(database);

        Assert.True(refused.ExitCode == 1, refused.ToString());
        Assert.Contains("nothing was changed", refused.Stderr);
        Assert.Contains("strata.sum", refused.Stderr);
        Assert.Equal(0L, await database.ScalarAsync<long>("SELECT count(*) FROM pg_namespace WHERE nspname = 'strata'"));
        Assert.Equal(before, await CatalogAsync(database));
    }

    [Fact]
    public async Task Two_branches_migrations_on_one_parent_are_refused_by_migrate_status_and_rollback_after_strata_hash()
    {
        using var copy = sample.CreateCopy();
        Assert.Equal(0, (await copy.RunAsync("generate", "--name", "init")).ExitCode);
        await using var database = await postgres.CreateDatabaseAsync("cli_branches");
        Assert.Equal(0, (await copy.RunAsync(database, "migrate")).ExitCode);

        // Branch a generates a migration on top of 0000_init; branch b, not having it, does the same.
        Assert.Equal(0, (await copy.RunAsync("generate", "--custom", "--name", "branch_a")).ExitCode);
        File.WriteAllText(Path.Combine(copy.MigrationsDirectory, "0001_branch_a", "up.sql"), "CREATE TABLE branch_a (id int);\n");
        var parked = Path.Combine(copy.Directory, "branch_a_elsewhere");
        Directory.Move(Path.Combine(copy.MigrationsDirectory, "0001_branch_a"), parked);
        Assert.Equal(0, (await copy.RunAsync("hash")).ExitCode);
        Assert.Equal(0, (await copy.RunAsync("generate", "--custom", "--name", "branch_b")).ExitCode);
        File.WriteAllText(Path.Combine(copy.MigrationsDirectory, "0001_branch_b", "up.sql"), "CREATE TABLE branch_b (id int);\n");
        // The merge brings both; strata hash accepts the merged files into strata.sum.
        Directory.Move(parked, Path.Combine(copy.MigrationsDirectory, "0001_branch_a"));
        var hash = await copy.RunAsync("hash");
        Assert.True(hash.ExitCode == 0, hash.ToString());

        foreach (var command in new[] { "migrate", "status", "rollback" })
        {
            var result = await copy.RunAsync(database, command);

            Assert.True(result.ExitCode == 1, $"strata {command}:\n{result}");
            Assert.Contains("0001_branch_a", result.Output);
            Assert.Contains("0001_branch_b", result.Output);
            Assert.Contains("both generated on top of 0000_init", result.Output);
            Assert.Contains("strata drop", result.Output);
            Assert.DoesNotContain("   at ", result.Output);
        }
        Assert.Equal(["0000_init"], await database.TrackedIdsAsync());
        Assert.False(await database.TableExistsAsync(new QualifiedName("public", "branch_a")));
        Assert.False(await database.TableExistsAsync(new QualifiedName("public", "branch_b")));
        Assert.True(await database.TableExistsAsync(new QualifiedName("public", "users")), "rollback must not have undone 0000_init");
    }

    [Fact]
    public async Task Without_a_configured_lockTimeout_a_migration_blocked_by_a_long_lock_fails_naming_the_holder_and_its_query()
    {
        using var project = Strata.IntegrationTests.Migrations.ProofProject.Create();
        await project.AddAsync("0000_accounts", "CREATE TABLE accounts (id int PRIMARY KEY)");
        await using var database = await postgres.CreateDatabaseAsync("cli_lock_timeout");
        var applied = await project.MigrateAsync(database);
        Assert.True(applied.ExitCode == 0, applied.ToString());
        await project.AddAsync("0001_note", "CREATE TABLE audit (id int)", "ALTER TABLE accounts ADD COLUMN note text");

        await using var holder = await database.OpenConnectionAsync();
        await using (var hold = new NpgsqlCommand("BEGIN; LOCK TABLE accounts IN ACCESS EXCLUSIVE MODE", holder))
            await hold.ExecuteNonQueryAsync();

        // Without the default lock timeout this run would wait for the lock for as long as the holder keeps it.
        using var run = project.StartMigrate(database);
        var result = await run.WaitAsync(TimeSpan.FromMinutes(2));

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains("0001_note", result.Stderr);
        Assert.Contains("55P03", result.Stderr);
        Assert.Contains("lock_timeout (5 s)", result.Stderr);
        // The default lockRetries: three more attempts, each said, then the failure counts them.
        Assert.Contains("0001_note: its transaction waited longer than lock_timeout", result.Output);
        Assert.Contains("attempt 4 of 4", result.Output);
        Assert.Contains("It was tried 4 times", result.Stderr);
        Assert.Contains($"pid {holder.ProcessID}", result.Stderr);
        Assert.Contains("LOCK TABLE accounts IN ACCESS EXCLUSIVE MODE", result.Stderr);
        Assert.Contains("lockTimeout", result.Stderr);
        Assert.Contains("--lock-timeout", result.Stderr);
        Assert.DoesNotContain("   at ", result.Output);
        await using (var release = new NpgsqlCommand("ROLLBACK", holder))
            await release.ExecuteNonQueryAsync();
        Assert.Equal(["0000_accounts"], await database.TrackedIdsAsync());
        Assert.False(await database.TableExistsAsync(new QualifiedName("public", "audit")), "the migration must have been rolled back whole");
        Assert.DoesNotContain("note", await database.ColumnNamesAsync(new QualifiedName("public", "accounts")));
    }

    [Fact]
    public async Task A_concurrent_index_build_waits_for_a_transaction_older_than_the_lock_timeout_instead_of_failing()
    {
        using var project = Strata.IntegrationTests.Migrations.ProofProject.Create();
        await project.AddAsync("0000_accounts", "CREATE TABLE accounts (id int PRIMARY KEY, email text)");
        await using var database = await postgres.CreateDatabaseAsync("cli_cic_lock_timeout");
        Assert.Equal(0, (await project.MigrateAsync(database)).ExitCode);
        await project.AddTextAsync("0001_email_index", "-- strata:no-transaction\nCREATE INDEX CONCURRENTLY accounts_email_idx ON accounts (email);\n");

        // A report query's transaction, older than the index build: CREATE INDEX CONCURRENTLY waits for it to end.
        await using var report = await database.OpenConnectionAsync();
        await using (var begin = new NpgsqlCommand("BEGIN ISOLATION LEVEL REPEATABLE READ; SELECT count(*) FROM accounts", report))
            await begin.ExecuteNonQueryAsync();

        using var run = project.StartMigrate(database, "--lock-timeout", "1");
        // The build has waited for the old transaction longer than the lock timeout (measured by the server's
        // clock): with lock_timeout applied to it, it would have failed by now.
        var waitedPastTheTimeout = await Strata.IntegrationTests.Migrations.ProofDatabase.EventuallyAsync(async () =>
            run.HasExited || await database.ScalarAsync<bool>(
                "SELECT count(*) > 0 FROM pg_stat_activity WHERE pid <> pg_backend_pid() AND query LIKE '%CREATE INDEX CONCURRENTLY%' AND wait_event_type = 'Lock' AND now() - query_start > interval '3 seconds'"),
            StrataProcess.Patience);
        Assert.True(waitedPastTheTimeout, "the index build never waited for the old transaction");
        if (run.HasExited)
            Assert.Fail("the index build did not wait for the old transaction:\n" + await run.WaitAsync(StrataProcess.Patience));
        await using (var end = new NpgsqlCommand("COMMIT", report))
            await end.ExecuteNonQueryAsync();

        var result = await run.WaitAsync(StrataProcess.Patience);
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(["0000_accounts", "0001_email_index"], await database.TrackedIdsAsync());
        Assert.True(await database.ScalarAsync<bool>("SELECT indisvalid FROM pg_index WHERE indexrelid = 'accounts_email_idx'::regclass"));
    }

    [Fact]
    public async Task A_tracking_row_with_a_NULL_checksum_is_refused_naming_the_table_the_migration_and_the_remedy()
    {
        using var project = Strata.IntegrationTests.Migrations.ProofProject.Create();
        await project.AddAsync("0000_accounts", "CREATE TABLE accounts (id int PRIMARY KEY)");
        await using var database = await postgres.CreateDatabaseAsync("cli_null_checksum");
        Assert.Equal(0, (await project.MigrateAsync(database)).ExitCode);
        await project.AddAsync("0001_audit", "CREATE TABLE audit (id int)");
        // Edited by hand: the table Strata creates has checksum NOT NULL.
        await database.ExecuteAsync("ALTER TABLE strata.__strata_migrations ALTER COLUMN checksum DROP NOT NULL; UPDATE strata.__strata_migrations SET checksum = NULL");

        foreach (var command in new[] { "migrate", "status" })
        {
            var result = await project.RunAsync(command, "-c", database.ConnectionString);

            Assert.True(result.ExitCode == 1, $"strata {command}:\n{result}");
            Assert.Contains("strata.__strata_migrations", result.Stderr);
            Assert.Contains("0000_accounts", result.Stderr);
            Assert.Contains("NULL in checksum", result.Stderr);
            Assert.Contains("SET checksum = 'h1:…' WHERE id = '0000_accounts'", result.Stderr);
            Assert.DoesNotContain("   at ", result.Output);
        }
        Assert.False(await database.TableExistsAsync(new QualifiedName("public", "audit")));
    }
}
