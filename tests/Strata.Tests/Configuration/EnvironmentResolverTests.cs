using Npgsql;
using Strata.Cli;
using Strata.Cli.Commands;
using Strata.Postgres.Configuration;

namespace Strata.Tests.Configuration;

/// <summary>Choosing the environment, reading its .env files, substituting variables and applying its settings to the URL.</summary>
public sealed class EnvironmentResolverTests : IDisposable
{
    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("strata-env-");

    public void Dispose() => _root.Delete(recursive: true);

    private StrataConfig Config(string environments) =>
        StrataConfigLoader.Parse($$"""{ "schema": "A/A.csproj", "environments": {{environments}} }""", System.IO.Path.Combine(_root.FullName, "strata.json"));

    private string File(string name, string text)
    {
        var path = System.IO.Path.Combine(_root.FullName, name);
        System.IO.File.WriteAllText(path, text);
        return path;
    }

    private static Dictionary<string, string?> Variables(params (string Key, string Value)[] variables) =>
        variables.ToDictionary(v => v.Key, v => (string?)v.Value);

    private const string Three = """
        {
          "development": { },
          "test": { "url": "${TEST_DATABASE_URL}" },
          "production": { "url": "${DATABASE_URL}" }
        }
        """;

    [Theory]
    [InlineData("test", "production", "test", "test", "--env")]
    [InlineData(null, "production", "test", "production", "$STRATA_ENV")]
    [InlineData(null, null, "test", "test", "$DOTNET_ENVIRONMENT")]
    [InlineData(null, null, null, "development", "the default")]
    public void The_environment_is_chosen_by_env_then_STRATA_ENV_then_DOTNET_ENVIRONMENT_then_development(string? option, string? strataEnv, string? dotnetEnv, string expected, string chosenBy)
    {
        var variables = new Dictionary<string, string?> { ["STRATA_ENV"] = strataEnv, ["DOTNET_ENVIRONMENT"] = dotnetEnv };

        var environment = EnvironmentResolver.Resolve(Config(Three), option, variables, withConnections: false);

        Assert.Equal((expected, chosenBy), (environment.Name, environment.ChosenBy));
    }

    [Fact]
    public void DOTNET_ENVIRONMENT_Production_finds_production_whatever_its_case()
    {
        var environment = EnvironmentResolver.Resolve(Config(Three), null, Variables(("DOTNET_ENVIRONMENT", "Production"), ("DATABASE_URL", "postgres://db/app")));

        Assert.Equal("production", environment.Name);
        Assert.Equal("db", environment.Connection!.Host);
    }

    [Fact]
    public void An_unknown_environment_is_a_usage_error_listing_the_known_ones_and_how_it_was_chosen()
    {
        var error = Assert.Throws<ConfigurationException>(() => EnvironmentResolver.Resolve(Config("""{ "test": { "url": "x" }, "production": { "url": "y" } }"""), null, Variables(("STRATA_ENV", "staging"))));

        Assert.Equal(ExitCodes.UsageError, KnownErrors.Translate(error)?.ExitCode);
        Assert.Equal($"the environment \"staging\" (from $STRATA_ENV) is not in {_root.FullName}/strata.json; the known environments are development, test, production", error.Message);
    }

    [Fact]
    public void Without_environments_only_development_exists_and_is_the_local_database()
    {
        var config = StrataConfigLoader.Parse("""{ "schema": "A/A.csproj" }""", System.IO.Path.Combine(_root.FullName, "strata.json"));

        var development = EnvironmentResolver.Resolve(config, null, Variables());
        var error = Assert.Throws<ConfigurationException>(() => EnvironmentResolver.Resolve(config, "production", Variables()));

        Assert.Equal("development", development.Name);
        Assert.Null(development.Connection);
        Assert.Contains("the known environments are development", error.Message);
        Assert.Contains("strata.json has no \"environments\", so only development exists", error.Remedy);
    }

    [Fact]
    public void The_more_specific_env_file_wins_and_the_process_environment_beats_every_file()
    {
        File(".env", "A=from .env\nB=from .env\nC=from .env\nD=from .env\n");
        File(".env.production", "B=from .env.production\nC=from .env.production\nD=from .env.production\n");
        File(".env.local", "C=from .env.local\nD=from .env.local\n");
        File(".env.production.local", "D=from .env.production.local\nE=from .env.production.local\n");
        File(".env.test", "E=from .env.test\n");
        var config = Config("""{ "production": { "url": "Host=h;Database=${A}|${B}|${C}|${D}|${E}" } }""");

        var environment = EnvironmentResolver.Resolve(config, "production", Variables(("E", "from the process")));

        Assert.Equal("from .env|from .env.production|from .env.local|from .env.production.local|from the process", environment.Connection!.Database);
        Assert.Equal(
            [".env.production.local", ".env.local", ".env.production", ".env"],
            environment.EnvFilesRead.Select(System.IO.Path.GetFileName));
        Assert.Equal(
            ["A from .env", "B from .env.production", "C from .env.local", "D from .env.production.local", "E from the process environment"],
            environment.VariableSources!.Select(v => $"{v.Name} from {(v.Source.StartsWith('/') ? System.IO.Path.GetFileName(v.Source) : v.Source)}"));
    }

