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

    public sealed class Names<T> where T : struct, Enum
    {
        private readonly Dictionary<T, string> _toName;
        private readonly Dictionary<string, T> _fromName;

        public Names(string what, (T Value, string Name)[] pairs)
        {
            What = what;
            _toName = pairs.ToDictionary(p => p.Value, p => p.Name);
            _fromName = pairs.ToDictionary(p => p.Name, p => p.Value, StringComparer.Ordinal);
        }

        public string What { get; }

        public IEnumerable<string> All => _fromName.Keys;

        public bool Covers(T value) => _toName.ContainsKey(value);

        public string NameOf(T value) =>
            _toName.TryGetValue(value, out var name) ? name : throw new InvalidOperationException($"The snapshot format has no name for {What} {value}.");

        public bool TryParse(string name, out T value) => _fromName.TryGetValue(name, out value);
    }
}
