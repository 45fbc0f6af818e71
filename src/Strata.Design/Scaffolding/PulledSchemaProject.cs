using Strata.CodeGeneration;
using Strata.Design.SchemaSource;
using Strata.Model;
using Strata.Postgres.Configuration;
using Strata.Postgres.Introspection;
using Strata.Postgres.Migrations;

namespace Strata.Design.Scaffolding;

/// <summary>What <c>strata pull</c> does to one file of the project.</summary>
/// <param name="Path">The file's full path.</param>
/// <param name="Content">The new text; null to delete the file (strata init's example, or with --force another C# file).</param>
/// <param name="Conflict">The file holds something else that pull would replace.</param>
/// <param name="What">What happens to it, for the output: written, unchanged, replaced, removed, removed (strata init's example), ...</param>
public sealed record PulledFile(string Path, string? Content, bool Conflict, string What);

/// <summary>
/// A pulled table that needs a table left out of the pull (<see cref="PulledSchemaProject.ReferencesOutside"/>): by a
/// foreign key, as a parent it inherits from, or as the partitioned table it is a partition of.
/// </summary>
/// <param name="Reference">How, in words that read between the two names: "foreign key orders_customer_id_fkey references", "inherits from", "is a partition of".</param>
public sealed record ReferenceOutside(QualifiedName Table, string Reference, QualifiedName ReferencedTable)
{
    public override string ToString() => $"{Table}: {Reference} {ReferencedTable}";
}

/// <summary>What <see cref="PulledSchemaProject.WriteAsync"/> wrote.</summary>
/// <param name="RemovedMigrations">The folders of the migrations that were in the folder before, removed.</param>
public sealed record PulledProject(IReadOnlyList<PulledFile> Files, IReadOnlyList<string> RemovedMigrations, WrittenMigration Baseline);

