using System.Reflection;
using Strata.Postgres.Configuration;
using Strata.Dsl;
using Strata.Model;
using Strata.Postgres.Seeding;

namespace Strata.Design.SchemaSource;

/// <summary>
/// Turns the schema project named in strata.json into a <see cref="DatabaseModel"/>: builds it when
/// its sources are newer than its assembly, loads the assembly, runs its <see cref="ISchemaDefinition"/>.
/// </summary>
public static class SchemaProjectLoader
{
    /// <param name="status">Told what is happening when it takes time (a build).</param>
    public static async Task<DatabaseModel> LoadAsync(StrataConfig config, Action<string> status, CancellationToken ct = default)
    {
        var project = SchemaProject.Read(config.SchemaProject);
        var assemblyPath = await EnsureBuiltAsync(project, status, ct);
        return Run(assemblyPath, config.SchemaType);
    }

    /// <summary>The path of an up-to-date assembly of <paramref name="project"/>, building it only when needed.</summary>
    public static async Task<string> EnsureBuiltAsync(SchemaProject project, Action<string> status, CancellationToken ct = default) =>
        (await EnsureCompiledAsync(project, status, ct)).AssemblyPath;

    // One per process: its references, source generators and parsed sources stay loaded from one compile to the next.
    internal static InProcessCompiler Compiler { get; } = new();

    /// <summary>How many source files the last in-process compile parsed: the others' syntax trees were kept from the compile before.</summary>
    public static int LastParsedFileCount => Compiler.LastParsedCount;

    private static Lazy<CompileServerClient?>? _compileServer;

    /// <summary>
    /// Compiles edits through a warm compile server instead of this process (the CLI does; without it, always
    /// in-process), the one <paramref name="client"/> gives when first needed; null from it: in-process. The server
    /// is started after a compile here, for the next command.
    /// </summary>
    public static void UseCompileServer(Func<CompileServerClient?> client) => _compileServer = new Lazy<CompileServerClient?>(client);

    private static CompileServerClient? CompileServer => _compileServer?.Value;

    /// <summary>
    /// An up-to-date assembly of <paramref name="project"/> and how it was made: not at all (up to date), compiled
    /// in-process (only the content of the sources the last full build compiled changed), or by `dotnet build`
    /// (anything else: no build yet, a source added or removed, the .csproj, an import, a package or a referenced project changed).
    /// </summary>
    public static async Task<SchemaCompileResult> EnsureCompiledAsync(SchemaProject project, Action<string> status, CancellationToken ct = default)
    {
        var manifest = CompileManifest.Read(project);
        var assembly = project.FindAssembly(manifest);
        var newest = project.NewestSource();
        var changedInput = manifest?.FirstChangedInput(project);
        var sourcesNewer = newest is not null && (assembly is null || newest.Value.WrittenUtc > File.GetLastWriteTimeUtc(assembly));
        if (assembly is not null && changedInput is null && !sourcesNewer)
            return new SchemaCompileResult(assembly, SchemaCompilePath.UpToDate);

        var reason = (changedInput ?? (newest is null ? "" : Path.GetRelativePath(project.ProjectDirectory, newest.Value.Path))) + " changed";
        if (manifest is not null && assembly is not null && changedInput is null)
        {
            var refusal = manifest.FastPathRefusal(project);
            if (refusal is null)
            {
                // One line whichever compiles it: the user sees the same output with or without a server.
                status($"Compiling {Path.GetFileName(project.ProjectPath)} ({reason})…");
                var served = CompileServer is { } server ? await server.TryCompileAsync(project, ct) : null;
                if (served is null)
                {
                    Compiler.Compile(project, manifest, ct);
                    await StartCompileServerAsync(project, ct);
                }
                StampAsCompiledFrom(manifest.TargetPath, newest);
                return served is null
                    ? new SchemaCompileResult(manifest.TargetPath, SchemaCompilePath.InProcess)
                    : new SchemaCompileResult(manifest.TargetPath, SchemaCompilePath.CompileServer, TimeSpan.FromMilliseconds(served.CpuMilliseconds));
            }
            reason = refusal;
        }

        status(assembly is null
            ? $"Building {Path.GetFileName(project.ProjectPath)} (no assembly yet)…"
            : $"Building {Path.GetFileName(project.ProjectPath)} ({reason})…");
        manifest = await FullBuild.RunAsync(project, ct);

        assembly = project.FindAssembly(manifest)
            ?? throw new SchemaSourceException($"the build of {project.ProjectPath} succeeded but {project.AssemblyName}.dll is not under bin/Debug",
                remedy: "Build the project in the Debug configuration, or set AssemblyName/TargetFramework in the .csproj itself.");

        StampAsCompiledFrom(assembly, newest);
        await StartCompileServerAsync(project, ct);
        return new SchemaCompileResult(assembly, SchemaCompilePath.FullBuild);
    }

