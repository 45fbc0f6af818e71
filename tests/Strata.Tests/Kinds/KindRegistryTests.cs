using Strata.Model;

namespace Strata.Tests.Kinds;

public sealed class KindRegistryTests
{
    private sealed record Part(int Order, string Name) : IKindPart;

    [Fact]
    public void Parts_come_in_their_order_whatever_order_they_were_added_in()
    {
        var registry = new KindRegistry<Part>();
        registry.Add(new Part(20, "policies"));
        registry.Add(new Part(10, "domains"));
        Assert.Equal(["domains", "policies"], registry.InOrder.Select(p => p.Name));

        // A part added after the order was read takes its place too.
        registry.Add(new Part(15, "functions"));
        Assert.Equal(["domains", "functions", "policies"], registry.InOrder.Select(p => p.Name));
    }

    [Fact]
    public void Two_parts_with_the_same_order_are_refused_so_that_their_order_is_never_left_to_chance()
    {
        var registry = new KindRegistry<Part>();
        registry.Add(new Part(10, "domains"));

        var error = Assert.Throws<InvalidOperationException>(() => registry.Add(new Part(10, "functions")));

        Assert.Contains("order 10", error.Message);
    }
}
