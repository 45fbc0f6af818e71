using Strata.Diffing;
using Strata.Dsl;
using Strata.Model;

namespace Strata.IntegrationTests.Scenarios;

public sealed class SequenceAndViewScenarios(ScenarioFixture fixture) : ScenarioTests(fixture)
{
    private static void Orders(TableBuilder t)
    {
        t.Column("id", Types.Integer).PrimaryKey();
        t.Column("customer", Types.Text).NotNull();
        t.Column("total", Types.Numeric(10, 2)).NotNull();
    }

    [Fact]
    public Task Creating_a_sequence_with_options() => RoundTripAsync(
        _ => { },
        db =>
        {
            db.Sequence("plain");
            db.Sequence("tickets", new SequenceOptions(DataType: "integer", StartWith: 1000, IncrementBy: 5, MinValue: 10, MaxValue: 99_999, Cache: 5, Cycle: true), "ticket numbers");
            db.Table("t", t => t.Column("ticket", Types.Integer).DefaultSql("nextval('tickets')"));
        });

    [Fact]
    public Task Dropping_a_sequence() => RoundTripAsync(
        db => db.Sequence("old_numbers", new SequenceOptions(StartWith: 7)),
        _ => { });

    [Fact]
    public Task Changing_the_options_of_a_sequence() => RoundTripAsync(
        db => db.Sequence("numbers", new SequenceOptions(StartWith: 1, IncrementBy: 1)),
        db => db.Sequence("numbers", new SequenceOptions(DataType: "bigint", StartWith: 50, IncrementBy: -2, MinValue: -1000, MaxValue: 100, Cache: 3, Cycle: true)));

    [Fact]
    public Task Creating_a_view() => RoundTripAsync(
        db => db.Table("orders", Orders),
        db =>
        {
            db.Table("orders", Orders);
            db.View("big_orders", "SELECT id, customer FROM orders WHERE total > 100").Comment("orders over 100");
        });

    [Fact]
    public Task Dropping_a_view() => RoundTripAsync(
        db =>
        {
            db.Table("orders", Orders);
            db.View("big_orders", "SELECT id, customer FROM orders WHERE total > 100");
        },
        db => db.Table("orders", Orders));

    [Fact]
    public Task Changing_the_definition_of_a_view() => RoundTripAsync(
        db =>
        {
            db.Table("orders", Orders);
            db.View("big_orders", "SELECT id, customer FROM orders WHERE total > 100");
        },
        db =>
        {
            db.Table("orders", Orders);
            db.View("big_orders", "SELECT customer, sum(total) AS total FROM orders GROUP BY customer");
        });

    [Fact]
    public Task Changing_the_type_of_a_column_that_a_view_reads() => RoundTripAsync(
        db =>
        {
            db.Table("orders", Orders);
            db.View("by_customer", "SELECT customer, total FROM orders");
        },
        db =>
        {
            db.Table("orders", t =>
            {
                t.Column("id", Types.Integer).PrimaryKey();
                t.Column("customer", Types.Varchar(100)).NotNull();
                t.Column("total", Types.Numeric(14, 4)).NotNull();
            });
            db.View("by_customer", "SELECT customer, total FROM orders");
        });

    [Fact]
    public Task Changing_a_table_under_a_view_on_a_view() => RoundTripAsync(
        db =>
        {
            db.Table("orders", Orders);
            db.View("named", "SELECT id, customer FROM orders");
            db.View("named_upper", "SELECT id, upper(customer) AS customer FROM named");
        },
        db =>
        {
            db.Table("orders", t =>
            {
                t.Column("id", Types.BigInt).PrimaryKey();
                t.Column("customer", Types.Text).NotNull();
                t.Column("total", Types.Numeric(10, 2)).NotNull();
            });
            db.View("named", "SELECT id, customer FROM orders");
            db.View("named_upper", "SELECT id, upper(customer) AS customer FROM named");
        });

    [Fact]
    public Task Changing_a_view_that_another_view_reads() => RoundTripAsync(
        db =>
        {
            db.Table("orders", Orders);
            db.View("named", "SELECT id, customer FROM orders");
            db.View("named_count", "SELECT count(*) AS n FROM named");
        },
        db =>
        {
            db.Table("orders", Orders);
            db.View("named", "SELECT id, customer FROM orders WHERE total > 0");
            db.View("named_count", "SELECT count(*) AS n FROM named");
        });

    [Fact]
    public Task Creating_a_materialized_view() => RoundTripAsync(
        db => db.Table("orders", Orders),
        db =>
        {
            db.Table("orders", Orders);
            db.MaterializedView("totals", "SELECT customer, sum(total) AS total FROM orders GROUP BY customer").Comment("refreshed nightly");
        });

    [Fact]
    public Task Changing_a_materialized_view() => RoundTripAsync(
        db =>
        {
            db.Table("orders", Orders);
            db.MaterializedView("totals", "SELECT customer, sum(total) AS total FROM orders GROUP BY customer");
        },
        db =>
        {
            db.Table("orders", Orders);
            db.MaterializedView("totals", "SELECT customer, count(*) AS n FROM orders GROUP BY customer");
        });

    [Fact]
    public Task Renaming_a_column_that_a_view_reads() => RoundTripAsync(
        db =>
        {
            db.Table("orders", Orders);
            db.View("v", "SELECT id, customer FROM orders");
        },
        db =>
        {
            db.Table("orders", t =>
            {
                t.Column("id", Types.Integer).PrimaryKey();
                t.Column("client", Types.Text).NotNull();
                t.Column("total", Types.Numeric(10, 2)).NotNull();
            });
            db.View("v", "SELECT id, client FROM orders");
        },
        new RenameDecisions([new Rename(ObjectKind.Column, "public.orders.customer", "public.orders.client")], []));

    [Fact]
    public Task Changing_the_comment_of_a_view_only() => RoundTripAsync(
        db =>
        {
            db.Table("orders", Orders);
            db.View("v", "SELECT id FROM orders").Comment("before");
        },
        db =>
        {
            db.Table("orders", Orders);
            db.View("v", "SELECT id FROM orders").Comment("after");
        });

    [Fact]
    public Task Dropping_a_column_that_a_view_no_longer_reads() => RoundTripAsync(
        db =>
        {
            db.Table("orders", Orders);
            db.View("v", "SELECT id, customer, total FROM orders");
        },
        db =>
        {
            db.Table("orders", t =>
            {
                t.Column("id", Types.Integer).PrimaryKey();
                t.Column("customer", Types.Text).NotNull();
            });
            db.View("v", "SELECT id, customer FROM orders");
        });

    [Fact]
    public Task Creating_views_with_options_and_changing_them() => RoundTripAsync(
        db =>
        {
            db.Table("orders", Orders);
            db.View("own_orders", "SELECT id, customer FROM orders WHERE customer = current_user").With("security_barrier", "true");
            db.View("big_orders", "SELECT id, total FROM orders WHERE total > 100");
            db.MaterializedView("order_count", "SELECT count(*) AS n FROM orders").With("fillfactor", "50");
        },
        db =>
        {
            db.Table("orders", Orders);
            db.View("own_orders", "SELECT id, customer FROM orders WHERE customer = current_user");
            db.View("big_orders", "SELECT id, total FROM orders WHERE total > 100").With("check_option", "local").With("security_barrier", "true");
            db.MaterializedView("order_count", "SELECT count(*) AS n FROM orders").With("fillfactor", "70");
        });
}
