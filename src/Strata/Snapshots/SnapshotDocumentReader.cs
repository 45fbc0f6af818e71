using System.Numerics;
using System.Text;
using System.Text.Json;
using Strata.Model;

namespace Strata.Snapshots;

/// <summary>
/// Reads a well-formed snapshot into the snapshot documents in one forward pass over its UTF-8 bytes,
/// without System.Text.Json's serializer: building its metadata costs a command ~30 ms before the first
/// byte, and its deserializer another ~50 % over this pass. It fills the same records the writer
/// serializes, one field table per record (a test holds each table to the generated metadata's
/// properties, so the two cannot disagree about the format), and gives up (null) at the first thing
/// that is not plainly right — an unknown or repeated key, a value of the wrong kind, a null list item,
/// broken JSON. The caller then reads the text through the serializer, which says what and where the
/// problem is; so this never decides an error.
/// </summary>
/// <remarks>
/// A kind of object brings its record's field table, and its fields on the central records (a top-level
/// list, a column type's name of it), in a partial part in its own file (<see cref="KindFields"/>): each
/// such field takes its place among the record's own by name, the order the keys are written in.
/// </remarks>
internal static partial class SnapshotDocumentReader
{
    // Not a pooled buffer: one as long as the worst case (3 bytes a char, rounded up to a power of two)
    // would be a fresh 16 MB for a 3 MB snapshot, and a command reads a snapshot once or twice.
    public static SnapshotDocument? TryRead(string json) => TryRead(Encoding.UTF8.GetBytes(json));

    public static SnapshotDocument? TryRead(ReadOnlySpan<byte> utf8)
    {
        var reader = new Utf8JsonReader(utf8, isFinalBlock: true, state: default);
        try
        {
            Next(ref reader);
            var document = Object(ref reader, SnapshotShape);
            return document is null || reader.Read() ? null : document;
        }
        catch (JsonException)
        {
            return null;
        }
        catch (GiveUpException)
        {
            return null;
        }
        catch (InvalidOperationException)
        {
            // GetString of text that is not valid UTF-8.
            return null;
        }
    }

    /// <summary>The JSON property names this reader accepts, per document type, in the order they are written in.</summary>
    internal static IReadOnlyDictionary<Type, string[]> PropertyNames
    {
        get
        {
            var names = CentralPropertyNames();
            foreach (var kind in KindFieldsInOrder)
            {
                foreach (var (type, kindNames) in kind.OwnShapes())
                    names.Add(type, kindNames);
            }
            return names;
        }
    }

    private static Dictionary<Type, string[]> CentralPropertyNames() => new()
    {
        [typeof(SnapshotDocument)] = SnapshotShape.Names,
        [typeof(EnumDocument)] = EnumShape.Names,
        [typeof(SequenceDocument)] = SequenceShape.Names,
        [typeof(SequenceOptionsDocument)] = OptionsShape.Names,
        [typeof(TableDocument)] = TableShape.Names,
        [typeof(CheckDocument)] = CheckShape.Names,
        [typeof(ReadDocument)] = ReadShape.Names,
        [typeof(ColumnDocument)] = ColumnShape.Names,
        [typeof(IdentityDocument)] = IdentityShape.Names,
        [typeof(ColumnTypeDocument)] = ColumnTypeShape.Names,
        [typeof(ForeignKeyDocument)] = ForeignKeyShape.Names,
        [typeof(IndexDocument)] = IndexShape.Names,
        [typeof(IndexElementDocument)] = IndexElementShape.Names,
        [typeof(PrimaryKeyDocument)] = PrimaryKeyShape.Names,
        [typeof(UniqueDocument)] = UniqueShape.Names,
        [typeof(ViewDocument)] = ViewShape.Names,
        [typeof(QualifiedNameDocument)] = QualifiedNameShape.Names,
        [typeof(RenameDocument)] = RenameShape.Names,
    };

