using Strata.Design.SchemaSource;
using Strata.Model;

namespace Strata.IntegrationTests.Cli;

/// <summary>
/// How a schema project is compiled after an edit (issue 17): only the content of the sources the last full build
/// compiled changed → in-process with Roslyn, from the recorded manifest; anything else → `dotnet build`. The project
/// has what a user's has: several files, a referenced project, a package, a Directory.Build.props (with a preprocessor
/// symbol), an output path of its own and a source generator ([GeneratedRegex]).
/// </summary>
[Collection(CliCollection.Name)]
public sealed class SchemaCompileTests
{
    [Fact]
    public async Task An_edit_of_one_file_is_compiled_in_process_into_the_model_a_full_build_gives()
    {
        using var workspace = CompileWorkspace.Create();
        var built = await workspace.CompileAsync();
        Assert.Equal(SchemaCompilePath.FullBuild, built.How);
        Assert.StartsWith(Path.Combine(workspace.Root, "artifacts") + Path.DirectorySeparatorChar, built.AssemblyPath);

        workspace.Edit(CompileWorkspace.UsersFile, "t.Column(\"created_at\", Types.TimestampTz());",
            "t.Column(\"created_at\", Types.TimestampTz());\n            t.Column(\"last_seen_at\", Types.TimestampTz());");
        var edited = await workspace.CompileAsync();

        Assert.Equal(SchemaCompilePath.InProcess, edited.How);
        Assert.Contains(workspace.StatusLines, line => line.StartsWith("Compiling App.Schema.csproj (Tables/Users.cs changed)", StringComparison.Ordinal));
        Assert.Equal(built.AssemblyPath, edited.AssemblyPath);
        var fast = SchemaProjectLoader.Run(edited.AssemblyPath, null);
        var users = fast.FindTable(new QualifiedName("public", "app_users"));
        Assert.NotNull(users);
        Assert.Contains(users.Columns, c => c.Name == "last_seen_at");
        Assert.Contains(users.Columns, c => c.Name == "display_name"); // the [GeneratedRegex] helper ran
        Assert.Contains(users.Columns, c => c.Name == "nickname"); // the YAML package ran
        Assert.NotNull(fast.FindTable(new QualifiedName("public", "app_audit"))); // SCHEMA_AUDIT from Directory.Build.props

        // The next run finds the assembly the fast path wrote up to date, in the project's own output path.
        Assert.Equal(SchemaCompilePath.UpToDate, (await workspace.CompileAsync()).How);

        // The same sources through `dotnet build` (MSBuild compiles them again: its obj copy is older than the edit).
        await FullBuild.RunAsync(workspace.Project, CancellationToken.None);
        var full = SchemaProjectLoader.Run(workspace.Project.FindAssembly(CompileManifest.Read(workspace.Project))!, null);
        Assert.Equal(full, fast);
    }

