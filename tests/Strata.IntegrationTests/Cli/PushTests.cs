using Npgsql;
using Strata.IntegrationTests.Infrastructure;
using Strata.Model;
using Strata.Testing;

namespace Strata.IntegrationTests.Cli;

/// <summary><c>strata push</c>: the live database against the C# schema, the difference applied directly.</summary>
[Collection(CliCollection.Name)]
public sealed class PushTests(BuiltSample sample, PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    private static readonly QualifiedName Users = new("public", "users");

    private async Task<(SampleCopy Copy, TestDatabase Database)> PushedAsync(string prefix)
    {
        var copy = sample.CreateCopy();
        var database = await postgres.CreateDatabaseAsync(prefix);
        var pushed = await copy.RunAsync(database, "push");
        Assert.True(pushed.ExitCode == 0, pushed.ToString());
        return (copy, database);
    }

    [Fact]
    public async Task Push_onto_an_empty_database_builds_what_migrate_builds_and_a_second_push_changes_nothing()
    {
        var (copy, pushed) = await PushedAsync("cli_push_empty");
        using var _ = copy;
        await using var __ = pushed;
        await using var migrated = await postgres.CreateDatabaseAsync("cli_push_migrated");
        await copy.MigrateInitAsync(migrated);

        Assert.Equal(await migrated.SchemaLinesAsync(), await pushed.SchemaLinesAsync());
        Assert.True(await pushed.TableExistsAsync(Users));
        Assert.False(await pushed.TableExistsAsync(new QualifiedName("strata", "__strata_migrations")), "push writes no migration history");

        var before = await pushed.SchemaLinesAsync();
        var again = await copy.RunAsync(pushed, "push");

        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.True(again.Stdout.Contains($"No changes: {EnvironmentTests.Describe(pushed)} matches the schema.", StringComparison.Ordinal), again.ToString());
        Assert.Equal(before, await pushed.SchemaLinesAsync());

        // The migrated database has the tracking table too: push leaves it out.
        var onMigrated = await copy.RunAsync(migrated, "push");

        Assert.True(onMigrated.ExitCode == 0, onMigrated.ToString());
        Assert.True(onMigrated.Stdout.Contains($"No changes: {EnvironmentTests.Describe(migrated)} matches the schema.", StringComparison.Ordinal), onMigrated.ToString());
        Assert.Equal(["0000_init"], await migrated.TrackedIdsAsync());
    }

    [Fact]
    public async Task An_added_column_and_index_are_pushed_keeping_the_rows_and_a_dry_run_only_prints_them()
    {
        var (copy, database) = await PushedAsync("cli_push_edit");
        using var _ = copy;
        await using var __ = database;
        await database.AddUserAsync();
        copy.EditSchema("""t.Column("created_at", Types.TimestampTz()).NotNull().DefaultSql("now()");""",
            """t.Column("created_at", Types.TimestampTz()).NotNull().DefaultSql("now()"); t.Column("nickname", Types.Text); t.Index("created_at").Named("users_created_idx");""");

        var dry = await copy.RunAsync(database, "push", "--dry-run");

        Assert.True(dry.ExitCode == 0, dry.ToString());
        Assert.True(dry.Stdout.Contains("ALTER TABLE \"public\".\"users\" ADD COLUMN \"nickname\" text;", StringComparison.Ordinal), dry.ToString());
        Assert.True(dry.Stdout.Contains("users_created_idx", StringComparison.Ordinal), dry.ToString());
        Assert.DoesNotContain("nickname", await database.ColumnNamesAsync(Users));

        // As data, the dry run names its database and environment, as every other push document does.
        var dryJson = await copy.RunAsync(database, "push", "--dry-run", "--json");
        Assert.True(dryJson.ExitCode == 0, dryJson.ToString());
        var planned = dryJson.Json();
        Assert.True(planned.GetProperty("dryRun").GetBoolean());
        Assert.EndsWith("/" + database.Name, planned.GetProperty("database").GetString());
        Assert.False(string.IsNullOrEmpty(planned.GetProperty("environment").GetString()));
        Assert.Contains(planned.GetProperty("statements").EnumerateArray(), s => s.GetProperty("sql").GetString()!.Contains("\"nickname\"", StringComparison.Ordinal));
        Assert.DoesNotContain("nickname", await database.ColumnNamesAsync(Users));

        var result = await copy.RunAsync(database, "push");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.True(result.Stdout.Contains("Pushed 2 statements", StringComparison.Ordinal), result.ToString());
        Assert.Contains("nickname", await database.ColumnNamesAsync(Users));
        Assert.Equal(1L, await database.ScalarAsync<long>("SELECT count(*) FROM pg_indexes WHERE indexname = 'users_created_idx'"));
        Assert.Equal(1L, await database.CountRowsAsync(Users));
        var again = await copy.RunAsync(database, "push");
        Assert.True(again.Stdout.Contains("No changes", StringComparison.Ordinal), again.ToString());
    }

    [Fact]
    public async Task A_dropped_column_is_refused_without_a_terminal_naming_table_column_and_rows_and_pushed_with_accept_data_loss()
    {
        var (copy, database) = await PushedAsync("cli_push_loss");
        using var _ = copy;
        await using var __ = database;
        await database.AddUserAsync("a@example.com");
        await database.AddUserAsync("b@example.com");
        copy.EditSchema("""t.Column("display_name", Types.Text).NotNull();""", "");

        var refused = await copy.RunAsync(database, "push");

        Assert.True(refused.ExitCode == 1, refused.ToString());
        Assert.True(refused.Stdout.Contains("drops column public.users.display_name and its values (public.users has 2 rows)", StringComparison.Ordinal), refused.ToString());
        Assert.True(refused.Stderr.Contains("refused: pushing would lose data", StringComparison.Ordinal), refused.ToString());
        Assert.True(refused.Stderr.Contains("--accept-data-loss", StringComparison.Ordinal), refused.ToString());
        Assert.Contains("display_name", await database.ColumnNamesAsync(Users));

        var accepted = await copy.RunAsync(database, "push", "--accept-data-loss", "--json");

        Assert.True(accepted.ExitCode == 0, accepted.ToString());
        var loss = accepted.Json().GetProperty("dataLoss")[0];
        Assert.Equal("public.users", loss.GetProperty("table").GetString());
        Assert.Equal(2L, loss.GetProperty("rows").GetInt64());
        Assert.DoesNotContain("display_name", await database.ColumnNamesAsync(Users));
        Assert.Equal(2L, await database.CountRowsAsync(Users));
    }

    [Fact]
    public async Task A_renamed_column_stops_with_the_rename_flags_and_keeps_its_values_when_renamed()
    {
        var (copy, database) = await PushedAsync("cli_push_rename");
        using var _ = copy;
        await using var __ = database;
        await database.AddUserAsync();
        copy.EditSchema("""t.Column("display_name", Types.Text).NotNull();""", """t.Column("full_name", Types.Text).NotNull();""");

        var stopped = await copy.RunAsync(database, "push");

        Assert.True(stopped.ExitCode == 2, stopped.ToString());
        Assert.True(stopped.Stderr.Contains("--rename 'column:public.users.display_name=full_name'", StringComparison.Ordinal), stopped.ToString());
        Assert.True(stopped.Stderr.Contains("nothing was changed", StringComparison.Ordinal), stopped.ToString());
        Assert.Contains("display_name", await database.ColumnNamesAsync(Users));

        var renamed = await copy.RunAsync(database, "push", "--rename", "column:public.users.display_name=full_name");

        Assert.True(renamed.ExitCode == 0, renamed.ToString());
        Assert.Equal(["Ada"], (await database.QueryAsync("SELECT full_name FROM users")).Select(r => (string)r[0]!));
    }

    [Fact]
    public async Task A_concurrent_index_is_created_after_the_transaction()
    {
        var (copy, database) = await PushedAsync("cli_push_concurrent");
        using var _ = copy;
        await using var __ = database;
        copy.EditSchema("""t.Index("list_id", "due_on");""", """t.Index("list_id", "due_on"); t.Index("title").Named("items_title_idx").Concurrently(); t.Column("note", Types.Text);""");

        var result = await copy.RunAsync(database, "push");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.True(result.Stdout.Contains("Pushed 2 statements", StringComparison.Ordinal), result.ToString());
        Assert.True(result.Stdout.Contains("1 of them outside the transaction", StringComparison.Ordinal), result.ToString());
        Assert.True(await database.ScalarAsync<bool>("SELECT i.indisvalid FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE c.relname = 'items_title_idx'"));
        Assert.Contains("note", await database.ColumnNamesAsync(new QualifiedName("public", "items")));
        var again = await copy.RunAsync(database, "push");
        Assert.True(again.Stdout.Contains("No changes", StringComparison.Ordinal), again.ToString());
    }

    [Fact]
    public async Task Without_a_configured_lockTimeout_a_push_blocked_by_a_long_lock_fails_as_migrate_does_naming_the_holder_and_changes_nothing()
    {
        var (copy, database) = await PushedAsync("cli_push_lock_timeout");
        using var _ = copy;
        await using var __ = database;
        copy.EditSchema("""t.Column("created_at", Types.TimestampTz()).NotNull().DefaultSql("now()");""",
            """t.Column("created_at", Types.TimestampTz()).NotNull().DefaultSql("now()"); t.Column("nickname", Types.Text);""");
        // A long transaction that has read the table: push's reads pass it, its ALTER TABLE must wait for it.
        await using var holder = await database.OpenConnectionAsync();
        await using (var hold = new NpgsqlCommand("BEGIN; LOCK TABLE users IN ACCESS SHARE MODE", holder))
            await hold.ExecuteNonQueryAsync();

        using var run = StrataProcess.Start(copy.Directory, ["push", "-c", database.ConnectionString]);
        // With migrate's default lock_timeout (5 s) the server cancels the wait; without one, push would still be
        // waiting for the lock long after (by the server's clock), for as long as the holder keeps it.
        var ended = await Strata.IntegrationTests.Migrations.ProofDatabase.EventuallyAsync(async () =>
            run.HasExited || await database.ScalarAsync<bool>(
                "SELECT count(*) > 0 FROM pg_stat_activity WHERE pid <> pg_backend_pid() AND query LIKE '%ADD COLUMN \"nickname\"%' AND wait_event_type = 'Lock' AND now() - query_start > interval '60 seconds'"),
            StrataProcess.Patience);
        if (!run.HasExited)
        {
            await run.KillAsync();
            Assert.Fail("push waited for the lock without a lock_timeout");
        }
        Assert.True(ended);
        var result = await run.WaitAsync(StrataProcess.Patience);

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains("push --dry-run:", result.Stderr);
        Assert.Contains("55P03", result.Stderr);
        Assert.Contains("lock_timeout (5 s)", result.Stderr);
        Assert.Contains($"pid {holder.ProcessID}", result.Stderr);
        Assert.Contains("LOCK TABLE users IN ACCESS SHARE MODE", result.Stderr);
        Assert.Contains("ADD COLUMN \"nickname\" text", result.Stderr);
        Assert.Contains("--lock-timeout", result.Stderr);
        Assert.DoesNotContain("   at ", result.Output);
        await using (var release = new NpgsqlCommand("ROLLBACK", holder))
            await release.ExecuteNonQueryAsync();
        Assert.DoesNotContain("nickname", await database.ColumnNamesAsync(Users));
    }

    [Fact]
    public async Task A_materialized_view_with_indexes_is_pushed_and_an_added_index_leaves_the_view_in_place()
    {
        var (copy, database) = await PushedAsync("cli_push_matview");
        using var _ = copy;
        await using var __ = database;
        const string view = """.Comment("Items not done yet.");""";
        copy.EditSchema(view, view + """
             db.MaterializedView("list_titles", "SELECT id, title FROM lists", v =>
             {
                 v.Index("id").Unique().Concurrently();
                 v.Index(IndexKey.Expression("lower(title)")).Where("length(title) > 3");
             });
            """);

        var created = await copy.RunAsync(database, "push");

        Assert.True(created.ExitCode == 0, created.ToString());
        Assert.True(created.Stdout.Contains("Pushed 3 statements", StringComparison.Ordinal), created.ToString());
        Assert.Equal(
            ["CREATE INDEX list_titles_expr_idx ON public.list_titles USING btree (lower((title)::text)) WHERE (length((title)::text) > 3)",
             "CREATE UNIQUE INDEX list_titles_id_idx ON public.list_titles USING btree (id)"],
            (await database.QueryAsync("SELECT indexdef FROM pg_indexes WHERE tablename = 'list_titles' ORDER BY indexname")).Select(r => (string)r[0]!));
        var again = await copy.RunAsync(database, "push");
        Assert.True(again.Stdout.Contains("No changes", StringComparison.Ordinal), again.ToString());

        var oid = await database.ScalarAsync<long>("SELECT 'public.list_titles'::regclass::oid::int8");
        copy.EditSchema("""v.Index("id").Unique().Concurrently();""", """v.Index("id").Unique().Concurrently(); v.Index("title").Named("list_titles_title");""");
        var added = await copy.RunAsync(database, "push");

        Assert.True(added.ExitCode == 0, added.ToString());
        Assert.True(added.Stdout.Contains("Pushed 1 statement", StringComparison.Ordinal), added.ToString());
        Assert.Equal(oid, await database.ScalarAsync<long>("SELECT 'public.list_titles'::regclass::oid::int8"));
        Assert.Equal(1L, await database.ScalarAsync<long>("SELECT count(*) FROM pg_indexes WHERE indexname = 'list_titles_title'"));
    }

    [Fact]
    public async Task Push_with_table_and_schema_filters_changes_only_what_they_select()
    {
        using var copy = sample.CreateCopy();
        await using var database = await postgres.CreateDatabaseAsync("cli_push_filter");
        await database.ExecuteAsync("CREATE TABLE legacy (id int)");

        var users = await copy.RunAsync(database, "push", "--table", "users");

        Assert.True(users.ExitCode == 0, users.ToString());
        Assert.True(await database.TableExistsAsync(Users));
        Assert.False(await database.TableExistsAsync(new QualifiedName("public", "lists")));
        // Not selected, so not dropped though the C# schema has no such table.
        Assert.True(await database.TableExistsAsync(new QualifiedName("public", "legacy")));
        // Enums are selected by schema: the table needs none, but push brings public's along.
        Assert.Equal(1L, await database.ScalarAsync<long>("SELECT count(*) FROM pg_type WHERE typname = 'priority'"));

        var again = await copy.RunAsync(database, "push", "--table", "use?s", "--schema", "public");

        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.True(again.Stdout.Contains($"No changes: {EnvironmentTests.Describe(database)} matches the schema (schema public; table use?s).", StringComparison.Ordinal), again.ToString());

        var rest = await copy.RunAsync(database, "push", "--table", "lists", "--table", "items", "--table", "open_*");

        Assert.True(rest.ExitCode == 0, rest.ToString());
        Assert.True(await database.TableExistsAsync(new QualifiedName("public", "items")));
        Assert.Equal(1L, await database.ScalarAsync<long>("SELECT count(*) FROM pg_views WHERE viewname = 'open_items'"));
        Assert.True(await database.TableExistsAsync(new QualifiedName("public", "legacy")));
    }

    [Fact]
    public async Task A_user_who_may_not_create_databases_pushes_with_a_warning_and_then_finds_no_changes()
    {
        using var copy = sample.CreateCopy();
        await using var database = await PasswordRole.CreateDatabaseAsync(postgres, "cli_push_no_createdb");
        var url = PasswordRole.Url(database);

        var first = await copy.RunAsync("push", "--connection", url);

        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.True(await database.TableExistsAsync(Users));

        var again = await copy.RunAsync("push", "--connection", url);

        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.True(again.Stdout.Contains("may not create databases", StringComparison.Ordinal), again.ToString());
        Assert.True(again.Stdout.Contains("No changes", StringComparison.Ordinal), again.ToString());
    }

    [Fact]
    public async Task The_printed_forms_of_an_earlier_push_are_reused_so_only_changed_tables_need_a_scratch_database()
    {
        // A privileged push fills .strata/printed; a user who may not create databases then compares exactly
        // as long as nothing changed, and falls back (with the warning) only for a changed table.
        using var copy = sample.CreateCopy();
        await using var privileged = await postgres.CreateDatabaseAsync("cli_push_cache_admin");
        var filled = await copy.RunAsync(privileged, "push");
        Assert.True(filled.ExitCode == 0, filled.ToString());
        Assert.Single(Directory.GetFiles(Path.Combine(copy.Directory, ".strata", "printed"), "printed-*.json"));

        await using var database = await PasswordRole.CreateDatabaseAsync(postgres, "cli_push_cache");
        var url = PasswordRole.Url(database);
        var first = await copy.RunAsync("push", "--connection", url);
        var again = await copy.RunAsync("push", "--connection", url);

        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.False(first.Stdout.Contains("may not create databases", StringComparison.Ordinal), first.ToString());
        Assert.True(again.Stdout.Contains("No changes", StringComparison.Ordinal), again.ToString());
        Assert.False(again.Stdout.Contains("may not create databases", StringComparison.Ordinal), again.ToString());

        copy.EditSchema("""t.Column("display_name", Types.Text).NotNull();""",
            """t.Column("display_name", Types.Text).NotNull().Check("length(display_name) > 0");""");
        var changed = await copy.RunAsync("push", "--connection", url);

        Assert.True(changed.ExitCode == 0, changed.ToString());
        Assert.True(changed.Stdout.Contains("may not create databases", StringComparison.Ordinal), changed.ToString());
        Assert.Equal(1L, await database.ScalarAsync<long>(
            "SELECT count(*) FROM pg_constraint WHERE conrelid = 'public.users'::regclass AND contype = 'c'"));
    }

    [Fact]
    public async Task Push_on_a_protected_environment_is_refused_because_it_bypasses_the_migrations_and_runs_with_force_and_confirm()
    {
        using var copy = sample.CreateCopy();
        copy.ProtectProduction();
        await using var database = await postgres.CreateDatabaseAsync("cli_push_protected");

        var refused = await copy.RunAsync(database, "push", "--env", "production");

        Assert.True(refused.ExitCode == 1, refused.ToString());
        Assert.True(refused.Stderr.Contains("protected environment \"production\"", StringComparison.Ordinal), refused.ToString());
        Assert.True(refused.Stderr.Contains("bypassing the migrations", StringComparison.Ordinal), refused.ToString());
        Assert.True(refused.Stderr.Contains($"--confirm {database.Name}", StringComparison.Ordinal), refused.ToString());
        Assert.False(await database.TableExistsAsync(Users));

        var confirmed = await copy.RunAsync(database, "push", "--env", "production", "--force", "--confirm", database.Name);

        Assert.True(confirmed.ExitCode == 0, confirmed.ToString());
        Assert.True(await database.TableExistsAsync(Users));
    }
}
