using Strata.Cli;
using Strata.Cli.Commands;
using Strata.Cli.Output;
using Strata.Postgres.Configuration;
using Strata.Postgres.Migrations;
using Strata.Postgres.Sql;

namespace Strata.Tests.Cli;

/// <summary>What <c>strata dev watch</c> prints of a statement, and which environments it looks at.</summary>
public sealed class WatchOutputTests
{
    [Theory]
    [InlineData("ALTER TABLE \"public\".\"items\" ADD COLUMN \"notes\" text DEFAULT 'a [b] c' NOT NULL;")]
    [InlineData("CREATE FUNCTION \"public\".\"f\"() RETURNS int LANGUAGE sql AS $$ SELECT 1 $$;")]
    [InlineData("COMMENT ON TABLE \"public\".\"users\" IS 'People [who] sign in.'; -- [note]")]
    public void Colouring_keeps_the_statement_text_as_it_is(string sql) =>
        Assert.Equal(sql, MarkupWriter.Render(WatchCommand.Colour(new SqlStatement(sql)), color: false));

    [Fact]
    public void Keywords_are_blue_literals_green_and_names_as_they_are()
    {
        var coloured = WatchCommand.Colour(new SqlStatement("ALTER TABLE \"public\".\"items\" ADD COLUMN \"notes\" text DEFAULT 'x';"));

        Assert.Equal("[blue]ALTER[/] [blue]TABLE[/] \"public\".\"items\" [blue]ADD[/] [blue]COLUMN[/] \"notes\" text [blue]DEFAULT[/] [green]'x'[/];", coloured);
    }

    [Fact]
    public void A_statement_that_loses_data_is_all_red()
    {
        var coloured = WatchCommand.Colour(new SqlStatement("ALTER TABLE \"public\".\"items\" DROP COLUMN \"notes\";", DataLoss: "drops the column notes"));

        Assert.Equal("[red]ALTER TABLE \"public\".\"items\" DROP COLUMN \"notes\";[/]", coloured);
        Assert.Contains("\u001b[31mALTER TABLE", MarkupWriter.Render(coloured, color: true));
    }

    private static StrataConfig Config(params string[] environments) => new(
        "/p/strata.json", "/p/App.Schema/App.Schema.csproj", "/p/db/migrations", null, MigrationPrefix.Index, new Strata.Model.QualifiedName("strata", "__strata_migrations"),
        environments.ToDictionary(name => name, name => new EnvironmentSettings(name)));

    [Fact]
    public void By_default_every_environment_is_looked_at_development_first()
    {
        Assert.Equal(["development", "staging", "production"], WatchCommand.EnvironmentNames(Config("staging", "production", "development"), null));
        // Development without an entry is the local PostgreSQL, which every project has.
        Assert.Equal(["development", "production"], WatchCommand.EnvironmentNames(Config("production"), ""));
    }

    [Fact]
    public void Environments_named_are_the_ones_looked_at_and_none_means_none()
    {
        Assert.Equal(["production", "development"], WatchCommand.EnvironmentNames(Config("production"), "production,development"));
        Assert.Equal(["production"], WatchCommand.EnvironmentNames(Config("production"), "production,production"));
        Assert.Empty(WatchCommand.EnvironmentNames(Config("production"), "none"));
    }

    [Fact]
    public void An_unknown_environment_is_a_usage_error_naming_the_known_ones()
    {
        var error = Assert.Throws<CliException>(() => WatchCommand.EnvironmentNames(Config("production"), "prod"));

        Assert.Equal(ExitCodes.UsageError, error.ExitCode);
        Assert.Contains("prod", error.Message);
        Assert.Contains("development, production", error.Remedy);
    }
}
