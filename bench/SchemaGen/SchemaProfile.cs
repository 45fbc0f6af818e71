using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Runtime.Loader;
using Strata.Diffing;
using Strata.Dsl;
using Strata.Model;
using Strata.Postgres.Sql;
using Strata.Snapshots;

namespace Strata.Bench.SchemaGen;

/// <summary>
/// Where the time of a generate goes, stage by stage, in one cold process (as `strata generate` runs):
/// loading and running the schema definition, diffing, rendering SQL, and the snapshot JSON, for the
/// fresh case and then for the change on top of it. A diagnostic next to bench/run's end-to-end
/// figures, not a replacement for them: it leaves out the CLI's start-up and file writing.
/// </summary>
internal static class SchemaProfile
{
    /// <param name="passes">More than one shows, from the second pass on, what the work costs once the JIT has compiled it.</param>
    public static void Run(string baseAssembly, string? changeAssembly, int passes)
    {
        for (var pass = 1; pass <= passes; pass++)
        {
            if (passes > 1)
                Console.WriteLine($"pass {pass} of {passes}{(pass == 1 ? " (cold, as in one strata generate)" : " (warm)")}");
            RunPass(baseAssembly, changeAssembly);
        }
    }

    private static void RunPass(string baseAssembly, string? changeAssembly)
    {
        // CPU per stage is the whole process's (JIT and GC threads included): on a busy machine it is
        // the steadier figure, while wall time also counts waiting for a core.
        var stages = new List<(string Name, TimeSpan Wall, TimeSpan Cpu)>();
        var clock = Stopwatch.StartNew();
        T Stage<T>(string name, Func<T> work)
        {
            var (wall, cpu) = (clock.Elapsed, Cpu());
            var result = work();
            stages.Add((name, clock.Elapsed - wall, Cpu() - cpu));
            return result;
        }

        var definition = Stage("fresh: load assembly", () => LoadDefinition(baseAssembly));
        var builder = new SchemaBuilder();
        Stage("fresh: Define (the schema's own code)", () => { definition.Define(builder); return 0; });
        var model = Stage("fresh: SchemaBuilder.Build (validate, normalize)", builder.Build);
        var diff = Stage("fresh: SchemaDiffer.Diff(empty, schema)", () => SchemaDiffer.Diff(DatabaseModel.Empty, model, RenameDecisions.None));
        var statements = Stage("fresh: PostgresSqlGenerator.Generate (up)", () => PostgresSqlGenerator.Generate(diff));
        Stage("fresh: down (Diff back + Generate)", () => PostgresSqlGenerator.Generate(SchemaDiffer.Diff(model, DatabaseModel.Empty, RenameDecisions.None)));
        var json = Stage("fresh: snapshot id + JSON", () =>
            SnapshotSerializer.Serialize(new Snapshot(Snapshot.ComputeId(null, "0000_init", model), null, model, [])));
        var summary = $"fresh: {statements.Count} statements, {statements.Sum(s => s.Sql.Length) / 1024} KiB of SQL, snapshot {json.Length / 1024} KiB";

        if (changeAssembly is not null)
        {
            var previous = Stage("change: read the previous snapshot", () => SnapshotSerializer.Deserialize(json, "snapshot.json"));
            var changed = Stage("change: load, Define and Build the changed schema", () => SchemaBuilder.Build(LoadDefinition(changeAssembly)));
            var changeDiff = Stage("change: SchemaDiffer.Diff(previous, schema)", () => SchemaDiffer.Diff(previous.Schema, changed, RenameDecisions.None));
            var changeStatements = Stage("change: PostgresSqlGenerator.Generate (up)", () => PostgresSqlGenerator.Generate(changeDiff));
            Stage("change: down (Diff back + Generate)", () => PostgresSqlGenerator.Generate(SchemaDiffer.Diff(changed, previous.Schema, RenameDecisions.None)));
            Stage("change: snapshot id + JSON", () =>
                SnapshotSerializer.Serialize(new Snapshot(Snapshot.ComputeId(previous.Id, "0001_change", changed), previous.Id, changed, [])));
            summary += $"; change: {changeStatements.Count} statements, {changeDiff.Unresolved.Count} unresolved rename candidates";
        }

        Console.WriteLine("  CPU ms   wall ms  stage");
        foreach (var (name, wall, cpu) in stages)
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{cpu.TotalMilliseconds,8:F0}  {wall.TotalMilliseconds,8:F0}  {name}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{stages.Sum(s => s.Cpu.TotalMilliseconds),8:F0}  {stages.Sum(s => s.Wall.TotalMilliseconds),8:F0}  in all (process CPU since it started: {Cpu().TotalMilliseconds:F0} ms)"));
        Console.WriteLine(summary);
    }

    private static TimeSpan Cpu() => Process.GetCurrentProcess().TotalProcessorTime;

    /// <summary>Each schema assembly gets its own load context (base and change share a name); Strata itself comes from the default one.</summary>
    public static ISchemaDefinition LoadDefinition(string path)
    {
        var full = Path.GetFullPath(path);
        if (!File.Exists(full))
            throw new UsageException($"{full} does not exist; build the schema project first (dotnet build Bench.Schema/Bench.Schema.csproj)");
        var context = new AssemblyLoadContext(full);
        var assembly = context.LoadFromAssemblyPath(full);
        var definitionType = assembly.GetTypes().SingleOrDefault(t => typeof(ISchemaDefinition).IsAssignableFrom(t) && !t.IsAbstract)
            ?? throw new UsageException($"{full} has no class implementing ISchemaDefinition");
        return (ISchemaDefinition)Activator.CreateInstance(definitionType)!;
    }
}
