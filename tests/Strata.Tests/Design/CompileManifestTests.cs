using Strata.Design.SchemaSource;

namespace Strata.Tests.Design;

/// <summary>What a full build's JSON (-getItem/-getProperty) records for the in-process compile, and when that record still holds.</summary>
public sealed class CompileManifestTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("strata-manifest-").FullName;

    private SchemaProject Project()
    {
        var path = Path.Combine(_directory, "App.Schema.csproj");
        if (!File.Exists(path))
            File.WriteAllText(path, "<Project Sdk=\"Microsoft.NET.Sdk\"><PropertyGroup><TargetFramework>net10.0</TargetFramework></PropertyGroup></Project>");
        File.WriteAllText(Path.Combine(_directory, "Schema.cs"), "class Schema {}");
        return SchemaProject.Read(path);
    }

    private string BuildJson(string extraItems = "") => $$"""
        {
          "Properties": { "TargetPath": "{{_directory}}/out/App.Schema.dll", "AssemblyName": "App.Schema", "LangVersion": "14.0", "DefineConstants": "TRACE;DEBUG" },
          "Items": {
            "Compile": [ { "Identity": "Schema.cs", "FullPath": "{{_directory}}/Schema.cs" } ],
            "ReferencePathWithRefAssemblies": [
              { "Identity": "/refs/System.Runtime.dll", "FullPath": "/refs/System.Runtime.dll" },
              { "Identity": "/refs/Other.dll", "FullPath": "/refs/Other.dll", "Aliases": "other, global" },
              { "Identity": "/lib/obj/ref/Lib.dll", "FullPath": "/lib/obj/ref/Lib.dll", "ReferenceSourceTarget": "ProjectReference", "MSBuildSourceProjectFile": "{{_directory}}/lib/Lib.csproj" }
            ],
            "Analyzer": [ { "Identity": "/packs/System.Text.RegularExpressions.Generator.dll", "FullPath": "/packs/System.Text.RegularExpressions.Generator.dll" } ]
            {{extraItems}}
          }
        }
        """;

    [Fact]
    public void The_build_json_gives_target_path_sources_references_with_aliases_and_options()
    {
        Directory.CreateDirectory(Path.Combine(_directory, "lib"));
        File.WriteAllText(Path.Combine(_directory, "lib", "Lib.csproj"), "<Project />");
        var project = Project();

        var manifest = FullBuild.Record(project, BuildJson());

        Assert.NotNull(manifest);
        Assert.Equal($"{_directory}/out/App.Schema.dll", manifest.TargetPath);
        Assert.Equal([Path.Combine(_directory, "Schema.cs")], manifest.CompileItems);
        Assert.Equal(["other", "global"], manifest.References[1].Aliases);
        Assert.Equal("TRACE;DEBUG", manifest.Properties["DefineConstants"]);
        Assert.Null(manifest.FastPathBlocker);
        // The .csproj, the referenced project's sources and a Directory.Build.props that may appear above either.
        Assert.Contains(manifest.Inputs, i => i.Path == project.ProjectPath);
        Assert.Contains(manifest.Inputs, i => i.Path == Path.Combine(_directory, "lib", "Lib.csproj"));
        Assert.Contains(manifest.Inputs, i => i.Path == Path.Combine(_directory, "Directory.Build.props") && i.Length == -1);
        Assert.Null(manifest.FirstChangedInput(project));
        Assert.Null(manifest.FastPathRefusal(project));
    }

    [Fact]
    public void A_build_that_printed_no_json_or_compiled_nothing_records_no_manifest()
    {
        var project = Project();

        Assert.Null(FullBuild.Record(project, "Build succeeded."));
        Assert.Null(FullBuild.Record(project, """{ "Properties": { "TargetPath": "" }, "Items": { "Compile": [] } }"""));
    }

    [Fact]
    public void Embedded_resources_keep_the_project_on_the_full_build()
    {
        var manifest = FullBuild.Record(Project(), BuildJson(""", "EmbeddedResource": [ { "Identity": "Strings.resx", "FullPath": "/x/Strings.resx" } ]"""));

        Assert.Equal("the project embeds resources, which only `dotnet build` compiles in", manifest!.FastPathBlocker);
    }

    [Fact]
    public void A_new_import_a_new_source_and_a_removed_source_are_each_seen()
    {
        var project = Project();
        var manifest = FullBuild.Record(project, BuildJson())!;

        File.WriteAllText(Path.Combine(_directory, "Directory.Build.props"), "<Project />");
        Assert.Equal("Directory.Build.props", manifest.FirstChangedInput(project));

        File.WriteAllText(Path.Combine(_directory, "More.cs"), "class More {}");
        Assert.Equal("More.cs is new", manifest.FastPathRefusal(project));
        File.Delete(Path.Combine(_directory, "More.cs"));

        File.Delete(Path.Combine(_directory, "Schema.cs"));
        Assert.Equal("Schema.cs is gone", manifest.FastPathRefusal(project));
    }

    [Fact]
    public void A_manifest_round_trips_through_its_file()
    {
        var project = Project();
        var manifest = FullBuild.Record(project, BuildJson())!;

        manifest.Write(project);
        var read = CompileManifest.Read(project);

        Assert.NotNull(read);
        Assert.Equal(manifest.TargetPath, read.TargetPath);
        Assert.Equal(manifest.Inputs, read.Inputs);
        Assert.Equal(manifest.References.Count, read.References.Count);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
