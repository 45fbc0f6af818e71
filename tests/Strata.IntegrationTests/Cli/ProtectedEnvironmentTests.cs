using Strata.IntegrationTests.Infrastructure;
using Strata.Testing;

namespace Strata.IntegrationTests.Cli;

/// <summary>reset, a data-losing rollback and drop of an applied migration on an environment with "protected": true.</summary>
[Collection(CliCollection.Name)]
public sealed class ProtectedEnvironmentTests(BuiltSample sample, PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    private const string Prompt = "to confirm:";

    private async Task<(SampleCopy Copy, TestDatabase Database)> MigratedProductionAsync(string prefix, params string[] migrateArgs)
    {
        var copy = sample.CreateCopy();
        copy.ProtectProduction();
        var database = await postgres.CreateDatabaseAsync(prefix);
        await copy.MigrateInitAsync(database, migrateArgs);
        await database.AddUserAsync();
        return (copy, database);
    }

    [Fact]
    public async Task Reset_on_a_protected_environment_is_refused_without_force_and_with_a_wrong_confirm_and_runs_with_the_right_one()
    {
        var (copy, database) = await MigratedProductionAsync("cli_protected_reset");
        using var _ = copy;
        await using var __ = database;

        var refused = await copy.RunAsync(database, "reset", "--env", "production");

        Assert.True(refused.ExitCode == 1, refused.ToString());
        Assert.Contains("protected environment \"production\"", refused.Stderr);
        Assert.Contains($"in the database {database.Name}", refused.Stderr);
        Assert.Contains("--force", refused.Stderr);
        Assert.Contains($"--confirm {database.Name}", refused.Stderr);
        Assert.Equal(1L, await database.CountRowsAsync("public.users"));

        var forcedWithoutConfirm = await copy.RunAsync(database, "reset", "--env", "production", "--force");

        Assert.True(forcedWithoutConfirm.ExitCode == 1, forcedWithoutConfirm.ToString());
        Assert.Contains("without a terminal --force needs --confirm", forcedWithoutConfirm.Stderr);
        Assert.Equal(1L, await database.CountRowsAsync("public.users"));

        var wrong = await copy.RunAsync(database, "reset", "--env", "production", "--force", "--confirm", "some_other_db");

        Assert.True(wrong.ExitCode == 1, wrong.ToString());
        Assert.Contains($"\"some_other_db\" is not the name of the database {database.Name}", wrong.Stderr);
        Assert.Equal(1L, await database.CountRowsAsync("public.users"));

        var confirmed = await copy.RunAsync(database, "reset", "--env", "production", "--force", "--confirm", database.Name);

        Assert.True(confirmed.ExitCode == 0, confirmed.ToString());
        Assert.Equal(0L, await database.CountRowsAsync("public.users"));
        Assert.Equal(["0000_init"], await database.TrackedIdsAsync());
    }

    [Fact]
    public async Task An_unprotected_environment_resets_without_force()
    {
        var (copy, database) = await MigratedProductionAsync("cli_unprotected_reset");
        using var _ = copy;
        await using var __ = database;

        var result = await copy.RunAsync(database, "reset", "--env", "development");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(0L, await database.CountRowsAsync("public.users"));
    }

    [Fact]
    public async Task On_a_terminal_reset_force_asks_for_the_database_name_and_a_wrong_name_changes_nothing()
    {
        var (copy, database) = await MigratedProductionAsync("cli_protected_prompt");
        using var _ = copy;
        await using var __ = database;
        string[] args = ["reset", "--env", "production", "--force", "--connection", database.ConnectionString];

        var wrong = await StrataProcess.RunInTerminalAsync(copy.Directory, [(Prompt, "production\r")], args);

        Assert.True(wrong.ExitCode == 1, wrong.ToString());
        Assert.Contains($"Type the database name ({database.Name}) to confirm:", wrong.PlainStdout);
        Assert.Contains("\"production\" is not the name of the database", wrong.PlainStdout);
        Assert.Equal(1L, await database.CountRowsAsync("public.users"));

        var right = await StrataProcess.RunInTerminalAsync(copy.Directory, [(Prompt, database.Name + "\r")], args);

        Assert.True(right.ExitCode == 0, right.ToString());
        Assert.Contains("Reset in", right.PlainStdout);
        Assert.Equal(0L, await database.CountRowsAsync("public.users"));
    }

    [Fact]
    public async Task A_rollback_that_loses_data_on_a_protected_environment_needs_force_and_the_database_name()
    {
        var (copy, database) = await MigratedProductionAsync("cli_protected_rollback");
        using var _ = copy;
        await using var __ = database;

        var refused = await copy.RunAsync(database, "rollback", "--env", "production", "--accept-data-loss");

        Assert.True(refused.ExitCode == 1, refused.ToString());
        Assert.Contains("strata rollback would run down scripts that destroy data (0000_init: drops table", refused.Stderr);
        Assert.Contains("protected environment \"production\"", refused.Stderr);
        Assert.Equal(["0000_init"], await database.TrackedIdsAsync());

        var confirmed = await copy.RunAsync(database, "rollback", "--env", "production", "--accept-data-loss", "--force", "--confirm", database.Name);

        Assert.True(confirmed.ExitCode == 0, confirmed.ToString());
        Assert.Empty(await database.TrackedIdsAsync());
    }

    [Fact]
    public async Task Drop_of_a_migration_applied_to_a_protected_environment_needs_force_and_the_database_name()
    {
        var (copy, database) = await MigratedProductionAsync("cli_protected_drop");
        using var _ = copy;
        await using var __ = database;

        var refused = await copy.RunAsync(database, "drop", "--env", "production");

        Assert.True(refused.ExitCode == 1, refused.ToString());
        Assert.Contains("strata drop would remove the migration 0000_init, which is applied there", refused.Stderr);
        Assert.Equal(["0000_init"], copy.MigrationFolders());

        var wrong = await copy.RunAsync(database, "drop", "--env", "production", "--force", "--confirm", "nope");

        Assert.True(wrong.ExitCode == 1, wrong.ToString());
        Assert.Equal(["0000_init"], copy.MigrationFolders());

        var confirmed = await copy.RunAsync(database, "drop", "--env", "production", "--force", "--confirm", database.Name);

        Assert.True(confirmed.ExitCode == 0, confirmed.ToString());
        Assert.Empty(copy.MigrationFolders());
        Assert.Contains("0000_init is applied to", confirmed.Stdout);
    }

    [Fact]
    public async Task Drop_checks_a_named_database_and_refuses_an_applied_migration_there_without_force()
    {
        var (copy, database) = await MigratedProductionAsync("cli_drop_applied");
        using var _ = copy;
        await using var __ = database;

        var refused = await copy.RunAsync(database, "drop");

        Assert.True(refused.ExitCode == 1, refused.ToString());
        Assert.Contains("0000_init is applied to", refused.Stderr);
        Assert.Contains("strata rollback", refused.Stderr);
        Assert.Equal(["0000_init"], copy.MigrationFolders());
    }

    /// <summary>The sample migrated through the protected environment "production" (by --connection): the database records its protection.</summary>
    private Task<(SampleCopy Copy, TestDatabase Database)> MigratedThroughProductionAsync(string prefix) =>
        MigratedProductionAsync(prefix, "--env", "production");

    private static void AssertRefusedAsRecorded(CliResult refused)
    {
        Assert.True(refused.ExitCode == 1, refused.ToString());
        Assert.Contains("refused:", refused.Stderr);
        Assert.Contains("the comment of the table strata.__strata_migrations records \"strata:protected environment=production\"", refused.Stderr);
        Assert.Contains("--force", refused.Stderr);
    }

    [Fact]
    public async Task A_database_migrated_by_a_protected_environment_refuses_reset_reached_by_STRATA_DATABASE_URL_or_connection()
    {
        var (copy, database) = await MigratedThroughProductionAsync("cli_recorded_reset");
        using var _ = copy;
        await using var __ = database;

        // The default environment (development) is not protected: the database's own record refuses.
        var byVariable = await StrataProcess.RunAsync(copy.Directory, new Dictionary<string, string?> { ["STRATA_DATABASE_URL"] = database.ConnectionString }, "reset");
        AssertRefusedAsRecorded(byVariable);
        Assert.Equal(1L, await database.CountRowsAsync("public.users"));

        var byConnection = await copy.RunAsync(database, "reset");
        AssertRefusedAsRecorded(byConnection);
        Assert.Equal(1L, await database.CountRowsAsync("public.users"));

        var confirmed = await copy.RunAsync(database, "reset", "--force", "--confirm", database.Name);
        Assert.True(confirmed.ExitCode == 0, confirmed.ToString());
        Assert.Equal(0L, await database.CountRowsAsync("public.users"));

        // The reset dropped the tracking table, and wrote the record again in the new one.
        await database.AddUserAsync();
        AssertRefusedAsRecorded(await copy.RunAsync(database, "reset"));
        Assert.Equal(1L, await database.CountRowsAsync("public.users"));
    }

    [Fact]
    public async Task A_database_migrated_by_a_protected_environment_refuses_push_rollback_and_drop_reached_by_a_url()
    {
        var (copy, database) = await MigratedThroughProductionAsync("cli_recorded_others");
        using var _ = copy;
        await using var __ = database;
        var variable = new Dictionary<string, string?> { ["STRATA_DATABASE_URL"] = database.ConnectionString };

        var rollback = await StrataProcess.RunAsync(copy.Directory, variable, "rollback", "--accept-data-loss");
        AssertRefusedAsRecorded(rollback);
        Assert.Equal(["0000_init"], await database.TrackedIdsAsync());

        var drop = await copy.RunAsync(database, "drop");
        AssertRefusedAsRecorded(drop);
        Assert.Equal(["0000_init"], copy.MigrationFolders());

        copy.EditSchema("t.Column(\"display_name\"", "t.Column(\"shown_name\"");
        var push = await copy.RunAsync(database, "push", "--accept-data-loss");
        AssertRefusedAsRecorded(push);
        Assert.Contains("display_name", await database.ColumnNamesAsync(new Strata.Model.QualifiedName("public", "users")));
        Assert.Equal(1L, await database.CountRowsAsync("public.users"));
    }

    [Fact]
    public async Task Reset_of_a_database_that_is_not_on_this_machine_needs_force()
    {
        var (copy, database) = await MigratedProductionAsync("cli_remote_reset");
        using var _ = copy;
        await using var __ = database;
        // The machine's own name reaches the same server, but it is not localhost: Strata cannot tell it from a shared server.
        var remote = new Npgsql.NpgsqlConnectionStringBuilder(database.ConnectionString) { Host = System.Net.Dns.GetHostName() }.ConnectionString;

        var dry = await copy.RunAsync("reset", "--dry-run", "--connection", remote);
        Assert.True(dry.ExitCode == 0, dry.ToString());
        Assert.Contains("the real run needs --force", dry.Stdout);

        var refused = await copy.RunAsync("reset", "--connection", remote);
        Assert.True(refused.ExitCode == 1, refused.ToString());
        Assert.Contains("not a local development or test database", refused.Stderr);
        Assert.Contains("--force", refused.Stderr);
        Assert.Equal(1L, await database.CountRowsAsync("public.users"));

        var forced = await copy.RunAsync("reset", "--connection", remote, "--force");
        Assert.True(forced.ExitCode == 0, forced.ToString());
        Assert.Equal(0L, await database.CountRowsAsync("public.users"));
    }

    [Fact]
    public async Task Reset_dry_run_lists_every_object_the_real_run_drops_an_unmanaged_table_in_public_included()
    {
        var (copy, database) = await MigratedProductionAsync("cli_reset_dry_run");
        using var _ = copy;
        await using var __ = database;
        await database.ExecuteAsync("CREATE TABLE public.other_team (id int); INSERT INTO public.other_team SELECT generate_series(1, 100)");
        // Default privileges outlive the drops: reset takes them back, and the dry run says so.
        await database.ExecuteAsync("ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT ON TABLES TO PUBLIC");

        var dry = await copy.RunAsync(database, "reset", "--dry-run", "--json");
        Assert.True(dry.ExitCode == 0, dry.ToString());
        Assert.Equal(100L, await database.CountRowsAsync("public.other_team"));
        var listed = System.Text.Json.Nodes.JsonNode.Parse(dry.Stdout)!["drops"]!.AsArray()
            .Select(o => $"{o!["kind"]} {o["name"]} {o["definedByMigrations"]}").ToList();
        Assert.Contains("table public.other_team false", listed);
        Assert.Contains("table public.users true", listed);
        Assert.Contains("table strata.__strata_migrations true", listed);
        Assert.Contains(listed, o => o.StartsWith("default privileges for role ", StringComparison.Ordinal) && o.EndsWith(" in schema public on tables true", StringComparison.Ordinal));

        var human = await copy.RunAsync(database, "reset", "--dry-run");
        Assert.Contains("table public.other_team (not defined by the migrations)", human.Stdout);

        var real = await copy.RunAsync(database, "reset", "--json");
        Assert.True(real.ExitCode == 0, real.ToString());
        var dropped = System.Text.Json.Nodes.JsonNode.Parse(real.Stdout)!["drops"]!.AsArray()
            .Select(o => $"{o!["kind"]} {o["name"]} {o["definedByMigrations"]}").ToList();
        Assert.Equal(listed, dropped);
        Assert.False(await database.TableExistsAsync(new Strata.Model.QualifiedName("public", "other_team")));
        Assert.Equal(0L, await database.ScalarAsync<long>("SELECT count(*) FROM pg_default_acl"));
    }
}
