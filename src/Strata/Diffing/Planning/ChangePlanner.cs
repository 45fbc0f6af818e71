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

    internal void Record(PlannedChange change, FactRole role, Fact fact) => LogOf(role).Add(fact, change.Sequence);

    internal IEnumerable<Fact> FactsOf(PlannedChange change, FactRole role)
    {
        var log = LogOf(role);
        for (var i = 0; i < log.Count; i++)
        {
            if (log.ChangeAt(i) == change.Sequence)
                yield return log.FactAt(i);
        }
    }

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
        {
            // Sorted as an array of the (reference type) changes: shared generic code that is precompiled, where
            // a LINQ OrderBy over int keys would be JIT-compiled on every diff. Keys are distinct, so the sort is stable.
            var sorted = _changes.ToArray();
            Array.Sort(sorted, static (a, b) => a.Rank != b.Rank ? a.Rank.CompareTo(b.Rank) : a.Sequence.CompareTo(b.Sequence));
            var ordered = new List<SchemaChange>(sorted.Length);
            foreach (var change in sorted)
                ordered.Add(change.Change);
            return ordered;
        }

        var graph = new DependencyGraph<PlannedChange, (int Rank, int Sequence)>(c => (c.Rank, c.Sequence));
        var numbers = new FactNumbers();
        var providers = new List<List<PlannedChange>>();
        foreach (var change in _changes)
            graph.Add(change);
        for (var i = 0; i < _provides.Count; i++)
        {
            var number = numbers.Add(_provides.FactAt(i));
            if (number == providers.Count)
                providers.Add([]);
            providers[number].Add(_changes[_provides.ChangeAt(i)]);
        }
        for (var i = 0; i < _needs.Count; i++)
        {
            var number = numbers.Find(_needs.FactAt(i));
            if (number < 0)
                continue;
            foreach (var provider in providers[number])
                graph.AddEdge(provider, _changes[_needs.ChangeAt(i)]);
        }
        for (var i = 0; i < _precedes.Count; i++)
        {
            var number = numbers.Find(_precedes.FactAt(i));
            if (number < 0)
                continue;
            foreach (var provider in providers[number])
                graph.AddEdge(_changes[_precedes.ChangeAt(i)], provider);
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
        // The first and last key among the providers of each fact, by the fact's number.
        var numbers = new FactNumbers();
        var first = new long[64];
        var last = new long[64];
        for (var i = 0; i < _provides.Count; i++)
        {
            var fact = _provides.FactAt(i);
            if ((relevant & SortOf(fact)) == 0)
                continue;
            var key = KeyOf(_provides.ChangeAt(i));
            var known = numbers.Count;
            var number = numbers.Add(fact);
            if (number == known)
            {
                if (number == first.Length)
                {
                    first = Grown(first);
                    last = Grown(last);
                }
                first[number] = last[number] = key;
            }
            else
            {
                first[number] = Math.Min(first[number], key);
                last[number] = Math.Max(last[number], key);
            }
        }
        for (var i = 0; i < _needs.Count; i++)
        {
            var fact = _needs.FactAt(i);
            if ((relevant & SortOf(fact)) != 0 && numbers.Find(fact) is var number and >= 0 && last[number] >= KeyOf(_needs.ChangeAt(i)))
                return false;
        }
        for (var i = 0; i < _precedes.Count; i++)
        {
            var fact = _precedes.FactAt(i);
            if ((relevant & SortOf(fact)) != 0 && numbers.Find(fact) is var number and >= 0 && first[number] <= KeyOf(_precedes.ChangeAt(i)))
                return false;
        }
        return true;

        static long[] Grown(long[] array)
        {
            var grown = new long[array.Length * 2];
            Array.Copy(array, grown, array.Length);
            return grown;
        }
    }

    /// <summary>A fact's state and kind as one bit (3 states × 12 kinds fit in 64).</summary>
    private static ulong SortOf(Fact fact) => 1UL << ((int)fact.State * 16 + (int)fact.Object.Kind);

    private static ulong SortsOf(FactLog facts)
    {
        var sorts = 0UL;
        for (var i = 0; i < facts.Count; i++)
            sorts |= SortOf(facts.FactAt(i));
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
/// it grows) in the large object heap for every diff. Facts and changes in arrays of their own, not
/// tuples: a collection of (Fact, int) would be CoreLib generic code over a Strata value type, which
/// ReadyToRun cannot precompile, JIT-compiled at every command's start.
/// </summary>
internal sealed class FactLog
{
    private const int BlockSize = 1024;
    private readonly List<Fact[]> _facts = [];
    private readonly List<int[]> _changes = [];

    public int Count { get; private set; }

    public void Add(Fact fact, int change)
    {
        if (Count % BlockSize == 0)
        {
            _facts.Add(new Fact[BlockSize]);
            _changes.Add(new int[BlockSize]);
        }
        _facts[^1][Count % BlockSize] = fact;
        _changes[^1][Count % BlockSize] = change;
        Count++;
    }

    public Fact FactAt(int index) => _facts[index / BlockSize][index % BlockSize];

    public int ChangeAt(int index) => _changes[index / BlockSize][index % BlockSize];
}

/// <summary>
/// Facts numbered 0, 1, 2… as they are first added: a hash table of the planner's own (open addressing over
/// arrays), because a Dictionary or HashSet keyed by <see cref="Fact"/>, a value type, is CoreLib generic code
/// that ReadyToRun cannot precompile into Strata's image: the JIT compiled some 30 methods of it (with the
/// equality comparers of Fact, ObjectRef and their enums) in every command that diffs.
/// </summary>
internal sealed class FactNumbers
{
    private Fact[] _facts = new Fact[64];
    // Each slot holds a fact's number + 1, or 0 when empty; twice as many slots as facts at most.
    private int[] _slots = new int[128];

    public int Count { get; private set; }

    /// <summary>The number of <paramref name="fact"/>, or -1 if it was never added.</summary>
    public int Find(in Fact fact)
    {
        for (var slot = Hash(fact) & (_slots.Length - 1); ; slot = (slot + 1) & (_slots.Length - 1))
        {
            var entry = _slots[slot];
            if (entry == 0)
                return -1;
            if (Same(_facts[entry - 1], fact))
                return entry - 1;
        }
    }

    /// <summary>The number of <paramref name="fact"/>, added as the next number if it is new.</summary>
    public int Add(in Fact fact)
    {
        var number = Find(fact);
        if (number >= 0)
            return number;
        if (Count == _facts.Length)
        {
            var facts = new Fact[_facts.Length * 2];
            Array.Copy(_facts, facts, Count);
            _facts = facts;
            _slots = new int[_slots.Length * 2];
            for (var i = 0; i < Count; i++)
                Place(i);
        }
        _facts[Count] = fact;
        Place(Count);
        return Count++;
    }

    private void Place(int number)
    {
        var slot = Hash(_facts[number]) & (_slots.Length - 1);
        while (_slots[slot] != 0)
            slot = (slot + 1) & (_slots.Length - 1);
        _slots[slot] = number + 1;
    }

    // Field by field, as the record's equality compares them (strings ordinally), without its generic comparers.
    private static bool Same(in Fact a, in Fact b) =>
        a.State == b.State && a.Object.Kind == b.Object.Kind
        && string.Equals(a.Object.Object.Name, b.Object.Object.Name) && string.Equals(a.Object.Object.Schema, b.Object.Object.Schema)
        && string.Equals(a.Object.Member, b.Object.Member);

    private static int Hash(in Fact fact)
    {
        var hash = ((int)fact.State * 31 + (int)fact.Object.Kind) * -1521134295 + (fact.Object.Object.Schema?.GetHashCode() ?? 0);
        hash = hash * -1521134295 + (fact.Object.Object.Name?.GetHashCode() ?? 0);
        hash = hash * -1521134295 + (fact.Object.Member?.GetHashCode() ?? 0);
        return hash & int.MaxValue;
    }
}
