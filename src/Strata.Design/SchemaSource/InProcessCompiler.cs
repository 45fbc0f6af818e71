using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Globalization;
using System.Reflection;
using System.Runtime.Loader;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Emit;
using Microsoft.CodeAnalysis.Text;

namespace Strata.Design.SchemaSource;

/// <summary>
/// Compiles a schema project with Roslyn in this process, from what its last full build recorded
/// (<see cref="CompileManifest"/>): the same sources, references, options and source generators, so the
/// assembly is the one `dotnet build` would give, written where the build writes it. An instance keeps its
/// references and generators loaded, and the syntax trees of the sources it parsed, so a long-lived one (a watch)
/// compiles the next edit warm, parsing again only the files whose text changed.
/// </summary>
internal sealed class InProcessCompiler
{
    private readonly ConcurrentDictionary<FileStamp, MetadataReference> _references = new();
    private readonly ConcurrentDictionary<string, SyntaxTree> _trees = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ImmutableArray<ISourceGenerator>> _generators = new(StringComparer.Ordinal);
    private readonly GeneratorAssemblyLoader _generatorLoader = new();

    /// <summary>Compiles and writes <see cref="CompileManifest.TargetPath"/> (and its .pdb); throws <see cref="SchemaSourceException"/> listing the compiler's errors.</summary>
    /// <param name="write">False to compile without writing (a warm-up, the watch's or the compile server's, which leaves the instance's state as a compile does: another process may have the assembly loaded).</param>
    public void Compile(SchemaProject project, CompileManifest manifest, CancellationToken ct = default, bool write = true)
    {
        var properties = manifest.Properties;
        var parseOptions = ParseOptions(properties);
        _parsed = 0;
        var trees = manifest.CompileItems
            .AsParallel().AsOrdered()
            .Select(path => Parse(path, parseOptions, ct))
            .ToList();
        LastParsedCount = _parsed;

        var configSet = AnalyzerConfigSet.Create(manifest.AnalyzerConfigFiles
            .Where(File.Exists)
            .Select(path => AnalyzerConfig.Parse(SourceText.From(File.ReadAllText(path)), path))
            .ToImmutableArray());

        var compilation = CSharpCompilation.Create(
            manifest.AssemblyName,
            trees,
            manifest.References.Select(Reference),
            CompilationOptions(properties).WithSyntaxTreeOptionsProvider(new ConfigTreeOptions(configSet)));

        var generators = manifest.Analyzers.Where(path => MayGenerate(path, trees)).SelectMany(path => Generators(path)).ToImmutableArray();
        var diagnostics = ImmutableArray<Diagnostic>.Empty;
        if (generators.Length > 0)
        {
            GeneratorDriver driver = CSharpGeneratorDriver.Create(generators, [], parseOptions, new ConfigOptionsProvider(configSet));
            driver.RunGeneratorsAndUpdateCompilation(compilation, out var generated, out diagnostics, ct);
            compilation = (CSharpCompilation)generated;
        }

        var pdbPath = Path.ChangeExtension(manifest.TargetPath, ".pdb");
        var debugType = properties.GetValueOrDefault("DebugType", "portable");
        var pdbFormat = string.Equals(debugType, "embedded", StringComparison.OrdinalIgnoreCase) ? DebugInformationFormat.Embedded : DebugInformationFormat.PortablePdb;
        var writePdb = pdbFormat == DebugInformationFormat.PortablePdb && !string.Equals(debugType, "none", StringComparison.OrdinalIgnoreCase);
        using var assembly = new MemoryStream();
        using var pdb = new MemoryStream();
        var result = compilation.Emit(assembly, writePdb ? pdb : null,
            options: new EmitOptions(debugInformationFormat: pdbFormat, pdbFilePath: pdbPath), cancellationToken: ct);

        var errors = diagnostics.Concat(result.Diagnostics).Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        if (!result.Success || errors.Count > 0)
        {
            throw new SchemaSourceException(
                $"the schema project {project.ProjectPath} does not build",
                // The format `dotnet build` prints: path(line,col): error CSxxxx: message.
                details: errors.Select(e => e.ToString()).Distinct().ToList(),
                remedy: "Fix the errors above; Strata builds the project again when its sources change.");
        }

        if (!write)
            return;

        // Written only once it compiled: a failed compile leaves the last good assembly (and the next run, seeing
        // the sources newer than it, compiles again).
        Directory.CreateDirectory(Path.GetDirectoryName(manifest.TargetPath)!);
        File.WriteAllBytes(manifest.TargetPath, assembly.ToArray());
        if (writePdb)
            File.WriteAllBytes(pdbPath, pdb.ToArray());
    }

