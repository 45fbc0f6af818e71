using System.Diagnostics;
using System.Text;
using System.Text.Json;

namespace Strata.Design.SchemaSource;

/// <summary>
/// `dotnet build` of the schema project, asked also to print what the compiler got (-getItem/-getProperty,
/// which the SDK answers in JSON on stdout after the build), from which it records the project's
/// <see cref="CompileManifest"/> for the fast path.
/// </summary>
internal static class FullBuild
{
    /// <summary>The MSBuild properties the in-process compile needs (see <see cref="InProcessCompiler"/>), and those that decide what it can do.</summary>
    private static readonly string[] RecordedProperties =
    [
        "TargetPath", "AssemblyName", "ProjectAssetsFile", "OutputType", "LangVersion", "DefineConstants", "Nullable",
        "AllowUnsafeBlocks", "Optimize", "CheckForOverflowUnderflow", "Deterministic", "TreatWarningsAsErrors", "WarningLevel",
        "NoWarn", "WarningsAsErrors", "WarningsNotAsErrors", "DebugType", "DocumentationFile", "SignAssembly", "PlatformTarget",
    ];

    private static readonly string[] RecordedItems =
        ["Compile", "ReferencePathWithRefAssemblies", "Analyzer", "EditorConfigFiles", "EmbeddedResource", "AdditionalFiles"];

    /// <summary>Files beside a project or in a folder above it that MSBuild, NuGet or the SDK resolver read.</summary>
    private static readonly string[] ImportedFileNames =
    [
        "Directory.Build.props", "Directory.Build.targets", "Directory.Packages.props", "global.json",
        "NuGet.config", "nuget.config", "NuGet.Config",
    ];

    /// <summary>Builds <paramref name="project"/> (Debug) and records its manifest; throws <see cref="SchemaSourceException"/> with the compiler's errors when it does not build.</summary>
    public static async Task<CompileManifest?> RunAsync(SchemaProject project, CancellationToken ct)
    {
        // A manifest from before this build must not outlive a failed one: the next run builds in full again.
        CompileManifest.Delete(project);

        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = project.ProjectDirectory,
        };
        // -t:Build: with -getItem, `dotnet build` alone only evaluates; the items after the Build target are
        // the compiler's (references resolved, generated sources under obj added).
        // CopyLocalLockFileAssemblies: a class library's build leaves its packages' assemblies in the NuGet cache, where
        // the strata process, which loads the schema assembly, cannot find them (an app's host probes the cache; a tool
        // loading a library does not): copied beside it, they load as the schema assembly's own (SchemaLoadContext).
        foreach (var argument in new[] { "build", project.ProjectPath, "-c", "Debug", "--nologo", "-v", "q", "-clp:NoSummary", "-t:Build", "-p:CopyLocalLockFileAssemblies=true" })
            start.ArgumentList.Add(argument);
        foreach (var property in RecordedProperties)
            start.ArgumentList.Add("-getProperty:" + property);
        foreach (var item in RecordedItems)
            start.ArgumentList.Add("-getItem:" + item);
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";

        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start `dotnet build`");
        var stdout = process.StandardOutput.ReadToEndAsync(ct);
        var errors = new StringBuilder();
        var stderr = PumpAsync(process.StandardError, errors);
        await process.WaitForExitAsync(ct);
        var json = await stdout;
        await stderr;

        if (process.ExitCode != 0)
        {
            // The build's messages go to stderr when -getItem takes stdout; an SDK that prints no JSON puts them on stdout.
            var text = errors.Length > 0 ? errors.ToString() : json;
            var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            var errorLines = lines.Where(l => l.Contains(": error ", StringComparison.Ordinal)).Distinct().ToList();
            throw new SchemaSourceException(
                $"the schema project {project.ProjectPath} does not build",
                details: errorLines.Count > 0 ? errorLines : lines,
                remedy: "Fix the errors above; Strata builds the project again when its sources change.");
        }