/// <summary>
/// The files <c>strata pull</c> writes into a project for a database it read: the schema project's C# (written
/// by <see cref="CSharpSchemaWriter"/>, the other C# files of the project removed, since a second definition
/// would clash), strata init's untouched example seed removed, and the baseline migration (the same writer as
/// generate), after the migrations already in the folder.
/// </summary>
public static class PulledSchemaProject
{
    /// <summary>The namespace and class to write: strata.json's "schemaType", else the project's name (init's convention: App.Schema, AppSchema).</summary>
    public static (string Namespace, string ClassName) ClassName(StrataConfig config, SchemaProject project)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(project);
        if (config.SchemaType is { } type && type.LastIndexOf('.') is var dot and > 0)
            return (type[..dot], type[(dot + 1)..]);
        var projectName = Path.GetFileNameWithoutExtension(project.ProjectPath);
        var name = projectName.EndsWith(".Schema", StringComparison.Ordinal) ? projectName[..^".Schema".Length] : projectName;
        var @namespace = ProjectScaffold.NameProblem(projectName) is null ? projectName : ProjectScaffold.NameFromFolder(projectName);
        return (@namespace, ProjectScaffold.NameFromFolder(name[(name.LastIndexOf('.') + 1)..]) + "Schema");
    }

    /// <summary>
    /// The foreign keys, INHERITS parents and PARTITION OF parents of <paramref name="model"/>'s tables that name a
    /// table the model does not hold: a pull of some tables or schemas (<c>--table</c>, <c>--schema</c>) that leaves
    /// out a table they need, which the C# schema could not name. Empty when the selection is closed.
    /// </summary>
    public static IReadOnlyList<ReferenceOutside> ReferencesOutside(DatabaseModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var tables = model.Tables.Select(t => t.QualifiedName).ToHashSet();
        var outside = new List<ReferenceOutside>();
        foreach (var table in model.Tables)
        {
            foreach (var foreignKey in table.ForeignKeys)
            {
                if (!tables.Contains(foreignKey.ReferencedTable))
                    outside.Add(new ReferenceOutside(table.QualifiedName, $"foreign key {foreignKey.Name} references", foreignKey.ReferencedTable));
            }
            foreach (var parent in table.Inherits.Where(p => !tables.Contains(p)))
                outside.Add(new ReferenceOutside(table.QualifiedName, "inherits from", parent));
            if (table.PartitionOf is { } partitioned && !tables.Contains(partitioned))
                outside.Add(new ReferenceOutside(table.QualifiedName, "is a partition of", partitioned));
        }
        return outside;
    }

    /// <summary>
    /// What happens to each C# file of the schema project for <paramref name="model"/>: the written ones created
    /// or replaced, and the others deleted; then init's example seed, removed while untouched. Replacing strata
    /// init's untouched example, or a file with the very text pull writes, is no conflict. Reads the disk, writes nothing.
    /// </summary>
    public static IReadOnlyList<PulledFile> PlanFiles(StrataConfig config, SchemaProject project, DatabaseModel model)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(project);
        ArgumentNullException.ThrowIfNull(model);
        var (@namespace, className) = ClassName(config, project);
        var plan = PlanFiles(project, CSharpSchemaWriter.Write(model, @namespace, className), @namespace, className);
        if (UntouchedExampleSeed(config, model) is { } exampleSeed)
            plan.Add(new PulledFile(exampleSeed, null, false, "removed (strata init's example seed)"));
        return plan;
    }

    /// <summary>
    /// Writes <paramref name="files"/> as planned, removes the migrations already in <paramref name="directory"/>
    /// (and its strata.sum), then writes the <paramref name="baseline"/> (<see cref="MigrationWriter.RenderBaseline"/>).
    /// </summary>
    public static async Task<PulledProject> WriteAsync(IReadOnlyList<PulledFile> files, MigrationDirectory directory, RenderedBaseline baseline, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(files);
        ArgumentNullException.ThrowIfNull(directory);
        ArgumentNullException.ThrowIfNull(baseline);
        // Removals first: on a case-insensitive file system init's fooSchema.cs is the FooSchema.cs pull writes.
        foreach (var file in files.Where(f => f.Content is null))
            File.Delete(file.Path);
        foreach (var file in files)
        {
            if (file.Content is not null)
                await File.WriteAllTextAsync(file.Path, file.Content, ct);
        }
        var removedMigrations = directory.Migrations.Select(m => m.FolderPath).ToList();
        if (removedMigrations.Count > 0)
        {
            foreach (var folder in removedMigrations)
                Directory.Delete(folder, recursive: true);
            File.Delete(directory.SumPath);
            directory = await MigrationDirectory.LoadAsync(directory.Path, ct);
        }
        return new PulledProject(files, removedMigrations, await MigrationWriter.WriteBaselineAsync(directory, baseline, ct));
    }

    private static List<PulledFile> PlanFiles(SchemaProject project, IReadOnlyList<SourceFile> files, string @namespace, string className)
    {
        var folder = project.ProjectDirectory;
        var projectName = @namespace.EndsWith(".Schema", StringComparison.Ordinal) ? @namespace[..^".Schema".Length] : @namespace;
        // init names its class after the project as given (foo → fooSchema), pull in PascalCase (FooSchema): either is init's example.
        string[] examples = [ProjectScaffold.SchemaClass(projectName, className), ProjectScaffold.SchemaClass(projectName, ProjectScaffold.SchemaClassName(projectName))];
        bool Untouched(string text) => examples.Contains(text.ReplaceLineEndings("\n"), StringComparer.Ordinal);
        var existing = Directory.EnumerateFiles(folder, "*.cs", SearchOption.AllDirectories)
            .Where(path => !IsBuildOutput(folder, path))
            .ToDictionary(path => Path.GetFullPath(path), File.ReadAllText, StringComparer.Ordinal);

        var plan = new List<PulledFile>();
        foreach (var file in files)
        {
            var path = Path.GetFullPath(Path.Combine(folder, file.FileName));
            var conflict = existing.Remove(path, out var text) && text != file.Content && !Untouched(text);
            plan.Add(new PulledFile(path, file.Content, conflict, text is null ? "written" : text == file.Content ? "unchanged" : "replaced"));
        }
        foreach (var (path, text) in existing)
            plan.Add(new PulledFile(path, null, !Untouched(text), Untouched(text) ? "removed (strata init's example)" : "removed"));
        return plan;
    }

    /// <summary>
    /// init's example seed inserts into its example table, which a pulled database does not have: left in
    /// place, the first strata seed would fail. Removed while untouched.
    /// </summary>
    private static string? UntouchedExampleSeed(StrataConfig config, DatabaseModel model)
    {
        var path = Path.GetFullPath(Path.Combine(config.ProjectRoot, ProjectScaffold.ExampleSeedPath));
        return File.Exists(path)
            && File.ReadAllText(path).ReplaceLineEndings("\n") == ProjectScaffold.ExampleSeed()
            && model.FindTable(new QualifiedName(QualifiedName.DefaultSchema, ProjectScaffold.ExampleTable)) is null
            ? path
            : null;
    }

    private static bool IsBuildOutput(string folder, string path)
    {
        var relative = Path.GetRelativePath(folder, path).Replace('\\', '/');
        return relative.StartsWith("bin/", StringComparison.Ordinal) || relative.StartsWith("obj/", StringComparison.Ordinal);
    }
}