    // A kind of object declared in its own file brings its fields in a partial part of this class (see KindRegistry).
    private static KindRegistry<KindFields>? _kinds;

    /// <summary>What a kind of object adds to the reader.</summary>
    /// <param name="Fields">Its fields on central records (<see cref="Field{T}"/>), each placed among the record's own by its name.</param>
    /// <param name="OwnShapes">Its own records and the names of their fields, for <see cref="PropertyNames"/>.</param>
    internal sealed record KindFields(int Order, KindField[] Fields, Func<Dictionary<Type, string[]>> OwnShapes) : IKindPart;

    /// <summary>A field a kind adds to a central record: its JSON name and how its value is read.</summary>
    internal abstract class KindField(string name)
    {
        public string Name { get; } = name;
    }

    internal sealed class KindField<T>(string name, ReadInto<T> read) : KindField(name)
        where T : class
    {
        public ReadInto<T> Read { get; } = read;
    }

    private static KindFields Register(KindFields kind) => (_kinds ??= new()).Add(kind);

    internal static KindFields[] KindFieldsInOrder => _kinds?.InOrder ?? [];

    private static KindField Field<T>(string name, ReadInto<T> read) where T : class => new KindField<T>(name, read);

    /// <summary>The fields the kinds add to the record <typeparamref name="T"/>.</summary>
    private static KindField<T>[] AddedTo<T>() where T : class
    {
        var fields = new List<KindField<T>>();
        foreach (var kind in KindFieldsInOrder)
        {
            foreach (var field in kind.Fields)
            {
                if (field is KindField<T> added)
                    fields.Add(added);
            }
        }
        return fields.ToArray();
    }

    private sealed class GiveUpException : Exception;

    internal delegate void ReadInto<in T>(ref Utf8JsonReader reader, T document);

    /// <summary>How an item of a list is read: an object of a shape, or a string.</summary>
    private interface IItemReader<out T>
        where T : class
    {
        T? Read(ref Utf8JsonReader reader);
    }

    private sealed class StringItems : IItemReader<string>
    {
        public static StringItems Instance { get; } = new();

        public string? Read(ref Utf8JsonReader reader) => String(ref reader);
    }

    /// <summary>One record's JSON properties: the name of each and how its value is read into the record.</summary>
    internal sealed class Shape<T> : IItemReader<T>
        where T : class
    {
        private readonly Func<T> _create;
        private readonly byte[][] _names;
        private readonly ReadInto<T>[] _reads;

        /// <summary>A record's fields, in the order they are written in.</summary>
        public Shape(Func<T> create, params (string Name, ReadInto<T> Read)[] fields)
            : this(create, [], fields)
        {
        }

        /// <summary>A record's own fields, in the order they are written in, and the fields kinds add to it, each placed by its name.</summary>
        public Shape(Func<T> create, KindField<T>[] added, params (string Name, ReadInto<T> Read)[] fields)
        {
            _create = create;
            var count = fields.Length + added.Length;
            // Find marks the keys it has seen in one ulong.
            if (count > 64)
                throw new InvalidOperationException($"{typeof(T).Name} has {count} fields; the reader takes at most 64 per record.");
            Names = new string[count];
            _reads = new ReadInto<T>[count];
            for (var i = 0; i < fields.Length; i++)
                (Names[i], _reads[i]) = (fields[i].Name, fields[i].Read);
            for (var i = 0; i < added.Length; i++)
                (Names[fields.Length + i], _reads[fields.Length + i]) = (added[i].Name, added[i].Read);
            if (added.Length > 0)
            {
                Array.Sort(Names, _reads, StringComparer.Ordinal);
                for (var i = 1; i < count; i++)
                {
                    if (Names[i] == Names[i - 1])
                        throw new InvalidOperationException($"{typeof(T).Name} has two fields named \"{Names[i]}\".");
                }
            }
            _names = new byte[count][];
            for (var i = 0; i < count; i++)
                _names[i] = Encoding.UTF8.GetBytes(Names[i]);
        }

        public string[] Names { get; }

        public T Create() => _create();

        public T? Read(ref Utf8JsonReader reader) => Object(ref reader, this);

        public ReadInto<T> Find(ref Utf8JsonReader reader, ref ulong seen)
        {
            // The writer never escapes a key (all are ASCII letters); an escaped one is left to the serializer.
            if (reader.ValueIsEscaped || reader.HasValueSequence)
                throw new GiveUpException();
            var key = reader.ValueSpan;
            // Keys are written in field order, so the one after the last found is tried first.
            var next = BitOperations.Log2(seen) + (seen == 0 ? 0 : 1);
            for (var n = 0; n < _names.Length; n++)
            {
                var i = next + n < _names.Length ? next + n : next + n - _names.Length;
                if (!key.SequenceEqual(_names[i]))
                    continue;
                if ((seen & (1UL << i)) != 0)
                    throw new GiveUpException();
                seen |= 1UL << i;
                return _reads[i];
            }
            throw new GiveUpException();
        }
    }

