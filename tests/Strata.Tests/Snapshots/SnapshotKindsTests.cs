using System.Reflection;
using System.Text.Json;
using Strata.Model;
using Strata.Snapshots;
using static Strata.Snapshots.SnapshotDocumentReader;

namespace Strata.Tests.Snapshots;

/// <summary>
/// The snapshot step's registry: a kind of object brings its record, its fields on the central records and its
/// mappings in its own file (Snapshots/{Kind}Document.cs), and the central files loop over what the kinds register.
/// </summary>
public class SnapshotKindsTests
{
    [Fact]
    public void Every_kind_registered_in_the_reader_is_registered_in_the_mapping_with_the_same_order_and_both_registries_are_whole()
    {
        var fields = RegistrationFields<KindFields>(typeof(SnapshotDocumentReader));
        var mappings = RegistrationFields<SnapshotMapping.KindMapping>(typeof(SnapshotMapping));

        Assert.NotEmpty(fields);
        Assert.Equal(fields.Values.OrderBy(f => f.Order), KindFieldsInOrder);
        Assert.Equal(mappings.Values.OrderBy(m => m.Order), SnapshotMapping.KindsInOrder);
        // One registration per central type in a kind's file, named after the kind: DomainFields and DomainMapping.
        Assert.Equal(fields.Keys.Select(name => name[..^"Fields".Length]).Order(), mappings.Keys.Select(name => name[..^"Mapping".Length]).Order());
        foreach (var (name, kind) in fields)
            Assert.Equal(kind.Order, mappings[name[..^"Fields".Length] + "Mapping"].Order);
    }

    [Fact]
    public void A_field_a_kind_adds_to_a_record_takes_its_place_among_the_records_own_by_name_and_is_read()
    {
        var shape = new Shape<QualifiedNameDocument>(() => new(),
            [new KindField<QualifiedNameDocument>("name", (ref Utf8JsonReader r, QualifiedNameDocument d) => d.Name = r.GetString())],
            ("schema", (ref Utf8JsonReader r, QualifiedNameDocument d) => d.Schema = r.GetString()));
        var reader = new Utf8JsonReader("""{"name": "email", "schema": "billing"}"""u8);
        reader.Read();

        var read = shape.Read(ref reader);

        Assert.Equal(["name", "schema"], shape.Names);
        Assert.Equal(new QualifiedNameDocument { Name = "email", Schema = "billing" }, read);
    }

    [Fact]
    public void A_field_a_kind_adds_under_a_name_the_record_has_is_refused()
    {
        var error = Assert.Throws<InvalidOperationException>(() => new Shape<QualifiedNameDocument>(() => new(),
            [new KindField<QualifiedNameDocument>("name", (ref Utf8JsonReader _, QualifiedNameDocument _) => { })],
            ("name", (ref Utf8JsonReader _, QualifiedNameDocument _) => { }), ("schema", (ref Utf8JsonReader _, QualifiedNameDocument _) => { })));

        Assert.Equal("QualifiedNameDocument has two fields named \"name\".", error.Message);
    }

    [Fact]
    public void A_record_with_more_fields_than_the_reader_marks_as_seen_is_refused()
    {
        var added = Enumerable.Range(0, 60).Select(i => new KindField<QualifiedNameDocument>($"f{i:00}", (ref Utf8JsonReader _, QualifiedNameDocument _) => { })).ToArray();

        var error = Assert.Throws<InvalidOperationException>(() => new Shape<QualifiedNameDocument>(() => new(), added,
            ("a", (ref Utf8JsonReader _, QualifiedNameDocument _) => { }), ("b", (ref Utf8JsonReader _, QualifiedNameDocument _) => { }),
            ("c", (ref Utf8JsonReader _, QualifiedNameDocument _) => { }), ("d", (ref Utf8JsonReader _, QualifiedNameDocument _) => { }),
            ("e", (ref Utf8JsonReader _, QualifiedNameDocument _) => { })));

        Assert.Equal("QualifiedNameDocument has 65 fields; the reader takes at most 64 per record.", error.Message);
        Assert.Equal(64, new Shape<QualifiedNameDocument>(() => new(), added[..59],
            ("a", (ref Utf8JsonReader _, QualifiedNameDocument _) => { }), ("b", (ref Utf8JsonReader _, QualifiedNameDocument _) => { }),
            ("c", (ref Utf8JsonReader _, QualifiedNameDocument _) => { }), ("d", (ref Utf8JsonReader _, QualifiedNameDocument _) => { }),
            ("e", (ref Utf8JsonReader _, QualifiedNameDocument _) => { })).Names.Length);
    }

    [Fact]
    public void A_kinds_top_level_list_and_column_type_field_are_written_among_the_central_keys_in_ordinal_order()
    {
        var domain = new QualifiedName("public", "email");
        var schema = DatabaseModel.Empty with
        {
            Enums = ValueList.Create(new EnumType("public", "mood", ValueList.Create("ok"))),
            Tables = ValueList.Create(new Table("public", "t", ValueList.Create(new Column("mail", new ColumnType(TypeKind.Domain, ArrayDimensions: 1, DomainName: domain))))),
            Domains = ValueList.Create(new Domain("public", "email", new ColumnType(TypeKind.Text))),
        };

        var json = SnapshotSerializer.Serialize(new Snapshot("abc", "parent", schema, default));

        using var parsed = JsonDocument.Parse(json);
        Assert.Equal(["dialect", "domains", "enums", "id", "parentId", "tables", "version"], parsed.RootElement.EnumerateObject().Select(p => p.Name));
        var type = parsed.RootElement.GetProperty("tables")[0].GetProperty("columns")[0].GetProperty("type");
        Assert.Equal(["arrayDimensions", "domain", "kind"], type.EnumerateObject().Select(p => p.Name));
        Assert.Equal(schema, SnapshotSerializer.Deserialize(json, "snapshot.json").Schema);
    }

    private static Dictionary<string, T> RegistrationFields<T>(Type step) =>
        step.GetFields(BindingFlags.Static | BindingFlags.NonPublic | BindingFlags.Public)
            .Where(field => field.FieldType == typeof(T))
            .ToDictionary(field => field.Name, field => (T)field.GetValue(null)!);
}