    /// <summary>The number of source files the last <see cref="Compile"/> parsed (the others' trees were kept from before).</summary>
    public int LastParsedCount { get; private set; }

    private int _parsed;

    private SyntaxTree Parse(string path, CSharpParseOptions options, CancellationToken ct)
    {
        SourceText text;
        using (var stream = File.OpenRead(path))
        {
            // SHA-256 as the SDK's compile: the checksum a debugger matches against the .pdb.
            text = SourceText.From(stream, Encoding.UTF8, SourceHashAlgorithm.Sha256);
        }
        // Compared by content, not by the file's time: an editor that saves twice, or a save with nothing changed,
        // must not cost a parse, and a file rewritten within the clock's resolution must not be missed.
        if (_trees.TryGetValue(path, out var kept) && kept.Options.Equals(options) && kept.GetText(ct).ContentEquals(text))
            return kept;
        Interlocked.Increment(ref _parsed);
        var tree = CSharpSyntaxTree.ParseText(text, options, path, ct);
        _trees[path] = tree;
        return tree;
    }

    private static CSharpParseOptions ParseOptions(Dictionary<string, string> properties)
    {
        var languageVersion = LanguageVersion.Default;
        if (properties.GetValueOrDefault("LangVersion") is { Length: > 0 } lang && !LanguageVersionFacts.TryParse(lang, out languageVersion))
            languageVersion = LanguageVersion.Default;
        var symbols = List(properties, "DefineConstants");
        // Doc comments are diagnosed only where the build writes a documentation file (CS1591 and friends).
        var documentation = properties.GetValueOrDefault("DocumentationFile") is { Length: > 0 } ? DocumentationMode.Diagnose : DocumentationMode.Parse;
        return new CSharpParseOptions(languageVersion, documentation, SourceCodeKind.Regular, symbols);
    }