    // Each built on first use: reading an empty snapshot builds one.
    private static Shape<QualifiedNameDocument>? _qualifiedNameShape;

    private static Shape<QualifiedNameDocument> QualifiedNameShape => _qualifiedNameShape ??= new(() => new(),
        ("name", (ref Utf8JsonReader r, QualifiedNameDocument d) => d.Name = String(ref r)),
        ("schema", (ref Utf8JsonReader r, QualifiedNameDocument d) => d.Schema = String(ref r)));

    private static Shape<EnumDocument>? _enumShape;

    private static Shape<EnumDocument> EnumShape => _enumShape ??= new(() => new(),
        ("comment", (ref Utf8JsonReader r, EnumDocument d) => d.Comment = String(ref r)),
        ("name", (ref Utf8JsonReader r, EnumDocument d) => d.Name = String(ref r)),
        ("schema", (ref Utf8JsonReader r, EnumDocument d) => d.Schema = String(ref r)),
        ("values", (ref Utf8JsonReader r, EnumDocument d) => d.Values = Strings(ref r)));

    private static Shape<SequenceOptionsDocument>? _optionsShape;

    private static Shape<SequenceOptionsDocument> OptionsShape => _optionsShape ??= new(() => new(),
        ("cache", (ref Utf8JsonReader r, SequenceOptionsDocument d) => d.Cache = Number(ref r)),
        ("cycle", (ref Utf8JsonReader r, SequenceOptionsDocument d) => d.Cycle = Flag(ref r)),
        ("dataType", (ref Utf8JsonReader r, SequenceOptionsDocument d) => d.DataType = String(ref r)),
        ("incrementBy", (ref Utf8JsonReader r, SequenceOptionsDocument d) => d.IncrementBy = Number(ref r)),
        ("maxValue", (ref Utf8JsonReader r, SequenceOptionsDocument d) => d.MaxValue = Number(ref r)),
        ("minValue", (ref Utf8JsonReader r, SequenceOptionsDocument d) => d.MinValue = Number(ref r)),
        ("startWith", (ref Utf8JsonReader r, SequenceOptionsDocument d) => d.StartWith = Number(ref r)));

    private static Shape<SequenceDocument>? _sequenceShape;

    private static Shape<SequenceDocument> SequenceShape => _sequenceShape ??= new(() => new(),
        ("comment", (ref Utf8JsonReader r, SequenceDocument d) => d.Comment = String(ref r)),
        ("name", (ref Utf8JsonReader r, SequenceDocument d) => d.Name = String(ref r)),
        ("options", (ref Utf8JsonReader r, SequenceDocument d) => d.Options = Object(ref r, OptionsShape)),
        ("schema", (ref Utf8JsonReader r, SequenceDocument d) => d.Schema = String(ref r)));

