using System.Text.Json;
using Strata.IntegrationTests.Random;
using Strata.Model;
using Strata.Snapshots;

namespace Strata.Tests.Snapshots;

/// <summary>
/// The document reader (the usual reading path) and System.Text.Json's generated metadata (the writer,
/// and the reading that explains errors) are two views of one format, the document records: they must
/// agree on every property of every record and read every document the same.
/// </summary>
public class SnapshotDocumentReaderTests
{
    private static readonly Type[] ReadDocumentTypes = [.. typeof(SnapshotDocument).Assembly.GetTypes()
        .Where(type => type.Namespace == typeof(SnapshotDocument).Namespace && type.Name.EndsWith("Document", StringComparison.Ordinal))
        .Where(type => type != typeof(SchemaDocument))]; // only written: the schema part of a snapshot, for its id

    [Fact]
    public void The_reader_knows_every_document_record_and_exactly_the_properties_the_generated_metadata_has()
    {
        Assert.Equal(ReadDocumentTypes.Select(type => type.Name).Order(), SnapshotDocumentReader.PropertyNames.Keys.Select(type => type.Name).Order());
        foreach (var type in ReadDocumentTypes)
        {
            var metadata = SnapshotJsonContext.Default.GetTypeInfo(type)!.Properties.Select(property => property.Name);
            // The metadata lists a partial record's properties part by part; the top-level keys are written in
            // ordinal order all the same (SnapshotSerializer.WriteObject), the nested records' in the metadata's.
            if (type == typeof(SnapshotDocument))
                metadata = metadata.Order(StringComparer.Ordinal);
            Assert.Equal(metadata, SnapshotDocumentReader.PropertyNames[type]);
        }
    }

    [Fact]
    public void Every_record_is_read_with_its_keys_in_ordinal_order_the_order_they_are_written_in()
    {
        foreach (var (type, names) in SnapshotDocumentReader.PropertyNames)
            Assert.Equal($"{type.Name}: {string.Join(", ", names.Order(StringComparer.Ordinal))}", $"{type.Name}: {string.Join(", ", names)}");
    }

    [Fact]
    public void A_snapshot_using_every_feature_reads_into_the_same_document_as_through_the_generated_metadata()
    {
        var json = SnapshotSerializer.Serialize(new Snapshot("0123456789abcdef0123456789abcdef", "fedcba9876543210fedcba9876543210",
            SnapshotSchemas.EveryFeature(), SnapshotSchemas.EveryRenameKind()));

        AssertReadTheSame(json);
        // Nulls and false flags as a hand edit may write them: absent, as the serializer reads them.
        AssertReadTheSame(json.Replace("\"notNull\": true", "\"notNull\": false", StringComparison.Ordinal)
            .Replace("\"comment\": \"people\"", "\"comment\": null", StringComparison.Ordinal)
            .Replace("\"parentId\": \"fedcba9876543210fedcba9876543210\"", "\"parentId\": null", StringComparison.Ordinal));
    }

    [Fact]
    public void Random_schemas_read_into_the_same_document_as_through_the_generated_metadata()
    {
        for (var seed = 1; seed <= 100; seed++)
        {
            var pair = new RandomSchemaGenerator(seed).NextPair();
            AssertReadTheSame(SnapshotSerializer.Serialize(new Snapshot(Snapshot.ComputeId("p", "m", pair.B), "p", pair.B, pair.Renames.ToValueList())));
        }
    }

    [Theory]
    [InlineData("\"dialect\": \"postgresql\",", "\"dialect\": \"postgresql\", \"dialect\": \"postgresql\",")]
    [InlineData("\"dialect\": \"postgresql\",", "\"dialect\": \"postgresql\", \"surprise\": 1,")]
    [InlineData("\"dialect\": \"postgresql\",", "\"dialect\": 1,")]
    [InlineData("\"version\": 1", "\"version\": 1.5")]
    [InlineData("\"version\": 1", "\"version\": \"1\"")]
    [InlineData("\"tables\": [", "\"tables\": [null, ")]
    [InlineData("\"tables\": [", "\"tables\": {}, \"x\": [")]
    [InlineData("\"columns\": [", "\"columns\": [7, ")]
    [InlineData("\"notNull\": true", "\"notNull\": \"yes\"")]
    [InlineData("{", "[")]
    [InlineData("}\n", "}\n{}")]
    [InlineData("\"kind\": \"integer\"", "\"kind\": \"integer\",")]
    public void Anything_unusual_is_left_to_the_reading_that_explains_it(string find, string replacement)
    {
        var json = SmallJson();
        Assert.Contains(find, json, StringComparison.Ordinal);

        Assert.Null(SnapshotDocumentReader.TryRead(json.Replace(find, replacement, StringComparison.Ordinal)));
    }

    private static string SmallJson() => SnapshotSerializer.Serialize(new Snapshot("abc", null, DatabaseModel.Empty with
    {
        Tables = ValueList.Create(new Table("public", "t", ValueList.Create(new Column("id", new ColumnType(TypeKind.Integer), NotNull: true)))),
    }, default));

    private static void AssertReadTheSame(string json)
    {
        var read = SnapshotDocumentReader.TryRead(json);
        Assert.NotNull(read);
        var expected = JsonSerializer.Deserialize(json, SnapshotJsonContext.Default.SnapshotDocument);
        Assert.Equal(JsonSerializer.Serialize(expected, SnapshotJsonContext.Default.SnapshotDocument), JsonSerializer.Serialize(read, SnapshotJsonContext.Default.SnapshotDocument));
    }
}
