using Strata.Diffing;
using Strata.Diffing.Planning;
using Strata.Model;

namespace Strata.Tests.Diffing;

public class ChangePlannerTests
{
    private static readonly QualifiedName Users = new("public", "users");
    private static readonly QualifiedName Orders = new("public", "orders");

    [Fact]
    public void A_graph_puts_each_node_after_its_predecessors_and_breaks_ties_by_key()
    {
        var graph = new DependencyGraph<string, string>(n => n, StringComparer.Ordinal);
        foreach (var node in new[] { "d", "c", "b", "a" })
            graph.Add(node);
        graph.AddEdge("d", "a");
        graph.AddEdge("c", "b");

        Assert.True(graph.TrySort(out var order, out var cycle));

        // a waits for d; b waits for c; among the ready ones the smallest key goes first.
        Assert.Equal(["c", "b", "d", "a"], order);
        Assert.Empty(cycle);
    }

    [Fact]
    public void A_graph_with_a_cycle_returns_the_nodes_of_the_cycle_in_order()
    {
        var graph = new DependencyGraph<string, string>(n => n, StringComparer.Ordinal);
        foreach (var node in new[] { "a", "b", "c", "x" })
            graph.Add(node);
        graph.AddEdge("a", "b");
        graph.AddEdge("b", "c");
        graph.AddEdge("c", "a");
        graph.AddEdge("c", "x");

        Assert.False(graph.TrySort(out _, out var cycle));

        Assert.Equal(["a", "b", "c"], cycle);
    }

    [Fact]
    public void A_need_puts_a_change_after_its_provider_whatever_their_ranks()
    {
        var planner = new ChangePlanner();
        var index = new CreateIndex(Users, new Strata.Model.Index("users_name_idx", ValueList.Create(IndexElement.OnColumn("name"))));
        var table = new CreateTable(new Table("public", "users", ValueList.Create(new Column("name", new ColumnType(TypeKind.Text)))));
        planner.Add(index, rank: 1).Need(FactState.Exists, DependencyKind.Table, "public.users");
        planner.Add(table, rank: 2).Provide(FactState.Exists, DependencyKind.Table, "public.users");

        Assert.Equal([table, index], planner.Order());
    }

    [Fact]
    public void A_change_that_precedes_a_fact_runs_before_the_changes_that_make_it()
    {
        var planner = new ChangePlanner();
        var dropTable = new DropTable(new Table("public", "users", ValueList<Column>.Empty));
        var dropView = new DropView(new View("public", "active_users", "SELECT 1", DependsOn: ValueList.Create(Users)));
        planner.Add(dropTable, rank: 1).Provide(FactState.Gone, DependencyKind.Table, "public.users");
        planner.Add(dropView, rank: 2).Precede(FactState.Gone, DependencyKind.Table, "public.users");

        Assert.Equal([dropView, dropTable], planner.Order());
    }

    [Fact]
    public void Changes_no_dependency_orders_go_by_rank_then_by_the_order_they_were_added()
    {
        var planner = new ChangePlanner();
        var comment = new SetComment(CommentTarget.Table, Users, null, "people");
        var first = new CreateSchema("a");
        var second = new CreateSchema("b");
        planner.Add(comment, rank: 5);
        planner.Add(first, rank: 1);
        planner.Add(second, rank: 1);

        Assert.Equal([first, second, comment], planner.Order());
    }

    [Fact]
    public void A_need_that_nothing_in_the_plan_provides_is_already_met()
    {
        var planner = new ChangePlanner();
        var add = new AddColumn(Users, new Column("age", new ColumnType(TypeKind.Integer)));
        planner.Add(add, rank: 0).Need(FactState.Exists, DependencyKind.Table, "public.users");

        Assert.Equal([add], planner.Order());
    }

    [Fact]
    public void A_cycle_is_an_error_that_names_the_changes_and_what_links_them()
    {
        var planner = new ChangePlanner();
        planner.Add(new AddForeignKey(Users, new ForeignKey("users_order_fk", ValueList.Create("order_id"), Orders, ValueList.Create("id"))), rank: 0)
            .Provide(FactState.Exists, DependencyKind.Constraint, "public.users.users_order_fk")
            .Need(FactState.Exists, DependencyKind.Key, "public.orders(id)");
        planner.Add(new AddPrimaryKey(Orders, new PrimaryKey("orders_pkey", ValueList.Create("id"))), rank: 1)
            .Provide(FactState.Exists, DependencyKind.Key, "public.orders(id)")
            .Need(FactState.Exists, DependencyKind.Constraint, "public.users.users_order_fk");

        var error = Assert.Throws<InvalidOperationException>(() => planner.Order());

        Assert.Contains("cannot order these changes", error.Message);
        Assert.Contains("AddForeignKey of constraint public.users.users_order_fk", error.Message);
        Assert.Contains("AddPrimaryKey of key public.orders(id)", error.Message);
        Assert.Contains("which needs: key public.orders(id) exists", error.Message);
        Assert.Contains("which needs: constraint public.users.users_order_fk exists", error.Message);
    }
}