    private static Shape<CheckDocument>? _checkShape;

    private static Shape<CheckDocument> CheckShape => _checkShape ??= new(() => new(),
        ("comment", (ref Utf8JsonReader r, CheckDocument d) => d.Comment = String(ref r)),
        ("expression", (ref Utf8JsonReader r, CheckDocument d) => d.Expression = String(ref r)),
        ("name", (ref Utf8JsonReader r, CheckDocument d) => d.Name = String(ref r)),
        ("noInherit", (ref Utf8JsonReader r, CheckDocument d) => d.NoInherit = Flag(ref r)),
        ("reads", (ref Utf8JsonReader r, CheckDocument d) => d.Reads = Objects(ref r, ReadShape)));

    private static Shape<ReadDocument>? _readShape;

    private static Shape<ReadDocument> ReadShape => _readShape ??= new(() => new(),
        ("column", (ref Utf8JsonReader r, ReadDocument d) => d.Column = String(ref r)),
        ("kind", (ref Utf8JsonReader r, ReadDocument d) => d.Kind = String(ref r)),
        ("name", (ref Utf8JsonReader r, ReadDocument d) => d.Name = String(ref r)),
        ("schema", (ref Utf8JsonReader r, ReadDocument d) => d.Schema = String(ref r)));

    private static Shape<IdentityDocument>? _identityShape;

    private static Shape<IdentityDocument> IdentityShape => _identityShape ??= new(() => new(),
        ("generation", (ref Utf8JsonReader r, IdentityDocument d) => d.Generation = String(ref r)),
        ("options", (ref Utf8JsonReader r, IdentityDocument d) => d.Options = Object(ref r, OptionsShape)));

    private static Shape<ColumnTypeDocument>? _columnTypeShape;

    private static Shape<ColumnTypeDocument> ColumnTypeShape => _columnTypeShape ??= new(() => new(), AddedTo<ColumnTypeDocument>(),
        ("arrayDimensions", (ref Utf8JsonReader r, ColumnTypeDocument d) => d.ArrayDimensions = Number(ref r)),
        ("enum", (ref Utf8JsonReader r, ColumnTypeDocument d) => d.Enum = Object(ref r, QualifiedNameShape)),
        ("kind", (ref Utf8JsonReader r, ColumnTypeDocument d) => d.Kind = String(ref r)),
        ("length", (ref Utf8JsonReader r, ColumnTypeDocument d) => d.Length = Number(ref r)),
        ("precision", (ref Utf8JsonReader r, ColumnTypeDocument d) => d.Precision = Number(ref r)),
        ("raw", (ref Utf8JsonReader r, ColumnTypeDocument d) => d.Raw = String(ref r)),
        ("scale", (ref Utf8JsonReader r, ColumnTypeDocument d) => d.Scale = Number(ref r)));

    private static Shape<ColumnDocument>? _columnShape;

    private static Shape<ColumnDocument> ColumnShape => _columnShape ??= new(() => new(),
        ("collation", (ref Utf8JsonReader r, ColumnDocument d) => d.Collation = String(ref r)),
        ("collationSchema", (ref Utf8JsonReader r, ColumnDocument d) => d.CollationSchema = String(ref r)),
        ("comment", (ref Utf8JsonReader r, ColumnDocument d) => d.Comment = String(ref r)),
        ("default", (ref Utf8JsonReader r, ColumnDocument d) => d.Default = String(ref r)),
        ("generatedAs", (ref Utf8JsonReader r, ColumnDocument d) => d.GeneratedAs = String(ref r)),
        ("identity", (ref Utf8JsonReader r, ColumnDocument d) => d.Identity = Object(ref r, IdentityShape)),
        ("name", (ref Utf8JsonReader r, ColumnDocument d) => d.Name = String(ref r)),
        ("notNull", (ref Utf8JsonReader r, ColumnDocument d) => d.NotNull = Flag(ref r)),
        ("reads", (ref Utf8JsonReader r, ColumnDocument d) => d.Reads = Objects(ref r, ReadShape)),
        ("type", (ref Utf8JsonReader r, ColumnDocument d) => d.Type = Object(ref r, ColumnTypeShape)));

