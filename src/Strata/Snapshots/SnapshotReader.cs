using System.Text.Json;
using Strata.Diffing;
using Strata.Model;

namespace Strata.Snapshots;

/// <summary>
/// Maps a JSON tree in the current format back to a snapshot. Strict: a missing required value, a
/// value of the wrong kind or an unknown property is an error at its path, because silently dropping
/// part of a snapshot would make the next diff wrong.
/// </summary>
internal static class SnapshotReader
{
    public static Snapshot Read(JsonElement document)
    {
        if (document.ValueKind != JsonValueKind.Object)
            throw new SnapshotPathException("", "the file must hold a JSON object");
        var root = new ObjectReader(document, "");
        root.Int("version");
        var dialect = root.String("dialect");
        if (dialect != "postgresql")
            throw new SnapshotPathException("dialect", $"the dialect is \"{dialect}\", but this Strata reads only \"postgresql\" snapshots");
        var snapshot = new Snapshot(
            root.String("id"),
            root.OptionalString("parentId"),
            ReadSchema(root),
            root.Objects("renames").Select(ReadRename).ToValueList());
        root.RejectUnknown();
        return snapshot;
    }

    private static DatabaseModel ReadSchema(ObjectReader root) => new DatabaseModel(
        root.Strings("schemas"),
        root.Objects("enums").Select(ReadEnum).ToValueList(),
        root.Objects("sequences").Select(ReadSequence).ToValueList(),
        root.Objects("tables").Select(ReadTable).ToValueList(),
        root.Objects("views").Select(ReadView).ToValueList()).Normalize();

    private static EnumType ReadEnum(ObjectReader json) => json.Done(new EnumType(
        json.String("schema"), json.String("name"), json.Strings("values"), json.OptionalString("comment")));

    private static Sequence ReadSequence(ObjectReader json) => json.Done(new Sequence(
        json.String("schema"), json.String("name"), ReadOptions(json.OptionalObject("options")), json.OptionalString("comment")));

    private static SequenceOptions ReadOptions(ObjectReader? json) => json is null
        ? SequenceOptions.Default
        : json.Done(new SequenceOptions(
            json.OptionalString("dataType"),
            json.OptionalLong("startWith"),
            json.OptionalLong("incrementBy"),
            json.OptionalLong("minValue"),
            json.OptionalLong("maxValue"),
            json.OptionalLong("cache"),
            json.Flag("cycle")));

    private static Table ReadTable(ObjectReader json) => json.Done(new Table(
        json.String("schema"),
        json.String("name"),
        json.Objects("columns").Select(ReadColumn).ToValueList(),
        json.OptionalObject("primaryKey") is { } key ? key.Done(new PrimaryKey(key.String("name"), key.Strings("columns"))) : null,
        json.Objects("uniques").Select(u => u.Done(new UniqueConstraint(u.String("name"), u.Strings("columns"), u.Flag("nullsNotDistinct")))).ToValueList(),
        json.Objects("checks").Select(c => c.Done(new CheckConstraint(c.String("name"), c.String("expression")))).ToValueList(),
        json.Objects("foreignKeys").Select(ReadForeignKey).ToValueList(),
        json.Objects("indexes").Select(ReadIndex).ToValueList(),
        json.OptionalString("comment")));

    private static Column ReadColumn(ObjectReader json) => json.Done(new Column(
        json.String("name"),
        ReadType(json.Object("type")),
        json.Flag("notNull"),
        json.OptionalString("default"),
        json.OptionalObject("identity") is { } identity
            ? identity.Done(new Identity(identity.Name("generation", SnapshotNames.IdentityGenerations), ReadOptions(identity.OptionalObject("options"))))
            : null,
        json.OptionalString("generatedAs"),
        json.OptionalString("comment")));

    private static ColumnType ReadType(ObjectReader json)
    {
        var kind = json.Name("kind", SnapshotNames.TypeKinds);
        var type = new ColumnType(
            kind,
            json.OptionalInt("length"),
            json.OptionalInt("precision"),
            json.OptionalInt("scale"),
            json.OptionalObject("enum") is { } name ? name.Done(new QualifiedName(name.String("schema"), name.String("name"))) : null,
            json.OptionalString("raw"),
            json.OptionalInt("arrayDimensions") ?? 0);
        if (kind == TypeKind.Enum && type.EnumName is null)
            throw new SnapshotPathException(json.Path, "an enum type needs \"enum\": {\"schema\": …, \"name\": …}");
        if (kind == TypeKind.Raw && type.RawName is null)
            throw new SnapshotPathException(json.Path, "a raw type needs \"raw\": the type's SQL name");
        return json.Done(type);
    }

    private static ForeignKey ReadForeignKey(ObjectReader json)
    {
        var references = json.Object("references");
        return json.Done(new ForeignKey(
            json.String("name"),
            json.Strings("columns"),
            references.Done(new QualifiedName(references.String("schema"), references.String("name"))),
            json.Strings("referencedColumns"),
            json.OptionalName("onDelete", SnapshotNames.ReferentialActions) ?? ReferentialAction.NoAction,
            json.OptionalName("onUpdate", SnapshotNames.ReferentialActions) ?? ReferentialAction.NoAction,
            json.Flag("deferrable"),
            json.Flag("initiallyDeferred")));
    }

    private static Model.Index ReadIndex(ObjectReader json) => json.Done(new Model.Index(
        json.String("name"),
        json.Objects("elements").Select(ReadIndexElement).ToValueList(),
        json.Flag("unique"),
        json.String("method"),
        json.Strings("include"),
        json.OptionalString("where"),
        json.Flag("nullsNotDistinct"),
        json.Flag("concurrently")));

