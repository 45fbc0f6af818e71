using System.Text.Json;
using Strata.Cli;
using Strata.Postgres.Configuration;
using Strata.Cli.Commands;
using Strata.Design.Scaffolding;

namespace Strata.Tests.Design;

public sealed class ProjectScaffoldTests
{
    private static readonly StrataReference Package = new(null, "0.1.0", "referencing the Strata package 0.1.0");

    private static IReadOnlyList<ScaffoldFile> Plan(string name = "App", Func<string, string?>? existing = null) =>
        ProjectScaffold.Plan(name, Package, "net10.0", existing ?? (_ => null));

    private static string Content(IReadOnlyList<ScaffoldFile> files, string path) => files.Single(f => f.RelativePath == path).Content;

    [Theory]
    [InlineData("my-app", "MyApp")]
    [InlineData("shop", "Shop")]
    [InlineData("billing_service.v2", "BillingServiceV2")]
    [InlineData("2024-site", "App2024Site")]
    [InlineData("---", "App")]
    public void The_project_name_comes_from_the_folder_name_in_PascalCase(string folder, string expected) =>
        Assert.Equal(expected, ProjectScaffold.NameFromFolder(folder));

    [Fact]
    public void Without_a_clone_the_schema_project_references_the_Strata_package_of_the_tools_version()
    {
        var project = Content(Plan(), "src/App.Schema/App.Schema.csproj");

        Assert.Contains("""<PackageReference Include="Strata" Version="0.1.0" />""", project);
        Assert.DoesNotContain("ProjectReference", project);
        Assert.Contains("<TargetFramework>net10.0</TargetFramework>", project);
    }

    [Fact]
    public void Strata_json_names_the_schema_project_the_folders_and_the_three_environments_with_production_protected_and_verified()
    {
        var text = Content(Plan("Acme.Shop"), "strata.json");
        var config = StrataConfigLoader.Parse(text, "/repo/strata.json");

        Assert.Equal("/repo/src/Acme.Shop.Schema/Acme.Shop.Schema.csproj", config.SchemaProject);
        Assert.Equal("/repo/db/migrations", config.MigrationsDirectory);
        using var json = JsonDocument.Parse(text);
        var root = json.RootElement;
        Assert.Equal("./strata.schema.json", root.GetProperty("$schema").GetString());
        Assert.Equal("db/seeds", root.GetProperty("seed").GetString());
        var environments = root.GetProperty("environments");
        Assert.Equal(["development", "test", "production"], environments.EnumerateObject().Select(e => e.Name).ToArray());
        Assert.Empty(environments.GetProperty("development").EnumerateObject());
        Assert.Equal("${TEST_DATABASE_URL}", environments.GetProperty("test").GetProperty("url").GetString());
        var production = environments.GetProperty("production");
        Assert.Equal("${DATABASE_URL}", production.GetProperty("url").GetString());
        Assert.Equal("${DIRECT_DATABASE_URL}", production.GetProperty("directUrl").GetString());
        Assert.Equal("verify-full", production.GetProperty("sslMode").GetString());
        Assert.True(production.GetProperty("protected").GetBoolean());
    }

    [Fact]
    public void Env_example_sets_every_variable_strata_json_reads()
    {
        var files = Plan();
        var referenced = System.Text.RegularExpressions.Regex.Matches(Content(files, "strata.json"), @"\$\{([A-Z_]+)\}").Select(m => m.Groups[1].Value).ToHashSet();
        var set = Content(files, ".env.example").Split('\n').Where(l => l.Contains('=') && !l.StartsWith('#')).Select(l => l[..l.IndexOf('=')]).ToHashSet();

        Assert.Equal(["DATABASE_URL", "DIRECT_DATABASE_URL", "TEST_DATABASE_URL"], referenced.Order());
        Assert.Equal(referenced.Order(), set.Order());
    }

    [Fact]
    public void A_gitignore_that_has_every_line_is_kept_and_a_manifest_that_lists_the_tool_is_kept()
    {
        const string gitIgnore = "/.strata/\n.env.local\n.env.*.local\n";
        const string manifest = """{ "version": 1, "isRoot": true, "tools": { "Strata.Cli": { "version": "0.0.9", "commands": ["strata"] } } }""";
        var files = Plan(existing: path => path switch { ".gitignore" => gitIgnore, ".config/dotnet-tools.json" => manifest, _ => null });

        Assert.Equal(gitIgnore, Content(files, ".gitignore"));
        Assert.Equal(manifest, Content(files, ".config/dotnet-tools.json"));
    }

    [Fact]
    public void The_manifest_dotnet_new_tool_manifest_writes_in_the_folder_gets_the_tool_and_none_is_added_in_config()
    {
        const string manifest = """{ "version": 1, "isRoot": true, "tools": {} }""";
        var files = Plan(existing: path => path == "dotnet-tools.json" ? manifest : null);

        Assert.DoesNotContain(files, f => f.RelativePath == ".config/dotnet-tools.json");
        var updated = files.Single(f => f.RelativePath == "dotnet-tools.json");
        Assert.Equal(manifest, updated.Original);
        Assert.Contains("\"strata.cli\"", updated.Content);
    }

    [Fact]
    public void A_manifest_that_is_not_json_stops_init_before_anything_is_written()
    {
        var error = KnownErrors.Translate(Assert.Throws<ConfigurationException>(() => Plan(existing: path => path == ".config/dotnet-tools.json" ? "{ not json" : null)))!;

        Assert.Equal(ExitCodes.UsageError, error.ExitCode);
        Assert.Contains(".config/dotnet-tools.json is not valid JSON", error.Message);
    }
}