    [Fact]
    public void The_test_environment_does_not_read_env_local_so_that_tests_do_not_depend_on_one_machine()
    {
        File(".env", "DATABASE_URL=postgres://db/dev\n");
        File(".env.local", "DATABASE_URL=postgres://db/mine\n");
        File(".env.test", "DATABASE_URL=postgres://db/test\n");
        var config = Config("""{ "test": { "url": "${DATABASE_URL}" } }""");

        var environment = EnvironmentResolver.Resolve(config, "test", Variables());

        Assert.Equal("test", environment.Connection!.Database);
        Assert.Equal([".env.test", ".env"], environment.EnvFilesRead.Select(System.IO.Path.GetFileName));
    }

    [Fact]
    public void Env_test_overrides_env_for_the_test_environment()
    {
        File(".env", "DATABASE_URL=postgres://db/dev\n");
        File(".env.test", "DATABASE_URL=postgres://db/test\n");
        var config = Config("""{ "development": { "url": "${DATABASE_URL}" }, "test": { "url": "${DATABASE_URL}" } }""");

        Assert.Equal("test", EnvironmentResolver.Resolve(config, "test", Variables()).Connection!.Database);
        Assert.Equal("dev", EnvironmentResolver.Resolve(config, "development", Variables()).Connection!.Database);
    }

    [Fact]
    public void A_missing_variable_names_itself_the_setting_the_environment_and_every_file_that_could_set_it()
    {
        File(".env", "OTHER=1\n");
        var config = Config("""{ "production": { "url": "${DATABASE_URL}", "directUrl": "${DIRECT_DATABASE_URL}" } }""");

        var error = Assert.Throws<ConfigurationException>(() => EnvironmentResolver.Resolve(config, "production", Variables(("DATABASE_URL", "postgres://db/app"))));

        Assert.Equal(ExitCodes.UsageError, KnownErrors.Translate(error)?.ExitCode);
        Assert.StartsWith("the variable DIRECT_DATABASE_URL is not set: \"directUrl\" of environment \"production\" in strata.json uses it.", error.Message);
        Assert.Equal(
            [
                System.IO.Path.Combine(_root.FullName, ".env.production.local") + " (does not exist)",
                System.IO.Path.Combine(_root.FullName, ".env.local") + " (does not exist)",
                System.IO.Path.Combine(_root.FullName, ".env.production") + " (does not exist)",
                System.IO.Path.Combine(_root.FullName, ".env"),
            ],
            error.Details);
        Assert.Contains("DIRECT_DATABASE_URL=", error.Remedy);
    }

    [Fact]
    public void Variable_names_are_case_sensitive_in_env_files()
    {
        File(".env", "database_url=postgres://db/app\n");

        var error = Assert.Throws<ConfigurationException>(() => EnvironmentResolver.Resolve(Config(Three), "production", Variables()));

        Assert.StartsWith("the variable DATABASE_URL is not set", error.Message);
    }

    [Fact]
    public void A_NUL_byte_in_an_env_file_is_a_usage_error_with_its_file_and_line()
    {
        var path = File(".env", "OK=1\nDATABASE_URL=postgres://db/a\0b\n");

        var error = Assert.Throws<ConfigurationException>(() => EnvironmentResolver.Resolve(Config(Three), "production", Variables()));

        Assert.Equal(ExitCodes.UsageError, KnownErrors.Translate(error)?.ExitCode);
        Assert.StartsWith($"{path}:2: a NUL byte", error.Message);
    }

    [Fact]
    public void A_malformed_env_file_stops_with_its_file_and_line()
    {
        var path = File(".env.test.local", "OK=1\nnot a line\n");

        var error = Assert.Throws<ConfigurationException>(() => EnvironmentResolver.Resolve(Config(Three), "test", Variables()));

        Assert.Equal($"{path}:2: expected KEY=value", error.Message);
    }

