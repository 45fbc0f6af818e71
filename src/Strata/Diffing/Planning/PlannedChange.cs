using Strata.Model;

namespace Strata.Diffing.Planning;

/// <summary>
/// A change with what it does and what it depends on, as its differ states them:
/// <see cref="Provides"/> the facts it makes true; it runs after every change that provides a fact it
/// <see cref="Needs"/>, and before every change that provides a fact it <see cref="Precedes"/> (what it
/// reads by an old name must still be there).
/// </summary>
/// <remarks>The facts are kept by the <see cref="ChangePlanner"/> in one list of each sort for the whole plan, not per change.</remarks>
internal sealed class PlannedChange
{
    private readonly ChangePlanner _planner;

    internal PlannedChange(ChangePlanner planner, SchemaChange change, int rank, int sequence)
    {
        _planner = planner;
        Change = change;
        Rank = rank;
        Sequence = sequence;
    }

    public SchemaChange Change { get; }

    /// <summary>
    /// The tie-break between changes no dependency orders (smaller first), then <see cref="Sequence"/>:
    /// it keeps the output stable and readable (drops, renames, creates, then comments); each kind's
    /// differ picks its ranks on the scale <see cref="ChangeRank"/> describes.
    /// </summary>
    public int Rank { get; }

    /// <summary>The order in which the differ emitted the change.</summary>
    public int Sequence { get; }

    public IEnumerable<Fact> Provides => _planner.FactsOf(this, FactRole.Provides);

    public IEnumerable<Fact> Needs => _planner.FactsOf(this, FactRole.Needs);

    public IEnumerable<Fact> Precedes => _planner.FactsOf(this, FactRole.Precedes);

    public PlannedChange Provide(FactState state, DependencyKind kind, QualifiedName name, string? member = null) =>
        Provide(state, new ObjectRef(kind, name, member));

    public PlannedChange Need(FactState state, DependencyKind kind, QualifiedName name, string? member = null) =>
        Need(state, new ObjectRef(kind, name, member));

    public PlannedChange Precede(FactState state, DependencyKind kind, QualifiedName name, string? member = null) =>
        Precede(state, new ObjectRef(kind, name, member));

    public PlannedChange Provide(FactState state, ObjectRef what) => State(FactRole.Provides, new Fact(state, what));

    public PlannedChange Need(FactState state, ObjectRef what) => State(FactRole.Needs, new Fact(state, what));

    public PlannedChange Precede(FactState state, ObjectRef what) => State(FactRole.Precedes, new Fact(state, what));

    private PlannedChange State(FactRole role, Fact fact)
    {
        _planner.Record(this, role, fact);
        return this;
    }

    public override string ToString() => ChangePlanner.Describe(this);
}

/// <summary>How a change relates to a fact.</summary>
internal enum FactRole
{
    Provides,
    Needs,
    Precedes,
}
