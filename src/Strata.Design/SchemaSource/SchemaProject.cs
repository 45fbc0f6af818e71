using System.Xml.Linq;

namespace Strata.Design.SchemaSource;

/// <summary>A schema project on disk: its .csproj and where its build puts the assembly.</summary>
public sealed class SchemaProject
{
    private SchemaProject(string projectPath, string assemblyName, string? targetFramework)
    {
        ProjectPath = projectPath;
        AssemblyName = assemblyName;
        TargetFramework = targetFramework;
    }

    public string ProjectPath { get; }

    public string ProjectDirectory => Path.GetDirectoryName(ProjectPath)!;

    public string AssemblyName { get; }

    /// <summary>Null when the .csproj does not say (it comes from a Directory.Build.props): the bin folder is searched instead.</summary>
    public string? TargetFramework { get; }

    public static SchemaProject Read(string projectPath)
    {
        if (!File.Exists(projectPath))
            throw new SchemaSourceException($"the schema project {projectPath} does not exist",
                remedy: "Set \"schema\" in strata.json to the path of your schema project's .csproj, relative to strata.json.");
        if (!projectPath.EndsWith(".csproj", StringComparison.OrdinalIgnoreCase))
            throw new SchemaSourceException($"\"schema\" in strata.json must name a .csproj file, not {projectPath}");

        XDocument document;
        try
        {
            document = XDocument.Load(projectPath);
        }
        catch (System.Xml.XmlException e)
        {
            throw new SchemaSourceException($"{projectPath}({e.LineNumber},{e.LinePosition}): {e.Message}", inner: e);
        }

        string? Property(string name) => document.Descendants()
            .Where(e => e.Name.LocalName == name && e.Parent?.Name.LocalName == "PropertyGroup")
            .Select(e => e.Value.Trim())
            .LastOrDefault(v => v.Length > 0 && !v.Contains("$(", StringComparison.Ordinal));

        var targetFramework = Property("TargetFramework")
            ?? Property("TargetFrameworks")?.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault();
        var assemblyName = Property("AssemblyName") ?? Path.GetFileNameWithoutExtension(projectPath);
        return new SchemaProject(Path.GetFullPath(projectPath), assemblyName, targetFramework);
    }

    /// <summary>The Debug build's assembly, or null when it has not been built.</summary>
    public string? FindAssembly() => FindAssembly(null);

    /// <summary>
    /// The assembly where the last full build wrote it (<paramref name="manifest"/>'s target path: the project may set
    /// OutputPath, BaseOutputPath or ArtifactsPath), or under bin/Debug when no build was recorded.
    /// </summary>
    internal string? FindAssembly(CompileManifest? manifest)
    {
        if (manifest is not null)
            return File.Exists(manifest.TargetPath) ? manifest.TargetPath : null;
        var debug = Path.Combine(ProjectDirectory, "bin", "Debug");
        if (TargetFramework is not null)
        {
            var expected = Path.Combine(debug, TargetFramework, AssemblyName + ".dll");
            if (File.Exists(expected))
                return expected;
        }
        if (!Directory.Exists(debug))
            return null;
        return Directory.EnumerateFiles(debug, AssemblyName + ".dll", SearchOption.AllDirectories)
            .Where(p => !p.Contains(Path.DirectorySeparatorChar + "ref" + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            .OrderByDescending(File.GetLastWriteTimeUtc)
            .FirstOrDefault();
    }

    /// <summary>
    /// The newest source that a build reads (*.cs, *.csproj, *.props, *.targets under the project folder, bin and obj excluded),
    /// or null when there is none.
    /// </summary>
    public (string Path, DateTime WrittenUtc)? NewestSource()
    {
        var newest = SourceScan.BuildSources(ProjectDirectory).MaxBy(f => f.LastWriteTimeUtc);
        return newest is null ? null : (newest.FullName, newest.LastWriteTimeUtc);
    }
}
