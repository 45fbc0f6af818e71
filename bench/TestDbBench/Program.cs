using System.Diagnostics;
using System.Globalization;
using Strata.Postgres.Migrations;
using Strata.Testing;

// Times a fresh migrated database two ways on one throwaway cluster: a clone of Strata.Testing's
// migrated template, and the migrations run into an empty database (CREATE DATABASE included in both).
// The runs alternate, so that load from other processes falls on both alike; each figure is a median.
// usage: TestDbBench --migrations DIR [--reps N (default 20)] [--connection CS (default: a throwaway cluster)]
var migrationsDir = Arg("--migrations") ?? throw new ArgumentException("--migrations DIR is required");
var reps = int.Parse(Arg("--reps") ?? "20", CultureInfo.InvariantCulture);
var connection = Arg("--connection");

await using var server = connection is null ? await TestDatabaseServer.StartLocalAsync() : TestDatabaseServer.Connect(connection);
var source = await MigrationSource.FromFolderAsync(migrationsDir);
var options = new TestTemplateOptions { Name = "strata_bench_template" };

var build = Stopwatch.StartNew();
var template = await server.GetTemplateAsync(source, options);
build.Stop();
var reuse = Stopwatch.StartNew();
await using (var again = TestDatabaseServer.Connect(server.ConnectionString))
{
    if ((await again.GetTemplateAsync(source, options)).WasBuilt)
        throw new InvalidOperationException("the second run rebuilt the template");
}
reuse.Stop();
var tables = await CountTablesAsync(await template.CloneAsync("check"));

var clone = new List<double>();
var migrate = new List<double>();
for (var i = -1; i < reps; i++) // round -1 warms up and is not counted
{
    var cloneFirst = i % 2 == 0;
    for (var part = 0; part < 2; part++)
    {
        var watch = Stopwatch.StartNew();
        TestDatabase database;
        if ((part == 0) == cloneFirst)
        {
            database = await template.CloneAsync("bench_clone");
            watch.Stop();
            if (i >= 0) clone.Add(watch.Elapsed.TotalMilliseconds);
        }
        else
        {
            database = await server.CreateDatabaseAsync("bench_migrate");
            await new Migrator(database.DataSource, source).ApplyAsync();
            watch.Stop();
            if (i >= 0) migrate.Add(watch.Elapsed.TotalMilliseconds);
        }
        if (await CountTablesAsync(database, dispose: false) != tables)
            throw new InvalidOperationException($"{database.Name} does not hold the {tables} tables");
        await database.DisposeAsync();
    }
}
await template.DropAsync();

Console.WriteLine($"schema: {source.Ids.Count} migration(s), {tables} tables (including the tracking table); {reps} timed runs each");
Console.WriteLine($"template: built in {build.Elapsed.TotalMilliseconds:F0} ms; found by a second run in {reuse.Elapsed.TotalMilliseconds:F0} ms");
Console.WriteLine();
Console.WriteLine("| fresh migrated database | median | min | max |");
Console.WriteLine("|---|---|---|---|");
Console.WriteLine(Row("clone of the template", clone));
Console.WriteLine(Row("migrations into an empty database", migrate));
Console.WriteLine();
Console.WriteLine($"ratio: {Median(migrate) / Median(clone):F1}x; load average at the end: {string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ')[..3])} ({Environment.ProcessorCount} cores)");
return 0;

string? Arg(string name) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;

static string Row(string what, List<double> ms) =>
    string.Create(CultureInfo.InvariantCulture, $"| {what} | {Median(ms):F1} ms | {ms.Min():F1} ms | {ms.Max():F1} ms |");

static double Median(List<double> values)
{
    var sorted = values.Order().ToList();
    return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
}

static async Task<long> CountTablesAsync(TestDatabase database, bool dispose = true)
{
    try
    {
        return await database.ScalarAsync<long>(
            "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind = 'r' AND n.nspname NOT IN ('pg_catalog', 'information_schema')");
    }
    finally
    {
        if (dispose)
            await database.DisposeAsync();
    }
}
