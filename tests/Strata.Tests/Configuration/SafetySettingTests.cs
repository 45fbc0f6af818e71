using Strata.Cli;
using Strata.Cli.Commands;
using Strata.Postgres.Configuration;
using Strata.Postgres.Migrations;
using Strata.Postgres.Sql;

namespace Strata.Tests.Configuration;

/// <summary>strata.json's "safety" (generate's safe forms) and an environment's "lockRetries".</summary>
public sealed class SafetySettingTests
{
    private const string Path = "/repo/strata.json";

    private static StrataConfig Parse(string extra) =>
        StrataConfigLoader.Parse($$"""
            {
              "schema": "App.Schema/App.Schema.csproj"{{extra}}
            }
            """, Path);

    [Fact]
    public void Safety_is_on_unless_strata_json_says_off()
    {
        Assert.Equal(MigrationSafety.On, Parse("").Safety);
        Assert.Equal(MigrationSafety.On, Parse(""", "safety": "on" """).Safety);
        Assert.Equal(MigrationSafety.Off, Parse(""", "safety": "off" """).Safety);
    }

    [Fact]
    public void A_bad_safety_value_is_a_usage_error_naming_the_key_and_both_values()
    {
        var error = Assert.Throws<ConfigurationException>(() => Parse(""", "safety": "relaxed" """));

        Assert.Equal(ExitCodes.UsageError, KnownErrors.Translate(error)?.ExitCode);
        Assert.Contains("\"safety\" must be \"on\"", error.Message);
        Assert.Contains("\"off\"", error.Message);
        Assert.Contains("not \"relaxed\"", error.Message);
    }

    [Fact]
    public void LockRetries_reach_the_Migrator_options_and_default_to_three()
    {
        var config = Parse(""", "environments": { "production": { "url": "postgres://h/db", "lockRetries": 7 }, "test": { "url": "postgres://h/t" } } """);

        Assert.Equal(7, config.Environments!["production"].LockRetries);
        Assert.Null(config.Environments["test"].LockRetries);
        Assert.Equal(MigratorOptions.DefaultLockRetries, new MigratorOptions().LockRetries);
        Assert.Equal(3, MigratorOptions.DefaultLockRetries);
    }

    [Fact]
    public void A_negative_lockRetries_is_refused()
    {
        var error = Assert.Throws<ConfigurationException>(() => Parse(""", "environments": { "production": { "url": "postgres://h/db", "lockRetries": -1 } } """));

        Assert.Contains("lockRetries", error.Message);
    }
}
