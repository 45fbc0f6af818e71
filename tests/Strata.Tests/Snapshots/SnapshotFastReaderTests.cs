using System.Text.Json;
using Strata.Model;
using Strata.Snapshots;

namespace Strata.Tests.Snapshots;

public class SnapshotFastReaderTests
{
    private static Snapshot EverythingSnapshot() =>
        new("0123456789abcdef0123456789abcdef", "fedcba9876543210fedcba9876543210", SnapshotSchemas.EveryFeature(), SnapshotSchemas.EveryRenameKind());

    private static Snapshot StrictRead(string json)
    {
        using var document = JsonDocument.Parse(json);
        return SnapshotReader.Read(document.RootElement);
    }

    [Fact]
    public void The_fast_reader_builds_the_same_snapshot_as_the_strict_reader_for_every_model_feature()
    {
        var json = SnapshotSerializer.Serialize(EverythingSnapshot());

        var fast = SnapshotFastReader.TryRead(json);

        Assert.NotNull(fast);
        Assert.Equal(StrictRead(json), fast);
        Assert.Equal(json, SnapshotSerializer.Serialize(fast));
    }

    [Fact]
    public void The_fast_reader_treats_null_values_as_absent_like_the_strict_reader()
    {
        var json = SnapshotSerializer.Serialize(new Snapshot("abc", null, DatabaseModel.Empty with
        {
            Tables = ValueList.Create(new Table("public", "t", ValueList.Create(new Column("id", new ColumnType(TypeKind.Integer))))),
        }, default)).Replace("\"name\": \"id\",", "\"name\": \"id\",\n\"comment\": null, \"default\": null,", StringComparison.Ordinal);

        var fast = SnapshotFastReader.TryRead(json);

        Assert.NotNull(fast);
        Assert.Equal(StrictRead(json), fast);
    }

    [Theory]
    [InlineData("\"dialect\": \"postgresql\",", "\"dialect\": \"postgresql\", \"surprise\": 1,")]
    [InlineData("\"dialect\": \"postgresql\",", "\"dialect\": \"postgresql\", \"dialect\": \"postgresql\",")]
    [InlineData("\"version\": 1", "\"version\": 0")]
    [InlineData("\"version\": 1", "\"version\": \"1\"")]
    [InlineData("\"kind\": \"integer\"", "\"kind\": \"no such kind\"")]
    [InlineData("\"kind\": \"integer\"", "\"kind\": 3")]
    [InlineData("\"name\": \"id\",", "")]
    public void The_fast_reader_leaves_anything_unusual_to_the_strict_reader(string find, string replacement)
    {
        var valid = SnapshotSerializer.Serialize(new Snapshot("abc", null, DatabaseModel.Empty with
        {
            Tables = ValueList.Create(new Table("public", "t", ValueList.Create(new Column("id", new ColumnType(TypeKind.Integer))))),
        }, default));
        Assert.Contains(find, valid, StringComparison.Ordinal);

        Assert.Null(SnapshotFastReader.TryRead(valid.Replace(find, replacement, StringComparison.Ordinal)));
    }
}
