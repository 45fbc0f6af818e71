using Strata.Diffing;
using Strata.Model;
using Strata.Snapshots;
using static Strata.Tests.Snapshots.SnapshotSchemas;

namespace Strata.Tests.Snapshots;

public class SnapshotSerializerTests
{
    private static Snapshot EverythingSnapshot() =>
        new("0123456789abcdef0123456789abcdef", "fedcba9876543210fedcba9876543210", SnapshotSchemas.EveryFeature(), SnapshotSchemas.EveryRenameKind());

    [Fact]
    public void A_snapshot_using_every_model_feature_reads_back_equal()
    {
        var snapshot = EverythingSnapshot();

        var read = SnapshotSerializer.Deserialize(SnapshotSerializer.Serialize(snapshot), "snapshot.json");

        Assert.Equal(snapshot.Id, read.Id);
        Assert.Equal(snapshot.ParentId, read.ParentId);
        Assert.Equal(snapshot.Renames, read.Renames);
        var expected = snapshot.Schema.Normalize();
        Assert.Equal(expected.Schemas, read.Schema.Schemas);
        Assert.Equal(expected.Enums, read.Schema.Enums);
        Assert.Equal(expected.Sequences, read.Schema.Sequences);
        Assert.Equal(expected.Views, read.Schema.Views);
        foreach (var (want, got) in expected.Tables.Zip(read.Schema.Tables))
        {
            Assert.Equal(want.Columns, got.Columns);
            Assert.Equal(want, got);
        }
        Assert.Equal(expected, read.Schema);
    }

    [Fact]
    public void Serializing_the_same_schema_twice_gives_the_same_bytes()
    {
        var first = SnapshotSerializer.Serialize(EverythingSnapshot());
        var second = SnapshotSerializer.Serialize(EverythingSnapshot());
        var reread = SnapshotSerializer.Serialize(SnapshotSerializer.Deserialize(first, "snapshot.json"));

        Assert.Equal(first, second);
        Assert.Equal(first, reread);
    }

    [Fact]
    public void Declaring_tables_constraints_and_indexes_in_another_order_gives_the_same_bytes()
    {
        var model = SnapshotSchemas.EveryFeature();
        var shuffled = model with
        {
            Schemas = model.Schemas.Reverse().ToValueList(),
            Enums = model.Enums.Reverse().ToValueList(),
            Sequences = model.Sequences.Reverse().ToValueList(),
            Tables = model.Tables.Reverse().Select(t => t with
            {
                Uniques = t.Uniques.Reverse().ToValueList(),
                ForeignKeys = t.ForeignKeys.Reverse().ToValueList(),
                Indexes = t.Indexes.Reverse().ToValueList(),
            }).ToValueList(),
            Views = model.Views.Reverse().Select(v => v with { Indexes = v.Indexes.Reverse().ToValueList() }).ToValueList(),
        };

        Assert.Equal(
            SnapshotSerializer.Serialize(new Snapshot("id", null, model, default)),
            SnapshotSerializer.Serialize(new Snapshot("id", null, shuffled, default)));
    }

    [Fact]
    public void The_format_has_sorted_keys_two_space_indent_unix_newlines_and_leaves_defaults_out()
    {
        var model = DatabaseModel.Empty with
        {
            Tables = L(new Table("public", "notes", L(
                new Column("id", new ColumnType(TypeKind.Integer), NotNull: true),
                new Column("body", new ColumnType(TypeKind.Text), Default: "'it''s'")),
                PrimaryKey: new PrimaryKey("notes_pkey", L("id")))),
        };

        var json = SnapshotSerializer.Serialize(new Snapshot("abc", null, model, default));

        Assert.Equal("""
            {
              "dialect": "postgresql",
              "id": "abc",
              "tables": [
                {
                  "columns": [
                    {
                      "name": "id",
                      "notNull": true,
                      "type": {
                        "kind": "integer"
                      }
                    },
                    {
                      "default": "'it''s'",
                      "name": "body",
                      "type": {
                        "kind": "text"
                      }
                    }
                  ],
                  "name": "notes",
                  "primaryKey": {
                    "columns": [
                      "id"
                    ],
                    "name": "notes_pkey"
                  },
                  "schema": "public"
                }
              ],
              "version": 1
            }

            """.ReplaceLineEndings("\n"), json);
    }