    // After a compile here the user is editing: the next edit finds a warm server (started once, it serves every project).
    private static Task StartCompileServerAsync(SchemaProject project, CancellationToken ct) =>
        CompileServer?.EnsureStartedAsync(project, ct) ?? Task.CompletedTask;

    // The assembly is stamped exactly as new as the newest source seen before the compile or build. Not later: a source
    // saved while it compiled (a watch sees saves come that fast, and a build takes seconds) is then newer than the
    // assembly, though the assembly was written after it, and the next run compiles it. Not earlier: MSBuild skips
    // compiling when no compiled input changed (a touched .props, say), and a source's time can be ahead of the clock
    // (a copy, a file system of whole seconds); either would leave the next run compiling again for nothing.
    private static void StampAsCompiledFrom(string assembly, (string Path, DateTime WrittenUtc)? newest)
    {
        if (newest is not null)
            File.SetLastWriteTimeUtc(assembly, newest.Value.WrittenUtc);
    }

    /// <summary>
    /// Opens the in-process path to the next edit of <paramref name="project"/>, for a long-lived process (a watch): a full
    /// build when none is recorded (an assembly built before, or copied, without its manifest), so that the first save is
    /// compiled in-process rather than by `dotnet build`. False when the in-process path is not open to the project (its
    /// refusal is then the next compile's reason) or it does not build now (the save that fixes it builds).
    /// </summary>
    public static async Task<bool> EnsureRecordedAsync(SchemaProject project, Action<string> status, CancellationToken ct = default)
    {
        var manifest = CompileManifest.Read(project);
        if (manifest is null)
        {
            status($"Building {Path.GetFileName(project.ProjectPath)} once, to record what an in-process compile needs…");
            var newest = project.NewestSource();
            try
            {
                manifest = await FullBuild.RunAsync(project, ct);
                if (project.FindAssembly(manifest) is { } assembly)
                    StampAsCompiledFrom(assembly, newest);
            }
            catch (SchemaSourceException)
            {
                // It does not build now: the save that fixes it builds again.
                return false;
            }
        }
        return manifest is not null && manifest.FirstChangedInput(project) is null && manifest.FastPathRefusal(project) is null;
    }

    /// <summary>
    /// Compiles <paramref name="project"/> in-process once without writing anything, when the in-process path is open to
    /// it, so that the JIT-compiling of the compiler itself (seconds on a busy machine) is not paid by the first edit.
    /// </summary>
    public static void WarmUpCompiler(SchemaProject project, CancellationToken ct = default)
    {
        var manifest = CompileManifest.Read(project);
        if (manifest is null || manifest.FirstChangedInput(project) is not null || manifest.FastPathRefusal(project) is not null)
            return;
        try
        {
            Compiler.Compile(project, manifest, ct, write: false);
        }
        catch (SchemaSourceException)
        {
            // The sources do not compile now: the save that fixes them reports it.
        }
    }

    /// <summary>Loads the assembly, finds the one schema definition (or <paramref name="schemaType"/>) and builds the model.</summary>
    public static DatabaseModel Run(string assemblyPath, string? schemaType) =>
        // Not collectible: the CLI runs one command and exits, and the runtime ignores ReadyToRun code
        // in collectible contexts (dotnet/runtime#40704), which would make a precompiled schema JIT again.
        Run(new SchemaLoadContext(assemblyPath), assemblyPath, schemaType);

