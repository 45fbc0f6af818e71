using Strata.IntegrationTests.Infrastructure;
using Strata.Model;
using Strata.Postgres.Introspection;
using Strata.Snapshots;

namespace Strata.IntegrationTests.Introspection;

/// <summary>What checks, index expressions and predicates, defaults, generated columns and views read, as pg_depend records it.</summary>
public sealed class ExpressionReadsTests(PostgresFixture fixture) : IClassFixture<PostgresFixture>
{
    private static readonly QualifiedName Orders = new("shop", "orders");

    private const string Schema = """
        CREATE SCHEMA shop;
        CREATE TYPE shop.state AS ENUM ('open', 'paid');
        CREATE SEQUENCE shop.numbers;
        CREATE FUNCTION shop.twice(integer) RETURNS integer LANGUAGE sql IMMUTABLE AS 'SELECT $1 * 2';
        CREATE TABLE shop.orders (
            id integer PRIMARY KEY,
            number bigint NOT NULL DEFAULT nextval('shop.numbers'),
            state shop.state NOT NULL DEFAULT 'open',
            price integer NOT NULL,
            quantity integer NOT NULL,
            note text,
            total integer GENERATED ALWAYS AS (price * quantity) STORED,
            doubled integer DEFAULT shop.twice(7),
            plain integer DEFAULT 0,
            CONSTRAINT positive CHECK (price > 0 AND quantity > 0),
            CONSTRAINT unpaid_has_note CHECK (state <> 'paid' OR note IS NOT NULL),
            CONSTRAINT always CHECK (true)
        );
        CREATE INDEX by_lower_note ON shop.orders (lower(note)) WHERE state = 'open';
        CREATE INDEX by_twice ON shop.orders (shop.twice(price));
        CREATE INDEX by_id ON shop.orders (id);
        CREATE VIEW shop.everything AS SELECT * FROM shop.orders;
        CREATE VIEW shop.how_many AS SELECT count(*) AS n FROM shop.orders;
        CREATE VIEW shop.open_count AS SELECT count(*) AS n FROM shop.orders WHERE state = 'open';
        CREATE MATERIALIZED VIEW shop.totals AS SELECT id, shop.twice(total) AS t FROM shop.orders;
        """;

    private static ReadObject Column(string column) => ReadObject.OfColumn(Orders, column);

    private static ReadObject Of(ReadKind kind, string name) => new(kind, new QualifiedName("shop", name));

    private static void AssertReads(ExpressionReads actual, params ReadObject[] expected)
    {
        Assert.True(actual.IsKnown);
        Assert.Equal(string.Join(", ", expected.Order()), string.Join(", ", actual.Objects));
    }

    private async Task<DatabaseModel> ReadAsync()
    {
        await using var database = await fixture.CreateDatabaseAsync("reads", Schema);
        await using var connection = await database.OpenConnectionAsync();
        return await PostgresIntrospector.ReadAsync(connection);
    }

    [Fact]
    public async Task Checks_defaults_generated_columns_indexes_and_views_record_what_they_read()
    {
        var model = await ReadAsync();
        var orders = model.FindTable(Orders)!;

        AssertReads(orders.Checks.Single(c => c.Name == "positive").Reads, Column("price"), Column("quantity"));
        // A constant of an enum reads its type: the one thing pg_depend says about enum values.
        AssertReads(orders.Checks.Single(c => c.Name == "unpaid_has_note").Reads, Column("note"), Column("state"), Of(ReadKind.Type, "state"));
        AssertReads(orders.Checks.Single(c => c.Name == "always").Reads);

        AssertReads(orders.FindColumn("number")!.Reads, Of(ReadKind.Sequence, "numbers"));
        AssertReads(orders.FindColumn("state")!.Reads, Of(ReadKind.Type, "state"));
        AssertReads(orders.FindColumn("total")!.Reads, Column("price"), Column("quantity"));
        AssertReads(orders.FindColumn("doubled")!.Reads, Of(ReadKind.Function, "twice"));
        AssertReads(orders.FindColumn("plain")!.Reads);
        Assert.False(orders.FindColumn("note")!.Reads.IsKnown);

        AssertReads(orders.Indexes.Single(i => i.Name == "by_lower_note").Reads, Column("note"), Column("state"), Of(ReadKind.Type, "state"));
        AssertReads(orders.Indexes.Single(i => i.Name == "by_twice").Reads, Column("price"), Of(ReadKind.Function, "twice"));
        Assert.False(orders.Indexes.Single(i => i.Name == "by_id").Reads.IsKnown);

        // SELECT * was expanded when the view was created: it reads the columns that existed then.
        // PostgreSQL records a relation as a whole only when no column of it is read.
        AssertReads(model.FindView(new("shop", "everything"))!.Reads,
            Column("id"), Column("number"), Column("state"), Column("price"), Column("quantity"), Column("note"),
            Column("total"), Column("doubled"), Column("plain"));
        AssertReads(model.FindView(new("shop", "how_many"))!.Reads, new ReadObject(ReadKind.Relation, Orders));
        AssertReads(model.FindView(new("shop", "open_count"))!.Reads, Column("state"), Of(ReadKind.Type, "state"));
        AssertReads(model.FindView(new("shop", "totals"))!.Reads,
            Column("id"), Column("total"), Of(ReadKind.Function, "twice"));
    }

