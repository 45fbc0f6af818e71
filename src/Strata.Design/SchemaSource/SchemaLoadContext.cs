using System.Reflection;
using System.Runtime.Loader;
using Strata.Dsl;

namespace Strata.Design.SchemaSource;

/// <summary>
/// Loads a schema assembly and its dependencies from its build folder, except Strata itself, which
/// resolves to the copy the CLI runs on: otherwise the user's class would implement a different
/// <see cref="ISchemaDefinition"/> type than the one the CLI looks for. Likewise Strata.Postgres and
/// Npgsql, for a seeder (<see cref="Postgres.Seeding.ISeeder"/>) and the connection the CLI hands it.
/// A collectible one (a watch, which loads each save's assembly and unloads the last) reads its assemblies
/// into memory instead of mapping their files: the next compile or build rewrites those files in place, which
/// would change the code under an assembly not yet collected.
/// </summary>
internal sealed class SchemaLoadContext : AssemblyLoadContext
{
    private static readonly Assembly StrataAssembly = typeof(ISchemaDefinition).Assembly;

    private static readonly Dictionary<string, Assembly> Shared = new[]
    {
        StrataAssembly, typeof(Postgres.Seeding.ISeeder).Assembly, typeof(Npgsql.NpgsqlConnection).Assembly,
    }.ToDictionary(a => a.GetName().Name!, StringComparer.Ordinal);

    private readonly AssemblyDependencyResolver _resolver;
    private readonly string _directory;

    public SchemaLoadContext(string assemblyPath, bool collectible = false) : base("strata-schema", isCollectible: collectible)
    {
        _resolver = new AssemblyDependencyResolver(assemblyPath);
        _directory = Path.GetDirectoryName(assemblyPath)!;
    }

    protected override Assembly? Load(AssemblyName assemblyName)
    {
        if (assemblyName.Name is { } name && Shared.TryGetValue(name, out var shared))
            return shared;
        var path = _resolver.ResolveAssemblyToPath(assemblyName);
        if (path is null)
        {
            var local = Path.Combine(_directory, assemblyName.Name + ".dll");
            path = File.Exists(local) ? local : null;
        }
        // Null lets the default context answer: framework assemblies and those the CLI already loaded.
        return path is null ? null : Load(path);
    }

    /// <summary>Loads the assembly at <paramref name="path"/> (with its .pdb beside it, for the line numbers of a stack trace).</summary>
    public Assembly Load(string path)
    {
        if (!IsCollectible)
            return LoadFromAssemblyPath(path);
        var pdb = Path.ChangeExtension(path, ".pdb");
        using var assembly = new MemoryStream(File.ReadAllBytes(path));
        using var symbols = File.Exists(pdb) ? new MemoryStream(File.ReadAllBytes(pdb)) : null;
        return LoadFromStream(assembly, symbols);
    }

    protected override IntPtr LoadUnmanagedDll(string unmanagedDllName)
    {
        var path = _resolver.ResolveUnmanagedDllToPath(unmanagedDllName);
        return path is null ? IntPtr.Zero : LoadUnmanagedDllFromPath(path);
    }
}
