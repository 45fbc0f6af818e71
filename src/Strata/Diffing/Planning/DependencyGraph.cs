namespace Strata.Diffing.Planning;

/// <summary>
/// Nodes and "must run before" edges, sorted topologically (Kahn's algorithm). Among the nodes that
/// are ready at a step, the one with the smallest key goes first, so the order is deterministic and,
/// where no edge decides, follows the keys.
/// </summary>
/// <typeparam name="TNode">A node; each is added once.</typeparam>
/// <typeparam name="TKey">The tie-break; keys must be distinct.</typeparam>
internal sealed class DependencyGraph<TNode, TKey>(Func<TNode, TKey> keyOf, IComparer<TKey>? comparer = null)
    where TNode : notnull
{
    private readonly List<TNode> _nodes = [];
    private readonly Dictionary<TNode, int> _index = [];
    private readonly List<List<int>> _successors = [];
    private readonly List<int> _predecessorCount = [];
    private readonly HashSet<(int, int)> _edges = [];
    private readonly IComparer<TKey> _comparer = comparer ?? Comparer<TKey>.Default;

    public int Count => _nodes.Count;

    public void Add(TNode node)
    {
        if (_index.ContainsKey(node))
            return;
        _index[node] = _nodes.Count;
        _nodes.Add(node);
        _successors.Add([]);
        _predecessorCount.Add(0);
    }

    /// <summary>Records that <paramref name="first"/> must come before <paramref name="then"/> (both already added); a self-edge is ignored.</summary>
    public void AddEdge(TNode first, TNode then)
    {
        var from = _index[first];
        var to = _index[then];
        if (from == to || !_edges.Add((from, to)))
            return;
        _successors[from].Add(to);
        _predecessorCount[to]++;
    }

    /// <summary>
    /// Every node, each after all the nodes it has edges from. When the edges form a cycle, returns
    /// false and one cycle in <paramref name="cycle"/> (each node before the next, the last before the first).
    /// </summary>
    public bool TrySort(out List<TNode> order, out List<TNode> cycle)
    {
        var remaining = _predecessorCount.ToArray();
        var ready = new PriorityQueue<int, TKey>(_comparer);
        for (var i = 0; i < _nodes.Count; i++)
        {
            if (remaining[i] == 0)
                ready.Enqueue(i, keyOf(_nodes[i]));
        }
        order = new List<TNode>(_nodes.Count);
        while (ready.TryDequeue(out var next, out _))
        {
            order.Add(_nodes[next]);
            foreach (var successor in _successors[next])
            {
                if (--remaining[successor] == 0)
                    ready.Enqueue(successor, keyOf(_nodes[successor]));
            }
        }
        cycle = order.Count == _nodes.Count ? [] : FindCycle(remaining);
        return cycle.Count == 0;
    }

    /// <summary>A cycle among the nodes that never became ready: walking back along unsorted predecessors must repeat a node.</summary>
    private List<TNode> FindCycle(int[] remaining)
    {
        var predecessors = new Dictionary<int, int>();
        for (var from = 0; from < _nodes.Count; from++)
        {
            if (remaining[from] == 0)
                continue;
            foreach (var to in _successors[from])
            {
                if (remaining[to] > 0)
                    predecessors.TryAdd(to, from);
            }
        }
        // Start at the smallest stuck node so that the message is the same every time.
        var start = Enumerable.Range(0, _nodes.Count).Where(i => remaining[i] > 0)
            .OrderBy(i => keyOf(_nodes[i]), _comparer).First();
        var seen = new List<int>();
        var current = start;
        while (!seen.Contains(current))
        {
            seen.Add(current);
            current = predecessors[current];
        }
        var loop = seen[seen.IndexOf(current)..];
        loop.Reverse();
        // Begin at the smallest node of the loop, for the same reason.
        var first = loop.IndexOf(loop.MinBy(i => keyOf(_nodes[i]), _comparer));
        return loop[first..].Concat(loop[..first]).Select(i => _nodes[i]).ToList();
    }
}
