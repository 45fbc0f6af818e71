using System.Text.Json;
using System.Text.Json.Serialization;

namespace Strata.Design.SchemaSource;

/// <summary>
/// What the compiler got in the last full build of a schema project (sources, references, source generators,
/// options) and what decides whether that still holds (<see cref="Inputs"/>: the .csproj, its imports, the
/// package assets, the references and the referenced projects' sources). While it holds, an edit to the
/// content of <see cref="CompileItems"/> can be compiled in-process (<see cref="InProcessCompiler"/>) instead
/// of by `dotnet build`. Written by <see cref="FullBuild"/>; kept under the project's obj folder.
/// </summary>
internal sealed record CompileManifest
{
    /// <summary>Raised when the shape of the file changes: an older manifest is then ignored (a full build writes a new one).</summary>
    public const int CurrentVersion = 1;

    public int Version { get; init; } = CurrentVersion;

    /// <summary>Where the build writes the assembly: the truth for a non-default OutputPath/BaseOutputPath/ArtifactsPath.</summary>
    public required string TargetPath { get; init; }

    public required string AssemblyName { get; init; }

    /// <summary>The C# sources the compiler got, in its order (the project's own and the generated ones under obj).</summary>
    public required List<string> CompileItems { get; init; }

    public required List<CompileReference> References { get; init; }

    /// <summary>Analyzer assemblies: the source generators among them run on the fast path too.</summary>
    public required List<string> Analyzers { get; init; }

    /// <summary>.editorconfig / .globalconfig files, which source generators read (build_property.*).</summary>
    public required List<string> AnalyzerConfigFiles { get; init; }

    /// <summary>The compiler's options, as MSBuild properties (LangVersion, DefineConstants, Nullable, …).</summary>
    public required Dictionary<string, string> Properties { get; init; }

    /// <summary>The *.cs files in the project's globbing scope at the build: one added or removed changes what a build compiles.</summary>
    public required List<string> GlobbedSources { get; init; }

    /// <summary>Files whose change (or appearance, for a stamp of an absent file) needs a full build.</summary>
    public required List<FileStamp> Inputs { get; init; }

    /// <summary>Why this project cannot take the fast path at all (an embedded resource, say), or null.</summary>
    public string? FastPathBlocker { get; init; }

    public static string PathFor(SchemaProject project) =>
        Path.Combine(project.ProjectDirectory, "obj", "strata-compile.json");

    /// <summary>The manifest of <paramref name="project"/>'s last full build, or null when there is none (or an unreadable one).</summary>
    public static CompileManifest? Read(SchemaProject project)
    {
        var path = PathFor(project);
        if (!File.Exists(path))
            return null;
        try
        {
            var manifest = JsonSerializer.Deserialize(File.ReadAllBytes(path), CompileManifestJsonContext.Default.CompileManifest);
            return manifest?.Version == CurrentVersion ? manifest : null;
        }
        catch (Exception e) when (e is JsonException or IOException)
        {
            // A manifest is a cache: a broken one only costs the next full build.
            return null;
        }
    }

    public void Write(SchemaProject project)
    {
        var path = PathFor(project);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, JsonSerializer.SerializeToUtf8Bytes(this, CompileManifestJsonContext.Default.CompileManifest));
    }

    public static void Delete(SchemaProject project)
    {
        // File.Delete tolerates a missing file, not a missing obj folder (a project never built).
        var path = PathFor(project);
        if (File.Exists(path))
            File.Delete(path);
    }

    /// <summary>The first input that is not as the build saw it, relative to the project when inside it, or null when none changed.</summary>
    public string? FirstChangedInput(SchemaProject project)
    {
        foreach (var input in Inputs)
        {
            if (!input.IsCurrent())
                return Describe(project, input.Path);
        }
        return null;
    }

    /// <summary>
    /// Why an edit of <paramref name="project"/> cannot be compiled in-process (a source added or removed, a
    /// Compile item gone, a project-wide blocker), or null when it can.
    /// </summary>
    public string? FastPathRefusal(SchemaProject project)
    {
        if (FastPathBlocker is not null)
            return FastPathBlocker;
        var missing = CompileItems.FirstOrDefault(item => !File.Exists(item));
        if (missing is not null)
            return Describe(project, missing) + " is gone";
        var now = SourceScan.CSharpFiles(project.ProjectDirectory);
        var added = now.Except(GlobbedSources, StringComparer.Ordinal).FirstOrDefault();
        if (added is not null)
            return Describe(project, added) + " is new";
        var removed = GlobbedSources.Except(now, StringComparer.Ordinal).FirstOrDefault();
        return removed is not null ? Describe(project, removed) + " is gone" : null;
    }

    private static string Describe(SchemaProject project, string path)
    {
        var relative = Path.GetRelativePath(project.ProjectDirectory, path);
        return relative.StartsWith("..", StringComparison.Ordinal) ? path : relative;
    }
}

/// <summary>A reference the compiler got, with its extern aliases ("global" when none).</summary>
internal sealed record CompileReference(string Path, List<string>? Aliases);

/// <summary>
/// A file as a build saw it: its size and write time, or absent (<see cref="Length"/> -1); or a folder
/// (<see cref="IsFolder"/>), whose write time changes when an entry is added, removed or renamed in it.
/// </summary>
internal sealed record FileStamp(string Path, long Length, long WrittenTicks, bool IsFolder = false)
{
    public static FileStamp Of(string path)
    {
        var info = new FileInfo(path);
        return info.Exists ? new FileStamp(info.FullName, info.Length, info.LastWriteTimeUtc.Ticks) : new FileStamp(info.FullName, -1, 0);
    }

    public static FileStamp OfFolder(string path)
    {
        var info = new DirectoryInfo(path);
        return new FileStamp(info.FullName, info.Exists ? 0 : -1, info.Exists ? info.LastWriteTimeUtc.Ticks : 0, IsFolder: true);
    }

    public bool IsCurrent() => (IsFolder ? OfFolder(Path) : Of(Path)) == this;
}

[JsonSourceGenerationOptions(WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(CompileManifest))]
internal sealed partial class CompileManifestJsonContext : JsonSerializerContext;