    private static Shape<ForeignKeyDocument>? _foreignKeyShape;

    private static Shape<ForeignKeyDocument> ForeignKeyShape => _foreignKeyShape ??= new(() => new(),
        ("columns", (ref Utf8JsonReader r, ForeignKeyDocument d) => d.Columns = Strings(ref r)),
        ("comment", (ref Utf8JsonReader r, ForeignKeyDocument d) => d.Comment = String(ref r)),
        ("deferrable", (ref Utf8JsonReader r, ForeignKeyDocument d) => d.Deferrable = Flag(ref r)),
        ("initiallyDeferred", (ref Utf8JsonReader r, ForeignKeyDocument d) => d.InitiallyDeferred = Flag(ref r)),
        ("matchFull", (ref Utf8JsonReader r, ForeignKeyDocument d) => d.MatchFull = Flag(ref r)),
        ("name", (ref Utf8JsonReader r, ForeignKeyDocument d) => d.Name = String(ref r)),
        ("onDelete", (ref Utf8JsonReader r, ForeignKeyDocument d) => d.OnDelete = String(ref r)),
        ("onUpdate", (ref Utf8JsonReader r, ForeignKeyDocument d) => d.OnUpdate = String(ref r)),
        ("referencedColumns", (ref Utf8JsonReader r, ForeignKeyDocument d) => d.ReferencedColumns = Strings(ref r)),
        ("references", (ref Utf8JsonReader r, ForeignKeyDocument d) => d.References = Object(ref r, QualifiedNameShape)));

    private static Shape<IndexElementDocument>? _indexElementShape;

    private static Shape<IndexElementDocument> IndexElementShape => _indexElementShape ??= new(() => new(),
        ("collation", (ref Utf8JsonReader r, IndexElementDocument d) => d.Collation = String(ref r)),
        ("collationSchema", (ref Utf8JsonReader r, IndexElementDocument d) => d.CollationSchema = String(ref r)),
        ("column", (ref Utf8JsonReader r, IndexElementDocument d) => d.Column = String(ref r)),
        ("direction", (ref Utf8JsonReader r, IndexElementDocument d) => d.Direction = String(ref r)),
        ("expression", (ref Utf8JsonReader r, IndexElementDocument d) => d.Expression = String(ref r)),
        ("nulls", (ref Utf8JsonReader r, IndexElementDocument d) => d.Nulls = String(ref r)),
        ("operatorClass", (ref Utf8JsonReader r, IndexElementDocument d) => d.OperatorClass = String(ref r)));

    private static Shape<IndexDocument>? _indexShape;

    private static Shape<IndexDocument> IndexShape => _indexShape ??= new(() => new(),
        ("comment", (ref Utf8JsonReader r, IndexDocument d) => d.Comment = String(ref r)),
        ("concurrently", (ref Utf8JsonReader r, IndexDocument d) => d.Concurrently = Flag(ref r)),
        ("elements", (ref Utf8JsonReader r, IndexDocument d) => d.Elements = Objects(ref r, IndexElementShape)),
        ("include", (ref Utf8JsonReader r, IndexDocument d) => d.Include = Strings(ref r)),
        ("method", (ref Utf8JsonReader r, IndexDocument d) => d.Method = String(ref r)),
        ("name", (ref Utf8JsonReader r, IndexDocument d) => d.Name = String(ref r)),
        ("nullsNotDistinct", (ref Utf8JsonReader r, IndexDocument d) => d.NullsNotDistinct = Flag(ref r)),
        ("options", (ref Utf8JsonReader r, IndexDocument d) => d.Options = Strings(ref r)),
        ("reads", (ref Utf8JsonReader r, IndexDocument d) => d.Reads = Objects(ref r, ReadShape)),
        ("unique", (ref Utf8JsonReader r, IndexDocument d) => d.Unique = Flag(ref r)),
        ("where", (ref Utf8JsonReader r, IndexDocument d) => d.Where = String(ref r)));