    private static IndexElement ReadIndexElement(ObjectReader json)
    {
        var element = new IndexElement(
            json.OptionalString("column"),
            json.OptionalString("expression"),
            json.OptionalName("direction", SnapshotNames.SortDirections) ?? SortDirection.Ascending,
            json.OptionalName("nulls", SnapshotNames.NullsOrders) ?? NullsOrder.Default,
            json.OptionalString("operatorClass"));
        if ((element.Column is null) == (element.Expression is null))
            throw new SnapshotPathException(json.Path, "an index element needs exactly one of \"column\" and \"expression\"");
        return json.Done(element);
    }

    private static View ReadView(ObjectReader json) => json.Done(new View(
        json.String("schema"),
        json.String("name"),
        json.String("definition"),
        json.Flag("materialized"),
        json.Objects("dependsOn").Select(d => d.Done(new QualifiedName(d.String("schema"), d.String("name")))).ToValueList(),
        json.OptionalString("comment"),
        json.Objects("indexes").Select(ReadIndex).ToValueList()));

    private static Rename ReadRename(ObjectReader json) => json.Done(new Rename(
        json.Name("kind", SnapshotNames.ObjectKinds), json.String("from"), json.String("to")));

    /// <summary>Reads the properties of one JSON object, counting those read so that any other can be rejected.</summary>
    private sealed class ObjectReader(JsonElement json, string path)
    {
        private List<string>? _requested;
        private int _found;

        public string Path { get; } = path;

        public T Done<T>(T value)
        {
            RejectUnknown();
            return value;
        }

        // Duplicate keys are refused by the parser, so fewer found than present means an unknown one.
        public void RejectUnknown()
        {
            if (_found == json.GetPropertyCount())
                return;
            foreach (var property in json.EnumerateObject())
            {
                if (_requested is null || !_requested.Contains(property.Name))
                    throw new SnapshotPathException(PathOf(property.Name), $"unknown property \"{property.Name}\"");
            }
        }

        public string String(string key) => OptionalString(key) ?? throw Missing(key, "a string");

        public string? OptionalString(string key) => Node(key) is { } value
            ? value.ValueKind == JsonValueKind.String ? value.GetString() : throw WrongKind(key, value, "a string")
            : null;

        public bool Flag(string key) => Node(key) is { } value
            ? value.ValueKind switch
            {
                JsonValueKind.True => true,
                JsonValueKind.False => false,
                _ => throw WrongKind(key, value, "true or false"),
            }
            : false;

        public int Int(string key) => OptionalInt(key) ?? throw Missing(key, "a number");

        public int? OptionalInt(string key) => Node(key) is { } value
            ? value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number) ? number : throw WrongKind(key, value, "a whole number")
            : null;

        public long? OptionalLong(string key) => Node(key) is { } value
            ? value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var number) ? number : throw WrongKind(key, value, "a whole number")
            : null;

        public T Name<T>(string key, SnapshotNames.Names<T> names) where T : struct, Enum =>
            OptionalName(key, names) ?? throw Missing(key, "one of " + Choices(names));

        public T? OptionalName<T>(string key, SnapshotNames.Names<T> names) where T : struct, Enum
        {
            var name = OptionalString(key);
            if (name is null)
                return null;
            return names.TryParse(name, out var value)
                ? value
                : throw new SnapshotPathException(PathOf(key), $"unknown {names.What} \"{name}\"; expected one of {Choices(names)}");
        }

        public ObjectReader Object(string key) => OptionalObject(key) ?? throw Missing(key, "an object");

        public ObjectReader? OptionalObject(string key) => Node(key) is { } value
            ? value.ValueKind == JsonValueKind.Object ? new ObjectReader(value, PathOf(key)) : throw WrongKind(key, value, "an object")
            : null;

        public IEnumerable<ObjectReader> Objects(string key) =>
            Array(key).Select((item, i) => item.ValueKind == JsonValueKind.Object
                ? new ObjectReader(item, $"{PathOf(key)}[{i}]")
                : throw new SnapshotPathException($"{PathOf(key)}[{i}]", "expected an object, found " + Describe(item)));

        public ValueList<string> Strings(string key) =>
            Array(key).Select((item, i) => item.ValueKind == JsonValueKind.String
                ? item.GetString()!
                : throw new SnapshotPathException($"{PathOf(key)}[{i}]", "expected a string, found " + Describe(item))).ToValueList();

        private IEnumerable<JsonElement> Array(string key) => Node(key) is { } value
            ? value.ValueKind == JsonValueKind.Array ? value.EnumerateArray() : throw WrongKind(key, value, "an array")
            : [];

        // A JSON null counts as absent: the writer leaves defaults out, a hand edit may write null.
        private JsonElement? Node(string key)
        {
            (_requested ??= []).Add(key);
            if (!json.TryGetProperty(key, out var value))
                return null;
            _found++;
            return value.ValueKind == JsonValueKind.Null ? null : value;
        }

        private string PathOf(string key) => Path.Length == 0 ? key : Path + "." + key;

        private SnapshotPathException Missing(string key, string expected) =>
            new(Path, $"the property \"{key}\" is missing; it must be {expected}");

        private SnapshotPathException WrongKind(string key, JsonElement value, string expected) =>
            new(PathOf(key), $"expected {expected}, found {Describe(value)}");

        private static string Describe(JsonElement value) => value.ValueKind switch
        {
            JsonValueKind.Object => "an object",
            JsonValueKind.Array => "an array",
            _ => value.GetRawText(),
        };

        private static string Choices<T>(SnapshotNames.Names<T> names) where T : struct, Enum =>
            string.Join(", ", names.All.Select(n => "\"" + n + "\""));
    }
}
