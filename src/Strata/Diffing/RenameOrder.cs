using Strata.Model;

namespace Strata.Diffing;

/// <summary>
/// Orders renames that share a namespace so that none takes a name still in use: in a chain
/// (a → b while b → c) the later link goes first, and a cycle (a swap) goes through a temporary name.
/// </summary>
internal static class RenameOrder
{
    private const string TemporarySuffix = "__strata_tmp";

    public static List<SchemaChange> Sort(List<SchemaChange> renames)
    {
        if (renames.Count < 2)
            return renames;
        var pending = renames.Select(r => (Change: r, Key: Key(r))).ToList();
        var occupied = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (_, key) in pending)
            occupied[key.From] = occupied.GetValueOrDefault(key.From) + 1;
        var ordered = new List<SchemaChange>(renames.Count);
        // Table renames not run yet; a split through a temporary name keeps the same target, so the
        // entry stays until the rename that reaches it runs.
        var tablesToCome = renames.OfType<RenameTable>().ToList();
        while (pending.Count > 0)
        {
            // One pass emits every rename whose new name is free; a chain needs one pass per link.
            var still = new List<(SchemaChange Change, (string From, string To) Key)>();
            foreach (var item in pending)
            {
                if (occupied.GetValueOrDefault(item.Key.To) > 0 || WaitsForTable(item.Change, tablesToCome))
                {
                    still.Add(item);
                    continue;
                }
                ordered.Add(item.Change);
                occupied[item.Key.From]--;
                if (item.Change is RenameTable table)
                    tablesToCome.RemoveAt(tablesToCome.FindIndex(t => t.To == table.To));
            }
            if (still.Count == pending.Count)
            {
                // Every remaining rename waits for another: move the first one that can go aside to
                // break the cycle (tables never wait for a table, so there is one).
                var first = still.FindIndex(p => !WaitsForTable(p.Change, tablesToCome));
                // Moving aside what already stands aside would loop forever: a constraint or column that
                // waits for its table while holding the name that table takes. Say so instead.
                if (IsTemporary(Key(still[first].Change).From))
                    throw new InvalidOperationException(
                        $"Strata cannot order these renames: {string.Join(", ", still.Select(p => $"{p.Key.From} → {p.Key.To}"))}. "
                        + "Rename in two migrations (first the constraints or indexes, then the tables).");
                var (toTemporary, fromTemporary) = SplitThroughTemporary(still[first].Change);
                ordered.Add(toTemporary);
                occupied[still[first].Key.From]--;
                still[first] = (fromTemporary, Key(fromTemporary));
                occupied[still[first].Key.From] = occupied.GetValueOrDefault(still[first].Key.From) + 1;
            }
            pending = still;
        }
        return ordered;
    }

    /// <summary>
    /// Whether the rename names its table by the table's new name, which it has only once the table's
    /// own rename ran: ALTER TABLE … RENAME CONSTRAINT or COLUMN always, an index or owned sequence only when its table moves schema
    /// (the index moves along; ALTER INDEX names it by schema alone).
    /// </summary>
    private static bool WaitsForTable(SchemaChange rename, List<RenameTable> tablesToCome) => rename switch
    {
        RenameConstraint r => tablesToCome.Any(t => t.To == r.Table),
        RenameIndex r => tablesToCome.Any(t => t.To == r.Table && t.From.Schema != t.To.Schema),
        RenameColumn r => tablesToCome.Any(t => t.To == r.Table),
        // A table moved to another schema takes its owned sequences along; the differ renames those by
        // the new schema. (Recognized by the table's name at its start, as OwnedSequence.Name begins.)
        RenameSequence r => tablesToCome.Any(t => t.From.Schema != t.To.Schema && t.To.Schema == r.From.Schema
            && r.From.Name.StartsWith(OwnedSequence.ClipToBytes(t.From.Name, 16), StringComparison.Ordinal)),
        _ => false,
    };

    /// <summary>The name a rename frees and the name it takes, each with its namespace.</summary>
    private static (string From, string To) Key(SchemaChange rename) => rename switch
    {
        ITypeRename r => (r.From.ToString(), r.To.ToString()),
        RenameSequence r => (r.From.ToString(), r.To.ToString()),
        RenameTable r => (r.From.ToString(), r.To.ToString()),
        RenameColumn r => ($"{r.Table}.{r.From}", $"{r.Table}.{r.To}"),
        RenameIndex r => ($"{r.Table.Schema}.{r.From}", $"{r.Table.Schema}.{r.To}"),
        // Check and foreign key names are unique per table (keys are renamed as indexes).
        RenameConstraint r => ($"{r.Table}\u0001{r.From}", $"{r.Table}\u0001{r.To}"),
        _ => throw new ArgumentException($"{rename.GetType().Name} is not a rename.", nameof(rename)),
    };

    /// <summary>Whether a name is one this class made up to break a cycle (nothing held it before).</summary>
    public static bool IsTemporary(string name) => name.EndsWith(TemporarySuffix, StringComparison.Ordinal);

    private static string Temporary(string name) => OwnedSequence.ClipToBytes(name, Identifiers.MaxBytes - TemporarySuffix.Length) + TemporarySuffix;

    private static QualifiedName Temporary(QualifiedName name) => name with { Name = Temporary(name.Name) };

    private static (SchemaChange, SchemaChange) SplitThroughTemporary(SchemaChange rename) => rename switch
    {
        ITypeRename r => (r.Between(r.From, Temporary(r.From)), r.Between(Temporary(r.From), r.To)),
        RenameSequence r => (r with { To = Temporary(r.From) }, r with { From = Temporary(r.From) }),
        RenameTable r => (r with { To = Temporary(r.From) }, r with { From = Temporary(r.From) }),
        RenameColumn r => (r with { To = Temporary(r.From) }, r with { From = Temporary(r.From) }),
        RenameIndex r => (r with { To = Temporary(r.From) }, r with { From = Temporary(r.From) }),
        RenameConstraint r => (r with { To = Temporary(r.From) }, r with { From = Temporary(r.From) }),
        _ => throw new ArgumentException($"{rename.GetType().Name} is not a rename.", nameof(rename)),
    };
}