    private static Shape<PrimaryKeyDocument>? _primaryKeyShape;

    private static Shape<PrimaryKeyDocument> PrimaryKeyShape => _primaryKeyShape ??= new(() => new(),
        ("columns", (ref Utf8JsonReader r, PrimaryKeyDocument d) => d.Columns = Strings(ref r)),
        ("comment", (ref Utf8JsonReader r, PrimaryKeyDocument d) => d.Comment = String(ref r)),
        ("deferrable", (ref Utf8JsonReader r, PrimaryKeyDocument d) => d.Deferrable = Flag(ref r)),
        ("initiallyDeferred", (ref Utf8JsonReader r, PrimaryKeyDocument d) => d.InitiallyDeferred = Flag(ref r)),
        ("name", (ref Utf8JsonReader r, PrimaryKeyDocument d) => d.Name = String(ref r)),
        ("options", (ref Utf8JsonReader r, PrimaryKeyDocument d) => d.Options = Strings(ref r)));

    private static Shape<UniqueDocument>? _uniqueShape;

    private static Shape<UniqueDocument> UniqueShape => _uniqueShape ??= new(() => new(),
        ("columns", (ref Utf8JsonReader r, UniqueDocument d) => d.Columns = Strings(ref r)),
        ("comment", (ref Utf8JsonReader r, UniqueDocument d) => d.Comment = String(ref r)),
        ("deferrable", (ref Utf8JsonReader r, UniqueDocument d) => d.Deferrable = Flag(ref r)),
        ("initiallyDeferred", (ref Utf8JsonReader r, UniqueDocument d) => d.InitiallyDeferred = Flag(ref r)),
        ("name", (ref Utf8JsonReader r, UniqueDocument d) => d.Name = String(ref r)),
        ("nullsNotDistinct", (ref Utf8JsonReader r, UniqueDocument d) => d.NullsNotDistinct = Flag(ref r)),
        ("options", (ref Utf8JsonReader r, UniqueDocument d) => d.Options = Strings(ref r)));

    private static Shape<TableDocument>? _tableShape;

    private static Shape<TableDocument> TableShape => _tableShape ??= new(() => new(),
        ("checks", (ref Utf8JsonReader r, TableDocument d) => d.Checks = Objects(ref r, CheckShape)),
        ("clusterOn", (ref Utf8JsonReader r, TableDocument d) => d.ClusterOn = String(ref r)),
        ("columns", (ref Utf8JsonReader r, TableDocument d) => d.Columns = Objects(ref r, ColumnShape)),
        ("comment", (ref Utf8JsonReader r, TableDocument d) => d.Comment = String(ref r)),
        ("foreignKeys", (ref Utf8JsonReader r, TableDocument d) => d.ForeignKeys = Objects(ref r, ForeignKeyShape)),
        ("indexes", (ref Utf8JsonReader r, TableDocument d) => d.Indexes = Objects(ref r, IndexShape)),
        ("inherits", (ref Utf8JsonReader r, TableDocument d) => d.Inherits = Objects(ref r, QualifiedNameShape)),
        ("name", (ref Utf8JsonReader r, TableDocument d) => d.Name = String(ref r)),
        ("options", (ref Utf8JsonReader r, TableDocument d) => d.Options = Strings(ref r)),
        ("partitionBound", (ref Utf8JsonReader r, TableDocument d) => d.PartitionBound = String(ref r)),
        ("partitionKey", (ref Utf8JsonReader r, TableDocument d) => d.PartitionKey = String(ref r)),
        ("partitionOf", (ref Utf8JsonReader r, TableDocument d) => d.PartitionOf = Object(ref r, QualifiedNameShape)),
        ("primaryKey", (ref Utf8JsonReader r, TableDocument d) => d.PrimaryKey = Object(ref r, PrimaryKeyShape)),
        ("schema", (ref Utf8JsonReader r, TableDocument d) => d.Schema = String(ref r)),
        ("uniques", (ref Utf8JsonReader r, TableDocument d) => d.Uniques = Objects(ref r, UniqueShape)),
        ("unlogged", (ref Utf8JsonReader r, TableDocument d) => d.Unlogged = Flag(ref r)));

