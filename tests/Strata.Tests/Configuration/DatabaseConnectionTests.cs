using Npgsql;
using Strata.Cli;
using Strata.Cli.Commands;
using Strata.Postgres.Configuration;

namespace Strata.Tests.Configuration;

public sealed class DatabaseConnectionTests
{
    [Fact]
    public void A_postgres_url_becomes_npgsql_keywords_with_its_password_decoded()
    {
        var builder = DatabaseConnection.Parse("postgres://app%40prod:p%40ss%3Aword@db.example.com:6543/orders?sslmode=verify-full&application_name=api", "--connection");

        Assert.Equal("db.example.com", builder.Host);
        Assert.Equal(6543, builder.Port);
        Assert.Equal("orders", builder.Database);
        Assert.Equal("app@prod", builder.Username);
        Assert.Equal("p@ss:word", builder.Password);
        Assert.Equal(SslMode.VerifyFull, builder.SslMode);
        Assert.Equal("api", builder.ApplicationName);
    }

    [Fact]
    public void A_postgresql_url_without_port_or_user_keeps_the_defaults()
    {
        var builder = DatabaseConnection.Parse("postgresql://localhost/app", "$STRATA_DATABASE_URL");

        Assert.Equal("localhost", builder.Host);
        Assert.Equal(5432, builder.Port);
        Assert.Equal("app", builder.Database);
    }

    [Fact]
    public void A_keyword_string_is_taken_as_it_is()
    {
        var builder = DatabaseConnection.Parse("Host=127.0.0.1;Port=5433;Database=dev;Username=me;Password=secret", "--connection");

        Assert.Equal(5433, builder.Port);
        Assert.Equal("secret", builder.Password);
    }

    [Fact]
    public void The_description_of_a_connection_never_holds_its_password()
    {
        var builder = DatabaseConnection.Parse("postgres://me:topsecret@host:5432/db", "--connection");

        Assert.Equal("me@host:5432/db", DatabaseConnection.Describe(builder));
    }

    [Fact]
    public void An_unknown_url_parameter_is_a_usage_error_that_does_not_repeat_the_url()
    {
        var error = Assert.Throws<ConfigurationException>(() => DatabaseConnection.Parse("postgres://me:topsecret@host/db?sslmod=require", "--connection"));

        Assert.Equal(ExitCodes.UsageError, KnownErrors.Translate(error)?.ExitCode);
        Assert.Contains("\"sslmod\"", error.Message);
        Assert.DoesNotContain("topsecret", error.Message + error.Remedy);
    }
}

public sealed class StrataConfigPathTests
{
    [Fact]
    public void Paths_are_resolved_against_the_folder_of_strata_json_and_optional_keys_are_read()
    {
        var config = StrataConfigLoader.Parse("""
            {
              // comments and trailing commas are fine
              "schema": "src/App.Schema/App.Schema.csproj",
              "schemaType": "App.Schema.Main",
              "prefix": "timestamp",
            }
            """, "/repo/strata.json");

        Assert.Equal("/repo/src/App.Schema/App.Schema.csproj", config.SchemaProject);
        Assert.Equal("/repo/db/migrations", config.MigrationsDirectory);
        Assert.Equal("App.Schema.Main", config.SchemaType);
        Assert.Equal(Strata.Postgres.Migrations.MigrationPrefix.Timestamp, config.Prefix);
    }

    [Fact]
    public void Every_problem_of_strata_json_is_listed_at_once()
    {
        var error = Assert.Throws<ConfigurationException>(() => StrataConfigLoader.Parse("""
            {
              "migrations": 3,
              "prefix": "sequential",
              "colour": "blue"
            }
            """, "/repo/strata.json"));

        Assert.Equal(ExitCodes.UsageError, KnownErrors.Translate(error)?.ExitCode);
        var all = string.Join("\n", error.Details);
        Assert.Contains("/repo/strata.json(4,3): unknown key \"colour\"", all);
        Assert.Contains("\"migrations\" must be a non-empty string", all);
        Assert.Contains("\"prefix\" must be \"index\" or \"timestamp\", not \"sequential\"", all);
        Assert.Contains("the required key \"schema\" is missing", all);
    }
}