    private const string Domains = """
        CREATE SCHEMA shop;
        CREATE TYPE shop.state AS ENUM ('open', 'paid');
        CREATE FUNCTION shop.label() RETURNS text LANGUAGE sql IMMUTABLE AS 'SELECT ''x''';
        CREATE DOMAIN shop.state_open AS shop.state DEFAULT 'open' CONSTRAINT not_paid CHECK (VALUE <> 'paid');
        CREATE DOMAIN shop.any_state AS shop.state CONSTRAINT known CHECK (VALUE IS NOT NULL);
        CREATE DOMAIN shop.labelled AS text DEFAULT shop.label() CONSTRAINT not_the_label CHECK (VALUE <> shop.label());
        CREATE DOMAIN shop.plain AS text DEFAULT 'paid' CONSTRAINT short CHECK (length(VALUE) < 10) CONSTRAINT not_x CHECK (VALUE <> 'x');
        CREATE DOMAIN shop.named AS text DEFAULT ('open'::shop.state)::text;
        CREATE DOMAIN shop.states AS shop.state[] DEFAULT '{open}';
        CREATE DOMAIN shop.open_again AS shop.state_open DEFAULT 'open';
        CREATE DOMAIN shop.bare AS integer;
        """;

    [Fact]
    public async Task A_domains_default_and_checks_record_what_they_read_and_not_the_domains_own_base_type()
    {
        await using var database = await fixture.CreateDatabaseAsync("domreads", Domains);
        await using var connection = await database.OpenConnectionAsync();
        var model = await PostgresIntrospector.ReadAsync(connection);
        Domain Domain(string name) => model.FindDomain(new("shop", name))!;

        // A constant of the base type: PostgreSQL records the base type a second time for the default.
        AssertReads(Domain("state_open").DefaultReads, Of(ReadKind.Type, "state"));
        AssertReads(Domain("state_open").Checks.Single().Reads, Of(ReadKind.Type, "state"));
        // The base type alone (no default; a check on VALUE alone) is not a read.
        Assert.False(Domain("any_state").DefaultReads.IsKnown);
        AssertReads(Domain("any_state").Checks.Single().Reads);
        AssertReads(Domain("labelled").DefaultReads, Of(ReadKind.Function, "label"));
        AssertReads(Domain("labelled").Checks.Single().Reads, Of(ReadKind.Function, "label"));
        // A literal of a text domain reads no enum, whatever its value.
        AssertReads(Domain("plain").DefaultReads);
        Assert.Equal(["not_x", "short"], Domain("plain").Checks.Select(c => c.Name));
        Assert.All(Domain("plain").Checks, c => AssertReads(c.Reads));
        AssertReads(Domain("named").DefaultReads, Of(ReadKind.Type, "state"));
        AssertReads(Domain("states").DefaultReads, Of(ReadKind.Type, "state"));
        // Over a domain: the default is coerced to the base domain, whose constant is of the enum.
        AssertReads(Domain("open_again").DefaultReads, Of(ReadKind.Type, "state"), Of(ReadKind.Type, "state_open"));
        Assert.False(Domain("bare").DefaultReads.IsKnown);
        Assert.Empty(Domain("bare").Checks);

        // ALTER DOMAIN SET DEFAULT records the new default's reads the same way (PostgreSQL records the type's again).
        await database.ExecuteAsync("ALTER DOMAIN shop.any_state SET DEFAULT 'paid'");
        var altered = await PostgresIntrospector.ReadAsync(connection);
        AssertReads(altered.FindDomain(new("shop", "any_state"))!.DefaultReads, Of(ReadKind.Type, "state"));

        // And a snapshot keeps them.
        var read = SnapshotSerializer.Deserialize(SnapshotSerializer.Serialize(new Snapshot("id", null, model, [])), "snapshot.json").Schema;
        Assert.Equal(model.Domains.Select(d => (d.DefaultReads.IsKnown, d.DefaultReads.ToString())), read.Domains.Select(d => (d.DefaultReads.IsKnown, d.DefaultReads.ToString())));
        Assert.Equal(model.Domains.Select(d => string.Join(";", d.Checks.Select(c => c.Reads))), read.Domains.Select(d => string.Join(";", d.Checks.Select(c => c.Reads))));
    }

    [Fact]
    public async Task The_reads_survive_a_snapshot_round_trip()
    {
        var model = await ReadAsync();
        var json = SnapshotSerializer.Serialize(new Snapshot("id", null, model, []));
        var read = SnapshotSerializer.Deserialize(json, "snapshot.json").Schema;

        var orders = model.FindTable(Orders)!;
        var readOrders = read.FindTable(Orders)!;
        Assert.Equal(orders.Checks.Select(c => c.Reads.Objects), readOrders.Checks.Select(c => c.Reads.Objects));
        Assert.Equal(orders.Columns.Select(c => (c.Reads.IsKnown, c.Reads.Objects)), readOrders.Columns.Select(c => (c.Reads.IsKnown, c.Reads.Objects)));
        Assert.Equal(orders.Indexes.Select(i => (i.Reads.IsKnown, i.Reads.Objects)), readOrders.Indexes.Select(i => (i.Reads.IsKnown, i.Reads.Objects)));
        Assert.Equal(model.Views.Select(v => v.Reads.Objects), read.Views.Select(v => v.Reads.Objects));
        Assert.True(readOrders.Checks.Single(c => c.Name == "always").Reads.IsKnown);
    }
}
