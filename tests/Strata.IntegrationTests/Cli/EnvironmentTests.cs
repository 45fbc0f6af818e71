using Npgsql;
using Strata.IntegrationTests.Infrastructure;
using Strata.Model;
using Strata.Testing;

namespace Strata.IntegrationTests.Cli;

/// <summary>strata.json environments end to end: choosing one, its .env files, its URLs and settings, and --connection over it.</summary>
[Collection(CliCollection.Name)]
public sealed class EnvironmentTests(BuiltSample sample, PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    private static readonly QualifiedName Items = new("public", "items");

    [Fact]
    public async Task Env_production_migrates_the_database_its_env_file_names_says_so_and_leaves_the_others_alone()
    {
        using var copy = await CopyWithInitAsync();
        await using var production = await postgres.CreateDatabaseAsync("env_prod");
        await using var test = await postgres.CreateDatabaseAsync("env_test");
        copy.WriteEnvironments("""
            {
              "test": { "url": "${TEST_DATABASE_URL}" },
              "production": { "url": "${DATABASE_URL}", "protected": true }
            }
            """);
        copy.WriteFile(".env", $"TEST_DATABASE_URL={test.ConnectionString}\n");
        copy.WriteFile(".env.production.local", $"DATABASE_URL=\"{production.ConnectionString}\"\n");

        var result = await copy.RunAsync("migrate", "--env", "production");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains($"Migrating production ({Describe(production)}) from", result.Stdout);
        Assert.True(await production.TableExistsAsync(Items));
        Assert.False(await test.TableExistsAsync(Items));
        Assert.False(Directory.Exists(Path.Combine(copy.Directory, ".strata")), "no local server for an environment with a url");

        var status = await copy.RunAsync("status", "--env", "production", "--json");

        Assert.True(status.ExitCode == 0, status.ToString());
        Assert.Equal("production", status.Json().GetProperty("environment").GetString());
        Assert.Equal(Describe(production), status.Json().GetProperty("database").GetString());
    }

    [Fact]
    public async Task DATABASE_URL_in_env_test_beats_the_one_in_env_so_migrate_env_test_applies_to_the_test_database_and_verbose_says_so()
    {
        using var copy = await CopyWithInitAsync();
        await using var development = await postgres.CreateDatabaseAsync("env_order_dev");
        await using var test = await postgres.CreateDatabaseAsync("env_order_test");
        copy.WriteEnvironments("""
            {
              "development": { "url": "${DATABASE_URL}" },
              "test": { "url": "${DATABASE_URL}" }
            }
            """);
        copy.WriteFile(".env", $"DATABASE_URL={development.ConnectionString}\n");
        copy.WriteFile(".env.test", $"DATABASE_URL={test.ConnectionString}\n");

        var result = await copy.RunAsync("migrate", "--env", "test", "--verbose");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains($"Migrating test ({Describe(test)}) from", result.Stdout);
        Assert.True(await test.TableExistsAsync(Items));
        Assert.False(await development.TableExistsAsync(Items));
        Assert.Contains("DATABASE_URL from .env.test", result.Stderr);
        Assert.Contains(".env files, most specific first: .env.test, .env", result.Stderr);
        Assert.DoesNotContain(test.Name, result.Stderr);
    }

    [Fact]
    public async Task A_NUL_byte_in_env_is_a_usage_error_naming_the_file_and_line_without_a_stack_trace()
    {
        using var copy = await CopyWithInitAsync();
        copy.WriteEnvironments("""{ "test": { "url": "${DATABASE_URL}" } }""");
        copy.WriteFile(".env", "# the database\nDATABASE_URL=postgres://u@h/a\0b\n");

        var result = await copy.RunAsync("status", "--env", "test");

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.StartsWith($"error: {Path.Combine(copy.Directory, ".env")}:2: a NUL byte", result.Stderr);
        Assert.DoesNotContain("   at ", result.Output);
    }

    [Theory]
    [InlineData("STRATA_ENV", "test", "test")]
    [InlineData("DOTNET_ENVIRONMENT", "Test", "test")]
    public async Task Without_env_STRATA_ENV_then_DOTNET_ENVIRONMENT_choose_the_environment(string variable, string value, string expected)
    {
        using var copy = await CopyWithInitAsync();
        await using var test = await postgres.CreateDatabaseAsync("env_choose");
        copy.WriteEnvironments("""{ "test": { "url": "${TEST_DATABASE_URL}" } }""");

        var result = await StrataProcess.RunAsync(copy.Directory, new Dictionary<string, string?>
        {
            [variable] = value,
            ["TEST_DATABASE_URL"] = test.ConnectionString,
        }, "migrate", "--json");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(expected, result.Json().GetProperty("environment").GetString());
        Assert.True(await test.TableExistsAsync(Items));
    }

    [Fact]
    public async Task Env_wins_over_STRATA_ENV()
    {
        using var copy = await CopyWithInitAsync();
        await using var test = await postgres.CreateDatabaseAsync("env_wins");
        copy.WriteEnvironments("""{ "test": { "url": "${TEST_DATABASE_URL}" }, "production": { "url": "${NOT_SET_ANYWHERE}" } }""");

        var result = await StrataProcess.RunAsync(copy.Directory, new Dictionary<string, string?>
        {
            ["STRATA_ENV"] = "production",
            ["TEST_DATABASE_URL"] = test.ConnectionString,
        }, "status", "--env", "test");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains($"Migrations of test ({Describe(test)})", result.Stdout);
    }

    [Fact]
    public async Task Connection_overrides_the_environment_url_and_the_output_says_so_while_its_variables_are_not_needed()
    {
        using var copy = await CopyWithInitAsync();
        await using var database = await postgres.CreateDatabaseAsync("env_override");
        copy.WriteEnvironments("""{ "production": { "url": "${DATABASE_URL}" } }""");

        var result = await copy.RunAsync("migrate", "--env", "production", "--connection", database.ConnectionString);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains($"Migrating {Describe(database)} (--connection overrides environment production)", result.Stdout);
        Assert.True(await database.TableExistsAsync(Items));

        var fromVariable = await StrataProcess.RunAsync(copy.Directory, new Dictionary<string, string?> { ["STRATA_DATABASE_URL"] = database.ConnectionString },
            "status", "--env", "production");

        Assert.True(fromVariable.ExitCode == 0, fromVariable.ToString());
        Assert.Contains("($STRATA_DATABASE_URL overrides environment production)", fromVariable.Stdout);
    }

    [Fact]
    public async Task Migrate_and_rollback_use_directUrl_while_status_reads_through_url()
    {
        using var copy = await CopyWithInitAsync();
        await using var pooled = await postgres.CreateDatabaseAsync("env_pooled");
        await using var direct = await postgres.CreateDatabaseAsync("env_direct");
        copy.WriteEnvironments("""{ "production": { "url": "${DATABASE_URL}", "directUrl": "${DIRECT_DATABASE_URL}" } }""");
        copy.WriteFile(".env.production", $"DATABASE_URL={pooled.ConnectionString}\nDIRECT_DATABASE_URL={direct.ConnectionString}\n");

        var migrate = await copy.RunAsync("migrate", "--env", "production");

        Assert.True(migrate.ExitCode == 0, migrate.ToString());
        Assert.Contains($"Migrating production ({Describe(direct)} via directUrl)", migrate.Stdout);
        Assert.True(await direct.TableExistsAsync(Items));
        Assert.False(await pooled.TableExistsAsync(Items));

        var status = await copy.RunAsync("status", "--env", "production", "--json");

        Assert.Equal(Describe(pooled), status.Json().GetProperty("database").GetString());

        var rollback = await copy.RunAsync("rollback", "--env", "production", "--accept-data-loss", "--json");

        Assert.True(rollback.ExitCode == 0, rollback.ToString());
        Assert.Equal(Describe(direct), rollback.Json().GetProperty("database").GetString());
        Assert.False(await direct.TableExistsAsync(Items));
    }

    [Fact]
    public async Task The_environment_lockTimeout_and_statementTimeout_are_set_for_migration_statements()
    {
        using var copy = sample.CreateCopy();
        await copy.AddMigrationAsync("0000_settings", """
            CREATE TABLE seen AS SELECT current_setting('lock_timeout') AS lock_timeout, current_setting('statement_timeout') AS statement_timeout;

            """);
        await using var database = await postgres.CreateDatabaseAsync("env_timeouts");
        copy.WriteEnvironments($$"""{ "ci": { "url": "{{database.ConnectionString}}", "lockTimeout": "5s", "statementTimeout": "10min" } }""");

        var result = await copy.RunAsync("migrate", "--env", "ci");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("5s|10min", await database.ScalarAsync<string>("SELECT lock_timeout || '|' || statement_timeout FROM seen"));
    }

    [Fact]
    public async Task A_statement_over_the_environment_statementTimeout_fails_its_migration()
    {
        using var copy = sample.CreateCopy();
        await copy.AddMigrationAsync("0000_slow", "CREATE TABLE slow (id int);\n--> statement-breakpoint\nSELECT pg_sleep(5);\n");
        await using var database = await postgres.CreateDatabaseAsync("env_slow");
        copy.WriteEnvironments($$"""{ "ci": { "url": "{{database.ConnectionString}}", "statementTimeout": "200ms" } }""");

        var result = await copy.RunAsync("migrate", "--env", "ci");

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains("57014", result.Stderr);
        Assert.False(await database.TableExistsAsync(new QualifiedName("public", "slow")));
    }

    [Fact]
    public async Task An_unknown_environment_lists_the_known_ones_exits_2_and_starts_nothing()
    {
        using var copy = await CopyWithInitAsync();
        copy.WriteEnvironments("""{ "test": { "url": "${TEST_DATABASE_URL}" }, "production": { "url": "${DATABASE_URL}" } }""");

        var result = await copy.RunAsync("migrate", "--env", "staging");

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("the environment \"staging\" (from --env) is not in", result.Stderr);
        Assert.Contains("the known environments are development, test, production", result.Stderr);
        Assert.False(Directory.Exists(Path.Combine(copy.Directory, ".strata")));
    }

    [Fact]
    public async Task Without_environments_only_development_exists()
    {
        using var copy = await CopyWithInitAsync();
        // The sample declares development, test and production; this project declares none.
        copy.WriteFile("strata.json", """{ "schema": "Todo.Schema/Todo.Schema.csproj", "migrations": "db/migrations" }""");

        var result = await StrataProcess.RunAsync(copy.Directory, new Dictionary<string, string?> { ["DOTNET_ENVIRONMENT"] = "Production" }, "status");

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("the environment \"Production\" (from $DOTNET_ENVIRONMENT) is not in", result.Stderr);
        Assert.Contains("the known environments are development", result.Stderr);
        Assert.Contains("only development exists", result.Stderr);
    }

    [Fact]
    public async Task A_missing_variable_names_the_variable_the_setting_and_each_env_file_by_full_path()
    {
        using var copy = await CopyWithInitAsync();
        copy.WriteEnvironments("""{ "production": { "url": "${DATABASE_URL}" } }""");
        copy.WriteFile(".env", "OTHER=1\n");

        var result = await copy.RunAsync("migrate", "--env", "production");

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("the variable DATABASE_URL is not set: \"url\" of environment \"production\" in strata.json uses it", result.Stderr);
        Assert.Contains(Path.Combine(copy.Directory, ".env") + "\n", result.Stderr);
        Assert.Contains(Path.Combine(copy.Directory, ".env.production.local") + " (does not exist)", result.Stderr);
        Assert.DoesNotContain("   at ", result.Output);
    }

    [Fact]
    public async Task A_malformed_env_file_line_stops_with_the_file_and_line()
    {
        using var copy = await CopyWithInitAsync();
        copy.WriteEnvironments("""{ "production": { "url": "${DATABASE_URL}" } }""");
        copy.WriteFile(".env.production", "# comment\nDATABASE_URL postgres://me:hunter2@db/app\n");

        var result = await copy.RunAsync("status", "--env", "production");

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains($"{Path.Combine(copy.Directory, ".env.production")}:2: expected KEY=value", result.Stderr);
        Assert.DoesNotContain("hunter2", result.Output);
    }

    [Fact]
    public async Task A_bad_environment_in_strata_json_is_reported_with_line_and_column_by_every_command()
    {
        using var copy = sample.CreateCopy();
        copy.WriteEnvironments("""
            {
              "production": { "url": "${DATABASE_URL}", "sslMode": "on" }
            }
            """);

        var result = await copy.RunAsync("export");

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.True(result.Stderr.Contains("strata.json(6,47): \"sslMode\" in environment \"production\" must be one of disable, prefer, require, verify-ca, verify-full, not \"on\"", StringComparison.Ordinal), result.ToString());
    }

    private async Task<SampleCopy> CopyWithInitAsync()
    {
        var copy = sample.CreateCopy();
        var generate = await copy.RunAsync("generate", "--name", "init");
        Assert.True(generate.ExitCode == 0, generate.ToString());
        return copy;
    }

    internal static string Describe(TestDatabase database)
    {
        var target = new NpgsqlConnectionStringBuilder(database.ConnectionString);
        return $"{target.Username}@{target.Host}:{target.Port}/{target.Database}";
    }
}

/// <summary>Writing strata.json's environments and .env files into a sample copy.</summary>
public static class EnvironmentFiles
{
    /// <summary>The sample's strata.json with <paramref name="environments"/> (a JSON object) as its "environments".</summary>
    public static void WriteEnvironments(this SampleCopy copy, string environments) =>
        copy.WriteConfig($"\"environments\": {environments.Replace("\n", "\n  ", StringComparison.Ordinal)}");

    public static void WriteFile(this SampleCopy copy, string name, string text) =>
        File.WriteAllText(Path.Combine(copy.Directory, name), text);
}