/// <summary>URL parameters, keyword detection and the errors of a connection string, as the CLI and Strata.Hosting both parse it.</summary>
public sealed class DatabaseConnectionUrlTests
{
    [Theory]
    [InlineData("disable", SslMode.Disable)]
    [InlineData("allow", SslMode.Allow)]
    [InlineData("prefer", SslMode.Prefer)]
    [InlineData("require", SslMode.Require)]
    [InlineData("verify-ca", SslMode.VerifyCA)]
    [InlineData("verify-full", SslMode.VerifyFull)]
    public void Every_libpq_sslmode_of_a_url_is_understood(string value, SslMode expected)
    {
        Assert.Equal(expected, DatabaseConnection.Parse($"postgres://u@h/db?sslmode={value}", "--connection").SslMode);
    }

    [Fact]
    public void The_other_url_parameters_are_set_on_the_connection()
    {
        var builder = DatabaseConnection.Parse("postgres://u@h/db?connect_timeout=12&options=-c%20search_path%3Dapp&channel_binding=require", "--connection");

        Assert.Equal(12, builder.Timeout);
        Assert.Equal("-c search_path=app", builder.Options);
        Assert.Equal(ChannelBinding.Require, builder.ChannelBinding);
    }

    [Theory]
    [InlineData("postgres://me:topsecret@h/db?sslmode=sometimes", "sslmode=sometimes in the connection URL in --connection is not one of")]
    [InlineData("postgres://me:topsecret@h/db?connect_timeout=soon", "connect_timeout=soon in the connection URL in --connection is not a number of seconds")]
    [InlineData("Database=db;Username=me;Password=topsecret", "the connection string in --connection has no Host")]
    [InlineData("Host=h;Colour=blue;Password=topsecret", "the connection string in --connection is not valid")]
    public void A_bad_connection_string_is_a_configuration_error_that_never_quotes_the_password(string text, string expected)
    {
        var error = Assert.Throws<ConfigurationException>(() => DatabaseConnection.Parse(text, "--connection"));

        Assert.Contains(expected, error.Message);
        Assert.DoesNotContain("topsecret", error.Message + error.Remedy + string.Join("", error.Details));
    }

    [Theory]
    [InlineData("postgres://u@h/db?sslmode=require", true)]
    [InlineData("postgres://u@h/db?application_name=x", false)]
    [InlineData("postgres://u@h/db", false)]
    [InlineData("Host=h;SSL Mode=Require", true)]
    [InlineData("Host=h;sslmode=require", true)]
    [InlineData("Host=h;SslMode=Require", true)]
    [InlineData("Host=h;Database=db", false)]
    public void Whether_a_connection_string_sets_its_own_sslmode(string text, bool sets)
    {
        Assert.Equal(sets, DatabaseConnection.SetsSslMode(text));
    }

    [Theory]
    [InlineData("Host=h;Include Error Detail=false", true)]
    [InlineData("Host=h;IncludeErrorDetail=true", true)]
    [InlineData("Host=h;Database=db", false)]
    [InlineData("postgres://u@h/db", false)]
    [InlineData("Host=h;=broken", false)]
    public void Whether_a_keyword_string_sets_a_keyword_however_it_is_spelt(string text, bool sets)
    {
        Assert.Equal(sets, DatabaseConnection.SetsKeyword(text, "IncludeErrorDetail"));
    }

    [Theory]
    [InlineData("postgres://h/db", true)]
    [InlineData("  PostgreSQL://h/db", true)]
    [InlineData("Host=h", false)]
    [InlineData("mysql://h/db", false)]
    public void A_url_is_told_from_keywords_by_its_scheme(string text, bool url)
    {
        Assert.Equal(url, DatabaseConnection.IsUrl(text));
    }
}