    private static CSharpCompilationOptions CompilationOptions(Dictionary<string, string> properties)
    {
        var outputKind = properties.GetValueOrDefault("OutputType", "Library").ToLowerInvariant() switch
        {
            "exe" => OutputKind.ConsoleApplication,
            "winexe" => OutputKind.WindowsApplication,
            "module" => OutputKind.NetModule,
            _ => OutputKind.DynamicallyLinkedLibrary,
        };
        var nullable = properties.GetValueOrDefault("Nullable", "").ToLowerInvariant() switch
        {
            "enable" => NullableContextOptions.Enable,
            "warnings" => NullableContextOptions.Warnings,
            "annotations" => NullableContextOptions.Annotations,
            _ => NullableContextOptions.Disable,
        };
        var platform = properties.GetValueOrDefault("PlatformTarget", "").ToLowerInvariant() switch
        {
            "x64" => Platform.X64,
            "x86" => Platform.X86,
            "arm64" => Platform.Arm64,
            "anycpu32bitpreferred" => Platform.AnyCpu32BitPreferred,
            _ => Platform.AnyCpu,
        };

        var specific = new Dictionary<string, ReportDiagnostic>(StringComparer.Ordinal);
        var warningsAsErrors = IsTrue(properties, "TreatWarningsAsErrors");
        foreach (var id in List(properties, "WarningsAsErrors"))
            specific[DiagnosticId(id)] = ReportDiagnostic.Error;
        foreach (var id in List(properties, "WarningsNotAsErrors"))
            specific[DiagnosticId(id)] = ReportDiagnostic.Warn;
        foreach (var id in List(properties, "NoWarn"))
            specific[DiagnosticId(id)] = ReportDiagnostic.Suppress;

        var warningLevel = int.TryParse(properties.GetValueOrDefault("WarningLevel"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var level) ? level : 4;
        return new CSharpCompilationOptions(
            outputKind,
            optimizationLevel: IsTrue(properties, "Optimize") ? OptimizationLevel.Release : OptimizationLevel.Debug,
            checkOverflow: IsTrue(properties, "CheckForOverflowUnderflow"),
            allowUnsafe: IsTrue(properties, "AllowUnsafeBlocks"),
            platform: platform,
            generalDiagnosticOption: warningsAsErrors ? ReportDiagnostic.Error : ReportDiagnostic.Default,
            warningLevel: warningLevel,
            specificDiagnosticOptions: specific,
            deterministic: !string.Equals(properties.GetValueOrDefault("Deterministic"), "false", StringComparison.OrdinalIgnoreCase),
            nullableContextOptions: nullable);
    }

    // MSBuild's NoWarn lists bare numbers (1701) for the compiler's own diagnostics.
    private static string DiagnosticId(string id) => id.All(char.IsAsciiDigit) ? "CS" + id.PadLeft(4, '0') : id;

    private static bool IsTrue(Dictionary<string, string> properties, string name) =>
        string.Equals(properties.GetValueOrDefault(name), "true", StringComparison.OrdinalIgnoreCase);

    private static List<string> List(Dictionary<string, string> properties, string name) =>
        properties.GetValueOrDefault(name, "").Split([';', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();

    private MetadataReference Reference(CompileReference reference)
    {
        // Keyed by the file's stamp: a reference rebuilt since (a watch that outlived a full build) is read again.
        var loaded = _references.GetOrAdd(FileStamp.Of(reference.Path), stamp => MetadataReference.CreateFromFile(stamp.Path));
        return reference.Aliases is { Count: > 0 } aliases ? loaded.WithAliases(aliases) : loaded;
    }

    /// <summary>
    /// The .NET SDK's own source generators and the attributes that start each: one whose attribute no source names
    /// generates nothing. Running them anyway is what costs most in a small project's compile (each JIT-compiles
    /// Roslyn's incremental pipeline for its own types: ~10,000 methods for these five), so they run only when named.
    /// Any other generator always runs.
    /// </summary>
    private static readonly Dictionary<string, string[]> AttributeDrivenGenerators = new(StringComparer.OrdinalIgnoreCase)
    {
        ["System.Text.RegularExpressions.Generator"] = ["GeneratedRegex"],
        ["System.Text.Json.SourceGeneration"] = ["JsonSerializable"],
        ["Microsoft.Interop.LibraryImportGenerator"] = ["LibraryImport"],
        ["Microsoft.Interop.JavaScript.JSImportGenerator"] = ["JSImport", "JSExport"],
        ["Microsoft.Interop.ComInterfaceGenerator"] = ["GeneratedComInterface", "GeneratedComClass", "VirtualMethodIndex"],
        ["Microsoft.Extensions.Logging.Generators"] = ["LoggerMessage"],
        ["Microsoft.Extensions.Options.SourceGeneration"] = ["OptionsValidator"],
    };

    private static bool MayGenerate(string analyzerPath, List<SyntaxTree> trees) =>
        !AttributeDrivenGenerators.TryGetValue(Path.GetFileNameWithoutExtension(analyzerPath), out var attributes)
        || trees.Any(tree => attributes.Any(attribute => tree.GetText().ToString().Contains(attribute, StringComparison.Ordinal)));

    /// <summary>
    /// The source generators of one analyzer assembly. Roslyn finds them from the assembly's metadata and loads
    /// only an assembly that has some: the diagnostic-only analyzers (NetAnalyzers) are never loaded, and not run.
    /// </summary>
    private ImmutableArray<ISourceGenerator> Generators(string analyzerPath) =>
        _generators.GetOrAdd(analyzerPath, path =>
        {
            if (!File.Exists(path))
                return [];
            _generatorLoader.AddDependencyLocation(path);
            return new AnalyzerFileReference(path, _generatorLoader).GetGenerators(LanguageNames.CSharp);
        });

    /// <summary>
    /// Loads source generators (and the assemblies beside them) in a context of their own; Roslyn itself
    /// resolves to the copy this process runs, as the compiler shares its own with the generators it loads.
    /// </summary>
    private sealed class GeneratorAssemblyLoader : IAnalyzerAssemblyLoader
    {
        private readonly Context _context = new();

        public void AddDependencyLocation(string fullPath) => _context.Add(fullPath);

        public Assembly LoadFromPath(string fullPath)
        {
            _context.Add(fullPath);
            return _context.LoadFromAssemblyPath(fullPath);
        }

        private sealed class Context() : AssemblyLoadContext("strata-source-generators")
        {
            private readonly ConcurrentDictionary<string, string> _byName = new(StringComparer.OrdinalIgnoreCase);

            public void Add(string path) => _byName.TryAdd(Path.GetFileNameWithoutExtension(path), path);

            protected override Assembly? Load(AssemblyName assemblyName)
            {
                if (assemblyName.Name is not { } name || name.StartsWith("Microsoft.CodeAnalysis", StringComparison.Ordinal))
                    return null;
                if (_byName.TryGetValue(name, out var path))
                    return LoadFromAssemblyPath(path);
                var beside = _byName.Values.Select(p => Path.Combine(Path.GetDirectoryName(p)!, name + ".dll")).FirstOrDefault(File.Exists);
                return beside is null ? null : LoadFromAssemblyPath(beside);
            }
        }
    }

    /// <summary>The .editorconfig/.globalconfig severities of compiler diagnostics, per source file, as the build applies them.</summary>
    private sealed class ConfigTreeOptions(AnalyzerConfigSet configs) : SyntaxTreeOptionsProvider
    {
        private readonly ConcurrentDictionary<string, AnalyzerConfigOptionsResult> _byPath = new(StringComparer.Ordinal);

        private AnalyzerConfigOptionsResult For(SyntaxTree tree) => _byPath.GetOrAdd(tree.FilePath, configs.GetOptionsForSourcePath);

        public override GeneratedKind IsGenerated(SyntaxTree tree, CancellationToken cancellationToken) => GeneratedKind.Unknown;

        public override bool TryGetDiagnosticValue(SyntaxTree tree, string diagnosticId, CancellationToken cancellationToken, out ReportDiagnostic severity) =>
            For(tree).TreeOptions.TryGetValue(diagnosticId, out severity);

        public override bool TryGetGlobalDiagnosticValue(string diagnosticId, CancellationToken cancellationToken, out ReportDiagnostic severity) =>
            configs.GlobalConfigOptions.TreeOptions.TryGetValue(diagnosticId, out severity);
    }

    /// <summary>What source generators read of the build (build_property.RootNamespace, …): the build's generated .editorconfig.</summary>
    private sealed class ConfigOptionsProvider(AnalyzerConfigSet configs) : AnalyzerConfigOptionsProvider
    {
        public override AnalyzerConfigOptions GlobalOptions { get; } = new Options(configs.GlobalConfigOptions.AnalyzerOptions);

        public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => new Options(configs.GetOptionsForSourcePath(tree.FilePath).AnalyzerOptions);

        public override AnalyzerConfigOptions GetOptions(AdditionalText textFile) => new Options(configs.GetOptionsForSourcePath(textFile.Path).AnalyzerOptions);

        private sealed class Options(ImmutableDictionary<string, string> values) : AnalyzerConfigOptions
        {
            public override bool TryGetValue(string key, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out string? value) => values.TryGetValue(key, out value);

            public override IEnumerable<string> Keys => values.Keys;
        }
    }
}
