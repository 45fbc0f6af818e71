using Strata.Dsl;
using Strata.Model;
using Strata.Postgres.Configuration;
using Strata.Postgres.Diagnostics;
using Strata.Postgres.Migrations;
using Strata.Snapshots;

namespace Strata.Tests.Diagnostics;

/// <summary>Which databases strata doctor examines: the url queries use and, beside it, the directUrl migrations use.</summary>
public sealed class DoctorDatabasesTests : IDisposable
{
    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("strata-doctor-");

    public void Dispose() => _root.Delete(recursive: true);

    private StrataEnvironment Resolve(string environments, string name, bool withConnections = true) =>
        EnvironmentResolver.Resolve(
            StrataConfigLoader.Parse($$"""{ "schema": "A/A.csproj", "environments": {{environments}} }""", Path.Combine(_root.FullName, "strata.json")),
            name, new Dictionary<string, string?>(), withConnections);

    private const string Pooled = """
        { "production": { "url": "postgres://app:secret@pooler:6543/shop", "directUrl": "postgres://owner:secret@direct:5432/shop" }, "development": {} }
        """;

    [Fact]
    public void An_environment_with_a_pooler_gives_its_url_and_its_directUrl()
    {
        var databases = DoctorDatabases.Choose(Resolve(Pooled, "production"), null, "--connection");

        Assert.Equal("pooler", databases.Url.Connection!.Host);
        Assert.Equal("\"url\" of environment \"production\"", databases.Url.Source);
        Assert.False(databases.Url.Overridden);
        Assert.Equal("direct", databases.Direct!.Host);
        Assert.Equal("owner", databases.Direct.Username);
    }

    [Fact]
    public void A_given_connection_replaces_both()
    {
        var databases = DoctorDatabases.Choose(Resolve(Pooled, "production", withConnections: false), "postgres://me@elsewhere/db", "--connection");

        Assert.Equal("elsewhere", databases.Url.Connection!.Host);
        Assert.True(databases.Url.Overridden);
        Assert.Equal("--connection", databases.Url.Source);
        Assert.Null(databases.Direct);
    }

    [Fact]
    public void Development_without_a_url_is_the_local_database_which_the_caller_starts()
    {
        var databases = DoctorDatabases.Choose(Resolve(Pooled, "development"), null, "--connection");

        Assert.True(databases.Url.IsLocalDevDatabase);
        Assert.Null(databases.Direct);
    }

    [Fact]
    public void The_connections_are_copies_that_a_command_may_change()
    {
        var environment = Resolve(Pooled, "production");

        var databases = DoctorDatabases.Choose(environment, null, "--connection");
        databases.Url.Connection!.ApplicationName = "strata doctor";
        databases.Direct!.ApplicationName = "strata doctor";

        Assert.NotEqual("strata doctor", environment.Connection!.ApplicationName);
        Assert.NotEqual("strata doctor", environment.DirectConnection!.ApplicationName);
    }

    [Fact]
    public async Task Doctor_looks_at_public_in_a_project_with_no_migration_yet_and_at_the_newest_snapshots_schemas_after()
    {
        var folder = Path.Combine(_root.FullName, "migrations");

        Assert.Equal(["public"], await DatabaseDoctor.ProjectSchemasAsync(folder));

        var db = new SchemaBuilder();
        db.Schema("billing").Table("invoices", t => t.Column("id", Types.Integer).PrimaryKey());
        db.Schema("audit").Enum("level", "low", "high");
        var model = db.Build();
        var directory = await MigrationDirectory.LoadAsync(folder);
        await directory.WriteMigrationAsync("0000_init", "SELECT 1;\n", "", new Snapshot(Snapshot.ComputeId(null, "init", model), null, model, default));

        Assert.Equal(["audit", "billing"], await DatabaseDoctor.ProjectSchemasAsync(folder));
    }
}