        var manifest = Record(project, json);
        manifest?.Write(project);
        return manifest;
    }

    private static async Task PumpAsync(StreamReader reader, StringBuilder into)
    {
        while (await reader.ReadLineAsync() is { } line)
            into.AppendLine(line);
    }

    /// <summary>
    /// The manifest from the build's JSON, or null when there is none to record (an SDK that does not print it,
    /// a project with several target frameworks, whose outer build compiles nothing): the next edit then builds in full.
    /// </summary>
    internal static CompileManifest? Record(SchemaProject project, string json)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException)
        {
            return null;
        }
        using (document)
        {
            if (!document.RootElement.TryGetProperty("Properties", out var propertiesElement)
                || !document.RootElement.TryGetProperty("Items", out var itemsElement))
                return null;

            var properties = propertiesElement.EnumerateObject()
                .ToDictionary(p => p.Name, p => p.Value.GetString() ?? "", StringComparer.Ordinal);
            List<JsonElement> Items(string name) =>
                itemsElement.TryGetProperty(name, out var items) ? items.EnumerateArray().ToList() : [];
            static string? Metadata(JsonElement item, string name) =>
                item.TryGetProperty(name, out var value) && value.GetString() is { Length: > 0 } text ? text : null;
            static string FullPath(JsonElement item) => Metadata(item, "FullPath") ?? Path.GetFullPath(Metadata(item, "Identity")!);

            var targetPath = properties.GetValueOrDefault("TargetPath", "");
            var compile = Items("Compile").Select(FullPath).ToList();
            if (targetPath.Length == 0 || compile.Count == 0)
                return null;

            var references = Items("ReferencePathWithRefAssemblies")
                .Select(item => new CompileReference(FullPath(item),
                    Metadata(item, "Aliases")?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList()))
                .ToList();
            var analyzers = Items("Analyzer").Select(FullPath).Distinct(StringComparer.Ordinal).ToList();
            var configFiles = Items("EditorConfigFiles").Select(FullPath).ToList();
            var referencedProjects = Items("ReferencePathWithRefAssemblies")
                .Where(item => Metadata(item, "ReferenceSourceTarget") == "ProjectReference")
                .Select(item => Metadata(item, "MSBuildSourceProjectFile"))
                .OfType<string>()
                .Distinct(StringComparer.Ordinal)
                .ToList();

            return new CompileManifest
            {
                TargetPath = targetPath,
                AssemblyName = properties.GetValueOrDefault("AssemblyName") is { Length: > 0 } name ? name : project.AssemblyName,
                CompileItems = compile,
                References = references,
                Analyzers = analyzers,
                AnalyzerConfigFiles = configFiles,
                Properties = properties,
                GlobbedSources = SourceScan.CSharpFiles(project.ProjectDirectory),
                Inputs = Inputs(project, properties, references, analyzers, configFiles, referencedProjects),
                FastPathBlocker = Blocker(properties, Items("EmbeddedResource").Count, Items("AdditionalFiles").Count),
            };
        }
    }

    private static List<FileStamp> Inputs(SchemaProject project, Dictionary<string, string> properties, List<CompileReference> references,
        List<string> analyzers, List<string> configFiles, List<string> referencedProjects)
    {
        var paths = new List<string> { project.ProjectPath };
        if (properties.GetValueOrDefault("ProjectAssetsFile") is { Length: > 0 } assets)
            paths.Add(assets);
        paths.AddRange(references.Select(r => r.Path));
        paths.AddRange(analyzers);
        paths.AddRange(configFiles);
        foreach (var directory in new[] { project.ProjectDirectory }.Concat(referencedProjects.Select(p => Path.GetDirectoryName(p)!)))
        {
            for (var folder = new DirectoryInfo(directory); folder is not null; folder = folder.Parent)
                paths.AddRange(ImportedFileNames.Select(name => Path.Combine(folder.FullName, name)));
        }
        var stamps = paths.Distinct(StringComparer.Ordinal).Select(FileStamp.Of).ToList();

        // A referenced project's sources: an edit, or a file added to one of its folders (the folder's stamp), needs
        // that project built again, which only the full build does.
        foreach (var referenced in referencedProjects)
        {
            var directory = Path.GetDirectoryName(referenced)!;
            stamps.AddRange(SourceScan.BuildSources(directory).Select(f => new FileStamp(f.FullName, f.Length, f.LastWriteTimeUtc.Ticks)));
            stamps.AddRange(SourceScan.Folders(directory).Select(FileStamp.OfFolder));
        }
        return stamps;
    }

    private static string? Blocker(Dictionary<string, string> properties, int embeddedResources, int additionalFiles)
    {
        if (embeddedResources > 0)
            return "the project embeds resources, which only `dotnet build` compiles in";
        if (additionalFiles > 0)
            return "the project gives its analyzers additional files, which only `dotnet build` passes on";
        if (string.Equals(properties.GetValueOrDefault("SignAssembly"), "true", StringComparison.OrdinalIgnoreCase))
            return "the project signs its assembly, which only `dotnet build` does";
        return null;
    }
}
