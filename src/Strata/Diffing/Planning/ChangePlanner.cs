using System.Runtime.InteropServices;

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

    // One log of each sort for the whole plan: a large diff states tens of thousands of facts.
    private readonly FactLog _provides = new();
    private readonly FactLog _needs = new();
    private readonly FactLog _precedes = new();

    public IReadOnlyList<PlannedChange> Changes => _changes;

    /// <summary>Adds a change; state its dependencies on the returned entry.</summary>
    public PlannedChange Add(SchemaChange change, int rank)
    {
        var planned = new PlannedChange(this, change, rank, _changes.Count);
        _changes.Add(planned);
        return planned;
    }

    internal void Record(PlannedChange change, FactRole role, Fact fact) => LogOf(role).Add((fact, change.Sequence));

    internal IEnumerable<Fact> FactsOf(PlannedChange change, FactRole role) =>
        LogOf(role).Where(f => f.Change == change.Sequence).Select(f => f.Fact);

    private FactLog LogOf(FactRole role) => role switch
    {
        FactRole.Provides => _provides,
        FactRole.Needs => _needs,
        _ => _precedes,
    };

    /// <summary>The rank, then the sequence, in one number.</summary>
    private long KeyOf(int change) => ((long)_changes[change].Rank << 32) | (uint)change;

    /// <summary>The changes in an order that satisfies every dependency; a cycle is an error naming the changes and facts in it.</summary>
    public List<SchemaChange> Order()
    {
        if (KeysSatisfyEveryFact())
            return Enumerable.Range(0, _changes.Count).OrderBy(KeyOf).Select(i => _changes[i].Change).ToList();

        var graph = new DependencyGraph<PlannedChange, (int Rank, int Sequence)>(c => (c.Rank, c.Sequence));
        var providers = new Dictionary<Fact, List<PlannedChange>>();
        foreach (var change in _changes)
            graph.Add(change);
        foreach (var (fact, change) in _provides)
        {
            if (!providers.TryGetValue(fact, out var list))
                providers[fact] = list = [];
            list.Add(_changes[change]);
        }
        foreach (var (fact, change) in _needs)
        {
            if (providers.TryGetValue(fact, out var list))
            {
                foreach (var provider in list)
                    graph.AddEdge(provider, _changes[change]);
            }
        }
        foreach (var (fact, change) in _precedes)
        {
            if (providers.TryGetValue(fact, out var list))
            {
                foreach (var provider in list)
                    graph.AddEdge(_changes[change], provider);
            }
        }
        if (graph.TrySort(out var order, out var cycle))
            return order.Select(c => c.Change).ToList();
        throw new InvalidOperationException(
            "Strata cannot order these changes, each waits for the next: "
            + string.Join(" → ", cycle.Select((c, i) => $"{c} (before {Reason(c, cycle[(i + 1) % cycle.Count])})"))
            + ". Split the change into two migrations, or report it as a Strata defect.");
    }

    /// <summary>
    /// Whether the order of the keys (rank, then sequence) already puts every provider of a fact before
    /// the changes that need it and after those that precede it. Most plans need no reordering, and
    /// then the graph's order (the smallest ready key first) is the order of the keys: this check costs a
    /// look-up per fact instead of a graph. Only facts of a sort (state and kind) that some change
    /// provides and some change needs or precedes can order anything; the others are not looked up.
    /// A change that provides what it needs itself is left to the graph (which ignores such self-edges).
    /// </summary>
    private bool KeysSatisfyEveryFact()
    {
        var relevant = SortsOf(_provides) & (SortsOf(_needs) | SortsOf(_precedes));
        if (relevant == 0)
            return true;
        var providers = new Dictionary<Fact, (long First, long Last)>();
        foreach (var (fact, change) in _provides)
        {
            if ((relevant & SortOf(fact)) == 0)
                continue;
            var key = KeyOf(change);
            ref var span = ref CollectionsMarshal.GetValueRefOrAddDefault(providers, fact, out var exists);
            span = exists ? (Math.Min(span.First, key), Math.Max(span.Last, key)) : (key, key);
        }
        foreach (var (fact, change) in _needs)
        {
            if ((relevant & SortOf(fact)) != 0 && providers.TryGetValue(fact, out var span) && span.Last >= KeyOf(change))
                return false;
        }
        foreach (var (fact, change) in _precedes)
        {
            if ((relevant & SortOf(fact)) != 0 && providers.TryGetValue(fact, out var span) && span.First <= KeyOf(change))
                return false;
        }
        return true;
    }

    /// <summary>A fact's state and kind as one bit (3 states × 12 kinds fit in 64).</summary>
    private static ulong SortOf(Fact fact) => 1UL << ((int)fact.State * 16 + (int)fact.Object.Kind);

    private static ulong SortsOf(FactLog facts)
    {
        var sorts = 0UL;
        foreach (var (fact, _) in facts)
            sorts |= SortOf(fact);
        return sorts;
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
        var subject = change.Provides.Concat(change.Precedes).Concat(change.Needs).Select(f => (ObjectRef?)f.Object).FirstOrDefault();
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

/// <summary>
/// Facts with the changes that state them, in the order stated. Kept in blocks below the large object
/// threshold: one array of tens of thousands of entries would be allocated (and cleared, and copied as
/// it grows) in the large object heap for every diff.
/// </summary>
internal sealed class FactLog : IEnumerable<(Fact Fact, int Change)>
{
    private const int BlockSize = 1024;
    private readonly List<(Fact Fact, int Change)[]> _blocks = [];
    private int _count;

    public void Add((Fact Fact, int Change) entry)
    {
        if (_count % BlockSize == 0)
            _blocks.Add(new (Fact, int)[BlockSize]);
        _blocks[^1][_count % BlockSize] = entry;
        _count++;
    }

    public IEnumerator<(Fact Fact, int Change)> GetEnumerator()
    {
        for (var i = 0; i < _count; i++)
            yield return _blocks[i / BlockSize][i % BlockSize];
    }

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
}
