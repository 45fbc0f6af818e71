using Strata.Model;

namespace Strata.Diffing;

/// <summary>
/// The places in <see cref="DiffRun.Run"/> where the parts of the kinds that declare themselves in their own files
/// run (<see cref="DiffPart"/>): fixed points of the run, not a list of kinds.
/// </summary>
internal enum DiffPhase
{
    /// <summary>
    /// User types are matched: after the enums, before the sequences and tables, so that a type re-created here has
    /// its columns collected for conversion as the tables are compared.
    /// </summary>
    MatchTypes,

    /// <summary>
    /// Every enum's re-creation is decided (after the columns are matched: an enum whose new values an expression
    /// may use is re-created then), and every routine's that CREATE OR REPLACE cannot change, before the tables'
    /// bodies are compared (their defaults, checks and indexes are rebuilt around a re-created routine).
    /// </summary>
    TypesRecreated,

    /// <summary>User types are compared: after the tables are created and dropped and the enums compared, before the sequences and views.</summary>
    DiffTypes,

    /// <summary>
    /// What belongs to a table besides its columns, keys and indexes (row-level security and policies) is compared: after
    /// the tables' bodies are compared and the tables created and dropped, so that it knows which columns change.
    /// </summary>
    TableBound,

    /// <summary>Objects that are neither types nor tables (functions) are compared: after the sequences, before the views that may read them.</summary>
    Objects,

    /// <summary>
    /// What belongs to tables and views and must know which views are re-created and which functions are dropped and
    /// created again (triggers): after the views are compared.
    /// </summary>
    AfterViews,
    /// <summary>Roles and grants are compared: after every object is created, dropped or re-created (the views last).</summary>
    Privileges,
}

/// <summary>A kind's step at one place of the run, among the other kinds' steps there by <see cref="Order"/>.</summary>
internal sealed class DiffPart(DiffPhase phase, int order, Action<DiffRun> run) : IKindPart
{
    public DiffPhase Phase { get; } = phase;

    public int Order { get; } = order;

    public Action<DiffRun> Run { get; } = run;
}

/// <summary>
/// What a kind of user type declared in its own file brings to pg_type's namespace, which the run shares between the
/// user types (the enums, built in, and these) and the row types of tables and views.
/// </summary>
/// <param name="addNames">Adds the names the kind's types take in a model.</param>
/// <param name="typesOver">The names of a model's types of the kind whose values are a type's own (based on it): a cast to one is a cast to it.</param>
/// <param name="expressions">The SQL expressions of a side's types of the kind, each with its object (the key of a
/// <see cref="TextDecision"/>) and what it reads; the old side's named as in the new model.</param>
internal sealed class UserTypePart(
    int order,
    Action<DatabaseModel, HashSet<QualifiedName>> addNames,
    UserTypePart.TypesOverType typesOver,
    UserTypePart.ExpressionsOf expressions) : IKindPart
{
    // Delegate types of their own rather than Func<…>: a Func over QualifiedName or ModelSide (value types) would be
    // generic code that ReadyToRun cannot precompile.
    internal delegate IEnumerable<string> TypesOverType(DatabaseModel model, QualifiedName type);

    internal delegate IEnumerable<(string Key, string Text, ExpressionReads Reads)> ExpressionsOf(DiffRun run, ModelSide side);

    public int Order { get; } = order;

    public Action<DatabaseModel, HashSet<QualifiedName>> AddNames { get; } = addNames;

    public TypesOverType TypesOver { get; } = typesOver;

    public ExpressionsOf Expressions { get; } = expressions;
}

/// <remarks>
/// The registries of <see cref="DiffPart"/> and <see cref="UserTypePart"/>: a kind's file registers in a partial part
/// of this class with a static field, <c>internal static readonly DiffPart … = Part(DiffPhase.…, order: 10, static run =&gt; run.…());</c>,
/// as <see cref="KindRegistry{T}"/> describes. The registry fields have no initializer of their own.
/// </remarks>
internal sealed partial class DiffRun
{
    /// <summary>How many places <see cref="DiffPhase"/> has (its last + 1).</summary>
    internal const int PhaseCount = (int)DiffPhase.Privileges + 1;

    private static KindRegistry<DiffPart>?[]? _parts;
    private static KindRegistry<UserTypePart>? _userTypeParts;

    private static DiffPart Part(DiffPhase phase, int order, Action<DiffRun> run) =>
        ((_parts ??= new KindRegistry<DiffPart>?[PhaseCount])[(int)phase] ??= new()).Add(new DiffPart(phase, order, run));

    private static UserTypePart TypePart(UserTypePart part) => (_userTypeParts ??= new()).Add(part);

    /// <summary>The parts registered at <paramref name="phase"/>, by their order.</summary>
    internal static DiffPart[] PartsAt(DiffPhase phase) => _parts?[(int)phase]?.InOrder ?? [];

    /// <summary>The kinds of user type registered besides the enums, by their order.</summary>
    internal static UserTypePart[] UserTypeParts => _userTypeParts?.InOrder ?? [];

    private void RunParts(DiffPhase phase)
    {
        foreach (var part in PartsAt(phase))
            part.Run(this);
    }
}
