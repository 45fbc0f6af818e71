using Npgsql;
using Strata.Diffing;
using Strata.IntegrationTests.Cli;
using Strata.IntegrationTests.Cli.Pull;
using Strata.IntegrationTests.Infrastructure;
using Strata.IntegrationTests.Scenarios;
using Strata.Model;
using Strata.Postgres.Comparison;
using Strata.Postgres.Execution;
using Strata.Postgres.Introspection;
using Strata.Postgres.Migrations;
using Strata.Renaming;
using Strata.Testing;
using Strata.Tests.CodeGeneration;
using Xunit.Abstractions;

namespace Strata.IntegrationTests.Corpus;

/// <summary>
/// The schema corpus in tests/corpus (its README says how a case is written): every real-world schema and every
/// pair case, each on a real PostgreSQL, judged by <c>pg_dump --schema-only</c> as pull and push would be.
/// <list type="bullet">
/// <item>Pull: the model read from the database, written as C# and compiled, builds the same model (generate
/// right after pull finds no change), and the baseline pull writes, on an empty database, gives the original's
/// pg_dump.</item>
/// <item>Push (pair cases): pushing B's model onto a database holding A gives B's pg_dump.</item>
/// </list>
/// A case marked <c>-- pending: why</c> is one Strata cannot carry yet: pull must still name what it does not model
/// (nothing is lost silently), and the case fails once it round-trips, so that the mark is removed.
/// </summary>
public sealed class CorpusTests(PostgresFixture fixture, ITestOutputHelper output) : IClassFixture<PostgresFixture>
{
    private static readonly QualifiedName Tracking = new("strata", "__strata_migrations");

    private const string DiffersFrom = "differs from";

    public static TheoryData<string> Schemas() => Cases("schemas");

    public static TheoryData<string> Pairs() => Cases("pairs");

    [Theory]
    [MemberData(nameof(Schemas))]
    public async Task A_real_world_schema_is_pulled_into_CSharp_and_a_baseline_that_rebuild_it_identically(string name)
    {
        var corpusCase = CorpusCase.Read(Path.Combine(CorpusFolder, "schemas", name + ".sql"));
        await using var original = await fixture.CreateDatabaseAsync("corpus", corpusCase.A);
        var problem = await PullRoundTripProblemAsync(original);
        await JudgeAsync(corpusCase, original, problem);
    }

    [Theory]
    [MemberData(nameof(Pairs))]
    public async Task A_pair_case_is_pulled_from_B_and_pushed_from_A_to_B_identically(string name)
    {
        var corpusCase = CorpusCase.Read(Path.Combine(CorpusFolder, "pairs", name + ".sql"));
        await using var a = await fixture.CreateDatabaseAsync("corpus_a", corpusCase.A);
        await using var b = await fixture.CreateDatabaseAsync("corpus_b", corpusCase.B!);
        var problem = await PullRoundTripProblemAsync(b) ?? await PushProblemAsync(a, b);
        await JudgeAsync(corpusCase, b, problem);
    }

    /// <summary>A case round-trips (no problem), or is pending and says why while pull still names what it leaves out.</summary>
    private async Task JudgeAsync(CorpusCase corpusCase, TestDatabase database, string? problem)
    {
        if (corpusCase.Pending is null)
        {
            Assert.True(problem is null, problem);
            return;
        }
        output.WriteLine($"pending ({corpusCase.Pending}): {problem}");
        Assert.False(problem is null, $"{corpusCase.Path} round-trips now: remove its '-- pending: {corpusCase.Pending}' line.");
        await using var connection = await database.DataSource.OpenConnectionAsync();
        // A refusal (the C# does not build, the baseline or push fails) is loud; a database that comes out different
        // is a loss, which pull must have named, whether it left the object out or carried it verbatim (push does not
        // manage what it carries).
        if (problem.Contains(DiffersFrom, StringComparison.Ordinal))
        {
            var named = (await UnmodelledObjects.ReadAsync(connection, new IntrospectionOptions())).Where(o => !o.IsExtension).ToList();
            Assert.True(named.Count > 0, $"{corpusCase.Path} does not round-trip, yet pull names nothing it does not model (a silent loss): {problem}");
        }
    }