    [Fact]
    public void Every_object_of_a_snapshot_using_every_feature_has_its_keys_in_ordinal_order()
    {
        var json = SnapshotSerializer.Serialize(EverythingSnapshot());

        var objects = 0;
        void Check(System.Text.Json.Nodes.JsonNode? node)
        {
            if (node is System.Text.Json.Nodes.JsonObject obj)
            {
                objects++;
                var keys = obj.Select(p => p.Key).ToList();
                Assert.Equal(keys.Order(StringComparer.Ordinal), keys);
                foreach (var (_, value) in obj)
                    Check(value);
            }
            else if (node is System.Text.Json.Nodes.JsonArray array)
            {
                foreach (var item in array)
                    Check(item);
            }
        }
        Check(System.Text.Json.Nodes.JsonNode.Parse(json));

        Assert.True(objects > 100);
        Assert.DoesNotContain("\r", json);
        Assert.EndsWith("}\n", json);
    }

    [Fact]
    public void Every_enum_member_of_the_model_has_a_name_in_the_format()
    {
        // A new C# member without a format name would throw only when a user first serializes it.
        var renames = ObjectKind.All.Select(k => new Rename(k, "a", "b")).ToValueList();
        var actions = Enum.GetValues<ReferentialAction>();
        var columns = actions.Select((a, i) => new Column("c" + i, new ColumnType(TypeKind.Integer)))
            .Concat(Enum.GetValues<IdentityGeneration>().Select((g, i) => new Column("id" + i, new ColumnType(TypeKind.BigInt), true, Identity: new Identity(g, SequenceOptions.Default))));
        var table = new Table("public", "t", columns.ToValueList(),
            ForeignKeys: actions.Select((a, i) => new ForeignKey("fk" + i, L("c" + i), new("public", "t"), L("c0"), a, a)).ToValueList(),
            Indexes: L(new Model.Index("i", (from d in Enum.GetValues<SortDirection>() from n in Enum.GetValues<NullsOrder>() select new IndexElement("c0", null, d, n)).ToValueList())));
        var model = SnapshotSchemas.EveryFeature() with { Tables = L(table) };
        var snapshot = new Snapshot("id", null, model, renames);

        var read = SnapshotSerializer.Deserialize(SnapshotSerializer.Serialize(snapshot), "snapshot.json");

        Assert.Equal(snapshot.Schema.Normalize(), read.Schema);
        Assert.Equal(renames, read.Renames);
        Assert.Contains(read.Schema.Tables[0].Columns, c => c.Type.Kind == TypeKind.Integer);
        Assert.All(Enum.GetValues<TypeKind>(), k => Assert.Contains(SnapshotSchemas.EveryFeature().Tables[2].Columns, c => c.Type.Kind == k));
    }

