using Strata.Dsl;
using Strata.Model;

namespace Strata.IntegrationTests.Random;

/// <summary>
/// A family of inheriting tables in the random schemas: a parent (its columns, a check, sometimes a NO INHERIT one), a
/// second parent some children also inherit from, and children with columns of their own, some declaring a parent's
/// column again (merged), some with a child of their own. Kept apart from <see cref="TableSpec"/>, whose mutations
/// (columns dropped, retyped, renamed) a child would have to follow.
/// </summary>
internal sealed class InheritanceSpec
{
    public required string Name { get; init; }
    public bool ParentKept { get; set; } = true;
    /// <summary>The parent's columns besides id (integer NOT NULL), and whether each is bigint (else integer) .</summary>
    public List<(string Name, bool Big)> Columns { get; } = [];
    public bool NoInheritCheck { get; set; }
    public List<ChildSpec> Children { get; } = [];

    public string Second => Name + "_tags";

    public InheritanceSpec Clone()
    {
        var copy = new InheritanceSpec { Name = Name, ParentKept = ParentKept, NoInheritCheck = NoInheritCheck };
        copy.Columns.AddRange(Columns);
        copy.Children.AddRange(Children.Select(c => c with { Own = [.. c.Own] }));
        return copy;
    }

    public void Declare(SchemaBuilder db)
    {
        if (ParentKept)
        {
            db.Table(Name, t =>
            {
                t.Column("id", Types.Integer).NotNull();
                foreach (var (name, big) in Columns)
                    t.Column(name, big ? Types.BigInt : Types.Integer);
                t.Check($"{Name}_id_positive", "id > 0");
                if (NoInheritCheck)
                    t.Check($"{Name}_here_only", "id < 1000000", noInherit: true);
            });
        }
        if (Children.Any(c => c.AlsoTags))
            db.Table(Second, t => t.Column("tag", Types.Text));
        foreach (var child in Children)
        {
            db.Table(child.Name, t =>
            {
                // A child of a dropped parent let go of it (NO INHERIT) and has its columns as its own.
                if (!ParentKept)
                {
                    t.Column("id", Types.Integer).NotNull();
                    foreach (var (name, big) in Columns)
                        t.Column(name, big ? Types.BigInt : Types.Integer);
                }
                else if (child.Merged && Columns.Count > 0)
                    t.Column(Columns[0].Name, Columns[0].Big ? Types.BigInt : Types.Integer);
                foreach (var column in child.Own)
                    t.Column(column, Types.Text);
                if (child.Indexed && child.Own.Count > 0)
                    t.Index(child.Own[0]);
                // A key on a column the child has from its parent.
                if (child.Keyed)
                    t.PrimaryKey("id");
                var parents = new List<string>();
                if (ParentKept)
                    parents.Add(Name);
                if (child.AlsoTags)
                    parents.Add(Second);
                if (parents.Count > 0)
                    t.Inherits([.. parents]);
            });
            if (child.Grandchild)
                db.Table(child.Name + "_g", t =>
                {
                    t.Column("deep", Types.Text);
                    t.Inherits(child.Name);
                });
        }
    }
}

internal sealed record ChildSpec(string Name, List<string> Own, bool Merged, bool AlsoTags, bool Indexed, bool Grandchild, bool Keyed);

/// <summary>The random generator's inheriting tables: created and mutated from a random stream of their own.</summary>
internal sealed class RandomInheritance(int seed)
{
    private readonly System.Random _random = new(unchecked(seed * 15485863 + 53));
    private int _next;

    public bool Chance(double probability) => _random.NextDouble() < probability;

    public void Add(SchemaSpec spec)
    {
        var family = new InheritanceSpec { Name = $"ih{_next++}", NoInheritCheck = Chance(0.3) };
        for (var i = _random.Next(3); i > 0; i--)
            family.Columns.Add(($"p{_next++}", Chance(0.3)));
        for (var i = 1 + _random.Next(2); i > 0; i--)
            AddChild(family);
        spec.Inherited.Add(family);
    }

    public void Mutate(SchemaSpec spec, List<string> log)
    {
        var kept = spec.Inherited.Where(f => f.ParentKept).ToList();
        if (kept.Count == 0 || Chance(0.2))
        {
            Add(spec);
            log.Add($"inheritance {spec.Inherited[^1].Name} added");
            return;
        }
        var family = kept[_random.Next(kept.Count)];
        switch (_random.Next(8))
        {
            case 0:
                family.Columns.Add(($"p{_next++}", Chance(0.3)));
                log.Add($"inheritance {family.Name}: parent column added");
                break;
            case 1 when family.Columns.Count > 0:
                var index = _random.Next(family.Columns.Count);
                family.Columns[index] = family.Columns[index] with { Big = !family.Columns[index].Big };
                log.Add($"inheritance {family.Name}: parent column retyped");
                break;
            case 2 when family.Columns.Count > 1:
                family.Columns.RemoveAt(_random.Next(1, family.Columns.Count));
                log.Add($"inheritance {family.Name}: parent column dropped");
                break;
            case 3:
                AddChild(family);
                log.Add($"inheritance {family.Name}: child added");
                break;
            case 4 when family.Children.Count > 0:
                family.Children.RemoveAt(_random.Next(family.Children.Count));
                log.Add($"inheritance {family.Name}: child dropped");
                break;
            case 5 when family.Children.Count > 0:
                var child = _random.Next(family.Children.Count);
                family.Children[child] = family.Children[child] with { AlsoTags = !family.Children[child].AlsoTags };
                log.Add($"inheritance {family.Name}: child {(family.Children[child].AlsoTags ? "gained" : "lost")} a second parent");
                break;
            case 6:
                family.ParentKept = false;
                log.Add($"inheritance {family.Name}: parent dropped, children kept");
                break;
            default:
                family.NoInheritCheck = !family.NoInheritCheck;
                log.Add($"inheritance {family.Name}: NO INHERIT check {(family.NoInheritCheck ? "added" : "dropped")}");
                break;
        }
    }

    private void AddChild(InheritanceSpec family)
    {
        var own = new List<string>();
        for (var i = _random.Next(3); i > 0; i--)
            own.Add($"c{_next++}");
        family.Children.Add(new ChildSpec($"{family.Name}_k{_next++}", own, Merged: Chance(0.3), AlsoTags: Chance(0.3), Indexed: Chance(0.3), Grandchild: Chance(0.2), Keyed: Chance(0.3)));
    }
}