    private static Shape<ViewDocument>? _viewShape;

    private static Shape<ViewDocument> ViewShape => _viewShape ??= new(() => new(),
        ("clusterOn", (ref Utf8JsonReader r, ViewDocument d) => d.ClusterOn = String(ref r)),
        ("comment", (ref Utf8JsonReader r, ViewDocument d) => d.Comment = String(ref r)),
        ("definition", (ref Utf8JsonReader r, ViewDocument d) => d.Definition = String(ref r)),
        ("dependsOn", (ref Utf8JsonReader r, ViewDocument d) => d.DependsOn = Objects(ref r, QualifiedNameShape)),
        ("indexes", (ref Utf8JsonReader r, ViewDocument d) => d.Indexes = Objects(ref r, IndexShape)),
        ("materialized", (ref Utf8JsonReader r, ViewDocument d) => d.Materialized = Flag(ref r)),
        ("name", (ref Utf8JsonReader r, ViewDocument d) => d.Name = String(ref r)),
        ("options", (ref Utf8JsonReader r, ViewDocument d) => d.Options = Strings(ref r)),
        ("reads", (ref Utf8JsonReader r, ViewDocument d) => d.Reads = Objects(ref r, ReadShape)),
        ("schema", (ref Utf8JsonReader r, ViewDocument d) => d.Schema = String(ref r)));

    private static Shape<RenameDocument>? _renameShape;

    private static Shape<RenameDocument> RenameShape => _renameShape ??= new(() => new(),
        ("from", (ref Utf8JsonReader r, RenameDocument d) => d.From = String(ref r)),
        ("kind", (ref Utf8JsonReader r, RenameDocument d) => d.Kind = String(ref r)),
        ("to", (ref Utf8JsonReader r, RenameDocument d) => d.To = String(ref r)));

    private static Shape<SnapshotDocument>? _snapshotShape;

    private static Shape<SnapshotDocument> SnapshotShape => _snapshotShape ??= new(() => new(), AddedTo<SnapshotDocument>(),
        ("dialect", (ref Utf8JsonReader r, SnapshotDocument d) => d.Dialect = String(ref r)),
        ("enums", (ref Utf8JsonReader r, SnapshotDocument d) => d.Enums = Objects(ref r, EnumShape)),
        ("id", (ref Utf8JsonReader r, SnapshotDocument d) => d.Id = String(ref r)),
        ("parentId", (ref Utf8JsonReader r, SnapshotDocument d) => d.ParentId = String(ref r)),
        ("renames", (ref Utf8JsonReader r, SnapshotDocument d) => d.Renames = Objects(ref r, RenameShape)),
        ("schemas", (ref Utf8JsonReader r, SnapshotDocument d) => d.Schemas = Strings(ref r)),
        ("sequences", (ref Utf8JsonReader r, SnapshotDocument d) => d.Sequences = Objects(ref r, SequenceShape)),
        ("tables", (ref Utf8JsonReader r, SnapshotDocument d) => d.Tables = Objects(ref r, TableShape)),
        ("version", (ref Utf8JsonReader r, SnapshotDocument d) => d.Version = Number(ref r)),
        ("views", (ref Utf8JsonReader r, SnapshotDocument d) => d.Views = Objects(ref r, ViewShape)));

