using Strata.Dsl;
using Strata.Model;

namespace Strata.IntegrationTests.Random;

/// <summary>
/// A partitioned table of the random schemas, with its partitions (one level, sometimes one of them partitioned
/// again): columns of its own, a key over them by RANGE (on a date), LIST (on a text) or HASH (on an integer), and
/// partitions with bounds that do not overlap. Kept apart from <see cref="TableSpec"/>, whose mutations (columns
/// dropped, retyped, renamed) a partition key would have to follow.
/// </summary>
internal sealed class PartitionedSpec
{
    public required string Name { get; init; }
    public required string Strategy { get; set; }
    public List<string> ExtraColumns { get; } = [];
    public bool ParentIndex { get; set; }
    public bool PrimaryKey { get; set; }
    /// <summary>Each partition's name, its slot (which range, list value or remainder it holds; -1 the default), and whether it is sub-partitioned by HASH.</summary>
    public List<(string Name, int Slot, bool Sub)> Partitions { get; } = [];
    public int Modulus { get; set; } = 4;

    public PartitionedSpec Clone()
    {
        var copy = new PartitionedSpec { Name = Name, Strategy = Strategy, ParentIndex = ParentIndex, PrimaryKey = PrimaryKey, Modulus = Modulus };
        copy.ExtraColumns.AddRange(ExtraColumns);
        copy.Partitions.AddRange(Partitions);
        return copy;
    }

    private string KeyColumn => Strategy switch { "RANGE" => "at", "LIST" => "region", _ => "id" };

    private string Bound(int slot) => slot < 0 ? "DEFAULT" : Strategy switch
    {
        "RANGE" => $"FROM ('{2020 + slot}-01-01') TO ('{2021 + slot}-01-01')",
        "LIST" => $"IN ('r{slot}', 'q{slot}')",
        _ => $"WITH (MODULUS {Modulus}, REMAINDER {slot % Modulus})",
    };

    public void Declare(SchemaBuilder db)
    {
        var parent = db.Table(Name, t =>
        {
            t.Column("id", Types.BigInt).NotNull();
            t.Column("at", Types.Date).NotNull();
            t.Column("region", Types.Text).NotNull();
            foreach (var column in ExtraColumns)
                t.Column(column, Types.Text);
            if (PrimaryKey)
                t.PrimaryKey("id", "at", "region");
            if (ParentIndex)
                t.Index("region", "at");
            t.PartitionBy($"{Strategy} ({KeyColumn})");
        });
        foreach (var (name, slot, sub) in Partitions)
        {
            db.Table(name, t =>
            {
                t.PartitionOf(parent, Bound(slot));
                if (sub)
                    t.PartitionByHash("id");
            });
            if (sub)
                db.Table(name + "_h", t => t.PartitionOf(name, "WITH (MODULUS 1, REMAINDER 0)"));
        }
    }
}

/// <summary>The random generator's partitioned tables: created and mutated from a random stream of their own.</summary>
internal sealed class RandomPartitions(int seed)
{
    private static readonly string[] Strategies = ["RANGE", "LIST", "HASH"];
    private readonly System.Random _random = new(unchecked(seed * 15485863 + 41));
    private int _next;

    public bool Chance(double probability) => _random.NextDouble() < probability;

    public void Add(SchemaSpec spec)
    {
        var table = new PartitionedSpec { Name = $"pt{_next++}", Strategy = Strategies[_random.Next(3)], ParentIndex = _random.NextDouble() < 0.5, PrimaryKey = _random.NextDouble() < 0.5 };
        for (var i = _random.Next(4); i > 0; i--)
            AddPartition(table);
        spec.Partitioned.Add(table);
    }

    public void Mutate(SchemaSpec spec, List<string> log)
    {
        if (spec.Partitioned.Count == 0 || _random.NextDouble() < 0.2)
        {
            Add(spec);
            log.Add($"partitioned table {spec.Partitioned[^1].Name} added");
            return;
        }
        var table = spec.Partitioned[_random.Next(spec.Partitioned.Count)];
        switch (_random.Next(7))
        {
            case 0:
                AddPartition(table);
                log.Add($"partitioned table {table.Name}: partition added");
                break;
            case 1 when table.Partitions.Count > 0:
                var dropped = table.Partitions[_random.Next(table.Partitions.Count)];
                table.Partitions.Remove(dropped);
                log.Add($"partitioned table {table.Name}: partition {dropped.Name} dropped");
                break;
            case 2 when table.Partitions.Count > 0 && table.Strategy != "HASH":
                var index = _random.Next(table.Partitions.Count);
                var moved = table.Partitions[index];
                if (FreeSlot(table) is { } slot && moved.Slot >= 0)
                {
                    table.Partitions[index] = moved with { Slot = slot };
                    log.Add($"partitioned table {table.Name}: partition {moved.Name} re-bounded");
                }
                break;
            case 3:
                table.Strategy = Strategies[(Array.IndexOf(Strategies, table.Strategy) + 1) % 3];
                table.Partitions.RemoveAll(p => p.Slot < 0 && table.Strategy == "HASH");
                log.Add($"partitioned table {table.Name}: key now {table.Strategy} (re-created)");
                break;
            case 4:
                table.ExtraColumns.Add($"c{_next++}");
                log.Add($"partitioned table {table.Name}: column added");
                break;
            case 5:
                table.ParentIndex = !table.ParentIndex;
                log.Add($"partitioned table {table.Name}: parent index {(table.ParentIndex ? "added" : "dropped")}");
                break;
            default:
                spec.Partitioned.Remove(table);
                log.Add($"partitioned table {table.Name} dropped");
                break;
        }
    }

    private void AddPartition(PartitionedSpec table)
    {
        int slot;
        if (table.Strategy != "HASH" && !table.Partitions.Exists(p => p.Slot < 0) && _random.NextDouble() < 0.25)
            slot = -1;
        else if (FreeSlot(table) is { } free)
            slot = free;
        else
            return;
        table.Partitions.Add(($"{table.Name}_p{_next++}", slot, _random.NextDouble() < 0.2));
    }

    private int? FreeSlot(PartitionedSpec table)
    {
        var taken = table.Partitions.Select(p => p.Slot).ToHashSet();
        var free = Enumerable.Range(0, table.Modulus).Where(s => !taken.Contains(s)).ToList();
        return free.Count == 0 ? null : free[_random.Next(free.Count)];
    }
}
