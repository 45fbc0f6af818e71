using Strata.Cli;
using Strata.Cli.Commands;
using Strata.Postgres.Configuration;
using Strata.Model;

namespace Strata.Tests.Configuration;

public sealed class StrataConfigLoaderTests
{
    private const string Path = "/repo/strata.json";

    private static StrataConfig Parse(string trackingTable) =>
        StrataConfigLoader.Parse($$"""
            {
              "schema": "App.Schema/App.Schema.csproj",
              "trackingTable": {{trackingTable}}
            }
            """, Path);

    [Fact]
    public void Without_trackingTable_the_tracking_table_is_strata___strata_migrations()
    {
        var config = StrataConfigLoader.Parse("""{ "schema": "App.Schema/App.Schema.csproj" }""", Path);

        Assert.Equal(new QualifiedName("strata", "__strata_migrations"), config.TrackingTable);
    }

    [Fact]
    public void TrackingTable_is_read_as_schema_dot_table()
    {
        Assert.Equal(new QualifiedName("ops", "schema_history"), Parse("\"ops.schema_history\"").TrackingTable);
        Assert.Equal(new QualifiedName("Ops", "History Table"), Parse("\"Ops.History Table\"").TrackingTable);
    }

    [Theory]
    [InlineData("\"history\"", "must be \"schema.table\" (such as \"strata.__strata_migrations\"), not \"history\"")]
    [InlineData("\"a.b.c\"", "must be \"schema.table\" (such as \"strata.__strata_migrations\"), not \"a.b.c\"")]
    [InlineData("\".history\"", "must be \"schema.table\"")]
    [InlineData("\"ops.\"", "must be \"schema.table\"")]
    [InlineData("\"ops.\\\"history\\\"\"", "without quotes or blanks")]
    [InlineData("\"ops. history\"", "without quotes or blanks")]
    [InlineData("42", "\"trackingTable\" must be a non-empty string")]
    public void A_bad_trackingTable_is_a_usage_error_naming_strata_json_its_line_and_the_key(string value, string expected)
    {
        var error = Assert.Throws<ConfigurationException>(() => Parse(value));

        Assert.Equal(ExitCodes.UsageError, KnownErrors.Translate(error)?.ExitCode);
        Assert.StartsWith($"{Path}(3,3): \"trackingTable\" ", error.Message);
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void A_trackingTable_name_longer_than_63_bytes_is_refused_because_postgres_would_truncate_it()
    {
        var longName = new string('h', 64);

        var error = Assert.Throws<ConfigurationException>(() => Parse($"\"ops.{longName}\""));

        Assert.Contains($"has the name \"{longName}\", longer than PostgreSQL's 63 bytes", error.Message);
        Assert.Equal(new QualifiedName("ops", new string('h', 63)), Parse($"\"ops.{new string('h', 63)}\"").TrackingTable);
    }

    [Fact]
    public void Lint_rules_take_the_levels_strata_json_gives_them_over_their_defaults()
    {
        var config = StrataConfigLoader.Parse("""
            { "schema": "A.csproj", "lint": { "rules": { "drop-column": "off", "missing-lock-timeout": "error", "char-type": "warning" } } }
            """, Path);

        Assert.Equal(Strata.Postgres.Linting.LintLevel.Off, config.LintSettings.LevelOf(Strata.Postgres.Linting.LintRules.DropColumn));
        Assert.Equal(Strata.Postgres.Linting.LintLevel.Error, config.LintSettings.LevelOf(Strata.Postgres.Linting.LintRules.MissingLockTimeout));
        Assert.Equal(Strata.Postgres.Linting.LintLevel.Error, config.LintSettings.LevelOf(Strata.Postgres.Linting.LintRules.IndexNotConcurrent));
        Assert.Equal(Strata.Postgres.Linting.LintLevel.Error,
            StrataConfigLoader.Parse("""{ "schema": "A.csproj" }""", Path).LintSettings.LevelOf(Strata.Postgres.Linting.LintRules.SetNotNull));
    }

    [Theory]
    [InlineData("""{ "rules": { "index-not-concurent": "off" } }""", "\"lint.rules\" names \"index-not-concurent\", which is not a rule of strata lint (did you mean \"index-not-concurrent\"?); the rules are index-not-concurrent, constraint-not-valid,")]
    [InlineData("""{ "rules": { "rename": "info" } }""", "the level of \"rename\" in \"lint.rules\" must be \"off\", \"warning\" or \"error\", not \"info\"")]
    [InlineData("""{ "rule": { } }""", "unknown key \"rule\" in \"lint\"")]
    [InlineData("""[]""", "\"lint\" must be an object")]
    public void A_bad_lint_setting_is_a_usage_error_naming_the_setting(string lint, string expected)
    {
        var error = Assert.Throws<ConfigurationException>(() => StrataConfigLoader.Parse($$"""{ "schema": "A.csproj", "lint": {{lint}} }""", Path));

        Assert.Equal(ExitCodes.UsageError, KnownErrors.Translate(error)?.ExitCode);
        Assert.StartsWith($"{Path}(1,", error.Message);
        Assert.Contains(expected, error.Message);
    }
}