    /// <summary>What pull would do, in process: read, write C#, compile, build; write the baseline; run it on an empty database; compare.</summary>
    private async Task<string?> PullRoundTripProblemAsync(TestDatabase original)
    {
        // As pull reads: the model and what it has no place for at once, on two connections sharing a snapshot.
        var (model, notCarried) = await LiveDatabase.ReadWithUnmodelledAsync(original.DataSource, Tracking, new IntrospectionOptions(), default);
        DatabaseModel built;
        try
        {
            built = GeneratedSchemas.RoundTrip([model])[0];
        }
        catch (Exception e)
        {
            return $"the C# pull writes does not build the model: {e.Message}";
        }
        var afterPull = SchemaDiffer.Diff(model, built, RenameDecisions.None);
        if (!afterPull.IsEmpty)
            return "generate right after pull finds changes:\n" + string.Join('\n', afterPull.Changes.Take(20));

        var folder = Directory.CreateTempSubdirectory("strata-corpus-");
        try
        {
            var directory = await MigrationDirectory.LoadAsync(folder.FullName, default);
            var baseline = await MigrationWriter.WriteBaselineAsync(directory, "0000_baseline", model, notCarried, default);
            await using var rebuilt = await fixture.CreateDatabaseAsync("corpus_rebuilt");
            var up = await File.ReadAllTextAsync(Path.Combine(baseline.Migration.FolderPath, Migration.UpFile));
            try
            {
                await ScriptApplier.ApplyAsync(rebuilt.DataSource, up, "0000_baseline/up.sql");
            }
            catch (PostgresException e)
            {
                return $"the baseline fails on an empty database: {e.MessageText} at {e.Data["Statement"]}";
            }
            return PullProject.DumpDifference(await PullProject.DumpAsync(original), await PullProject.DumpAsync(rebuilt), $"the baseline's database (+) {DiffersFrom} the original (-)");
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    /// <summary>What push would do: B's model (as pull reads it) pushed onto A through the library, then compared with B.</summary>
    private static async Task<string?> PushProblemAsync(TestDatabase a, TestDatabase b)
    {
        DatabaseModel target;
        await using (var connection = await b.DataSource.OpenConnectionAsync())
            target = await LiveDatabase.ReadAsync(connection, Tracking, new IntrospectionOptions(), default);
        var live = new LiveDatabase(a.DataSource, new NpgsqlConnectionStringBuilder(a.ConnectionString), a.Name);
        var options = new PushOptions(Tracking, new IntrospectionOptions(), RenameDecisions.None, new SessionTimeouts(null, null), TimeSpan.FromMinutes(30));
        // pg_dump cannot tell a rename from a drop and a create: every candidate is answered "dropped".
        var callbacks = new PushCallbacks { Applying = (_, _, _) => Task.FromResult(true), Renames = new NoRenames() };
        try
        {
            await SchemaPush.PushAsync(live, target, options, callbacks, default);
        }
        catch (Exception e)
        {
            return $"push A → B fails: {e.Message}";
        }
        // push's own tracking schema is not part of either schema.
        await a.ExecuteAsync("DROP SCHEMA IF EXISTS strata CASCADE");
        return PullProject.DumpDifference(await PullProject.DumpAsync(b), await PullProject.DumpAsync(a), $"push A → B: the pushed database (+) {DiffersFrom} B (-)");
    }

    private sealed class NoRenames : IRenameQuestions
    {
        public string? Ask(RenameCandidate candidate, IReadOnlyList<string> open) => null;
    }

    private static TheoryData<string> Cases(string kind)
    {
        var data = new TheoryData<string>();
        foreach (var path in Directory.EnumerateFiles(Path.Combine(CorpusFolder, kind), "*.sql").Order(StringComparer.Ordinal))
            data.Add(Path.GetFileNameWithoutExtension(path));
        return data;
    }

    private static string CorpusFolder => Path.Combine(StrataProcess.RepositoryRoot, "tests", "corpus");
}

/// <summary>
/// One file of the corpus: the SQL of schema A, and for a pair case after a line <c>-- b</c> the SQL of schema B;
/// a line <c>-- pending: why</c> marks a case Strata cannot carry yet.
/// </summary>
internal sealed record CorpusCase(string Path, string A, string? B, string? Pending)
{
    private const string PendingPrefix = "-- pending:";

    public static CorpusCase Read(string path)
    {
        var lines = File.ReadAllLines(path);
        var split = Array.FindIndex(lines, l => l.Trim() == "-- b");
        var pending = lines.FirstOrDefault(l => l.StartsWith(PendingPrefix, StringComparison.Ordinal))?[PendingPrefix.Length..].Trim();
        return split < 0
            ? new CorpusCase(path, string.Join('\n', lines), null, pending)
            : new CorpusCase(path, string.Join('\n', lines[..split]), string.Join('\n', lines[(split + 1)..]), pending);
    }
}