    /// <summary>
    /// As <see cref="Run(string, string?)"/>, in a collectible context that is unloaded as soon as the model is built
    /// (the model holds nothing of the assembly), so a long-lived process (a watch) loads each save's assembly
    /// without keeping the ones before. <paramref name="unloaded"/> tracks the context, to tell when it is collected.
    /// </summary>
    public static DatabaseModel RunUnloadable(string assemblyPath, string? schemaType, out WeakReference unloaded)
    {
        var context = new SchemaLoadContext(assemblyPath, collectible: true);
        unloaded = new WeakReference(context, trackResurrection: true);
        try
        {
            return Run(context, assemblyPath, schemaType);
        }
        finally
        {
            context.Unload();
        }
    }

    private static DatabaseModel Run(SchemaLoadContext context, string assemblyPath, string? schemaType)
    {
        Assembly assembly;
        try
        {
            assembly = context.Load(assemblyPath);
        }
        catch (BadImageFormatException e)
        {
            throw new SchemaSourceException($"{assemblyPath} is not a .NET assembly", inner: e);
        }

        var definitionType = FindDefinitionType(assembly, assemblyPath, schemaType);
        ISchemaDefinition definition;
        try
        {
            definition = (ISchemaDefinition)Activator.CreateInstance(definitionType)!;
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            throw new SchemaSourceException($"the constructor of {definitionType.FullName} threw {e.InnerException.GetType().Name}: {e.InnerException.Message}", inner: e.InnerException);
        }

        try
        {
            return SchemaBuilder.Build(definition);
        }
        catch (SchemaValidationException e)
        {
            throw new SchemaSourceException(
                $"the schema in {definitionType.FullName} has {e.Errors.Count} problem{(e.Errors.Count == 1 ? "" : "s")}; nothing was written",
                details: e.Errors.Select(error => error.ToString()).ToList(),
                remedy: "Fix them in the schema project and run the command again.",
                inner: e);
        }
        catch (Exception e) when (e is not SchemaSourceException)
        {
            throw new SchemaSourceException($"{definitionType.FullName}.Define threw {e.GetType().Name}: {e.Message}",
                details: UserFrames(e), remedy: "Run again with --verbose for the whole stack trace.", inner: e);
        }
    }

    /// <summary>Builds the schema project when stale and creates the <see cref="ISeeder"/> class named <paramref name="typeName"/> in it.</summary>
    public static async Task<ISeeder> CreateSeederAsync(StrataConfig config, string typeName, Action<string> status, CancellationToken ct = default)
    {
        var assemblyPath = await EnsureBuiltAsync(SchemaProject.Read(config.SchemaProject), status, ct);
        var assembly = new SchemaLoadContext(assemblyPath).LoadFromAssemblyPath(assemblyPath);
        var type = assembly.GetType(typeName, throwOnError: false);
        if (type is null || !typeof(ISeeder).IsAssignableFrom(type) || type.IsAbstract)
        {
            var seeders = LoadableTypes(assembly).Where(t => t is { IsClass: true, IsAbstract: false } && typeof(ISeeder).IsAssignableFrom(t)).Select(t => t.FullName!).Order(StringComparer.Ordinal).ToList();
            throw new SchemaSourceException(
                type is null
                    ? $"\"seed\" in {config.ConfigPath} is \"{typeName}\": there is no folder {Path.GetFullPath(typeName, config.ProjectRoot)}, and {Path.GetFileName(assemblyPath)} has no class of that full name"
                    : $"\"seed\" in {config.ConfigPath} names {typeName}, which is not a class implementing Strata.Postgres.Seeding.ISeeder",
                details: seeders,
                remedy: seeders.Count > 0
                    ? "Name one of the seeders listed above, or a folder of .sql files relative to strata.json."
                    : "Write a seeder in the schema project (public sealed class DevSeed : ISeeder { public async Task SeedAsync(SeedContext context, CancellationToken ct) { … } }, with a reference to Strata.Postgres), or name a folder of .sql files relative to strata.json.");
        }
        try
        {
            return (ISeeder)Activator.CreateInstance(RequireConstructor(type, "seed the database"))!;
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            throw new SchemaCodeFailedException($"the constructor of {type.FullName} threw {e.InnerException.GetType().Name}: {e.InnerException.Message}", e.InnerException);
        }
    }

