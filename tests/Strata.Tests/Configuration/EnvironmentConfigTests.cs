using Strata.Cli;
using Strata.Cli.Commands;
using Strata.Postgres.Configuration;

namespace Strata.Tests.Configuration;

/// <summary>strata.json's "environments", "seed" and "$schema" as StrataConfigLoader reads them.</summary>
public sealed class EnvironmentConfigTests
{
    private const string Path = "/repo/strata.json";

    private static ConfigurationException Fails(string text)
    {
        var error = Assert.Throws<ConfigurationException>(() => StrataConfigLoader.Parse(text, Path));
        Assert.Equal(ExitCodes.UsageError, KnownErrors.Translate(error)?.ExitCode);
        return error;
    }

    private static string AllOf(ConfigurationException error) => string.Join("\n", error.Details.Prepend(error.Message));

    [Fact]
    public void The_documented_example_is_read_into_environment_settings_and_seed_is_kept_as_written()
    {
        var config = StrataConfigLoader.Parse("""
            {
              "$schema": "./strata.schema.json",
              "schema": "src/App.Schema/App.Schema.csproj",
              "migrations": "db/migrations",
              "seed": "db/seeds",
              "environments": {
                "development": { },
                "test": { "url": "${TEST_DATABASE_URL}", "sslMode": "disable" },
                "production": { "url": "${DATABASE_URL}", "directUrl": "${DIRECT_DATABASE_URL}", "sslMode": "verify-full",
                                "rootCertificate": "certs/prod-ca.pem", "poolSize": 10, "connectTimeout": 10, "commandTimeout": 30,
                                "lockTimeout": "5s", "statementTimeout": "10min", "protected": true }
              }
            }
            """, Path);

        Assert.Equal("db/seeds", config.Seed);
        Assert.Equal(["development", "test", "production"], config.Environments!.Keys);
        Assert.Equal(new EnvironmentSettings("development"), config.Environments["development"]);
        Assert.Equal(new EnvironmentSettings("test", Url: "${TEST_DATABASE_URL}", SslMode: EnvironmentSslMode.Disable), config.Environments["test"]);
        Assert.Equal(
            new EnvironmentSettings("production", "${DATABASE_URL}", "${DIRECT_DATABASE_URL}", EnvironmentSslMode.VerifyFull, "certs/prod-ca.pem",
                PoolSize: 10, ConnectTimeout: 10, CommandTimeout: 30, LockTimeout: TimeSpan.FromSeconds(5), StatementTimeout: TimeSpan.FromMinutes(10), Protected: true),
            config.Environments["production"]);
    }

    [Fact]
    public void Without_environments_the_dictionary_is_empty_and_seed_is_null()
    {
        var config = StrataConfigLoader.Parse("""{ "schema": "A/A.csproj" }""", Path);

        Assert.Empty(config.Environments!);
        Assert.Null(config.Seed);
    }

