using System.Text;
using System.Text.Json;
using Strata.Diffing;
using Strata.Model;

namespace Strata.Snapshots;

/// <summary>
/// Reads a well-formed snapshot of the current format in one forward pass over its UTF-8 bytes: a
/// 1000-table snapshot is ~3 MB, and mapping it through a <see cref="JsonDocument"/> cost ~150 ms of
/// the ~200 ms spent reading it. It gives up (null) at the first thing that is not exactly what
/// <see cref="SnapshotReader"/> accepts — an unknown or repeated key, a value of the wrong kind, a
/// missing required value, an older version — and the caller reads the text again with
/// <see cref="SnapshotReader"/>, which says what and where the problem is. So it never decides an
/// error, and for a document both accept it builds the same snapshot (null values count as absent).
/// </summary>
internal static class SnapshotFastReader
{
    public static Snapshot? TryRead(string json)
    {
        var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(json));
        try
        {
            Next(ref reader);
            if (reader.TokenType != JsonTokenType.StartObject)
                return null;
            var snapshot = ReadSnapshot(ref reader);
            return reader.Read() ? null : snapshot;
        }
        catch (JsonException)
        {
            return null;
        }
        catch (GiveUpException)
        {
            return null;
        }
    }

    private sealed class GiveUpException : Exception;

    private delegate T ItemReader<out T>(ref Utf8JsonReader reader);

    private static Snapshot ReadSnapshot(ref Utf8JsonReader r)
    {
        int? version = null;
        string? dialect = null, id = null, parentId = null;
        ValueList<string> schemas = [];
        ValueList<EnumType> enums = [];
        ValueList<Sequence> sequences = [];
        ValueList<Table> tables = [];
        ValueList<View> views = [];
        ValueList<Rename> renames = [];
        var seen = 0;
        while (NextProperty(ref r, out var key))
        {
            if (Is(key, "version"u8, 0, ref seen)) version = OptionalInt(ref r);
            else if (Is(key, "dialect"u8, 1, ref seen)) dialect = OptionalString(ref r);
            else if (Is(key, "id"u8, 2, ref seen)) id = OptionalString(ref r);
            else if (Is(key, "parentId"u8, 3, ref seen)) parentId = OptionalString(ref r);
            else if (Is(key, "schemas"u8, 4, ref seen)) schemas = Strings(ref r);
            else if (Is(key, "enums"u8, 5, ref seen)) enums = Objects(ref r, ReadEnum);
            else if (Is(key, "sequences"u8, 6, ref seen)) sequences = Objects(ref r, ReadSequence);
            else if (Is(key, "tables"u8, 7, ref seen)) tables = Objects(ref r, ReadTable);
            else if (Is(key, "views"u8, 8, ref seen)) views = Objects(ref r, ReadView);
            else if (Is(key, "renames"u8, 9, ref seen)) renames = Objects(ref r, ReadRename);
            else throw new GiveUpException();
        }
        if (version != Snapshot.CurrentVersion || dialect != "postgresql" || id is null)
            throw new GiveUpException();
        return new Snapshot(id, parentId, new DatabaseModel(schemas, enums, sequences, tables, views).Normalize(), renames);
    }

    private static EnumType ReadEnum(ref Utf8JsonReader r)
    {
        string? schema = null, name = null, comment = null;
        ValueList<string> values = [];
        var seen = 0;
        while (NextProperty(ref r, out var key))
        {
            if (Is(key, "schema"u8, 0, ref seen)) schema = OptionalString(ref r);
            else if (Is(key, "name"u8, 1, ref seen)) name = OptionalString(ref r);
            else if (Is(key, "values"u8, 2, ref seen)) values = Strings(ref r);
            else if (Is(key, "comment"u8, 3, ref seen)) comment = OptionalString(ref r);
            else throw new GiveUpException();
        }
        return new EnumType(Required(schema), Required(name), values, comment);
    }

    private static Sequence ReadSequence(ref Utf8JsonReader r)
    {
        string? schema = null, name = null, comment = null;
        var options = SequenceOptions.Default;
        var seen = 0;
        while (NextProperty(ref r, out var key))
        {
            if (Is(key, "schema"u8, 0, ref seen)) schema = OptionalString(ref r);
            else if (Is(key, "name"u8, 1, ref seen)) name = OptionalString(ref r);
            else if (Is(key, "options"u8, 2, ref seen)) options = IsNull(ref r) ? SequenceOptions.Default : ReadOptions(ref r);
            else if (Is(key, "comment"u8, 3, ref seen)) comment = OptionalString(ref r);
            else throw new GiveUpException();
        }
        return new Sequence(Required(schema), Required(name), options, comment);
    }

    private static SequenceOptions ReadOptions(ref Utf8JsonReader r)
    {
        string? dataType = null;
        long? startWith = null, incrementBy = null, minValue = null, maxValue = null, cache = null;
        var cycle = false;
        var seen = 0;
        while (NextProperty(ref r, out var key))
        {
            if (Is(key, "dataType"u8, 0, ref seen)) dataType = OptionalString(ref r);
            else if (Is(key, "startWith"u8, 1, ref seen)) startWith = OptionalLong(ref r);
            else if (Is(key, "incrementBy"u8, 2, ref seen)) incrementBy = OptionalLong(ref r);
            else if (Is(key, "minValue"u8, 3, ref seen)) minValue = OptionalLong(ref r);
            else if (Is(key, "maxValue"u8, 4, ref seen)) maxValue = OptionalLong(ref r);
            else if (Is(key, "cache"u8, 5, ref seen)) cache = OptionalLong(ref r);
            else if (Is(key, "cycle"u8, 6, ref seen)) cycle = Flag(ref r);
            else throw new GiveUpException();
        }
        return new SequenceOptions(dataType, startWith, incrementBy, minValue, maxValue, cache, cycle);
    }

    private static Table ReadTable(ref Utf8JsonReader r)
    {
        string? schema = null, name = null, comment = null;
        ValueList<Column> columns = [];
        PrimaryKey? primaryKey = null;
        ValueList<UniqueConstraint> uniques = [];
        ValueList<CheckConstraint> checks = [];
        ValueList<ForeignKey> foreignKeys = [];
        ValueList<Model.Index> indexes = [];
        var seen = 0;
        while (NextProperty(ref r, out var key))
        {
            if (Is(key, "schema"u8, 0, ref seen)) schema = OptionalString(ref r);
            else if (Is(key, "name"u8, 1, ref seen)) name = OptionalString(ref r);
            else if (Is(key, "columns"u8, 2, ref seen)) columns = Objects(ref r, ReadColumn);
            else if (Is(key, "primaryKey"u8, 3, ref seen)) primaryKey = IsNull(ref r) ? null : ReadPrimaryKey(ref r);
            else if (Is(key, "uniques"u8, 4, ref seen)) uniques = Objects(ref r, ReadUnique);
            else if (Is(key, "checks"u8, 5, ref seen)) checks = Objects(ref r, ReadCheck);
            else if (Is(key, "foreignKeys"u8, 6, ref seen)) foreignKeys = Objects(ref r, ReadForeignKey);
            else if (Is(key, "indexes"u8, 7, ref seen)) indexes = Objects(ref r, ReadIndex);
            else if (Is(key, "comment"u8, 8, ref seen)) comment = OptionalString(ref r);
            else throw new GiveUpException();
        }
        return new Table(Required(schema), Required(name), columns, primaryKey, uniques, checks, foreignKeys, indexes, comment);
    }

    private static PrimaryKey ReadPrimaryKey(ref Utf8JsonReader r)
    {
        string? name = null;
        ValueList<string> columns = [];
        var seen = 0;
        while (NextProperty(ref r, out var key))
        {
            if (Is(key, "name"u8, 0, ref seen)) name = OptionalString(ref r);
            else if (Is(key, "columns"u8, 1, ref seen)) columns = Strings(ref r);
            else throw new GiveUpException();
        }
        return new PrimaryKey(Required(name), columns);
    }

    private static UniqueConstraint ReadUnique(ref Utf8JsonReader r)
    {
        string? name = null;
        ValueList<string> columns = [];
        var nullsNotDistinct = false;
        var seen = 0;
        while (NextProperty(ref r, out var key))
        {
            if (Is(key, "name"u8, 0, ref seen)) name = OptionalString(ref r);
            else if (Is(key, "columns"u8, 1, ref seen)) columns = Strings(ref r);
            else if (Is(key, "nullsNotDistinct"u8, 2, ref seen)) nullsNotDistinct = Flag(ref r);
            else throw new GiveUpException();
        }
        return new UniqueConstraint(Required(name), columns, nullsNotDistinct);
    }

    private static CheckConstraint ReadCheck(ref Utf8JsonReader r)
    {
        string? name = null, expression = null;
        var seen = 0;
        while (NextProperty(ref r, out var key))
        {
            if (Is(key, "name"u8, 0, ref seen)) name = OptionalString(ref r);
            else if (Is(key, "expression"u8, 1, ref seen)) expression = OptionalString(ref r);
            else throw new GiveUpException();
        }
        return new CheckConstraint(Required(name), Required(expression));
    }

    private static Column ReadColumn(ref Utf8JsonReader r)
    {
        string? name = null, defaultSql = null, generatedAs = null, comment = null;
        ColumnType? type = null;
        Identity? identity = null;
        var notNull = false;
        var seen = 0;
        while (NextProperty(ref r, out var key))
        {
            if (Is(key, "name"u8, 0, ref seen)) name = OptionalString(ref r);
            else if (Is(key, "type"u8, 1, ref seen)) type = IsNull(ref r) ? null : ReadType(ref r);
            else if (Is(key, "notNull"u8, 2, ref seen)) notNull = Flag(ref r);
            else if (Is(key, "default"u8, 3, ref seen)) defaultSql = OptionalString(ref r);
            else if (Is(key, "identity"u8, 4, ref seen)) identity = IsNull(ref r) ? null : ReadIdentity(ref r);
            else if (Is(key, "generatedAs"u8, 5, ref seen)) generatedAs = OptionalString(ref r);
            else if (Is(key, "comment"u8, 6, ref seen)) comment = OptionalString(ref r);
            else throw new GiveUpException();
        }
        return new Column(Required(name), type ?? throw new GiveUpException(), notNull, defaultSql, identity, generatedAs, comment);
    }

    private static Identity ReadIdentity(ref Utf8JsonReader r)
    {
        IdentityGeneration? generation = null;
        var options = SequenceOptions.Default;
        var seen = 0;
        while (NextProperty(ref r, out var key))
        {
            if (Is(key, "generation"u8, 0, ref seen)) generation = OptionalName(ref r, SnapshotNames.IdentityGenerations);
            else if (Is(key, "options"u8, 1, ref seen)) options = IsNull(ref r) ? SequenceOptions.Default : ReadOptions(ref r);
            else throw new GiveUpException();
        }
        return new Identity(generation ?? throw new GiveUpException(), options);
    }

    private static ColumnType ReadType(ref Utf8JsonReader r)
    {
        TypeKind? kind = null;
        int? length = null, precision = null, scale = null, arrayDimensions = null;
        QualifiedName? enumName = null;
        string? raw = null;
        var seen = 0;
        while (NextProperty(ref r, out var key))
        {
            if (Is(key, "kind"u8, 0, ref seen)) kind = OptionalName(ref r, SnapshotNames.TypeKinds);
            else if (Is(key, "length"u8, 1, ref seen)) length = OptionalInt(ref r);
            else if (Is(key, "precision"u8, 2, ref seen)) precision = OptionalInt(ref r);
            else if (Is(key, "scale"u8, 3, ref seen)) scale = OptionalInt(ref r);
            else if (Is(key, "enum"u8, 4, ref seen)) enumName = IsNull(ref r) ? null : ReadQualifiedName(ref r);
            else if (Is(key, "raw"u8, 5, ref seen)) raw = OptionalString(ref r);
            else if (Is(key, "arrayDimensions"u8, 6, ref seen)) arrayDimensions = OptionalInt(ref r);
            else throw new GiveUpException();
        }
        var type = new ColumnType(kind ?? throw new GiveUpException(), length, precision, scale, enumName, raw, arrayDimensions ?? 0);
        if ((type.Kind == TypeKind.Enum && type.EnumName is null) || (type.Kind == TypeKind.Raw && type.RawName is null))
            throw new GiveUpException();
        return type;
    }

    private static QualifiedName ReadQualifiedName(ref Utf8JsonReader r)
    {
        string? schema = null, name = null;
        var seen = 0;
        while (NextProperty(ref r, out var key))
        {
            if (Is(key, "schema"u8, 0, ref seen)) schema = OptionalString(ref r);
            else if (Is(key, "name"u8, 1, ref seen)) name = OptionalString(ref r);
            else throw new GiveUpException();
        }
        return new QualifiedName(Required(schema), Required(name));
    }

    private static ForeignKey ReadForeignKey(ref Utf8JsonReader r)
    {
        string? name = null;
        ValueList<string> columns = [], referencedColumns = [];
        QualifiedName? references = null;
        ReferentialAction? onDelete = null, onUpdate = null;
        bool deferrable = false, initiallyDeferred = false;
        var seen = 0;
        while (NextProperty(ref r, out var key))
        {
            if (Is(key, "name"u8, 0, ref seen)) name = OptionalString(ref r);
            else if (Is(key, "columns"u8, 1, ref seen)) columns = Strings(ref r);
            else if (Is(key, "references"u8, 2, ref seen)) references = IsNull(ref r) ? null : ReadQualifiedName(ref r);
            else if (Is(key, "referencedColumns"u8, 3, ref seen)) referencedColumns = Strings(ref r);
            else if (Is(key, "onDelete"u8, 4, ref seen)) onDelete = OptionalName(ref r, SnapshotNames.ReferentialActions);
            else if (Is(key, "onUpdate"u8, 5, ref seen)) onUpdate = OptionalName(ref r, SnapshotNames.ReferentialActions);
            else if (Is(key, "deferrable"u8, 6, ref seen)) deferrable = Flag(ref r);
            else if (Is(key, "initiallyDeferred"u8, 7, ref seen)) initiallyDeferred = Flag(ref r);
            else throw new GiveUpException();
        }
        return new ForeignKey(
            Required(name),
            columns,
            references ?? throw new GiveUpException(),
            referencedColumns,
            onDelete ?? ReferentialAction.NoAction,
            onUpdate ?? ReferentialAction.NoAction,
            deferrable,
            initiallyDeferred);
    }

    private static Model.Index ReadIndex(ref Utf8JsonReader r)
    {
        string? name = null, method = null, where = null;
        ValueList<IndexElement> elements = [];
        ValueList<string> include = [];
        bool unique = false, nullsNotDistinct = false, concurrently = false;
        var seen = 0;
        while (NextProperty(ref r, out var key))
        {
            if (Is(key, "name"u8, 0, ref seen)) name = OptionalString(ref r);
            else if (Is(key, "elements"u8, 1, ref seen)) elements = Objects(ref r, ReadIndexElement);
            else if (Is(key, "unique"u8, 2, ref seen)) unique = Flag(ref r);
            else if (Is(key, "method"u8, 3, ref seen)) method = OptionalString(ref r);
            else if (Is(key, "include"u8, 4, ref seen)) include = Strings(ref r);
            else if (Is(key, "where"u8, 5, ref seen)) where = OptionalString(ref r);
            else if (Is(key, "nullsNotDistinct"u8, 6, ref seen)) nullsNotDistinct = Flag(ref r);
            else if (Is(key, "concurrently"u8, 7, ref seen)) concurrently = Flag(ref r);
            else throw new GiveUpException();
        }
        return new Model.Index(Required(name), elements, unique, Required(method), include, where, nullsNotDistinct, concurrently);
    }

    private static IndexElement ReadIndexElement(ref Utf8JsonReader r)
    {
        string? column = null, expression = null, operatorClass = null;
        SortDirection? direction = null;
        NullsOrder? nulls = null;
        var seen = 0;
        while (NextProperty(ref r, out var key))
        {
            if (Is(key, "column"u8, 0, ref seen)) column = OptionalString(ref r);
            else if (Is(key, "expression"u8, 1, ref seen)) expression = OptionalString(ref r);
            else if (Is(key, "direction"u8, 2, ref seen)) direction = OptionalName(ref r, SnapshotNames.SortDirections);
            else if (Is(key, "nulls"u8, 3, ref seen)) nulls = OptionalName(ref r, SnapshotNames.NullsOrders);
            else if (Is(key, "operatorClass"u8, 4, ref seen)) operatorClass = OptionalString(ref r);
            else throw new GiveUpException();
        }
        if ((column is null) == (expression is null))
            throw new GiveUpException();
        return new IndexElement(column, expression, direction ?? SortDirection.Ascending, nulls ?? NullsOrder.Default, operatorClass);
    }

    private static View ReadView(ref Utf8JsonReader r)
    {
        string? schema = null, name = null, definition = null, comment = null;
        var materialized = false;
        ValueList<QualifiedName> dependsOn = [];
        ValueList<Model.Index> indexes = [];
        var seen = 0;
        while (NextProperty(ref r, out var key))
        {
            if (Is(key, "schema"u8, 0, ref seen)) schema = OptionalString(ref r);
            else if (Is(key, "name"u8, 1, ref seen)) name = OptionalString(ref r);
            else if (Is(key, "definition"u8, 2, ref seen)) definition = OptionalString(ref r);
            else if (Is(key, "materialized"u8, 3, ref seen)) materialized = Flag(ref r);
            else if (Is(key, "dependsOn"u8, 4, ref seen)) dependsOn = Objects(ref r, ReadQualifiedName);
            else if (Is(key, "comment"u8, 5, ref seen)) comment = OptionalString(ref r);
            else if (Is(key, "indexes"u8, 6, ref seen)) indexes = Objects(ref r, ReadIndex);
            else throw new GiveUpException();
        }
        return new View(Required(schema), Required(name), Required(definition), materialized, dependsOn, comment, indexes);
    }

    private static Rename ReadRename(ref Utf8JsonReader r)
    {
        ObjectKind? kind = null;
        string? from = null, to = null;
        var seen = 0;
        while (NextProperty(ref r, out var key))
        {
            if (Is(key, "kind"u8, 0, ref seen)) kind = OptionalName(ref r, SnapshotNames.ObjectKinds);
            else if (Is(key, "from"u8, 1, ref seen)) from = OptionalString(ref r);
            else if (Is(key, "to"u8, 2, ref seen)) to = OptionalString(ref r);
            else throw new GiveUpException();
        }
        return new Rename(kind ?? throw new GiveUpException(), Required(from), Required(to));
    }

    private static void Next(ref Utf8JsonReader r)
    {
        if (!r.Read())
            throw new GiveUpException();
    }

    /// <summary>
    /// Moves to the next property of the object the reader is in (the first when it is on the object's
    /// start) and onto its value; false at the object's end.
    /// </summary>
    private static bool NextProperty(ref Utf8JsonReader r, out ReadOnlySpan<byte> key)
    {
        Next(ref r);
        if (r.TokenType == JsonTokenType.EndObject)
        {
            key = default;
            return false;
        }
        if (r.TokenType != JsonTokenType.PropertyName || r.ValueIsEscaped)
            throw new GiveUpException();
        key = r.ValueSpan;
        Next(ref r);
        return true;
    }

    // Every key is read once per object: a repeated one (which SnapshotReader refuses) gives up.
    private static bool Is(ReadOnlySpan<byte> key, ReadOnlySpan<byte> expected, int bit, ref int seen)
    {
        if (!key.SequenceEqual(expected))
            return false;
        if ((seen & (1 << bit)) != 0)
            throw new GiveUpException();
        seen |= 1 << bit;
        return true;
    }

    private static bool IsNull(ref Utf8JsonReader r) => r.TokenType switch
    {
        JsonTokenType.Null => true,
        JsonTokenType.StartObject => false,
        _ => throw new GiveUpException(),
    };

    private static string Required(string? value) => value ?? throw new GiveUpException();

    private static string? OptionalString(ref Utf8JsonReader r) => r.TokenType switch
    {
        JsonTokenType.String => r.GetString(),
        JsonTokenType.Null => null,
        _ => throw new GiveUpException(),
    };

    private static bool Flag(ref Utf8JsonReader r) => r.TokenType switch
    {
        JsonTokenType.True => true,
        JsonTokenType.False or JsonTokenType.Null => false,
        _ => throw new GiveUpException(),
    };

    private static int? OptionalInt(ref Utf8JsonReader r) => r.TokenType switch
    {
        JsonTokenType.Number when r.TryGetInt32(out var value) => value,
        JsonTokenType.Null => null,
        _ => throw new GiveUpException(),
    };

    private static long? OptionalLong(ref Utf8JsonReader r) => r.TokenType switch
    {
        JsonTokenType.Number when r.TryGetInt64(out var value) => value,
        JsonTokenType.Null => null,
        _ => throw new GiveUpException(),
    };

    private static T? OptionalName<T>(ref Utf8JsonReader r, SnapshotNames.Names<T> names) where T : struct, Enum =>
        OptionalString(ref r) is { } name
            ? names.TryParse(name, out var value) ? value : throw new GiveUpException()
            : null;

    private static ValueList<string> Strings(ref Utf8JsonReader r)
    {
        if (r.TokenType == JsonTokenType.Null)
            return [];
        if (r.TokenType != JsonTokenType.StartArray)
            throw new GiveUpException();
        var items = new List<string>();
        while (true)
        {
            Next(ref r);
            if (r.TokenType == JsonTokenType.EndArray)
                return items.ToValueList();
            if (r.TokenType != JsonTokenType.String)
                throw new GiveUpException();
            items.Add(r.GetString()!);
        }
    }

    private static ValueList<T> Objects<T>(ref Utf8JsonReader r, ItemReader<T> read)
    {
        if (r.TokenType == JsonTokenType.Null)
            return [];
        if (r.TokenType != JsonTokenType.StartArray)
            throw new GiveUpException();
        var items = new List<T>();
        while (true)
        {
            Next(ref r);
            if (r.TokenType == JsonTokenType.EndArray)
                return items.ToValueList();
            if (r.TokenType != JsonTokenType.StartObject)
                throw new GiveUpException();
            items.Add(read(ref r));
        }
    }
}
