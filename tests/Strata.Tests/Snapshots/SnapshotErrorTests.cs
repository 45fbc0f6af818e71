using System.Text.Json.Nodes;
using Strata.Model;
using Strata.Snapshots;
using static Strata.Tests.Snapshots.SnapshotSchemas;

namespace Strata.Tests.Snapshots;

public class SnapshotErrorTests
{
    internal const string Source = "db/migrations/0001_init/snapshot.json";

    private static string ValidJson() => SnapshotSerializer.Serialize(new Snapshot("abc", null, DatabaseModel.Empty with
    {
        Tables = L(new Table("public", "notes", L(
            new Column("id", new ColumnType(TypeKind.Integer), NotNull: true),
            new Column("body", new ColumnType(TypeKind.Text))))),
    }, default));

    internal static int LineOf(string json, string text) =>
        json.Split('\n').Select((line, i) => (line, i)).First(l => l.line.Contains(text)).i + 1;

    [Fact]
    public void Broken_json_is_reported_with_the_file_and_the_line()
    {
        var json = ValidJson().Replace("\"body\",", "\"body\"");

        var error = Assert.Throws<SnapshotFormatException>(() => SnapshotSerializer.Deserialize(json, Source));

        Assert.Equal(Source, error.SourceName);
        Assert.Equal(LineOf(json, "\"body\"") + 1, error.Line);
        Assert.StartsWith($"{Source}:{error.Line}: not valid JSON", error.Message);
        Assert.DoesNotContain("LineNumber", error.Message);
        Assert.EndsWith($"restore it from version control (git checkout -- {Source})", error.Message);
    }

    [Fact]
    public void A_property_written_twice_is_an_error_with_its_line()
    {
        var json = ValidJson().Replace("\"notNull\": true,", "\"notNull\": true,\n          \"notNull\": false,");

        var error = Assert.Throws<SnapshotFormatException>(() => SnapshotSerializer.Deserialize(json, Source));

        Assert.Equal(LineOf(json, "\"notNull\": false"), error.Line);
        Assert.Contains("notNull", error.Problem);
    }

    [Fact]
    public void An_empty_file_is_reported_as_not_json()
    {
        var error = Assert.Throws<SnapshotFormatException>(() => SnapshotSerializer.Deserialize("", Source));

        Assert.Equal(1, error.Line);
        Assert.Contains("not valid JSON", error.Message);
    }

    [Fact]
    public void An_unknown_type_kind_names_the_path_the_line_and_the_known_kinds()
    {
        var json = ValidJson().Replace("\"kind\": \"text\"", "\"kind\": \"txet\"");

        var error = Assert.Throws<SnapshotFormatException>(() => SnapshotSerializer.Deserialize(json, Source));

        Assert.Equal(LineOf(json, "txet"), error.Line);
        Assert.Contains("tables[0].columns[1].type.kind: unknown type kind \"txet\"", error.Problem);
        Assert.Contains("\"timestamptz\"", error.Problem);
    }

    [Fact]
    public void A_missing_required_property_names_the_object_that_lacks_it()
    {
        var json = ValidJson().Replace("\"name\": \"body\",", "");

        var error = Assert.Throws<SnapshotFormatException>(() => SnapshotSerializer.Deserialize(json, Source));

        Assert.Equal("tables[0].columns[1]: the property \"name\" is missing; it must be a string", error.Problem);
        Assert.Equal(LineOf(json, "\"kind\": \"integer\"") + 3, error.Line);
    }

    [Fact]
    public void An_unknown_property_is_an_error_rather_than_silently_dropped()
    {
        var json = ValidJson().Replace("\"notNull\": true,", "\"notNull\": true,\n          \"nullable\": false,");

        var error = Assert.Throws<SnapshotFormatException>(() => SnapshotSerializer.Deserialize(json, Source));

        Assert.Equal("tables[0].columns[0].nullable: unknown property \"nullable\"", error.Problem);
        Assert.Equal(LineOf(json, "nullable"), error.Line);
    }

    [Fact]
    public void A_value_of_the_wrong_kind_says_what_was_expected_and_found()
    {
        var json = ValidJson().Replace("\"notNull\": true", "\"notNull\": \"yes\"");

        var error = Assert.Throws<SnapshotFormatException>(() => SnapshotSerializer.Deserialize(json, Source));

        Assert.Equal("tables[0].columns[0].notNull: expected true or false, found \"yes\"", error.Problem);
        Assert.Equal(LineOf(json, "\"yes\""), error.Line);
    }

    [Fact]
    public void A_snapshot_from_a_newer_strata_asks_for_an_update_instead_of_a_restore()
    {
        var json = ValidJson().Replace("\"version\": 1", "\"version\": 7");

        var error = Assert.Throws<SnapshotFormatException>(() => SnapshotSerializer.Deserialize(json, Source));

        Assert.Equal(LineOf(json, "\"version\""), error.Line);
        Assert.Contains("format version 7, written by a newer Strata", error.Message);
        Assert.Contains("update Strata", error.Remedy);
        Assert.DoesNotContain("restore", error.Message);
    }

    [Fact]
    public void A_snapshot_of_another_dialect_is_refused()
    {
        var json = ValidJson().Replace("\"postgresql\"", "\"sqlite\"");

        var error = Assert.Throws<SnapshotFormatException>(() => SnapshotSerializer.Deserialize(json, Source));

        Assert.Contains("the dialect is \"sqlite\"", error.Problem);
        Assert.Equal(2, error.Line);
    }

    [Fact]
    public void Json_that_is_not_an_object_is_refused()
    {
        var error = Assert.Throws<SnapshotFormatException>(() => SnapshotSerializer.Deserialize("\n[1, 2]", Source));

        Assert.Equal(2, error.Line);
        Assert.Contains("must hold a JSON object", error.Problem);
    }

    [Fact]
    public void The_upgrader_chain_rewrites_an_older_version_step_by_step_before_mapping()
    {
        // There is no real older format yet (version 1 is the first); this proves the mechanism with
        // an invented version 0 that called tables "relations" and version -1 that had no dialect.
        var applied = new List<int>();
        var upgrader = new SnapshotUpgrader(
        [
            new SnapshotUpgrade(0, doc =>
            {
                applied.Add(0);
                doc["tables"] = doc["relations"]!.DeepClone();
                doc.Remove("relations");
            }),
            new SnapshotUpgrade(-1, doc =>
            {
                applied.Add(-1);
                doc["dialect"] = "postgresql";
            }),
        ]);
        var current = JsonNode.Parse(ValidJson())!.AsObject();
        current["relations"] = current["tables"]!.DeepClone();
        current.Remove("tables");
        current.Remove("dialect");
        current["version"] = -1;

        var read = SnapshotSerializer.Deserialize(current.ToJsonString(), Source, upgrader);

        Assert.Equal([-1, 0], applied);
        Assert.Equal(SnapshotSerializer.Deserialize(ValidJson(), Source), read);
    }

    [Fact]
    public void A_version_with_no_upgrade_step_is_reported()
    {
        var json = ValidJson().Replace("\"version\": 1", "\"version\": 0");

        var error = Assert.Throws<SnapshotFormatException>(() => SnapshotSerializer.Deserialize(json, Source));

        Assert.Contains("format version 0 is unknown", error.Problem);
    }
}
