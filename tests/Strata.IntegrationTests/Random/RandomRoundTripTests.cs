using System.Globalization;
using System.Text;
using Strata.Diffing;
using Strata.IntegrationTests.Scenarios;
using Strata.Model;
using Xunit.Sdk;

namespace Strata.IntegrationTests.Random;

/// <summary>
/// Random pairs of schemas (B is a random mutation of A), each proven by the same round trip as the
/// scenarios. <c>STRATA_RANDOM_PAIRS</c> sets how many (default 200), <c>STRATA_RANDOM_SEED</c> the seed of
/// the first pair (default 1); pair i uses seed + i, so a failing pair replays alone with
/// <c>STRATA_RANDOM_SEED=&lt;its seed&gt; STRATA_RANDOM_PAIRS=1</c>.
/// </summary>
public sealed class RandomRoundTripTests(ScenarioFixture fixture) : IClassFixture<ScenarioFixture>
{
    private const int BatchSize = 10;
    private const int DefaultPairs = 200;
    private const int DefaultSeed = 1;

    public static TheoryData<int> Batches()
    {
        var data = new TheoryData<int>();
        for (var batch = 0; batch * BatchSize < Pairs; batch++)
            data.Add(batch);
        return data;
    }

    private static int Pairs => ReadVariable("STRATA_RANDOM_PAIRS", DefaultPairs);

    private static int Seed => ReadVariable("STRATA_RANDOM_SEED", DefaultSeed);

    [Theory]
    [MemberData(nameof(Batches))]
    public async Task Random_schema_pairs_migrate_up_and_down_to_the_same_database_as_built_directly(int batch)
    {
        await CreateRolesAsync();
        var failures = new List<string>();
        var last = Math.Min(Pairs, (batch + 1) * BatchSize);
        for (var pair = batch * BatchSize; pair < last; pair++)
        {
            var seed = Seed + pair;
            try
            {
                await RunPairAsync(seed);
            }
            catch (Exception e)
            {
                var message = e is XunitException ? e.Message : e.ToString();
                if (message.Length > 6000)
                    message = message[..6000] + "\n… (cut; replay the pair to see all)";
                failures.Add($"pair {pair}, seed {seed} (replay: STRATA_RANDOM_SEED={seed} STRATA_RANDOM_PAIRS=1):\n{message}");
            }
        }
        if (failures.Count > 0)
            throw new XunitException($"{failures.Count} of {last - batch * BatchSize} random pairs failed:\n\n" + string.Join("\n\n", failures));
    }

    private async Task RunPairAsync(int seed)
    {
        var pair = new RandomSchemaGenerator(seed).NextPair();
        var renames = new RenameDecisions(pair.Renames, []);
        var label = new StringBuilder($"seed {seed}; mutations: ").Append(string.Join("; ", pair.Mutations)).Append(
            pair.Renames.Count > 0 ? "; renames: " + string.Join(", ", renames.ToHints()) : "").ToString();

        // A drop and an add of the same kind may look like a rename to the differ; the generator never
        // means one it did not declare, so every remaining candidate is answered "not a rename".
        var up = NotRenamingTheRest(pair.A, pair.B, renames);
        var down = NotRenamingTheRest(pair.B, pair.A, up.Invert());
        await fixture.RoundTrip.RunAsync(pair.A, pair.B, up, down, label);
    }

    /// <summary>The roles random grants go to, created when the cluster lacks them (roles are the cluster's; they stay).</summary>
    private async Task CreateRolesAsync()
    {
        var (db1, _, _) = await fixture.Databases.ResetAsync();
        await using var command = db1.CreateCommand(RandomPrivileges.CreateRolesSql);
        await command.ExecuteNonQueryAsync();
    }

    private static RenameDecisions NotRenamingTheRest(DatabaseModel from, DatabaseModel to, RenameDecisions decisions)
    {
        var unresolved = SchemaDiffer.Diff(from, to, decisions).Unresolved;
        if (unresolved.Count == 0)
            return decisions;
        var notRenamed = decisions.NotRenamed.Concat(unresolved.Select(c => (c.Kind, c.Dropped)));
        return new RenameDecisions(decisions.Renames, notRenamed);
    }

    private static int ReadVariable(string name, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : fallback;
}