    [Fact]
    public void What_expressions_read_is_kept_and_a_snapshot_without_it_reads_as_not_known()
    {
        var schema = SnapshotSchemas.EveryFeature();
        var json = SnapshotSerializer.Serialize(new Snapshot("0123456789abcdef0123456789abcdef", null, schema, []));
        var read = SnapshotSerializer.Deserialize(json, "snapshot.json").Schema;

        static IEnumerable<(bool, string)> Reads(DatabaseModel model) =>
            model.Tables.SelectMany(t => t.Columns.Select(c => c.Reads).Concat(t.Checks.Select(c => c.Reads)).Concat(t.Indexes.Select(i => i.Reads)))
                .Concat(model.Views.Select(v => v.Reads))
                .Select(r => (r.IsKnown, string.Join(", ", r.Objects)));
        Assert.Equal(Reads(schema.Normalize()), Reads(read));
        Assert.Contains(Reads(read), r => r is (true, ""));
        Assert.Contains("\"reads\": []", json, StringComparison.Ordinal);

        var withoutReads = SnapshotSerializer.Deserialize(System.Text.RegularExpressions.Regex.Replace(json, @",\s*""reads"": \[[^\]]*\]", ""), "old.json").Schema;
        Assert.DoesNotContain(Reads(withoutReads), r => r.Item1);
        Assert.Equal(read, withoutReads);
    }

    [Fact]
    public void Snapshot_ids_are_32_lowercase_hex_characters_that_depend_on_parent_name_and_schema()
    {
        var schema = SnapshotSchemas.EveryFeature();

        var id = Snapshot.ComputeId(null, "init", schema);

        Assert.Matches("^[0-9a-f]{32}$", id);
        Assert.Equal(id, Snapshot.ComputeId(null, "init", SnapshotSchemas.EveryFeature()));
        Assert.NotEqual(id, Snapshot.ComputeId("0123456789abcdef0123456789abcdef", "init", schema));
        Assert.NotEqual(id, Snapshot.ComputeId(null, "other", schema));
        Assert.NotEqual(id, Snapshot.ComputeId(null, "init", DatabaseModel.Empty));
    }

    [Fact]
    public void Reading_only_the_ids_gives_the_same_as_reading_everything_and_reports_a_broken_file_the_same_way()
    {
        var json = SnapshotSerializer.Serialize(EverythingSnapshot());

        Assert.Equal(("0123456789abcdef0123456789abcdef", "fedcba9876543210fedcba9876543210"), SnapshotSerializer.ReadIds(json, "snapshot.json"));
        Assert.Equal(("abc", null), SnapshotSerializer.ReadIds(SnapshotSerializer.Serialize(new Snapshot("abc", null, DatabaseModel.Empty, default)), "s"));
        var error = Assert.Throws<SnapshotFormatException>(() => SnapshotSerializer.ReadIds(json.Replace("\"version\": 1", "\"version\": 9"), "snapshot.json"));
        Assert.Contains("newer Strata", error.Message);
    }
}

public class SnapshotIdPrefixTests
{
    [Fact]
    public void The_ids_are_read_from_the_start_of_a_snapshot_without_its_tables()
    {
        var db = new Strata.Dsl.SchemaBuilder();
        for (var i = 0; i < 200; i++)
            db.Table($"table_{i:000}", t => t.Column("id", Strata.Dsl.Types.BigInt).PrimaryKey());
        var bytes = System.Text.Encoding.UTF8.GetBytes(SnapshotSerializer.Serialize(new Snapshot("child", "parent", db.Build(), default)));

        // A prefix that stops long before the tables end still settles both ids.
        Assert.True(SnapshotSerializer.TryReadIds(bytes.AsSpan(0, 300), isWholeFile: false, out var id, out var parentId));
        Assert.Equal(("child", "parent"), (id, parentId));
    }

    [Fact]
    public void A_snapshot_without_a_parent_reads_as_none_and_a_cut_off_id_is_not_guessed()
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(SnapshotSerializer.Serialize(new Snapshot("first", null, DatabaseModel.Empty, default)));

        Assert.True(SnapshotSerializer.TryReadIds(bytes, isWholeFile: true, out var id, out var parentId));
        Assert.Equal(("first", (string?)null), (id, parentId));

        var cut = System.Text.Encoding.UTF8.GetString(bytes).IndexOf("first", StringComparison.Ordinal) + 2;
        Assert.False(SnapshotSerializer.TryReadIds(bytes.AsSpan(0, cut), isWholeFile: false, out _, out _));
    }
}
