namespace Strata.Diffing.Planning;

/// <summary>
/// Orders the changes of one diff by what each needs (EF Core's and Atlas' sort after the diff): a
/// change runs after the changes that provide what it <see cref="PlannedChange.Needs"/> and before those
/// that provide what it <see cref="PlannedChange.Precedes"/>; a need nothing in the plan provides is
/// already met by the database. Ties go by <see cref="PlannedChange.Rank"/>, then by emission order.
/// </summary>
internal sealed class ChangePlanner
{
    private readonly List<PlannedChange> _changes = [];

    public IReadOnlyList<PlannedChange> Changes => _changes;

    /// <summary>Adds a change; state its dependencies on the returned entry.</summary>
    public PlannedChange Add(SchemaChange change, int rank)
    {
        var planned = new PlannedChange(change, rank, _changes.Count);
        _changes.Add(planned);
        return planned;
    }

    /// <summary>The changes in an order that satisfies every dependency; a cycle is an error naming the changes and facts in it.</summary>
    public List<SchemaChange> Order()
    {
        var graph = new DependencyGraph<PlannedChange, (int Rank, int Sequence)>(c => (c.Rank, c.Sequence));
        var providers = new Dictionary<Fact, List<PlannedChange>>();
        foreach (var change in _changes)
        {
            graph.Add(change);
            foreach (var fact in change.Provides)
            {
                if (!providers.TryGetValue(fact, out var list))
                    providers[fact] = list = [];
                list.Add(change);
            }
        }
        foreach (var change in _changes)
        {
            foreach (var fact in change.Needs)
            {
                if (providers.TryGetValue(fact, out var list))
                {
                    foreach (var provider in list)
                        graph.AddEdge(provider, change);
                }
            }
            foreach (var fact in change.Precedes)
            {
                if (providers.TryGetValue(fact, out var list))
                {
                    foreach (var provider in list)
                        graph.AddEdge(change, provider);
                }
            }
        }
        if (graph.TrySort(out var order, out var cycle))
            return order.Select(c => c.Change).ToList();
        throw new InvalidOperationException(
            "Strata cannot order these changes, each waits for the next: "
            + string.Join(" → ", cycle.Select((c, i) => $"{c} (before {Reason(c, cycle[(i + 1) % cycle.Count])})"))
            + ". Split the change into two migrations, or report it as a Strata defect.");
    }

    /// <summary>Why <paramref name="first"/> goes before <paramref name="then"/>: the fact that links them.</summary>
    private static string Reason(PlannedChange first, PlannedChange then)
    {
        var needed = then.Needs.FirstOrDefault(first.Provides.Contains);
        if (needed != default)
            return $"{Describe(then)}, which needs: {needed}";
        var preceded = first.Precedes.FirstOrDefault(then.Provides.Contains);
        return $"{Describe(then)}, which makes: {preceded}";
    }

    /// <summary>A change by its kind and the first object it acts on, e.g. <c>DropTable of table public.users</c>.</summary>
    internal static string Describe(PlannedChange change)
    {
        var subject = change.Provides.Count > 0 ? change.Provides[0].Object
            : change.Precedes.Count > 0 ? change.Precedes[0].Object
            : change.Needs.Count > 0 ? change.Needs[0].Object
            : (ObjectRef?)null;
        var kind = change.Change.GetType().Name;
        return subject is { } s ? $"{kind} of {s}" : kind;
    }
}

/// <summary>
/// The scale of <see cref="PlannedChange.Rank"/>, a tie-break only (dependencies decide what must come
/// first): each kind's differ places its changes on it. Changes that name objects by their old names
/// rank below <see cref="Renames"/>, those that use the new names above it.
/// </summary>
internal static class ChangeRank
{
    /// <summary>Drops of what reads or references other objects, dependents first (views, foreign keys, indexes, constraints, tables, columns).</summary>
    public const int Drops = 0;

    /// <summary>Schema renames and creations, names moved aside, then the renames of types and relations.</summary>
    public const int Renames = 1000;

    /// <summary>Types, sequences, tables, columns, keys, checks, indexes, foreign keys.</summary>
    public const int Creates = 2000;

    /// <summary>Drops of what nothing uses any more (types, sequences, schemas).</summary>
    public const int Releases = 3000;

    /// <summary>Views, created once everything they read is there, and comments.</summary>
    public const int Finishing = 4000;
}
