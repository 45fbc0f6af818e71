using System.Diagnostics;
using Strata.IntegrationTests.Cli;
using Strata.IntegrationTests.Infrastructure;
using Strata.Postgres.Migrations;
using Strata.Testing;

namespace Strata.IntegrationTests.Migrations;

/// <summary>
/// A temporary project holding only strata.json and a migrations folder of hand-written up.sql files:
/// what <c>strata migrate</c> needs (it never builds the schema project), so the proof tests run the real
/// CLI without paying for a build. Deleted on dispose.
/// </summary>
public sealed class ProofProject : IDisposable
{
    private ProofProject(string directory) => Directory = directory;

    public string Directory { get; }

    public string MigrationsDirectory => Path.Combine(Directory, "db", "migrations");

    public string SumPath => Path.Combine(MigrationsDirectory, StrataSum.FileName);

    public static ProofProject Create()
    {
        var directory = Path.Combine(Path.GetTempPath(), "strata-proof-" + Guid.NewGuid().ToString("N")[..12]);
        System.IO.Directory.CreateDirectory(Path.Combine(directory, "db", "migrations"));
        // migrate reads only the migrations folder; the schema project is never loaded.
        File.WriteAllText(Path.Combine(directory, "strata.json"), """{ "schema": "App.Schema/App.Schema.csproj", "migrations": "db/migrations" }""");
        return new ProofProject(directory);
    }

    /// <summary>Writes a migration whose statements are separated by breakpoints, and accepts it into strata.sum.</summary>
    public Task AddAsync(string id, params string[] statements) =>
        AddTextAsync(id, string.Join("\n--> statement-breakpoint\n", statements) + "\n");

    /// <summary>Writes a migration's up.sql as given, and accepts it into strata.sum.</summary>
    public async Task AddTextAsync(string id, string upSql)
    {
        WriteUp(id, upSql);
        await RehashAsync();
    }

    public string UpPath(string id) => Path.Combine(MigrationsDirectory, id, "up.sql");

    /// <summary>Writes up.sql without touching strata.sum (as a hand edit would).</summary>
    public void WriteUp(string id, string upSql)
    {
        System.IO.Directory.CreateDirectory(Path.Combine(MigrationsDirectory, id));
        File.WriteAllText(UpPath(id), upSql);
    }

    /// <summary>Rewrites strata.sum in-process (what <c>strata hash</c> does, without starting a process).</summary>
    public async Task RehashAsync() => await (await MigrationDirectory.LoadAsync(MigrationsDirectory)).RehashAsync();

    public Task<CliResult> RunAsync(params string[] args) => StrataProcess.RunAsync(Directory, args);

    /// <summary><c>strata migrate -c &lt;database&gt;</c> and any further arguments, awaited.</summary>
    public Task<CliResult> MigrateAsync(TestDatabase database, params string[] more) => RunAsync(["migrate", "-c", database.ConnectionString, .. more]);

    /// <summary><c>strata migrate -c &lt;database&gt;</c>, started and not awaited.</summary>
    public StrataRun StartMigrate(TestDatabase database, params string[] more) =>
        StrataProcess.Start(Directory, ["migrate", "-c", database.ConnectionString, .. more]);

    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A process killed by a test may still hold a file for a moment; the temp folder is cleaned eventually.
        }
    }
}

/// <summary>
/// The proof tests run one class at a time: they start many CLI processes, and the kill test's timing
/// must not depend on how many other processes share two cores with it.
/// </summary>
[CollectionDefinition(Name)]
public sealed class ProofCollection : ICollectionFixture<PostgresFixture>
{
    public const string Name = "proof";
}

/// <summary>What the proof tests ask the database about a migration run: the tracking table and the advisory lock.</summary>
public static class ProofDatabase
{
    /// <summary>The first key of Strata's advisory lock: "STRA" as an int4.</summary>
    public const long LockClassId = 1398035009;

    /// <summary>The ids in the tracking table, in order; empty when the table does not exist yet.</summary>
    public static async Task<IReadOnlyList<string>> AppliedIdsAsync(this TestDatabase database)
    {
        if (!await database.ScalarAsync<bool>("SELECT to_regclass('strata.__strata_migrations') IS NOT NULL"))
            return [];
        var rows = await database.QueryAsync("SELECT id FROM strata.__strata_migrations ORDER BY id");
        return rows.Select(r => (string)r[0]!).ToList();
    }

    /// <summary>How many sessions hold or wait for Strata's advisory lock in this database.</summary>
    public static Task<long> LockCountAsync(this TestDatabase database, bool? granted = null) =>
        database.ScalarAsync<long>(
            $"SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND classid = {LockClassId} "
            + "AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"
            + (granted is null ? "" : granted.Value ? " AND granted" : " AND NOT granted"));

    /// <summary>
    /// Waits until nobody holds Strata's lock. After a client dies the server lets go of its session only
    /// when the statement it runs ends and it reads the closed socket, so this polls rather than asks once.
    /// </summary>
    public static async Task WaitForLockFreeAsync(this TestDatabase database, TimeSpan timeout, string because)
    {
        var clock = Stopwatch.StartNew();
        while (await database.LockCountAsync() > 0)
        {
            if (clock.Elapsed > timeout)
                Assert.Fail($"the advisory lock was still held after {timeout.TotalSeconds:0} s: {because}");
            await Task.Delay(25);
        }
    }

    /// <summary>Polls <paramref name="condition"/> until it holds; false when <paramref name="timeout"/> passed first.</summary>
    public static async Task<bool> EventuallyAsync(Func<Task<bool>> condition, TimeSpan timeout, int pollMilliseconds = 20)
    {
        var clock = Stopwatch.StartNew();
        while (!await condition())
        {
            if (clock.Elapsed > timeout)
                return false;
            await Task.Delay(pollMilliseconds);
        }
        return true;
    }
}
