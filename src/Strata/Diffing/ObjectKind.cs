using Strata.Model;

namespace Strata.Diffing;

/// <summary>
/// The kinds of object a rename decision can name: the kinds that hold data, whose renames the user decides. Each is
/// a single instance, named by <see cref="ToString"/> (its C# name, lowercased in rename hints), with the word a
/// snapshot stores for it (<see cref="SnapshotName"/>, never derived from the C# name). A kind declared in its own
/// file adds its member in a partial part of this class; <see cref="All"/> lists them by <see cref="Order"/>.
/// </summary>
public sealed partial class ObjectKind : IKindPart
{
    /// <summary>The registered kinds (no initializer: the parts' initializers run in an unspecified order, see <see cref="KindRegistry{T}"/>).</summary>
    private static KindRegistry<ObjectKind>? _kinds;

    public static readonly ObjectKind Schema = Declare(new(nameof(Schema), "schema", order: 0, keyParts: 1));

    public static readonly ObjectKind Enum = Declare(new(nameof(Enum), "enum", order: 1));

    public static readonly ObjectKind Sequence = Declare(new(nameof(Sequence), "sequence", order: 2));

    public static readonly ObjectKind Table = Declare(new(nameof(Table), "table", order: 3));

    /// <summary>A column, named schema.table.column.</summary>
    public static readonly ObjectKind Column = Declare(new(nameof(Column), "column", order: 4, keyParts: 3));

    public static readonly ObjectKind Index = Declare(new(nameof(Index), "index", order: 5));

    public static readonly ObjectKind View = Declare(new(nameof(View), "view", order: 6));

    private readonly string _name;

    private ObjectKind(string name, string snapshotName, int order, int keyParts = 2)
    {
        _name = name;
        SnapshotName = snapshotName;
        Order = order;
        KeyParts = keyParts;
    }

    /// <summary>Every kind, by <see cref="Order"/>: the order in which messages list them.</summary>
    public static IReadOnlyList<ObjectKind> All => _kinds?.InOrder ?? [];

    /// <summary>The word a snapshot stores for the kind in a rename.</summary>
    public string SnapshotName { get; }

    /// <summary>Where the kind is listed among the others (unique).</summary>
    public int Order { get; }

    /// <summary>How many dot-separated parts a key of the kind has (schema 1, column 3, others 2: schema.name).</summary>
    public int KeyParts { get; }

    private static ObjectKind Declare(ObjectKind kind) => (_kinds ??= new()).Add(kind);

    public override string ToString() => _name;
}
