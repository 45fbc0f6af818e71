using Strata.IntegrationTests.Infrastructure;

namespace Strata.IntegrationTests.Cli;

/// <summary>
/// A recognisable password in the URL, given through a variable in .env, appears in no output of any
/// command: on success and on failure, with --json and with --verbose (which prints the causes).
/// The server really checks it (<see cref="PasswordRole"/>), so the successful runs did use it.
/// </summary>
[Collection(CliCollection.Name)]
public sealed class SecretsTests(BuiltSample sample, PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    private static readonly string[][] Successes =
    [
        ["migrate", "--dry-run"],
        ["migrate"],
        ["migrate", "--json"],
        ["status"],
        ["status", "--json"],
        ["rollback", "--accept-data-loss", "--dry-run"],
        ["rollback", "--accept-data-loss", "--json"],
        ["migrate", "--verbose"],
        ["rollback", "--accept-data-loss"],
        ["migrate"],
        ["check"],
        ["check", "--json"],
        ["export"],
        ["generate", "--custom", "--name", "later"],
        ["drop"],
        ["hash"],
        ["seed"],
        ["seed", "--json", "--verbose"],
        ["reset"],
        ["reset", "--seed", "--json"],
        ["doctor"],
        ["doctor", "--json", "--verbose"],
    ];

    [Fact]
    public async Task Every_command_that_succeeds_keeps_the_password_to_itself()
    {
        await using var database = await PasswordRole.CreateDatabaseAsync(postgres, "secrets_ok");
        using var copy = await CopyAsync($"SECURE_DATABASE_URL={PasswordRole.Url(database)}\n");

        foreach (var args in Successes)
        {
            var result = await copy.RunAsync([.. args, "--env", "secure"]);

            Assert.True(result.ExitCode == 0, $"strata {string.Join(' ', args)}: {result}");
            AssertNoPassword(result, args);
        }
        // The runs really connected as the role, with its password.
        Assert.Equal(1L, await database.ScalarAsync<long>("SELECT count(*) FROM strata.__strata_migrations"));
    }

    [Theory]
    [InlineData("migrate", 2)]
    [InlineData("status", 2)]
    [InlineData("rollback", 2)]
    [InlineData("reset", 2)]
    [InlineData("seed", 2)]
    [InlineData("doctor", 1)]
    public async Task A_wrong_password_fails_without_showing_either_password(string command, int exitCode)
    {
        await using var database = await PasswordRole.CreateDatabaseAsync(postgres, "secrets_wrong");
        // The wrong password holds the right one, so a leak of either is caught.
        using var copy = await CopyAsync($"SECURE_DATABASE_URL={PasswordRole.Url(database, PasswordRole.Password + "-wrong")}\n");

        foreach (var extra in new[] { "--json", "--verbose" })
        {
            var result = await copy.RunAsync(command, "--env", "secure", extra);

            Assert.True(result.ExitCode == exitCode, result.ToString());
            AssertNoPassword(result, [command, extra]);
        }
    }

    [Fact]
    public async Task A_failing_migration_an_unreachable_host_and_a_bad_url_keep_the_password_to_themselves()
    {
        await using var database = await PasswordRole.CreateDatabaseAsync(postgres, "secrets_fail");
        using var copy = await CopyAsync($"SECURE_DATABASE_URL={PasswordRole.Url(database)}\n");
        await copy.AddMigrationAsync("0001_broken", "SELECT current_user, no_such_column FROM no_such_table;\n");

        foreach (var extra in new[] { "--json", "--verbose" })
        {
            var failed = await copy.RunAsync("migrate", "--env", "secure", extra);

            Assert.True(failed.ExitCode == 1, failed.ToString());
            Assert.Contains("42P01", failed.Output);
            AssertNoPassword(failed, ["migrate (failing)", extra]);
        }

        copy.WriteFile(".env", $"SECURE_DATABASE_URL=postgres://{PasswordRole.Name}:{PasswordRole.Password}@127.0.0.1:{PasswordRole.UnusedPort()}/nowhere\n");
        foreach (var command in new[] { "migrate", "status", "rollback" })
        {
            var unreachable = await copy.RunAsync(command, "--env", "secure", "--verbose");

            Assert.True(unreachable.ExitCode == 2, unreachable.ToString());
            Assert.Contains("connection refused", unreachable.Stderr);
            AssertNoPassword(unreachable, [command, "(unreachable)"]);
        }

        copy.WriteFile(".env", $"SECURE_DATABASE_URL=postgres://{PasswordRole.Name}:{PasswordRole.Password}@127.0.0.1:notaport/x?sslmode=sometimes\n");
        var badUrl = await copy.RunAsync("migrate", "--env", "secure", "--verbose");

        Assert.True(badUrl.ExitCode == 2, badUrl.ToString());
        AssertNoPassword(badUrl, ["migrate", "(bad url)"]);

        copy.WriteFile(".env", $"SECURE_DATABASE_URL=Host=127.0.0.1;Password={PasswordRole.Password};Nonsense=1\n");
        var badKeywords = await copy.RunAsync("status", "--env", "secure", "--json");

        Assert.True(badKeywords.ExitCode == 2, badKeywords.ToString());
        AssertNoPassword(badKeywords, ["status", "(bad keywords)"]);
    }

    [Fact]
    public async Task The_password_in_STRATA_DATABASE_URL_or_connection_is_not_shown_either()
    {
        await using var database = await PasswordRole.CreateDatabaseAsync(postgres, "secrets_override");
        using var copy = await CopyAsync("");

        var fromVariable = await StrataProcess.RunAsync(copy.Directory, new Dictionary<string, string?> { ["STRATA_DATABASE_URL"] = PasswordRole.Url(database) }, "migrate", "--json");
        var fromOption = await copy.RunAsync("status", "--connection", PasswordRole.Url(database), "--verbose");
        var wrong = await copy.RunAsync("status", "--connection", PasswordRole.Url(database, PasswordRole.Password + "-wrong"), "--json");

        Assert.True(fromVariable.ExitCode == 0, fromVariable.ToString());
        Assert.True(fromOption.ExitCode == 0, fromOption.ToString());
        Assert.True(wrong.ExitCode == 2, wrong.ToString());
        AssertNoPassword(fromVariable, ["migrate", "$STRATA_DATABASE_URL"]);
        AssertNoPassword(fromOption, ["status", "--connection"]);
        AssertNoPassword(wrong, ["status", "--connection (wrong)"]);
    }

    private static void AssertNoPassword(CliResult result, string[] args) =>
        Assert.False(result.Output.Contains(PasswordRole.Password, StringComparison.Ordinal),
            $"strata {string.Join(' ', args)} printed the password:\n{result}");

    private async Task<SampleCopy> CopyAsync(string dotEnv)
    {
        var copy = sample.CreateCopy();
        var generate = await copy.RunAsync("generate", "--name", "init");
        Assert.True(generate.ExitCode == 0, generate.ToString());
        copy.WriteConfig("""
            "seed": "db/seeds",
            "environments": { "secure": { "url": "${SECURE_DATABASE_URL}", "sslMode": "disable" } }
            """);
        copy.WriteSeedFile("01_users.sql", "INSERT INTO users (email, display_name) VALUES ('secret@example.com', current_user) ON CONFLICT DO NOTHING;\n");
        copy.WriteFile(".env", dotEnv);
        return copy;
    }
}