    [Theory]
    [InlineData("\"500ms\"", 500)]
    [InlineData("\"5s\"", 5_000)]
    [InlineData("\"1.5s\"", 1_500)]
    [InlineData("\"10min\"", 600_000)]
    [InlineData("\"1h\"", 3_600_000)]
    [InlineData("250", 250)]
    [InlineData("0", 0)]
    public void Durations_take_ms_s_min_h_or_a_number_of_milliseconds(string value, int milliseconds)
    {
        var config = StrataConfigLoader.Parse($$"""{ "schema": "A/A.csproj", "environments": { "ci": { "url": "x", "lockTimeout": {{value}} } } }""", Path);

        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), config.Environments!["ci"].LockTimeout);
    }

    [Theory]
    [InlineData("\"5 seconds\"")]
    [InlineData("\"5\"")]
    [InlineData("\"-5s\"")]
    [InlineData("-1")]
    [InlineData("true")]
    public void A_bad_duration_is_named_with_its_line_column_and_environment(string value)
    {
        var error = Fails($$"""
            {
              "schema": "A/A.csproj",
              "environments": {
                "test": { "url": "x" },
                "ci": {
                  "statementTimeout": {{value}}
                }
              }
            }
            """);

        Assert.Equal($"{Path}(6,7): \"statementTimeout\" in environment \"ci\" must be a duration such as \"5s\", \"500ms\", \"10min\" or a number of milliseconds, not {value}", error.Message);
    }

    [Fact]
    public void A_bad_sslMode_lists_the_valid_ones()
    {
        var error = Fails("""
            {
              "schema": "A/A.csproj",
              "environments": { "production": { "sslMode": "verify_full" } }
            }
            """);

        Assert.Equal($"{Path}(3,37): \"sslMode\" in environment \"production\" must be one of disable, prefer, require, verify-ca, verify-full, not \"verify_full\"", error.Message);
    }

    [Fact]
    public void The_same_key_in_two_environments_is_reported_at_the_one_that_is_wrong()
    {
        var error = Fails("""
            {
              "schema": "A/A.csproj",
              "environments": {
                "test": { "poolSize": 5 },
                "production": { "poolSize": "ten" }
              }
            }
            """);

        Assert.StartsWith($"{Path}(5,21): \"poolSize\" in environment \"production\" must be a number of connections from 1 to 1024, not \"ten\"", error.Message);
    }

    [Fact]
    public void An_unknown_key_in_an_environment_suggests_the_near_one_or_lists_them_all()
    {
        var error = Fails("""
            {
              "schema": "A/A.csproj",
              "environments": {
                "production": { "sslmode": "require", "password": "x" }
              }
            }
            """);

        var all = AllOf(error);
        Assert.Contains($"{Path}(4,21): unknown key \"sslmode\" in environment \"production\" (did you mean \"sslMode\"?)", all);
        Assert.Contains($"{Path}(4,43): unknown key \"password\" in environment \"production\"; the keys of an environment are \"url\", \"directUrl\", \"sslMode\", \"rootCertificate\", \"poolSize\", \"connectTimeout\", \"commandTimeout\", \"lockTimeout\", \"statementTimeout\", \"protected\"", all);
    }

    [Fact]
    public void Wrong_types_are_each_named_and_all_reported_at_once()
    {
        var error = Fails("""
            {
              "schema": "A/A.csproj",
              "seed": 3,
              "environments": {
                "production": { "url": 5, "protected": "yes", "connectTimeout": 0, "commandTimeout": 1.5 },
                "bad name": { },
                "list": [ ]
              }
            }
            """);

        var all = AllOf(error);
        Assert.Contains($"{Path}(3,3): \"seed\" must be a non-empty string", all);
        Assert.Contains("\"url\" in environment \"production\" must be a non-empty string", all);
        Assert.Contains("\"protected\" in environment \"production\" must be true or false, not \"yes\"", all);
        Assert.Contains("\"connectTimeout\" in environment \"production\" must be a number of seconds from 1 to 1024, not 0", all);
        Assert.Contains("\"commandTimeout\" in environment \"production\" must be a number of seconds (0: no limit), not 1.5", all);
        Assert.Contains($"{Path}(6,5): the environment name \"bad name\" must be letters, digits, '-', '_' or '.'", all);
        Assert.Contains($"{Path}(7,5): the environment \"list\" must be an object", all);
    }

    [Fact]
    public void Environment_names_that_differ_only_in_case_are_refused()
    {
        var error = Fails("""{ "schema": "A/A.csproj", "environments": { "Production": { }, "production": { } } }""");

        Assert.Contains("the environments \"Production\" and \"production\" differ only in case", error.Message);
    }

    [Fact]
    public void Environments_must_be_an_object()
    {
        var error = Fails("""{ "schema": "A/A.csproj", "environments": ["production"] }""");

        Assert.StartsWith($"{Path}(1,27): \"environments\" must be an object", error.Message);
    }
}
