using System.Reflection;
using Strata.Diffing;
using Strata.Model;

namespace Strata.Snapshots;

/// <summary>
/// The words a snapshot uses for enum values, each written by hand on its member
/// (<see cref="SnapshotNameAttribute"/>) so that renaming a C# member never changes the file format and a
/// new member carries its word where it is declared; a member without one fails the snapshot tests.
/// </summary>
internal static class SnapshotNames
{
    public static readonly Names<TypeKind> TypeKinds = new("type kind");

    public static readonly Names<IdentityGeneration> IdentityGenerations = new("identity generation");

    public static readonly Names<ReferentialAction> ReferentialActions = new("referential action");

    public static readonly Names<SortDirection> SortDirections = new("sort direction");

    public static readonly Names<NullsOrder> NullsOrders = new("nulls order");

    public static readonly Names<ReadKind> ReadKinds = new("read kind");

    public static readonly Names<ObjectKind> ObjectKinds = new("object kind");

    public sealed class Names<T> where T : struct, Enum
    {
        private readonly Dictionary<T, string> _toName;
        private readonly Dictionary<string, T> _fromName;

        public Names(string what)
        {
            What = what;
            var pairs = Enum.GetValues<T>()
                .Select(value => (Value: value, Name: typeof(T).GetField(value.ToString())?.GetCustomAttribute<SnapshotNameAttribute>()?.Name))
                .Where(p => p.Name is not null)
                .Select(p => (p.Value, Name: p.Name!))
                .ToList();
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

/// <summary>The word a snapshot stores for this enum member; never derived from the C# name.</summary>
[AttributeUsage(AttributeTargets.Field)]
public sealed class SnapshotNameAttribute(string name) : Attribute
{
    public string Name { get; } = name;
}
