using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Strata.Diffing;
using Strata.Model;

namespace Strata.Snapshots;

/// <summary>
/// Maps a snapshot to a JSON tree, property by property, and writes the tree with sorted keys.
/// Values equal to their default (null, false, empty list, empty object) are left out, so adding an
/// optional feature to the model does not change the snapshots of schemas that do not use it.
/// </summary>
internal static class SnapshotWriter
{
    private static readonly JsonWriterOptions WriterOptions = new()
    {
        Indented = true,
        IndentSize = 2,
        NewLine = "\n",
        // Default escaping turns every ' in a SQL default into \u0027; the file is never embedded in HTML.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static JsonObject ToJson(Snapshot snapshot)
    {
        var json = new JsonObject
        {
            ["version"] = Snapshot.CurrentVersion,
            ["dialect"] = "postgresql",
            ["id"] = snapshot.Id,
        };
        json.PutString("parentId", snapshot.ParentId);
        AddSchema(json, snapshot.Schema);
        json.PutArray("renames", snapshot.Renames.Select(RenameToJson));
        return json;
    }

    public static JsonObject SchemaToJson(DatabaseModel schema)
    {
        var json = new JsonObject();
        AddSchema(json, schema);
        return json;
    }

    public static string Write(JsonNode node)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
            WriteSorted(writer, node);
        buffer.WriteByte((byte)'\n');
        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    private static void WriteSorted(Utf8JsonWriter writer, JsonNode? node)
    {
        switch (node)
        {
            case null:
                writer.WriteNullValue();
                break;
            case JsonObject obj:
                writer.WriteStartObject();
                foreach (var (key, value) in obj.OrderBy(p => p.Key, StringComparer.Ordinal))
                {
                    writer.WritePropertyName(key);
                    WriteSorted(writer, value);
                }
                writer.WriteEndObject();
                break;
            case JsonArray array:
                writer.WriteStartArray();
                foreach (var item in array)
                    WriteSorted(writer, item);
                writer.WriteEndArray();
                break;
            default:
                node.WriteTo(writer);
                break;
        }
    }

    private static void AddSchema(JsonObject json, DatabaseModel schema)
    {
        var model = schema.Normalize();
        json.PutArray("schemas", model.Schemas.Select(s => JsonValue.Create(s)));
        json.PutArray("enums", model.Enums.Select(EnumToJson));
        json.PutArray("sequences", model.Sequences.Select(SequenceToJson));
        json.PutArray("tables", model.Tables.Select(TableToJson));
        json.PutArray("views", model.Views.Select(ViewToJson));
    }

    private static JsonObject EnumToJson(EnumType type)
    {
        var json = Named(type.Schema, type.Name);
        json.PutArray("values", type.Values.Select(v => JsonValue.Create(v)));
        json.PutString("comment", type.Comment);
        return json;
    }

    private static JsonObject SequenceToJson(Sequence sequence)
    {
        var json = Named(sequence.Schema, sequence.Name);
        json.PutObject("options", OptionsToJson(sequence.Options));
        json.PutString("comment", sequence.Comment);
        return json;
    }

    private static JsonObject OptionsToJson(SequenceOptions options)
    {
        var json = new JsonObject();
        json.PutString("dataType", options.DataType);
        json.PutNumber("startWith", options.StartWith);
        json.PutNumber("incrementBy", options.IncrementBy);
        json.PutNumber("minValue", options.MinValue);
        json.PutNumber("maxValue", options.MaxValue);
        json.PutNumber("cache", options.Cache);
        json.PutFlag("cycle", options.Cycle);
        return json;
    }

    private static JsonObject TableToJson(Table table)
    {
        var json = Named(table.Schema, table.Name);
        json.PutArray("columns", table.Columns.Select(ColumnToJson));
        if (table.PrimaryKey is { } key)
            json["primaryKey"] = new JsonObject { ["name"] = key.Name, ["columns"] = Strings(key.Columns) };
        json.PutArray("uniques", table.Uniques.Select(UniqueToJson));
        json.PutArray("checks", table.Checks.Select(c => new JsonObject { ["name"] = c.Name, ["expression"] = c.Expression }));
        json.PutArray("foreignKeys", table.ForeignKeys.Select(ForeignKeyToJson));
        json.PutArray("indexes", table.Indexes.Select(IndexToJson));
        json.PutString("comment", table.Comment);
        return json;
    }

    private static JsonObject ColumnToJson(Column column)
    {
        var json = new JsonObject { ["name"] = column.Name, ["type"] = TypeToJson(column.Type) };
        json.PutFlag("notNull", column.NotNull);
        json.PutString("default", column.Default);
        if (column.Identity is { } identity)
        {
            var identityJson = new JsonObject { ["generation"] = SnapshotNames.IdentityGenerations.NameOf(identity.Generation) };
            identityJson.PutObject("options", OptionsToJson(identity.Options));
            json["identity"] = identityJson;
        }
        json.PutString("generatedAs", column.GeneratedAs);
        json.PutString("comment", column.Comment);
        return json;
    }

    private static JsonObject TypeToJson(ColumnType type)
    {
        var json = new JsonObject { ["kind"] = SnapshotNames.TypeKinds.NameOf(type.Kind) };
        json.PutNumber("length", type.Length);
        json.PutNumber("precision", type.Precision);
        json.PutNumber("scale", type.Scale);
        if (type.EnumName is { } enumName)
            json["enum"] = Named(enumName.Schema, enumName.Name);
        json.PutString("raw", type.RawName);
        if (type.ArrayDimensions != 0)
            json["arrayDimensions"] = type.ArrayDimensions;
        return json;
    }

    private static JsonObject UniqueToJson(UniqueConstraint unique)
    {
        var json = new JsonObject { ["name"] = unique.Name, ["columns"] = Strings(unique.Columns) };
        json.PutFlag("nullsNotDistinct", unique.NullsNotDistinct);
        return json;
    }

    private static JsonObject ForeignKeyToJson(ForeignKey key)
    {
        var json = new JsonObject
        {
            ["name"] = key.Name,
            ["columns"] = Strings(key.Columns),
            ["references"] = Named(key.ReferencedTable.Schema, key.ReferencedTable.Name),
            ["referencedColumns"] = Strings(key.ReferencedColumns),
        };
        if (key.OnDelete != ReferentialAction.NoAction)
            json["onDelete"] = SnapshotNames.ReferentialActions.NameOf(key.OnDelete);
        if (key.OnUpdate != ReferentialAction.NoAction)
            json["onUpdate"] = SnapshotNames.ReferentialActions.NameOf(key.OnUpdate);
        json.PutFlag("deferrable", key.Deferrable);
        json.PutFlag("initiallyDeferred", key.InitiallyDeferred);
        return json;
    }

    private static JsonObject IndexToJson(Model.Index index)
    {
        var json = new JsonObject
        {
            ["name"] = index.Name,
            ["elements"] = new JsonArray([.. index.Elements.Select(IndexElementToJson)]),
            ["method"] = index.Method,
        };
        json.PutFlag("unique", index.Unique);
        json.PutArray("include", index.Include.Select(c => JsonValue.Create(c)));
        json.PutString("where", index.Where);
        json.PutFlag("nullsNotDistinct", index.NullsNotDistinct);
        json.PutFlag("concurrently", index.Concurrently);
        return json;
    }

    private static JsonObject IndexElementToJson(IndexElement element)
    {
        var json = new JsonObject();
        json.PutString("column", element.Column);
        json.PutString("expression", element.Expression);
        if (element.Direction != SortDirection.Ascending)
            json["direction"] = SnapshotNames.SortDirections.NameOf(element.Direction);
        if (element.Nulls != NullsOrder.Default)
            json["nulls"] = SnapshotNames.NullsOrders.NameOf(element.Nulls);
        json.PutString("operatorClass", element.OperatorClass);
        return json;
    }

    private static JsonObject ViewToJson(View view)
    {
        var json = Named(view.Schema, view.Name);
        json["definition"] = view.Definition;
        json.PutFlag("materialized", view.Materialized);
        json.PutArray("dependsOn", view.DependsOn.Select(d => Named(d.Schema, d.Name)));
        json.PutString("comment", view.Comment);
        return json;
    }

    private static JsonObject RenameToJson(Rename rename) => new()
    {
        ["kind"] = SnapshotNames.ObjectKinds.NameOf(rename.Kind),
        ["from"] = rename.From,
        ["to"] = rename.To,
    };

    private static JsonObject Named(string schema, string name) => new() { ["schema"] = schema, ["name"] = name };

    private static JsonArray Strings(IEnumerable<string> values) => new([.. values.Select(v => JsonValue.Create(v))]);

    private static void PutString(this JsonObject json, string key, string? value)
    {
        if (value is not null)
            json[key] = value;
    }

    private static void PutNumber(this JsonObject json, string key, long? value)
    {
        if (value is { } number)
            json[key] = number;
    }

    private static void PutFlag(this JsonObject json, string key, bool value)
    {
        if (value)
            json[key] = true;
    }

    private static void PutArray<T>(this JsonObject json, string key, IEnumerable<T> items) where T : JsonNode?
    {
        var array = new JsonArray([.. items]);
        if (array.Count > 0)
            json[key] = array;
    }

    private static void PutObject(this JsonObject json, string key, JsonObject value)
    {
        if (value.Count > 0)
            json[key] = value;
    }
}