    [Fact]
    public void Settings_of_strata_json_are_applied_to_url_and_directUrl_and_the_url_own_sslmode_wins_over_sslMode()
    {
        Directory.CreateDirectory(System.IO.Path.Combine(_root.FullName, "certs"));
        File(System.IO.Path.Combine("certs", "ca.pem"), "a certificate");
        var config = Config("""
            { "production": { "url": "${DATABASE_URL}", "directUrl": "postgres://u:p@direct:5432/app", "sslMode": "verify-full", "rootCertificate": "certs/ca.pem",
                              "poolSize": 7, "connectTimeout": 3, "commandTimeout": 45, "lockTimeout": "5s" } }
            """);

        var environment = EnvironmentResolver.Resolve(config, "production", Variables(("DATABASE_URL", "postgres://u:p@pooler:6543/app?sslmode=require")));

        // The most specific setting wins: the pooler URL's own sslmode=require; directUrl has none, so strata.json's verify-full.
        Assert.Equal(SslMode.Require, environment.Connection!.SslMode);
        Assert.Equal(SslMode.VerifyFull, environment.DirectConnection!.SslMode);
        Assert.Equal("sslmode in the \"url\" of environment \"production\"", environment.SslModeSources!["url"]);
        Assert.Equal("\"sslMode\" of environment \"production\" in strata.json", environment.SslModeSources!["directUrl"]);
        foreach (var connection in new[] { environment.Connection!, environment.DirectConnection! })
        {
            Assert.Equal(System.IO.Path.Combine(_root.FullName, "certs", "ca.pem"), connection.RootCertificate);
            Assert.Equal(7, connection.MaxPoolSize);
            Assert.Equal(3, connection.Timeout);
            Assert.Equal(45, connection.CommandTimeout);
        }
        Assert.Equal("pooler", environment.Connection!.Host);
        Assert.Equal("direct", environment.MigrationConnection!.Host);
        Assert.Equal(TimeSpan.FromSeconds(5), environment.Settings.LockTimeout);
    }

    [Fact]
    public void Settings_left_out_of_strata_json_keep_what_the_url_says()
    {
        var environment = EnvironmentResolver.Resolve(Config("""{ "ci": { "url": "postgres://u@h/app?sslmode=require&connect_timeout=9" } }"""), "ci", Variables());

        Assert.Equal(SslMode.Require, environment.Connection!.SslMode);
        Assert.Equal(9, environment.Connection.Timeout);
        Assert.Null(environment.DirectConnection);
        Assert.Same(environment.Connection, environment.MigrationConnection);
    }

    [Fact]
    public void A_missing_root_certificate_file_is_a_usage_error_with_its_full_path()
    {
        var config = Config("""{ "production": { "url": "postgres://h/app", "sslMode": "verify-ca", "rootCertificate": "${CERTS}/ca.pem" } }""");

        var error = Assert.Throws<ConfigurationException>(() => EnvironmentResolver.Resolve(config, "production", Variables(("CERTS", "certs"))));

        Assert.Equal($"the root certificate {_root.FullName}/certs/ca.pem (\"rootCertificate\" of environment \"production\") does not exist", error.Message);
    }

    [Fact]
    public void An_unparsable_url_is_named_by_its_setting_and_never_quoted()
    {
        var error = Assert.Throws<ConfigurationException>(() =>
            EnvironmentResolver.Resolve(Config(Three), "production", Variables(("DATABASE_URL", "postgres://user:S3cr3t@/app?sslmode=sometimes"))));

        Assert.Equal(ExitCodes.UsageError, KnownErrors.Translate(error)?.ExitCode);
        Assert.Contains("\"url\" of environment \"production\"", error.Message);
        Assert.DoesNotContain("S3cr3t", error.Message + error.Remedy + string.Join("", error.Details));
    }

    [Fact]
    public void A_production_environment_without_url_is_a_usage_error_unless_its_connection_is_given_elsewhere()
    {
        var config = Config("""{ "production": { "protected": true } }""");

        var error = Assert.Throws<ConfigurationException>(() => EnvironmentResolver.Resolve(config, "production", Variables()));
        var overridden = EnvironmentResolver.Resolve(config, "production", Variables(), withConnections: false);

        Assert.Contains("the environment \"production\" has no \"url\"", error.Message);
        Assert.True(overridden.Protected);
        Assert.Null(overridden.Connection);
    }

    [Theory]
    [InlineData("${DATABASE_URL", "has a \"${\" without its closing \"}\"")]
    [InlineData("${DATABASE-URL}", "refers to ${DATABASE-URL}, which is not a variable name")]
    public void A_bad_reference_is_a_usage_error(string url, string expected)
    {
        var error = Assert.Throws<ConfigurationException>(() => EnvironmentResolver.Resolve(Config($$"""{ "ci": { "url": "{{url}}" } }"""), "ci", Variables()));

        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void A_variable_set_to_an_empty_string_gives_an_empty_url_error()
    {
        var error = Assert.Throws<ConfigurationException>(() => EnvironmentResolver.Resolve(Config(Three), "test", Variables(("TEST_DATABASE_URL", ""))));

        Assert.Equal("\"url\" of environment \"test\" is empty after its variables were substituted", error.Message);
    }
}
