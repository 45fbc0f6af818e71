using Strata.Model;

namespace Strata.IntegrationTests.Random;

/// <summary>
/// The random generator's index key collations (COLLATE "C", "POSIX", or one of the schema's own deterministic
/// collations, on a text column's key of a btree or hash index) and the storage parameters of primary keys' and unique
/// constraints' indexes, from a random stream of their own. Run last on each schema, so that it also settles the keys
/// the other mutations touched: a key whose collation was renamed follows it, one whose collation or column is gone
/// or no longer collatable (or is now its column's own) loses its COLLATE.
/// </summary>
internal sealed class RandomIndexKeys(int seed)
{
    private readonly System.Random _random = new(unchecked(seed * 104729 + 67));

    private static readonly string[] BuiltIn = ["C", "POSIX"];

    /// <summary>Collations and key storage parameters for a new schema A.</summary>
    public void Add(SchemaSpec spec)
    {
        foreach (var table in spec.Tables)
        {
            for (var i = 0; i < table.Indexes.Count; i++)
            {
                if (_random.NextDouble() < 0.35)
                    table.Indexes[i] = WithCollatedKey(spec, table, table.Indexes[i]);
            }
            if (table.PrimaryKey is { } key && _random.NextDouble() < 0.3)
                table.PrimaryKey = key with { Options = KeyOptions() };
            for (var i = 0; i < table.Uniques.Count; i++)
            {
                if (_random.NextDouble() < 0.3)
                    table.Uniques[i] = table.Uniques[i] with { Options = KeyOptions() };
            }
        }
    }

    /// <summary>
    /// Schema B: its keys settled after the other mutations, then perhaps one change of a key's collation or a key's
    /// storage parameters, or (without renames, as the generator's own collation changes) a collation a key uses
    /// re-created with another locale.
    /// </summary>
    public void Mutate(SchemaSpec spec, List<string> log, bool renaming)
    {
        Settle(spec);
        if (!renaming && _random.NextDouble() < 0.3)
            RecreateKeyCollation(spec, log);
        if (spec.Tables.Count == 0 || _random.NextDouble() >= 0.4)
            return;
        var table = spec.Tables[_random.Next(spec.Tables.Count)];
        if (table.Indexes.Count > 0 && _random.NextDouble() < 0.5)
        {
            var i = _random.Next(table.Indexes.Count);
            var index = table.Indexes[i];
            var collated = index.Keys.FindIndex(k => k.Collation is not null);
            table.Indexes[i] = collated >= 0 && _random.NextDouble() < 0.4
                ? index with { Keys = index.Keys.Select((k, n) => n == collated ? k with { Collation = null } : k).ToList() }
                : WithCollatedKey(spec, table, index);
            log.Add($"key collations of index {index.Name}");
            return;
        }
        var keys = (table.PrimaryKey is { } primaryKey ? [primaryKey] : Array.Empty<KeySpec>()).Concat(table.Uniques).ToList();
        if (keys.Count == 0)
            return;
        var changed = keys[_random.Next(keys.Count)];
        var options = changed.Options.Count > 0 && _random.NextDouble() < 0.4 ? [] : KeyOptions();
        if (changed == table.PrimaryKey)
            table.PrimaryKey = changed with { Options = options };
        else
            table.Uniques[table.Uniques.IndexOf(changed)] = changed with { Options = options };
        log.Add($"storage parameters of key {changed.Name}");
    }

    /// <summary>One of the schema's collations that an index key uses given another locale of its provider (PostgreSQL re-creates it).</summary>
    private void RecreateKeyCollation(SchemaSpec spec, List<string> log)
    {
        var used = spec.Collations
            .Where(c => spec.Tables.Any(t => t.Indexes.Any(i => i.Keys.Any(k => k.Collation == (c.Name, CollationReference.SchemaOf(c.Schema))))))
            .ToList();
        if (used.Count == 0)
            return;
        var old = used[_random.Next(used.Count)];
        var locale = old.Icu ? (old.Locale == "und" ? "de" : "und") : (old.Locale == "C" ? "POSIX" : "C");
        spec.Collations[spec.Collations.IndexOf(old)] = old with { Locale = locale };
        log.Add($"collation {old.QualifiedName} of an index key: locale {old.Locale ?? "C/POSIX"} → {locale} (re-created)");
    }

    /// <summary>A btree key's storage parameters: a fill factor, sometimes with deduplication off.</summary>
    private List<string> KeyOptions()
    {
        var options = new List<string> { "fillfactor=" + (50 + 10 * _random.Next(5)) };
        if (_random.NextDouble() < 0.3)
            options.Add("deduplicate_items=off");
        return options;
    }

    /// <summary>The index with one of its collatable column keys given a collation other than its column's, if it has such a key.</summary>
    private IndexSpec WithCollatedKey(SchemaSpec spec, TableSpec table, IndexSpec index)
    {
        if (index.Method is not ("btree" or "hash"))
            return index;
        var candidates = index.Keys.Select((k, n) => (Key: k, At: n)).Where(k => Collatable(table, k.Key)).ToList();
        if (candidates.Count == 0)
            return index;
        var (key, at) = candidates[_random.Next(candidates.Count)];
        var column = table.Find(key.Column!)!;
        var choices = BuiltIn.Select(name => (name, (string?)null))
            .Concat(spec.Collations.Where(c => c.Deterministic).Select(c => (c.Name, CollationReference.SchemaOf(c.Schema))))
            // The column's own collation is no key's (PostgreSQL records it alike either way).
            .Where(c => (c.Item1, c.Item2) != (column.Collation, column.CollationSchema))
            .ToList();
        var chosen = choices[_random.Next(choices.Count)];
        return index with { Keys = index.Keys.Select((k, n) => n == at ? k with { Collation = chosen } : k).ToList() };
    }

    /// <summary>A plain key on a text column of the table (an expression's type is not known here).</summary>
    private static bool Collatable(TableSpec table, IndexKeySpec key) =>
        key.Column is { } name && table.Find(name) is { Type: { Kind: TypeKind.Text or TypeKind.Varchar, ArrayDimensions: 0 } };

    /// <summary>
    /// Keys whose collation the other mutations took away (dropped or renamed, or the column retyped) lose it, and so
    /// does one whose collation is now its column's own.
    /// </summary>
    private static void Settle(SchemaSpec spec)
    {
        foreach (var table in spec.Tables)
        {
            for (var i = 0; i < table.Indexes.Count; i++)
            {
                var index = table.Indexes[i];
                if (index.Keys.All(k => k.Collation is null))
                    continue;
                table.Indexes[i] = index with { Keys = index.Keys.Select(k => Settled(spec, table, k)).ToList() };
            }
        }
    }

    private static IndexKeySpec Settled(SchemaSpec spec, TableSpec table, IndexKeySpec key)
    {
        if (key.Collation is not { } collation)
            return key;
        var (name, schema) = collation;
        if (!Collatable(table, key))
            return key with { Collation = null };
        var column = table.Find(key.Column!)!;
        if ((column.Collation, column.CollationSchema) == (name, schema))
            return key with { Collation = null };
        if (schema is null && BuiltIn.Contains(name))
            return key;
        if (spec.Collations.Any(c => c.Name == name && CollationReference.SchemaOf(c.Schema) == schema))
            return key;
        return key with { Collation = null };
    }
}
