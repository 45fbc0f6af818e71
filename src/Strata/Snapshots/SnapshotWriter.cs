using System.Buffers;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Strata.Diffing;
using Strata.Model;

namespace Strata.Snapshots;

/// <summary>
/// Writes a snapshot property by property, straight to UTF-8 (a 1000-table schema is a few MB and
/// <c>generate</c> writes one every run). Keys are written in ordinal order by hand, each object's
/// properties listed alphabetically below; a test checks every object of a snapshot using every model
/// feature is sorted. Values equal to their default (null, false, empty list, default options) are
/// left out, so adding an optional feature to the model does not change existing snapshots.
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
        SkipValidation = true,
    };

    // generate hashes a schema's JSON for the snapshot id and then writes the same JSON inside the
    // snapshot: both come from one serialization, remembered per model instance (by reference, weakly).
    private static readonly ConditionalWeakTable<DatabaseModel, SchemaJson> SchemaJsonByModel = new();

    public static string Write(Snapshot snapshot) => Encoding.UTF8.GetString(WriteUtf8(snapshot));

    public static byte[] WriteUtf8(Snapshot snapshot)
    {
        var schema = SchemaJsonByModel.GetValue(snapshot.Schema, CreateSchemaJson);
        return Write(w => WriteSnapshot(w, snapshot, schema)).ToArray();
    }

    public static ReadOnlySpan<byte> WriteSchema(DatabaseModel schema) => SchemaJsonByModel.GetValue(schema, CreateSchemaJson).Bytes;

    /// <summary>
    /// The schema alone as a JSON object, and where each top-level value sits in it. The snapshot is the
    /// same object with more keys, at the same depth, so those values are copied byte for byte.
    /// </summary>
    private sealed class SchemaJson(byte[] bytes, Dictionary<string, Range> values)
    {
        public byte[] Bytes { get; } = bytes;

        public ReadOnlySpan<byte> ValueOf(string key) => values.TryGetValue(key, out var range) ? Bytes.AsSpan()[range] : default;
    }

    private static SchemaJson CreateSchemaJson(DatabaseModel schema)
    {
        var values = new Dictionary<string, Range>(StringComparer.Ordinal);
        var buffer = new ArrayBufferWriter<byte>(64 * 1024);
        using (var w = new Utf8JsonWriter(buffer, WriterOptions))
        {
            var model = schema.Normalize();
            w.WriteStartObject();
            Property(w, buffer, values, "enums", w => Array(w, "enums", model.Enums, WriteEnum));
            Property(w, buffer, values, "schemas", w => Array(w, "schemas", model.Schemas, (w, s) => w.WriteStringValue(s)));
            Property(w, buffer, values, "sequences", w => Array(w, "sequences", model.Sequences, WriteSequence));
            Property(w, buffer, values, "tables", w => Array(w, "tables", model.Tables, WriteTable));
            Property(w, buffer, values, "views", w => Array(w, "views", model.Views, WriteView));
            w.WriteEndObject();
        }
        buffer.Write("\n"u8);
        return new SchemaJson(buffer.WrittenSpan.ToArray(), values);
    }

    // Records the range of the property's value: what follows the first `": ` written for it (the key
    // is one of ours and holds no such text); nothing when the property was left out.
    private static void Property(Utf8JsonWriter w, ArrayBufferWriter<byte> buffer, Dictionary<string, Range> values, string key, Action<Utf8JsonWriter> write)
    {
        w.Flush();
        var start = buffer.WrittenCount;
        write(w);
        w.Flush();
        var end = buffer.WrittenCount;
        if (end == start)
            return;
        var valueStart = start + buffer.WrittenSpan[start..end].IndexOf("\": "u8) + 3;
        values[key] = new Range(valueStart, end);
    }

    private static ReadOnlySpan<byte> Write(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>(64 * 1024);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
            write(writer);
        buffer.Write("\n"u8);
        return buffer.WrittenSpan;
    }

    private static void WriteSnapshot(Utf8JsonWriter w, Snapshot snapshot, SchemaJson schema)
    {
        w.WriteStartObject();
        w.WriteString("dialect", "postgresql");
        // The keys in ordinal order, the schema's own ones copied from its JSON.
        Raw(w, "enums", schema);
        w.WriteString("id", snapshot.Id);
        OptionalString(w, "parentId", snapshot.ParentId);
        Array(w, "renames", snapshot.Renames, WriteRename);
        Raw(w, "schemas", schema);
        Raw(w, "sequences", schema);
        Raw(w, "tables", schema);
        w.WriteNumber("version", Snapshot.CurrentVersion);
        Raw(w, "views", schema);
        w.WriteEndObject();
    }

    private static void Raw(Utf8JsonWriter w, string key, SchemaJson schema)
    {
        var value = schema.ValueOf(key);
        if (value.IsEmpty)
            return;
        w.WritePropertyName(key);
        w.WriteRawValue(value, skipInputValidation: true);
    }

    private static void WriteEnum(Utf8JsonWriter w, EnumType type)
    {
        w.WriteStartObject();
        OptionalString(w, "comment", type.Comment);
        w.WriteString("name", type.Name);
        w.WriteString("schema", type.Schema);
        Array(w, "values", type.Values, (w, v) => w.WriteStringValue(v));
        w.WriteEndObject();
    }

    private static void WriteSequence(Utf8JsonWriter w, Sequence sequence)
    {
        w.WriteStartObject();
        OptionalString(w, "comment", sequence.Comment);
        w.WriteString("name", sequence.Name);
        Options(w, "options", sequence.Options);
        w.WriteString("schema", sequence.Schema);
        w.WriteEndObject();
    }

    private static void Options(Utf8JsonWriter w, string key, SequenceOptions options)
    {
        if (options == SequenceOptions.Default)
            return;
        w.WriteStartObject(key);
        OptionalNumber(w, "cache", options.Cache);
        Flag(w, "cycle", options.Cycle);
        OptionalString(w, "dataType", options.DataType);
        OptionalNumber(w, "incrementBy", options.IncrementBy);
        OptionalNumber(w, "maxValue", options.MaxValue);
        OptionalNumber(w, "minValue", options.MinValue);
        OptionalNumber(w, "startWith", options.StartWith);
        w.WriteEndObject();
    }

    private static void WriteTable(Utf8JsonWriter w, Table table)
    {
        w.WriteStartObject();
        Array(w, "checks", table.Checks, (w, check) =>
        {
            w.WriteStartObject();
            w.WriteString("expression", check.Expression);
            w.WriteString("name", check.Name);
            w.WriteEndObject();
        });
        Array(w, "columns", table.Columns, WriteColumn);
        OptionalString(w, "comment", table.Comment);
        Array(w, "foreignKeys", table.ForeignKeys, WriteForeignKey);
        Array(w, "indexes", table.Indexes, WriteIndex);
        w.WriteString("name", table.Name);
        if (table.PrimaryKey is { } key)
        {
            w.WriteStartObject("primaryKey");
            Strings(w, "columns", key.Columns);
            w.WriteString("name", key.Name);
            w.WriteEndObject();
        }
        w.WriteString("schema", table.Schema);
        Array(w, "uniques", table.Uniques, (w, unique) =>
        {
            w.WriteStartObject();
            Strings(w, "columns", unique.Columns);
            w.WriteString("name", unique.Name);
            Flag(w, "nullsNotDistinct", unique.NullsNotDistinct);
            w.WriteEndObject();
        });
        w.WriteEndObject();
    }

    private static void WriteColumn(Utf8JsonWriter w, Column column)
    {
        w.WriteStartObject();
        OptionalString(w, "comment", column.Comment);
        OptionalString(w, "default", column.Default);
        OptionalString(w, "generatedAs", column.GeneratedAs);
        if (column.Identity is { } identity)
        {
            w.WriteStartObject("identity");
            w.WriteString("generation", SnapshotNames.IdentityGenerations.NameOf(identity.Generation));
            Options(w, "options", identity.Options);
            w.WriteEndObject();
        }
        w.WriteString("name", column.Name);
        Flag(w, "notNull", column.NotNull);
        WriteType(w, column.Type);
        w.WriteEndObject();
    }

    private static void WriteType(Utf8JsonWriter w, ColumnType type)
    {
        w.WriteStartObject("type");
        if (type.ArrayDimensions != 0)
            w.WriteNumber("arrayDimensions", type.ArrayDimensions);
        if (type.EnumName is { } enumName)
            Named(w, "enum", enumName);
        w.WriteString("kind", SnapshotNames.TypeKinds.NameOf(type.Kind));
        OptionalNumber(w, "length", type.Length);
        OptionalNumber(w, "precision", type.Precision);
        OptionalString(w, "raw", type.RawName);
        OptionalNumber(w, "scale", type.Scale);
        w.WriteEndObject();
    }

    private static void WriteForeignKey(Utf8JsonWriter w, ForeignKey key)
    {
        w.WriteStartObject();
        Strings(w, "columns", key.Columns);
        Flag(w, "deferrable", key.Deferrable);
        Flag(w, "initiallyDeferred", key.InitiallyDeferred);
        w.WriteString("name", key.Name);
        if (key.OnDelete != ReferentialAction.NoAction)
            w.WriteString("onDelete", SnapshotNames.ReferentialActions.NameOf(key.OnDelete));
        if (key.OnUpdate != ReferentialAction.NoAction)
            w.WriteString("onUpdate", SnapshotNames.ReferentialActions.NameOf(key.OnUpdate));
        Strings(w, "referencedColumns", key.ReferencedColumns);
        Named(w, "references", key.ReferencedTable);
        w.WriteEndObject();
    }

    private static void WriteIndex(Utf8JsonWriter w, Model.Index index)
    {
        w.WriteStartObject();
        Flag(w, "concurrently", index.Concurrently);
        w.WritePropertyName("elements");
        w.WriteStartArray();
        foreach (var element in index.Elements)
            WriteIndexElement(w, element);
        w.WriteEndArray();
        Strings(w, "include", index.Include);
        w.WriteString("method", index.Method);
        w.WriteString("name", index.Name);
        Flag(w, "nullsNotDistinct", index.NullsNotDistinct);
        Flag(w, "unique", index.Unique);
        OptionalString(w, "where", index.Where);
        w.WriteEndObject();
    }

    private static void WriteIndexElement(Utf8JsonWriter w, IndexElement element)
    {
        w.WriteStartObject();
        OptionalString(w, "column", element.Column);
        if (element.Direction != SortDirection.Ascending)
            w.WriteString("direction", SnapshotNames.SortDirections.NameOf(element.Direction));
        OptionalString(w, "expression", element.Expression);
        if (element.Nulls != NullsOrder.Default)
            w.WriteString("nulls", SnapshotNames.NullsOrders.NameOf(element.Nulls));
        OptionalString(w, "operatorClass", element.OperatorClass);
        w.WriteEndObject();
    }

    private static void WriteView(Utf8JsonWriter w, View view)
    {
        w.WriteStartObject();
        OptionalString(w, "comment", view.Comment);
        w.WriteString("definition", view.Definition);
        Array(w, "dependsOn", view.DependsOn, (w, d) => Named(w, null, d));
        Array(w, "indexes", view.Indexes, WriteIndex);
        Flag(w, "materialized", view.Materialized);
        w.WriteString("name", view.Name);
        w.WriteString("schema", view.Schema);
        w.WriteEndObject();
    }

    private static void WriteRename(Utf8JsonWriter w, Rename rename)
    {
        w.WriteStartObject();
        w.WriteString("from", rename.From);
        w.WriteString("kind", SnapshotNames.ObjectKinds.NameOf(rename.Kind));
        w.WriteString("to", rename.To);
        w.WriteEndObject();
    }

    private static void Named(Utf8JsonWriter w, string? key, QualifiedName name)
    {
        if (key is null)
            w.WriteStartObject();
        else
            w.WriteStartObject(key);
        w.WriteString("name", name.Name);
        w.WriteString("schema", name.Schema);
        w.WriteEndObject();
    }

    private static void Array<T>(Utf8JsonWriter w, string key, ValueList<T> items, Action<Utf8JsonWriter, T> write)
    {
        if (items.Count == 0)
            return;
        w.WriteStartArray(key);
        foreach (var item in items)
            write(w, item);
        w.WriteEndArray();
    }

    private static void Strings(Utf8JsonWriter w, string key, ValueList<string> values) =>
        Array(w, key, values, (w, v) => w.WriteStringValue(v));

    private static void OptionalString(Utf8JsonWriter w, string key, string? value)
    {
        if (value is not null)
            w.WriteString(key, value);
    }

    private static void OptionalNumber(Utf8JsonWriter w, string key, long? value)
    {
        if (value is { } number)
            w.WriteNumber(key, number);
    }

    private static void Flag(Utf8JsonWriter w, string key, bool value)
    {
        if (value)
            w.WriteBoolean(key, true);
    }
}