    private static Type[] LoadableTypes(Assembly assembly)
    {
        try
        {
            return assembly.GetTypes();
        }
        catch (ReflectionTypeLoadException e)
        {
            return e.Types.OfType<Type>().ToArray();
        }
    }

    private static Type FindDefinitionType(Assembly assembly, string assemblyPath, string? schemaType)
    {
        var candidates = LoadableTypes(assembly)
            .Where(t => t is { IsClass: true, IsAbstract: false } && typeof(ISchemaDefinition).IsAssignableFrom(t))
            .OrderBy(t => t.FullName, StringComparer.Ordinal)
            .ToList();

        if (schemaType is not null)
        {
            var named = candidates.FirstOrDefault(t => t.FullName == schemaType);
            if (named is not null)
                return RequireConstructor(named);
            throw new SchemaSourceException(
                $"\"schemaType\" in strata.json names {schemaType}, but {Path.GetFileName(assemblyPath)} has no such ISchemaDefinition class",
                details: candidates.Select(t => t.FullName!).ToList(),
                remedy: candidates.Count > 0 ? "Use one of the classes listed above." : null);
        }

        return candidates.Count switch
        {
            1 => RequireConstructor(candidates[0]),
            0 => throw new SchemaSourceException(
                $"{Path.GetFileName(assemblyPath)} has no public class implementing Strata.Dsl.ISchemaDefinition",
                remedy: "Add one: public sealed class AppSchema : ISchemaDefinition { public void Define(SchemaBuilder db) { … } }"),
            _ => throw new SchemaSourceException(
                $"{Path.GetFileName(assemblyPath)} has {candidates.Count} ISchemaDefinition classes; Strata needs to know which one describes the database",
                details: candidates.Select(t => t.FullName!).ToList(),
                remedy: $"Add \"schemaType\": \"{candidates[0].FullName}\" (or another of them) to strata.json."),
        };
    }

    private static Type RequireConstructor(Type type, string purpose = "read the schema") =>
        type.GetConstructor(Type.EmptyTypes) is not null
            ? type
            : throw new SchemaSourceException($"{type.FullName} needs a public parameterless constructor: Strata creates it to {purpose}");

    // The frames of the user's own code tell where the mistake is; the DSL's frames do not.
    private static List<string> UserFrames(Exception e) =>
        (e.StackTrace ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(f => !f.Contains(" Strata.", StringComparison.Ordinal) && !f.Contains(" System.", StringComparison.Ordinal))
            .Take(5)
            .ToList();
}

/// <summary>How <see cref="SchemaProjectLoader.EnsureCompiledAsync"/> made the assembly up to date.</summary>
public enum SchemaCompilePath
{
    /// <summary>It was: nothing was compiled.</summary>
    UpToDate,

    /// <summary>Compiled with Roslyn in this process, from what the last full build recorded.</summary>
    InProcess,

    /// <summary>Compiled as <see cref="InProcess"/> but by the warm <see cref="SchemaSource.CompileServer"/> of an earlier command.</summary>
    CompileServer,

    /// <summary>`dotnet build`, which also recorded what the compiler got, for the next edit's in-process compile.</summary>
    FullBuild,
}

/// <summary>The up-to-date schema assembly and how it was made.</summary>
/// <param name="CompileServerCpu">The CPU time the compile server spent on it (<see cref="SchemaCompilePath.CompileServer"/> only).</param>
public sealed record SchemaCompileResult(string AssemblyPath, SchemaCompilePath How, TimeSpan? CompileServerCpu = null);
