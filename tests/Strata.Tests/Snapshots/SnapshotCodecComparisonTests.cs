using Strata.IntegrationTests.Random;
using Strata.Model;
using Strata.Snapshots;

namespace Strata.Tests.Snapshots;

// Temporary: the new codec against the three it replaces, on random schemas, before those are removed.
public class SnapshotCodecComparisonTests
{
    public static TheoryData<int> Batches() => [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];

    [Theory]
    [MemberData(nameof(Batches))]
    public void The_new_codec_writes_and_reads_exactly_what_the_old_ones_did(int batch)
    {
        const int perBatch = 100;
        for (var seed = batch * perBatch + 1; seed <= (batch + 1) * perBatch; seed++)
        {
            var pair = new RandomSchemaGenerator(seed).NextPair();
            foreach (var (model, renames) in new[] { (pair.A, new List<Strata.Diffing.Rename>()), (pair.B, pair.Renames.ToList()) })
            {
                var snapshot = new Snapshot(Snapshot.ComputeId("p" + seed, "m", model), seed % 2 == 0 ? null : "parent" + seed, model, renames.ToValueList());
                var oldBytes = SnapshotWriter.WriteUtf8(snapshot);
                var newBytes = SnapshotSerializer.SerializeToUtf8Bytes(snapshot);
                Assert.True(oldBytes.AsSpan().SequenceEqual(newBytes), $"seed {seed}: written bytes differ");
                Assert.True(SnapshotWriter.WriteSchema(new Snapshot("x", null, model, default).Schema).SequenceEqual(SnapshotSerializer.SerializeSchema(model)), $"seed {seed}: schema bytes differ");
                var json = System.Text.Encoding.UTF8.GetString(oldBytes);
                Assert.Equal(SnapshotFastReader.TryRead(json), SnapshotSerializer.Deserialize(json, "snapshot.json"));
            }
        }
    }

    [Fact]
    public void Every_feature_is_written_and_read_as_before()
    {
        var snapshot = new Snapshot("0123456789abcdef0123456789abcdef", "fedcba9876543210fedcba9876543210", SnapshotSchemas.EveryFeature(), SnapshotSchemas.EveryRenameKind());

        var json = SnapshotWriter.Write(snapshot);

        Assert.Equal(json, SnapshotSerializer.Serialize(snapshot));
        Assert.Equal(SnapshotFastReader.TryRead(json), SnapshotSerializer.Deserialize(json, "snapshot.json"));
    }
}
