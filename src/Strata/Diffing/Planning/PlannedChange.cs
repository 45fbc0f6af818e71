namespace Strata.Diffing.Planning;

/// <summary>
/// A change with what it does and what it depends on, as its differ states them:
/// <see cref="Provides"/> the facts it makes true; it runs after every change that provides a fact it
/// <see cref="Needs"/>, and before every change that provides a fact it <see cref="Precedes"/> (what it
/// reads by an old name must still be there).
/// </summary>
internal sealed class PlannedChange
{
    internal PlannedChange(SchemaChange change, int rank, int sequence)
    {
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

    public List<Fact> Provides { get; } = [];

    public List<Fact> Needs { get; } = [];

    public List<Fact> Precedes { get; } = [];

    public PlannedChange Provide(FactState state, DependencyKind kind, string name)
    {
        Provides.Add(new Fact(state, new ObjectRef(kind, name)));
        return this;
    }

    public PlannedChange Need(FactState state, DependencyKind kind, string name)
    {
        Needs.Add(new Fact(state, new ObjectRef(kind, name)));
        return this;
    }

    public PlannedChange Precede(FactState state, DependencyKind kind, string name)
    {
        Precedes.Add(new Fact(state, new ObjectRef(kind, name)));
        return this;
    }

    public override string ToString() => ChangePlanner.Describe(this);
}