    private static void Next(ref Utf8JsonReader reader)
    {
        if (!reader.Read())
            throw new GiveUpException();
    }

    private static T? Object<T>(ref Utf8JsonReader reader, Shape<T> shape) where T : class
    {
        if (reader.TokenType == JsonTokenType.Null)
            return null;
        if (reader.TokenType != JsonTokenType.StartObject)
            throw new GiveUpException();
        var document = shape.Create();
        ulong seen = 0;
        while (true)
        {
            Next(ref reader);
            if (reader.TokenType == JsonTokenType.EndObject)
                return document;
            var read = shape.Find(ref reader, ref seen);
            Next(ref reader);
            read(ref reader, document);
        }
    }

    private static List<string?>? Strings(ref Utf8JsonReader reader) => Objects(ref reader, StringItems.Instance);

    // A null item is left to the serializer's reading, which reports it at its index.
    private static List<T?>? Objects<T>(ref Utf8JsonReader reader, IItemReader<T> items) where T : class
    {
        if (reader.TokenType == JsonTokenType.Null)
            return null;
        if (reader.TokenType != JsonTokenType.StartArray)
            throw new GiveUpException();
        var start = Scratch.Count;
        try
        {
            while (true)
            {
                Next(ref reader);
                if (reader.TokenType == JsonTokenType.EndArray)
                    return Take<T>(start);
                Scratch.Add(items.Read(ref reader) ?? throw new GiveUpException());
            }
        }
        finally
        {
            Scratch.RemoveRange(start, Scratch.Count - start);
        }
    }

    // The items of the lists being read, innermost last: each list is then allocated once at its size.
    [ThreadStatic]
    private static List<object>? _scratch;

    private static List<object> Scratch => _scratch ??= new List<object>(256);

    private static List<T?> Take<T>(int start) where T : class
    {
        var items = new List<T?>(Scratch.Count - start);
        for (var i = start; i < Scratch.Count; i++)
            items.Add((T)Scratch[i]);
        return items;
    }

    private static string? String(ref Utf8JsonReader reader) => reader.TokenType switch
    {
        JsonTokenType.String => ShortString(ref reader) ?? reader.GetString(),
        JsonTokenType.Null => null,
        _ => throw new GiveUpException(),
    };

    // Short values repeat (type kinds, schemas, column names like id): one string each, not one per use,
    // which keeps a large snapshot's reading to as many garbage collections as the model itself needs.
    [ThreadStatic]
    private static Dictionary<string, string>? _shortStrings;

    private static string? ShortString(ref Utf8JsonReader reader)
    {
        const int longest = 32;
        if (reader.ValueIsEscaped || reader.HasValueSequence || reader.ValueSpan.Length > longest)
            return null;
        Span<char> chars = stackalloc char[longest];
        if (!Encoding.UTF8.TryGetChars(reader.ValueSpan, chars, out var length))
            return null;
        var strings = _shortStrings ??= new Dictionary<string, string>(StringComparer.Ordinal);
        var lookup = strings.GetAlternateLookup<ReadOnlySpan<char>>();
        if (lookup.TryGetValue(chars[..length], out var known))
            return known;
        if (strings.Count >= 4096)
            strings.Clear();
        var value = new string(chars[..length]);
        strings.Add(value, value);
        return value;
    }

    // As FlagConverter and WholeNumberConverter read them, with null as the serializer passes it: absent.
    private static Flag? Flag(ref Utf8JsonReader reader) => reader.TokenType switch
    {
        JsonTokenType.True => Snapshots.Flag.True,
        JsonTokenType.False or JsonTokenType.Null => null,
        _ => throw new GiveUpException(),
    };

    private static WholeNumber? Number(ref Utf8JsonReader reader) => reader.TokenType switch
    {
        JsonTokenType.Number when reader.TryGetInt64(out var value) => new WholeNumber(value),
        JsonTokenType.Null => null,
        _ => throw new GiveUpException(),
    };
}
