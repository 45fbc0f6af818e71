using Strata.IntegrationTests.Random;
using Strata.Model;
using Strata.Snapshots;

namespace Strata.Tests.Snapshots;

public class SnapshotReadingTests
{
    private const string Source = "db/migrations/0001_init/snapshot.json";

    private static Snapshot EverythingSnapshot() =>
        new("0123456789abcdef0123456789abcdef", "fedcba9876543210fedcba9876543210", SnapshotSchemas.EveryFeature(), SnapshotSchemas.EveryRenameKind());

    private static string SmallJson() => SnapshotSerializer.Serialize(new Snapshot("abc", null, DatabaseModel.Empty with
    {
        Tables = ValueList.Create(new Table("public", "t", ValueList.Create(new Column("id", new ColumnType(TypeKind.Integer))))),
    }, default));

    private static int LineOf(string json, string text) =>
        json.Split('\n').Select((line, i) => (line, i)).First(l => l.line.Contains(text, StringComparison.Ordinal)).i + 1;

    [Fact]
    public void A_snapshot_using_every_model_feature_reads_back_equal_and_writes_back_the_same_bytes()
    {
        var snapshot = EverythingSnapshot();
        var json = SnapshotSerializer.Serialize(snapshot);

        var read = SnapshotSerializer.Deserialize(json, Source);

        Assert.Equal(snapshot with { Schema = snapshot.Schema.Normalize() }, read);
        Assert.Equal(json, SnapshotSerializer.Serialize(read));
    }

    [Fact]
    public void Null_values_count_as_absent()
    {
        var json = SmallJson();
        var withNulls = json.Replace("\"name\": \"id\",", "\"name\": \"id\",\n\"comment\": null, \"default\": null, \"notNull\": null, \"identity\": null,", StringComparison.Ordinal)
            .Replace("\"kind\": \"integer\"", "\"kind\": \"integer\", \"length\": null, \"enum\": null", StringComparison.Ordinal);
        Assert.NotEqual(json, withNulls);

        Assert.Equal(SnapshotSerializer.Deserialize(json, Source), SnapshotSerializer.Deserialize(withNulls, Source));
    }

    [Fact]
    public void False_flags_count_as_absent()
    {
        var json = SmallJson();
        var withFalse = json.Replace("\"name\": \"id\",", "\"name\": \"id\",\n\"notNull\": false,", StringComparison.Ordinal);
        Assert.NotEqual(json, withFalse);

        Assert.Equal(SnapshotSerializer.Deserialize(json, Source), SnapshotSerializer.Deserialize(withFalse, Source));
    }

    // What the old fast reader left to the strict one: every such input is an error at its line.
    [Theory]
    [InlineData("\"dialect\": \"postgresql\",", "\"dialect\": \"postgresql\", \"surprise\": 1,", "surprise: unknown property \"surprise\"")]
    [InlineData("\"dialect\": \"postgresql\",", "\"dialect\": \"postgresql\", \"dialect\": \"postgresql\",", "dialect")]
    [InlineData("\"version\": 1", "\"version\": 0", "format version 0 is unknown")]
    [InlineData("\"version\": 1", "\"version\": \"1\"", "version: the format \"version\" must be a whole number")]
    [InlineData("\"kind\": \"integer\"", "\"kind\": \"no such kind\"", "tables[0].columns[0].type.kind: unknown type kind \"no such kind\"")]
    [InlineData("\"kind\": \"integer\"", "\"kind\": 3", "tables[0].columns[0].type.kind: expected a string, found 3")]
    [InlineData("\"name\": \"id\",", "", "tables[0].columns[0]: the property \"name\" is missing; it must be a string")]
    public void Anything_unusual_is_refused_naming_the_path(string find, string replacement, string problem)
    {
        var json = SmallJson().Replace(find, replacement, StringComparison.Ordinal);

        var error = Assert.Throws<SnapshotFormatException>(() => SnapshotSerializer.Deserialize(json, Source));

        Assert.Contains(problem, error.Problem, StringComparison.Ordinal);
        Assert.NotNull(error.Line);
    }

    [Theory]
    [InlineData("\"columns\": [", "\"columns\": 5, \"x\": [", "tables[0].columns: expected an array, found 5", "\"columns\"")]
    [InlineData("\"type\": {", "\"type\": \"int\", \"x\": {", "tables[0].columns[0].type: expected an object, found \"int\"", "\"type\"")]
    [InlineData("\"kind\": \"integer\"", "\"kind\": \"integer\", \"length\": 1.5", "tables[0].columns[0].type.length: expected a whole number, found 1.5", "\"kind\"")]
    [InlineData("\"kind\": \"integer\"", "\"kind\": \"integer\", \"length\": 99999999999", "tables[0].columns[0].type.length: expected a whole number, found 99999999999", "\"kind\"")]
    [InlineData("\"name\": \"id\",", "\"name\": \"id\", \"notNull\": 1,", "tables[0].columns[0].notNull: expected true or false, found 1", "\"notNull\"")]
    [InlineData("\"tables\": [", "\"tables\": [null, ", "tables[0]: expected an object, found null", "\"tables\"")]
    [InlineData("\"id\": \"abc\",", "\"id\": \"abc\", \"schemas\": [\"a\", 2],", "schemas[1]: expected a string, found 2", "\"schemas\"")]
    [InlineData("\"name\": \"id\",", "\"name\": \"id\", \"odd key\": 1,", "tables[0].columns[0].odd key: unknown property \"odd key\"", "\"odd key\"")]
    public void A_value_of_the_wrong_kind_anywhere_says_what_was_expected_and_found_at_its_line(string find, string replacement, string problem, string onLineOf)
    {
        var json = SmallJson().Replace(find, replacement, StringComparison.Ordinal);
        Assert.NotEqual(SmallJson(), json);

        var error = Assert.Throws<SnapshotFormatException>(() => SnapshotSerializer.Deserialize(json, Source));

        Assert.Equal(problem, error.Problem);
        Assert.Equal(LineOf(json, onLineOf), error.Line);
    }

    public static TheoryData<int> RandomBatches() => [0, 1, 2, 3];

    [Theory]
    [MemberData(nameof(RandomBatches))]
    public void Random_schemas_and_renames_read_back_equal_and_write_back_the_same_bytes(int batch)
    {
        const int perBatch = 100;
        for (var seed = batch * perBatch + 1; seed <= (batch + 1) * perBatch; seed++)
        {
            var pair = new RandomSchemaGenerator(seed).NextPair();
            var snapshot = new Snapshot(Snapshot.ComputeId("p", "m", pair.B), seed % 2 == 0 ? null : "p", pair.B, pair.Renames.ToValueList());
            var json = SnapshotSerializer.Serialize(snapshot);

            var read = SnapshotSerializer.Deserialize(json, Source);

            Assert.True(read == snapshot with { Schema = pair.B.Normalize() }, $"seed {seed}: the snapshot reads back different");
            Assert.True(json == SnapshotSerializer.Serialize(read), $"seed {seed}: the snapshot writes back different bytes");
            Assert.True(SnapshotSerializer.SerializeSchema(pair.B).SequenceEqual(SnapshotSerializer.SerializeSchema(read.Schema)), $"seed {seed}: the schema JSON differs");
        }
    }
}
