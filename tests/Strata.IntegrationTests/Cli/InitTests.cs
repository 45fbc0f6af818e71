using System.Text.Json.Nodes;
using System.Xml.Linq;
using Strata.Postgres.Configuration;
using Strata.IntegrationTests.Infrastructure;
using Strata.Postgres.LocalServer;

namespace Strata.IntegrationTests.Cli;

[Collection(CliCollection.Name)]
public sealed class InitTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    [Fact]
    public async Task Init_in_an_empty_folder_then_generate_and_migrate_create_the_example_table_on_the_test_server_and_the_local_database()
    {
        using var folder = new ScratchFolder("shop");

        var init = await StrataProcess.RunAsync(folder.Path, "init");

        Assert.True(init.ExitCode == 0, init.ToString());
        Assert.Contains("created  src/Shop.Schema/Shop.Schema.csproj", init.Stdout);
        Assert.Contains("dotnet strata generate --name init", init.Stdout);
        var config = await StrataConfigLoader.LoadAsync(null, folder.Path);
        Assert.Equal(folder.Combine("src", "Shop.Schema", "Shop.Schema.csproj"), config.SchemaProject);
        Assert.Equal(folder.Combine("db", "migrations"), config.MigrationsDirectory);
        // Run from a build in this repository, init references the repository's Strata project (there is no package feed yet).
        Assert.Contains($"<ProjectReference Include=\"{Path.Combine(StrataProcess.RepositoryRoot, "src", "Strata", "Strata.csproj")}\" />",
            File.ReadAllText(config.SchemaProject));

        var generate = await StrataProcess.RunAsync(folder.Path, "generate", "--name", "init");

        Assert.True(generate.ExitCode == 0, generate.ToString());
        Assert.Contains("CREATE TABLE \"public\".\"notes\"", File.ReadAllText(folder.Combine("db", "migrations", "0000_init", "up.sql")));

        await using var database = await postgres.CreateDatabaseAsync("cli_init");
        var migrate = await StrataProcess.RunAsync(folder.Path, "migrate", "--connection", database.ConnectionString);

        Assert.True(migrate.ExitCode == 0, migrate.ToString());
        Assert.Contains("applied 0000_init", migrate.Stdout);
        Assert.Equal(["id", "title", "body", "created_at"], await database.ColumnNamesAsync(new Strata.Model.QualifiedName("public", "notes")));
        // The example seed is plain SQL on the example table, and idempotent: a second run adds nothing.
        var seed = File.ReadAllText(folder.Combine("db", "seeds", "0001_notes.sql"));
        await database.ExecuteAsync(seed);
        await database.ExecuteAsync(seed);
        Assert.Equal(1L, await database.CountRowsAsync("public.notes"));

        // The development environment has no url: migrate uses the project's local PostgreSQL.
        try
        {
            var local = await StrataProcess.RunAsync(folder.Path, "migrate");

            Assert.True(local.ExitCode == 0, local.ToString());
            Assert.Contains("Created the database strata_dev", local.Stdout);
            Assert.Contains("applied 0000_init", local.Stdout);
            var url = await StrataProcess.RunAsync(folder.Path, "dev", "url");
            await using var connection = new Npgsql.NpgsqlConnection(Strata.Postgres.Configuration.DatabaseConnection.Parse(url.Stdout.Trim(), "dev url").ConnectionString);
            await connection.OpenAsync();
            await using var count = new Npgsql.NpgsqlCommand("SELECT count(*) FROM information_schema.columns WHERE table_name = 'notes'", connection);
            Assert.Equal(4L, await count.ExecuteScalarAsync());
        }
        finally
        {
            await StopLocalServerAsync(folder.Path);
        }
    }

    [Fact]
    public async Task Init_refuses_when_a_file_it_would_write_exists_lists_them_and_writes_nothing()
    {
        using var folder = new ScratchFolder("taken");
        Directory.CreateDirectory(folder.Combine("db", "seeds"));
        File.WriteAllText(folder.Combine(".env.example"), "MINE=1\n");
        File.WriteAllText(folder.Combine("db", "seeds", "0001_notes.sql"), "-- mine\n");

        var init = await StrataProcess.RunAsync(folder.Path, "init", "--name", "App");

        Assert.Equal(2, init.ExitCode);
        Assert.Contains("already has 2 files that strata init would write; nothing was written", init.Stderr);
        Assert.Contains("  .env.example", init.Stderr);
        Assert.Contains("  db/seeds/0001_notes.sql", init.Stderr);
        Assert.Equal([".env.example", "db"], Directory.EnumerateFileSystemEntries(folder.Path).Select(p => Path.GetFileName(p)).Order(StringComparer.Ordinal).ToArray());
        Assert.Equal("MINE=1\n", File.ReadAllText(folder.Combine(".env.example")));

        File.Delete(folder.Combine(".env.example"));
        File.Delete(folder.Combine("db", "seeds", "0001_notes.sql"));
        File.WriteAllText(folder.Combine("strata.json"), "{}");
        var again = await StrataProcess.RunAsync(folder.Path, "init", "--name", "App");

        Assert.Equal(2, again.ExitCode);
        Assert.Contains("  strata.json", again.Stderr);
        Assert.Contains("already is a Strata project", again.Stderr);
        Assert.False(Directory.Exists(folder.Combine("src")));
    }

    [Fact]
    public async Task Init_adds_the_strata_tool_to_an_existing_manifest_and_the_missing_lines_to_an_existing_gitignore()
    {
        using var folder = new ScratchFolder("existing");
        Directory.CreateDirectory(folder.Combine(".config"));
        File.WriteAllText(folder.Combine(".config", "dotnet-tools.json"), """
            {
              "version": 1,
              "isRoot": true,
              "tools": { "dotnet-ef": { "version": "9.0.0", "commands": ["dotnet-ef"], "rollForward": false } }
            }
            """);
        File.WriteAllText(folder.Combine(".gitignore"), "bin/\n.strata/\n");

        var init = await StrataProcess.RunAsync(folder.Path, "init", "--name", "Acme.Shop", "--json");

        Assert.True(init.ExitCode == 0, init.ToString());
        var result = JsonNode.Parse(init.Stdout)!;
        Assert.Equal("updated", result["files"]!.AsArray().Single(f => (string)f!["path"]! == ".config/dotnet-tools.json")!["action"]!.GetValue<string>());
        Assert.Equal("bin/\n.strata/\n\n# Strata: the local PostgreSQL and the .env files that hold real secrets\n.env.local\n.env.*.local\n",
            File.ReadAllText(folder.Combine(".gitignore")));

        // The entry is the package and command the CLI project packs as.
        var cliProject = XDocument.Load(Path.Combine(StrataProcess.RepositoryRoot, "src", "Strata.Cli", "Strata.Cli.csproj"));
        var packageId = cliProject.Descendants("PackageId").Single().Value;
        var command = cliProject.Descendants("ToolCommandName").Single().Value;
        Assert.Equal("true", cliProject.Descendants("PackAsTool").Single().Value);
        var tools = JsonNode.Parse(File.ReadAllText(folder.Combine(".config", "dotnet-tools.json")))!["tools"]!.AsObject();
        Assert.Equal("9.0.0", (string)tools["dotnet-ef"]!["version"]!);
        var strata = tools[packageId.ToLowerInvariant()]!;
        Assert.Equal(command, (string)strata["commands"]![0]!);
        Assert.Equal(XDocument.Load(Path.Combine(StrataProcess.RepositoryRoot, "Directory.Build.props")).Descendants("Version").Single().Value, (string)strata["version"]!);

        // A dotted name: the project and namespace keep it, the class takes its last part.
        Assert.Contains("namespace Acme.Shop.Schema;", File.ReadAllText(folder.Combine("src", "Acme.Shop.Schema", "ShopSchema.cs")));
    }

    [Fact]
    public async Task Init_with_strata_source_references_that_clone_and_a_bad_name_or_source_is_a_usage_error()
    {
        using var folder = new ScratchFolder("sourced");

        var badName = await StrataProcess.RunAsync(folder.Path, "init", "--name", "my-app");
        var badSource = await StrataProcess.RunAsync(folder.Path, "init", "--strata-source", folder.Combine("nowhere"));

        Assert.Equal(2, badName.ExitCode);
        Assert.Contains("\"my-app\" is not a C# namespace", badName.Stderr);
        Assert.Equal(2, badSource.ExitCode);
        Assert.Contains("--strata-source", badSource.Stderr);
        Assert.Empty(Directory.EnumerateFileSystemEntries(folder.Path));

        var relative = Path.GetRelativePath(folder.Path, StrataProcess.RepositoryRoot);
        var init = await StrataProcess.RunAsync(folder.Path, "init", "--name", "App", "--strata-source", relative);

        Assert.True(init.ExitCode == 0, init.ToString());
        var project = File.ReadAllText(folder.Combine("src", "App.Schema", "App.Schema.csproj"));
        var reference = Path.GetRelativePath(folder.Combine("src", "App.Schema"), Path.Combine(StrataProcess.RepositoryRoot, "src", "Strata", "Strata.csproj"));
        Assert.Contains($"<ProjectReference Include=\"{reference}\" />", project);
        Assert.Contains("(--strata-source)", init.Stdout);
    }

    internal static async Task StopLocalServerAsync(string projectFolder)
    {
        await using var server = await LocalPostgres.FindRunningAsync(new LocalPostgresOptions { DataDirectory = Path.Combine(projectFolder, ".strata", "postgres") });
        if (server is not null)
            await server.StopAsync();
    }
}

/// <summary>An empty folder under the temporary folder, named after <c>name</c> (init derives the project name from it); deleted on dispose.</summary>
internal sealed class ScratchFolder : IDisposable
{
    public ScratchFolder(string name)
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "strata-" + Guid.NewGuid().ToString("N")[..8], name);
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    public void Dispose()
    {
        try
        {
            Directory.Delete(System.IO.Path.GetDirectoryName(Path)!, recursive: true);
        }
        catch (IOException)
        {
            // A build server may still hold a file for a moment; the temp folder is cleaned eventually.
        }
    }
}
