using Strata.Cli;
using Strata.Cli.Commands;
using Strata.Design.SchemaSource;

namespace Strata.Tests.Design;

public sealed class SchemaProjectFilesTests : IDisposable
{
    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("strata-cli-project-");

    public void Dispose() => _root.Delete(recursive: true);

    [Fact]
    public void Target_framework_and_assembly_name_come_from_the_csproj()
    {
        var project = Write("App.Schema/App.Schema.csproj", """
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <TargetFrameworks>net10.0;net9.0</TargetFrameworks>
                <AssemblyName>App.Db</AssemblyName>
              </PropertyGroup>
            </Project>
            """);
        var dll = Write("App.Schema/bin/Debug/net10.0/App.Db.dll", "");

        var schemaProject = SchemaProject.Read(project);

        Assert.Equal("net10.0", schemaProject.TargetFramework);
        Assert.Equal("App.Db", schemaProject.AssemblyName);
        Assert.Equal(dll, schemaProject.FindAssembly());
    }

    [Fact]
    public void Without_a_target_framework_in_the_csproj_the_bin_folder_is_searched()
    {
        var project = Write("Db/Db.csproj", "<Project Sdk=\"Microsoft.NET.Sdk\" />");
        var dll = Write("Db/bin/Debug/net10.0/Db.dll", "");

        var schemaProject = SchemaProject.Read(project);

        Assert.Null(schemaProject.TargetFramework);
        Assert.Equal(dll, schemaProject.FindAssembly());
    }

    [Fact]
    public void The_newest_source_ignores_bin_and_obj()
    {
        var project = Write("Db/Db.csproj", "<Project Sdk=\"Microsoft.NET.Sdk\" />");
        var source = Write("Db/Tables/Users.cs", "class Users {}");
        File.SetLastWriteTimeUtc(project, DateTime.UtcNow.AddMinutes(-10));
        File.SetLastWriteTimeUtc(source, DateTime.UtcNow.AddMinutes(-5));
        Write("Db/obj/Debug/net10.0/Db.AssemblyInfo.cs", "// generated");
        Write("Db/bin/Debug/net10.0/Db.dll", "");
        Write("Db/notes.txt", "not a source");

        var newest = SchemaProject.Read(project).NewestSource();

        Assert.Equal(source, newest?.Path);
    }

    [Fact]
    public void A_schema_path_that_is_not_a_csproj_is_a_usage_error()
    {
        var file = Write("Db/Db.fsproj", "<Project />");

        var error = Assert.Throws<SchemaSourceException>(() => SchemaProject.Read(file));

        Assert.Equal(ExitCodes.UsageError, KnownErrors.Translate(error)?.ExitCode);
        Assert.Contains(".csproj", error.Message);
    }

    private string Write(string relativePath, string text)
    {
        var path = Path.Combine(_root.FullName, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return path;
    }
}
