using System.Reflection;
using System.Runtime.Loader;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Strata.CodeGeneration;
using Strata.Dsl;
using Strata.Model;

namespace Strata.Tests.CodeGeneration;

/// <summary>
/// Writes models as C#, compiles all of them in one in-memory compilation (as a schema project would:
/// nullable on, warnings reported) and builds each back through the DSL.
/// </summary>
internal static class GeneratedSchemas
{
    private static readonly Lazy<MetadataReference[]> References = new(() =>
    {
        var platform = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Select(path => MetadataReference.CreateFromFile(path));
        return [.. platform, MetadataReference.CreateFromFile(typeof(SchemaBuilder).Assembly.Location)];
    });

    /// <summary>The model each written schema builds, in the order given; compile errors and warnings fail the test.</summary>
    public static IReadOnlyList<DatabaseModel> RoundTrip(IReadOnlyList<DatabaseModel> models, int tablesPerFile = 50)
    {
        var written = models.Select((model, i) => CSharpSchemaWriter.Write(model, $"Generated.Schema{i}", "AppSchema", tablesPerFile)).ToList();
        var assembly = Compile(written.SelectMany((files, i) => files.Select(f => (Path: $"Schema{i}/{f.FileName}", f.Content))));
        return written.Select((_, i) =>
        {
            var type = assembly.GetType($"Generated.Schema{i}.AppSchema", throwOnError: true)!;
            return SchemaBuilder.Build((ISchemaDefinition)Activator.CreateInstance(type)!);
        }).ToList();
    }

    public static Assembly Compile(IEnumerable<(string Path, string Content)> files)
    {
        var parseOptions = new CSharpParseOptions(LanguageVersion.Latest);
        var trees = files.Select(f => CSharpSyntaxTree.ParseText(f.Content, parseOptions, f.Path)).ToList();
        var compilation = CSharpCompilation.Create(
            "GeneratedSchemas" + Guid.NewGuid().ToString("N"),
            trees,
            References.Value,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        using var stream = new MemoryStream();
        var result = compilation.Emit(stream);
        var problems = result.Diagnostics.Where(d => d.Severity >= DiagnosticSeverity.Warning).ToList();
        if (problems.Count > 0)
        {
            var shown = problems.Take(10).Select(d =>
            {
                var tree = d.Location.SourceTree;
                var line = d.Location.GetLineSpan().StartLinePosition.Line;
                var text = tree is null ? "" : "\n    " + tree.GetText().Lines[line].ToString();
                return d + text;
            });
            Assert.Fail($"The written C# does not compile cleanly ({problems.Count} problems):\n" + string.Join("\n", shown));
        }
        stream.Position = 0;
        return new AssemblyLoadContext(null, isCollectible: true).LoadFromStream(stream);
    }
}
