using Strata.Diffing.Planning;
using Strata.Model;

namespace Strata.Tests.Diffing;

public class FactNumbersTests
{
    [Fact]
    public void Equal_facts_get_one_number_and_facts_that_differ_in_any_part_get_their_own()
    {
        var numbers = new FactNumbers();
        var column = new Fact(FactState.Exists, new ObjectRef(DependencyKind.Column, new QualifiedName("public", "users"), "email"));
        // The same fact from other string instances, as each differ builds its own.
        var again = new Fact(FactState.Exists, new ObjectRef(DependencyKind.Column, new QualifiedName(new string("public"), new string("users")), new string("email")));
        Fact[] others =
        [
            column with { State = FactState.Gone },
            column with { Object = column.Object with { Kind = DependencyKind.Constraint } },
            column with { Object = column.Object with { Object = new QualifiedName("audit", "users") } },
            column with { Object = column.Object with { Object = new QualifiedName("public", "orders") } },
            column with { Object = column.Object with { Member = "name" } },
            column with { Object = column.Object with { Member = null } },
        ];

        Assert.Equal(-1, numbers.Find(column));
        Assert.Equal(0, numbers.Add(column));
        Assert.Equal(0, numbers.Add(again));
        Assert.Equal(0, numbers.Find(again));
        Assert.Equal([1, 2, 3, 4, 5, 6], others.Select(f => numbers.Add(f)));
        Assert.Equal(7, numbers.Count);
    }

    [Fact]
    public void Facts_keep_their_numbers_as_the_table_grows()
    {
        var numbers = new FactNumbers();
        var facts = Enumerable.Range(0, 5000)
            .Select(i => new Fact((FactState)(i % 3), new ObjectRef(DependencyKind.Table, new QualifiedName("s" + i % 7, "t" + i))))
            .ToList();

        Assert.Equal(Enumerable.Range(0, 5000), facts.Select(f => numbers.Add(f)));
        Assert.Equal(Enumerable.Range(0, 5000), facts.Select(f => numbers.Find(f)));
        Assert.Equal(-1, numbers.Find(new Fact(FactState.Exists, new ObjectRef(DependencyKind.Table, new QualifiedName("s0", "t5000")))));
        Assert.Equal(5000, numbers.Count);
    }
}
