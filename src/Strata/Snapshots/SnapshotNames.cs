using System.Reflection;
using System.Runtime.CompilerServices;
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

    public static readonly ObjectKindNames ObjectKinds = new("object kind");

    /// <remarks>
    /// Arrays searched in order rather than dictionaries: a Dictionary keyed by (or holding) an enum is CoreLib
    /// generic code over a value type, which ReadyToRun cannot precompile, and each table cost every command that
    /// reads or writes a snapshot some ten JIT-compiled methods; none holds more than 30 names.
    /// </remarks>
    public sealed class Names<T> where T : struct, Enum
    {
        private readonly int[] _numbers;
        private readonly string[] _names;

        public Names(string what)
        {
            if (Unsafe.SizeOf<T>() != sizeof(int))
                throw new ArgumentException($"{typeof(T).Name} is not an int enum.", nameof(T));
            What = what;
            (_numbers, _names) = Read(typeof(T));
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
                    value = Unsafe.As<int, T>(ref _numbers[i]);
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

    /// <summary>
    /// The numbers and words of an int enum's members that carry a <see cref="SnapshotNameAttribute"/>, in declaration order.
    /// Not generic, and with no list of the enum type: a <c>List&lt;TEnum&gt;</c> is CoreLib generic code over a value
    /// type, JIT-compiled for every enum (see the remarks on <see cref="Names{T}"/>).
    /// </summary>
    private static (int[] Numbers, string[] Names) Read(Type enumType)
    {
        var fields = enumType.GetFields(BindingFlags.Public | BindingFlags.Static);
        var numbers = new List<int>(fields.Length);
        var names = new List<string>(fields.Length);
        foreach (var field in fields)
        {
            if (field.GetCustomAttribute<SnapshotNameAttribute>() is not { } attribute)
                continue;
            numbers.Add((int)field.GetRawConstantValue()!);
            names.Add(attribute.Name);
        }
        return ([.. numbers], [.. names]);
    }

    /// <summary>
    /// The words of <see cref="ObjectKind"/>, which is a class whose members carry their own word
    /// (<see cref="ObjectKind.SnapshotName"/>, declared where the kind is), in the order of <see cref="ObjectKind.All"/>.
    /// </summary>
    public sealed class ObjectKindNames(string what)
    {
        public string What { get; } = what;

        public IEnumerable<string> All => ObjectKind.All.Select(k => k.SnapshotName);

        public string NameOf(ObjectKind kind) => kind.SnapshotName;

        public bool TryParse(string name, out ObjectKind value)
        {
            foreach (var kind in ObjectKind.All)
            {
                if (string.Equals(kind.SnapshotName, name, StringComparison.Ordinal))
                {
                    value = kind;
                    return true;
                }
            }
            value = null!;
            return false;
        }
    }
}

/// <summary>The word a snapshot stores for this enum member; never derived from the C# name.</summary>
[AttributeUsage(AttributeTargets.Field)]
public sealed class SnapshotNameAttribute(string name) : Attribute
{
    public string Name { get; } = name;
}
