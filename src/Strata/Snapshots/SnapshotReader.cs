using System.Text.Json;
using System.Text.Json.Nodes;
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
    public static Snapshot Read(JsonObject document)
    {
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
        json.OptionalString("comment")));

    private static Rename ReadRename(ObjectReader json) => json.Done(new Rename(
        json.Name("kind", SnapshotNames.ObjectKinds), json.String("from"), json.String("to")));

    /// <summary>Reads the properties of one JSON object, remembering which were read so that the rest can be rejected.</summary>
    private sealed class ObjectReader(JsonObject json, string path)
    {
        private readonly HashSet<string> _read = new(StringComparer.Ordinal);

        public string Path { get; } = path;

        public T Done<T>(T value)
        {
            RejectUnknown();
            return value;
        }

        public void RejectUnknown()
        {
            foreach (var (key, _) in json)
            {
                if (!_read.Contains(key))
                    throw new SnapshotPathException(PathOf(key), $"unknown property \"{key}\"");
            }
        }

        public string String(string key) => OptionalString(key) ?? throw Missing(key, "a string");

        public string? OptionalString(string key) => Value(key, "a string", JsonValueKind.String, v => v.GetValue<string>());

        public bool Flag(string key) =>
            Value<bool?>(key, "true or false", JsonValueKind.True, v => v.GetValue<bool>(), JsonValueKind.False) ?? false;

        public int Int(string key) => OptionalInt(key) ?? throw Missing(key, "a number");

        public int? OptionalInt(string key) => Value<int?>(key, "a whole number", JsonValueKind.Number, v => v.TryGetValue<int>(out var i) ? i : null);

        public long? OptionalLong(string key) => Value<long?>(key, "a whole number", JsonValueKind.Number, v => v.TryGetValue<long>(out var l) ? l : null);

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

        public ObjectReader? OptionalObject(string key)
        {
            var node = Node(key);
            return node switch
            {
                null => null,
                JsonObject obj => new ObjectReader(obj, PathOf(key)),
                _ => throw WrongKind(key, "an object"),
            };
        }

        public IEnumerable<ObjectReader> Objects(string key) =>
            Array(key).Select((item, i) => item is JsonObject obj
                ? new ObjectReader(obj, $"{PathOf(key)}[{i}]")
                : throw new SnapshotPathException($"{PathOf(key)}[{i}]", "expected an object"));

        public ValueList<string> Strings(string key) =>
            Array(key).Select((item, i) => item is JsonValue value && value.GetValueKind() == JsonValueKind.String
                ? value.GetValue<string>()
                : throw new SnapshotPathException($"{PathOf(key)}[{i}]", "expected a string")).ToValueList();

        // Materialized so that every element is checked before the caller builds anything from it.
        private List<JsonNode?> Array(string key) => Node(key) switch
        {
            null => [],
            JsonArray array => [.. array],
            _ => throw WrongKind(key, "an array"),
        };

        private T? Value<T>(string key, string expected, JsonValueKind kind, Func<JsonValue, T?> read, JsonValueKind otherKind = JsonValueKind.Undefined)
        {
            var node = Node(key);
            if (node is null)
                return default;
            if (node is JsonValue value && (value.GetValueKind() == kind || value.GetValueKind() == otherKind))
                return read(value) ?? throw WrongKind(key, expected);
            throw WrongKind(key, expected);
        }

        // A JSON null counts as absent: the writer leaves defaults out, a hand edit may write null.
        private JsonNode? Node(string key)
        {
            _read.Add(key);
            return json[key];
        }

        private string PathOf(string key) => Path.Length == 0 ? key : Path + "." + key;

        private SnapshotPathException Missing(string key, string expected) =>
            new(Path, $"the property \"{key}\" is missing; it must be {expected}");

        private SnapshotPathException WrongKind(string key, string expected) =>
            new(PathOf(key), $"expected {expected}, found {Describe(json[key])}");

        private static string Describe(JsonNode? node) => node switch
        {
            null => "null",
            JsonObject => "an object",
            JsonArray => "an array",
            _ => node.ToJsonString(),
        };

        private static string Choices<T>(SnapshotNames.Names<T> names) where T : struct, Enum =>
            string.Join(", ", names.All.Select(n => "\"" + n + "\""));
    }
}
