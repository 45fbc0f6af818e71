using Npgsql;
using Strata.Postgres.Configuration;

namespace Strata.Tests.Configuration;

/// <summary>Which database a command works on: a given connection, the environment's url or directUrl, or the local development database.</summary>
public sealed class EnvironmentDatabaseTests : IDisposable
{
    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("strata-envdb-");

    public void Dispose() => _root.Delete(recursive: true);

    private StrataEnvironment Resolve(string environments, string name, params (string Key, string Value)[] variables) =>
        EnvironmentResolver.Resolve(
            StrataConfigLoader.Parse($$"""{ "schema": "A/A.csproj", "environments": {{environments}} }""", Path.Combine(_root.FullName, "strata.json")),
            name, variables.ToDictionary(v => v.Key, v => (string?)v.Value));

    private const string Pooled = """
        { "production": { "url": "postgres://app:secret@pooler:6543/shop", "directUrl": "postgres://app:secret@direct:5432/shop", "sslMode": "require" } }
        """;

    [Fact]
    public void The_connection_option_wins_over_STRATA_DATABASE_URL_which_wins_over_nothing()
    {
        var variables = new Dictionary<string, string?> { [DatabaseConnection.EnvironmentVariable] = "postgres://from-variable/db" };

        Assert.Equal(("postgres://given/db", "--connection"), EnvironmentDatabase.GivenConnection("postgres://given/db", "--connection", name => variables.GetValueOrDefault(name)));
        Assert.Equal(("postgres://from-variable/db", "$STRATA_DATABASE_URL"), EnvironmentDatabase.GivenConnection(null, "--connection", name => variables.GetValueOrDefault(name)));
        Assert.Equal(((string?)null, "--connection"), EnvironmentDatabase.GivenConnection(null, "--connection", _ => null));
        Assert.Equal(((string?)null, "--connection"), EnvironmentDatabase.GivenConnection(null, "--connection", _ => ""));
    }

    [Fact]
    public void A_schema_change_goes_through_directUrl_and_a_query_through_url()
    {
        var environment = Resolve(Pooled, "production");

        var change = EnvironmentDatabase.Choose(environment, null, "--connection", DatabaseUse.SchemaChange);
        var query = EnvironmentDatabase.Choose(environment, null, "--connection", DatabaseUse.Query);

        Assert.Equal("direct", change.Connection!.Host);
        Assert.True(change.ViaDirectUrl);
        Assert.Equal("\"directUrl\" of environment \"production\"", change.Source);
        Assert.Equal("\"sslMode\" of environment \"production\" in strata.json", change.SslModeSource);
        Assert.Equal("pooler", query.Connection!.Host);
        Assert.False(query.ViaDirectUrl);
        Assert.Equal("\"url\" of environment \"production\"", query.Source);
        Assert.False(change.Overridden || query.Overridden);
    }

    [Fact]
    public void A_schema_change_without_directUrl_goes_through_url()
    {
        var choice = EnvironmentDatabase.Choose(Resolve("""{ "ci": { "url": "postgres://u@ci-db/app" } }""", "ci"), null, "--connection", DatabaseUse.SchemaChange);

        Assert.Equal("ci-db", choice.Connection!.Host);
        Assert.False(choice.ViaDirectUrl);
        Assert.Null(choice.SslModeSource);
    }

    [Fact]
    public void A_given_connection_replaces_the_environment_and_its_own_sslmode_is_named()
    {
        var environment = Resolve(Pooled, "production");

        var withSslMode = EnvironmentDatabase.Choose(environment, "postgres://me@elsewhere/shop?sslmode=disable", "--connection", DatabaseUse.SchemaChange);
        var withoutSslMode = EnvironmentDatabase.Choose(environment, "Host=elsewhere;Database=shop", "$STRATA_DATABASE_URL", DatabaseUse.Query);

        Assert.Equal("elsewhere", withSslMode.Connection!.Host);
        Assert.Equal(SslMode.Disable, withSslMode.Connection.SslMode);
        Assert.True(withSslMode.Overridden);
        Assert.False(withSslMode.ViaDirectUrl);
        Assert.Equal("--connection", withSslMode.Source);
        Assert.Equal("sslmode in --connection", withSslMode.SslModeSource);
        // strata.json's sslMode belongs to the environment's URLs, not to a connection given instead of them.
        Assert.Null(withoutSslMode.SslModeSource);
        Assert.Equal("$STRATA_DATABASE_URL", withoutSslMode.Source);
    }

    [Fact]
    public void A_bad_given_connection_is_a_configuration_error_naming_where_it_came_from()
    {
        var error = Assert.Throws<ConfigurationException>(() =>
            EnvironmentDatabase.Choose(Resolve(Pooled, "production"), "postgres://me:topsecret@host/db?colour=blue", "$STRATA_DATABASE_URL", DatabaseUse.Query));

        Assert.Contains("$STRATA_DATABASE_URL", error.Message);
        Assert.DoesNotContain("topsecret", error.Message + error.Remedy);
    }

    [Fact]
    public void Development_without_a_url_is_the_local_development_database()
    {
        var choice = EnvironmentDatabase.Choose(Resolve("{ }", "development"), null, "--connection", DatabaseUse.SchemaChange);

        Assert.True(choice.IsLocalDevDatabase);
        Assert.Equal(EnvironmentDatabase.LocalSource, choice.Source);
    }

    [Fact]
    public void The_chosen_connection_is_a_copy_so_a_command_does_not_change_the_environment()
    {
        var environment = Resolve(Pooled, "production");

        var choice = EnvironmentDatabase.Choose(environment, null, "--connection", DatabaseUse.Query);
        EnvironmentDatabase.ForCommand(choice.Connection!, "status");

        Assert.Equal("strata status", choice.Connection!.ApplicationName);
        Assert.True(choice.Connection.IncludeErrorDetail);
        Assert.Null(environment.Connection!.ApplicationName);
    }

    [Fact]
    public void A_command_keeps_the_application_name_the_user_chose()
    {
        var connection = EnvironmentDatabase.ForCommand(DatabaseConnection.Parse("postgres://u@h/db?application_name=billing-api", "--connection"), "migrate");

        Assert.Equal("billing-api", connection.ApplicationName);
    }

    [Theory]
    [InlineData("localhost", true)]
    [InlineData("LOCALHOST:5433", true)]
    [InlineData("127.0.0.1", true)]
    [InlineData("[::1]:5432", true)]
    [InlineData("::1", true)]
    [InlineData("/var/run/postgresql", true)]
    [InlineData("localhost,127.0.0.1", true)]
    [InlineData("localhost,db.example.com", false)]
    [InlineData("db.example.com", false)]
    [InlineData("10.0.0.5", false)]
    public void Hosts_are_local_when_every_one_is_this_machine(string host, bool local)
    {
        Assert.Equal(local, EnvironmentDatabase.HostsAreLocal(new NpgsqlConnectionStringBuilder { Host = host }));
    }
}