    [Fact]
    public async Task A_source_file_added_falls_back_to_the_full_build()
    {
        using var workspace = CompileWorkspace.Create();
        await workspace.CompileAsync();

        workspace.Write("App.Schema/Tables/Orders.cs", "namespace App.Schema.Tables;\n\npublic static class Orders\n{\n    public const string Name = \"orders\";\n}\n");
        var result = await workspace.CompileAsync();

        Assert.Equal(SchemaCompilePath.FullBuild, result.How);
        Assert.Contains(workspace.StatusLines, line => line.Contains("(Tables/Orders.cs is new)", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("App.Schema/App.Schema.csproj")]
    [InlineData("Directory.Build.props")]
    public async Task An_edit_of_the_project_or_an_import_falls_back_to_the_full_build(string file)
    {
        using var workspace = CompileWorkspace.Create();
        await workspace.CompileAsync();

        workspace.Edit(file, "</Project>", "  <!-- edited -->\n</Project>");
        var result = await workspace.CompileAsync();

        Assert.Equal(SchemaCompilePath.FullBuild, result.How);
        Assert.Equal(SchemaCompilePath.UpToDate, (await workspace.CompileAsync()).How);
    }

    [Fact]
    public async Task An_edit_of_a_referenced_project_falls_back_to_the_full_build_and_is_in_the_model()
    {
        using var workspace = CompileWorkspace.Create();
        await workspace.CompileAsync();

        workspace.Edit("Shared/Naming.cs", "\"app_\"", "\"crm_\"");
        var result = await workspace.CompileAsync();

        Assert.Equal(SchemaCompilePath.FullBuild, result.How);
        Assert.Contains(workspace.StatusLines, line => line.Contains("Naming.cs changed", StringComparison.Ordinal));
        Assert.NotNull(SchemaProjectLoader.Run(result.AssemblyPath, null).FindTable(new QualifiedName("public", "crm_users")));
    }

    [Fact]
    public async Task A_compile_error_on_the_fast_path_names_the_file_line_and_column_and_keeps_the_last_assembly()
    {
        using var workspace = CompileWorkspace.Create();
        var built = await workspace.CompileAsync();
        var before = File.ReadAllBytes(built.AssemblyPath);

        workspace.Edit(CompileWorkspace.UsersFile, "t.Column(\"created_at\", Types.TimestampTz());", "t.Column(\"created_at\", Types.TimestampTz()).Missing();");
        var error = await Assert.ThrowsAsync<SchemaSourceException>(() => workspace.CompileAsync());

        Assert.Contains(workspace.StatusLines, line => line.StartsWith("Compiling App.Schema.csproj (Tables/Users.cs changed)", StringComparison.Ordinal));
        Assert.Equal($"the schema project {workspace.Project.ProjectPath} does not build", error.Message);
        var usersPath = Path.Combine(workspace.Root, CompileWorkspace.UsersFile);
        var lines = File.ReadAllLines(usersPath);
        var row = Array.FindIndex(lines, l => l.Contains(".Missing()", StringComparison.Ordinal));
        var line = Assert.Single(error.Details);
        Assert.StartsWith($"{usersPath}({row + 1},{lines[row].IndexOf("Missing", StringComparison.Ordinal) + 1}): error CS1061: ", line);
        Assert.Contains("'Missing'", line);
        Assert.Equal(before, File.ReadAllBytes(built.AssemblyPath));
    }
}

/// <summary>A schema project of several files with a referenced project, a package, a Directory.Build.props and its own output path, in a temporary folder.</summary>
internal sealed class CompileWorkspace : IDisposable
{
    public const string UsersFile = "App.Schema/Tables/Users.cs";

    private CompileWorkspace(string root)
    {
        Root = root;
    }

    public string Root { get; }

    public SchemaProject Project => SchemaProject.Read(Path.Combine(Root, "App.Schema", "App.Schema.csproj"));

    public List<string> StatusLines { get; } = [];

    public static CompileWorkspace Create()
    {
        var workspace = new CompileWorkspace(Path.Combine(Path.GetTempPath(), "strata-compile-" + Guid.NewGuid().ToString("N")[..12]));
        var strata = Path.Combine(StrataProcess.RepositoryRoot, "src", "Strata", "Strata.csproj");
        workspace.Write("Directory.Build.props", """
            <Project>
              <PropertyGroup>
                <!-- Not bin/Debug: the assembly is where this says. -->
                <BaseOutputPath>$(MSBuildThisFileDirectory)artifacts/$(MSBuildProjectName)/</BaseOutputPath>
                <DefineConstants>$(DefineConstants);SCHEMA_AUDIT</DefineConstants>
              </PropertyGroup>
            </Project>
            """);
        workspace.Write("Shared/Shared.csproj", """
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
              </PropertyGroup>
            </Project>
            """);
        workspace.Write("Shared/Naming.cs", """
            namespace Shared;

            public static class Naming
            {
                public static string Table(string name) => "app_" + name;
            }
            """);
        workspace.Write("App.Schema/App.Schema.csproj", $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
                <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
              </PropertyGroup>
              <ItemGroup>
                <ProjectReference Include="../Shared/Shared.csproj" />
                <ProjectReference Include="{strata}" />
                <PackageReference Include="YamlDotNet" Version="16.3.0" />
              </ItemGroup>
            </Project>
            """);
        workspace.Write("App.Schema/AppSchema.cs", """
            using App.Schema.Tables;
            using Shared;
            using Strata.Dsl;

            namespace App.Schema;

            public sealed class AppSchema : ISchemaDefinition
            {
                public void Define(SchemaBuilder db)
                {
                    Users.Define(db);
            #if SCHEMA_AUDIT
                    db.Table(Naming.Table("audit"), t => t.Column("id", Types.BigInt).Identity().PrimaryKey());
            #endif
                }
            }
            """);
        workspace.Write("App.Schema/ColumnName.cs", """
            using System.Text.RegularExpressions;

            namespace App.Schema;

            public static partial class ColumnName
            {
                public static string From(string label) => NonWord().Replace(label.ToLowerInvariant(), "_").Trim('_');

                [GeneratedRegex("[^a-z0-9]+")]
                private static partial Regex NonWord();
            }
            """);
        workspace.Write(UsersFile, """
            using Shared;
            using Strata.Dsl;
            using YamlDotNet.Serialization;

            namespace App.Schema.Tables;

            public static class Users
            {
                private static readonly List<string> Extra = new DeserializerBuilder().Build().Deserialize<List<string>>("[nickname]");

                public static void Define(SchemaBuilder db) =>
                    db.Table(Naming.Table("users"), t =>
                    {
                        t.Column("id", Types.BigInt).Identity().PrimaryKey();
                        t.Column(ColumnName.From("Display Name"), Types.Text);
                        t.Column("created_at", Types.TimestampTz());
                        foreach (var name in Extra)
                            t.Column(name, Types.Text);
                    });
            }
            """);
        return workspace;
    }

    public Task<SchemaCompileResult> CompileAsync() =>
        SchemaProjectLoader.EnsureCompiledAsync(Project, StatusLines.Add);

    public void Write(string relativePath, string text)
    {
        var path = Path.Combine(Root, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text.Replace("\r\n", "\n", StringComparison.Ordinal) + "\n");
        // Some file systems keep whole seconds: an edit must be newer than the last build.
        File.SetLastWriteTimeUtc(path, DateTime.UtcNow.AddSeconds(2));
    }

    public void Edit(string relativePath, string oldText, string newText)
    {
        var text = File.ReadAllText(Path.Combine(Root, relativePath));
        Assert.Contains(oldText, text);
        Write(relativePath, text.Replace(oldText, newText, StringComparison.Ordinal).TrimEnd('\n'));
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A build server may still hold a file for a moment; the temp folder is cleaned eventually.
        }
    }
}
