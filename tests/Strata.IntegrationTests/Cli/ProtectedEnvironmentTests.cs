using Strata.IntegrationTests.Infrastructure;
using Strata.Testing;

namespace Strata.IntegrationTests.Cli;

/// <summary>reset, a data-losing rollback and drop of an applied migration on an environment with "protected": true.</summary>
[Collection(CliCollection.Name)]
public sealed class ProtectedEnvironmentTests(BuiltSample sample, PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    private const string Prompt = "to confirm:";

    private async Task<(SampleCopy Copy, TestDatabase Database)> MigratedProductionAsync(string prefix)
    {
        var copy = sample.CreateCopy();
        copy.ProtectProduction();
        var database = await postgres.CreateDatabaseAsync(prefix);
        await copy.MigrateInitAsync(database);
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
}
