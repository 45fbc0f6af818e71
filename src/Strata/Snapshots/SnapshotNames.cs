using System.Runtime.CompilerServices;
using Strata.Diffing;
using Strata.Model;

namespace Strata.Snapshots;

/// <summary>
/// The words a snapshot uses for enum values. Written out by hand so that renaming a C# member never
/// changes the file format; a new member without a word here fails the snapshot tests.
/// </summary>
internal static class SnapshotNames
{
    public static readonly Names<TypeKind> TypeKinds = new("type kind",
    [
        (TypeKind.SmallInt, "smallint"),
        (TypeKind.Integer, "integer"),
        (TypeKind.BigInt, "bigint"),
        (TypeKind.SmallSerial, "smallserial"),
        (TypeKind.Serial, "serial"),
        (TypeKind.BigSerial, "bigserial"),
        (TypeKind.Numeric, "numeric"),
        (TypeKind.Real, "real"),
        (TypeKind.DoublePrecision, "double precision"),
        (TypeKind.Boolean, "boolean"),
        (TypeKind.Text, "text"),
        (TypeKind.Varchar, "varchar"),
        (TypeKind.Char, "char"),
        (TypeKind.Uuid, "uuid"),
        (TypeKind.Date, "date"),
        (TypeKind.Time, "time"),
        (TypeKind.TimeTz, "timetz"),
        (TypeKind.Timestamp, "timestamp"),
        (TypeKind.TimestampTz, "timestamptz"),
        (TypeKind.Interval, "interval"),
        (TypeKind.Json, "json"),
        (TypeKind.Jsonb, "jsonb"),
        (TypeKind.Bytea, "bytea"),
        (TypeKind.Inet, "inet"),
        (TypeKind.Cidr, "cidr"),
        (TypeKind.MacAddr, "macaddr"),
        (TypeKind.Enum, "enum"),
        (TypeKind.Raw, "raw"),
        (TypeKind.Domain, "domain"),
    ]);

    public static readonly Names<IdentityGeneration> IdentityGenerations = new("identity generation",
    [
        (IdentityGeneration.Always, "always"),
        (IdentityGeneration.ByDefault, "by default"),
    ]);

    public static readonly Names<ReferentialAction> ReferentialActions = new("referential action",
    [
        (ReferentialAction.NoAction, "no action"),
        (ReferentialAction.Restrict, "restrict"),
        (ReferentialAction.Cascade, "cascade"),
        (ReferentialAction.SetNull, "set null"),
        (ReferentialAction.SetDefault, "set default"),
    ]);

    public static readonly Names<SortDirection> SortDirections = new("sort direction",
    [
        (SortDirection.Ascending, "asc"),
        (SortDirection.Descending, "desc"),
    ]);

    public static readonly Names<NullsOrder> NullsOrders = new("nulls order",
    [
        (NullsOrder.Default, "default"),
        (NullsOrder.First, "first"),
        (NullsOrder.Last, "last"),
    ]);

    public static readonly Names<ReadKind> ReadKinds = new("read kind",
    [
        (ReadKind.Column, "column"),
        (ReadKind.Relation, "relation"),
        (ReadKind.Type, "type"),
        (ReadKind.Sequence, "sequence"),
        (ReadKind.Function, "function"),
    ]);

    public static readonly Names<ObjectKind> ObjectKinds = new("object kind",
    [
        (ObjectKind.Schema, "schema"),
        (ObjectKind.Enum, "enum"),
        (ObjectKind.Sequence, "sequence"),
        (ObjectKind.Table, "table"),
        (ObjectKind.Column, "column"),
        (ObjectKind.Index, "index"),
        (ObjectKind.View, "view"),
        (ObjectKind.Domain, "domain"),
    ]);

    /// <remarks>
    /// Arrays searched in order rather than dictionaries: a Dictionary keyed by (or holding) an enum is CoreLib
    /// generic code over a value type, which ReadyToRun cannot precompile, and each table cost every command that
    /// reads or writes a snapshot some ten JIT-compiled methods; none holds more than 30 names.
    /// </remarks>
    public sealed class Names<T> where T : struct, Enum
    {
        private readonly int[] _numbers;
        private readonly T[] _values;
        private readonly string[] _names;

        public Names(string what, (T Value, string Name)[] pairs)
        {
            if (Unsafe.SizeOf<T>() != sizeof(int))
                throw new ArgumentException($"{typeof(T).Name} is not an int enum.", nameof(pairs));
            What = what;
            _numbers = new int[pairs.Length];
            _values = new T[pairs.Length];
            _names = new string[pairs.Length];
            for (var i = 0; i < pairs.Length; i++)
            {
                _numbers[i] = Number(pairs[i].Value);
                _values[i] = pairs[i].Value;
                _names[i] = pairs[i].Name;
            }
        }

        public string What { get; }

        public IEnumerable<string> All => _names;

        public bool Covers(T value) => IndexOf(value) >= 0;

        public string NameOf(T value) =>
            IndexOf(value) is var i and >= 0 ? _names[i] : throw new InvalidOperationException($"The snapshot format has no name for {What} {value}.");

        public bool TryParse(string name, out T value)
        {
            for (var i = 0; i < _names.Length; i++)
            {
                if (string.Equals(_names[i], name, StringComparison.Ordinal))
                {
                    value = _values[i];
                    return true;
                }
            }
            value = default;
            return false;
        }

        private int IndexOf(T value)
        {
            var number = Number(value);
            for (var i = 0; i < _numbers.Length; i++)
            {
                if (_numbers[i] == number)
                    return i;
            }
            return -1;
        }

        private static int Number(T value) => Unsafe.As<T, int>(ref value);
    }
}
