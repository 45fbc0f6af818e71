using Strata.Dsl;
using Strata.IntegrationTests.Infrastructure;
using Strata.Model;
using Strata.Postgres.Introspection;
using Strata.Postgres.Sql;

namespace Strata.IntegrationTests.Introspection;

/// <summary>
/// DSL model → generated SQL → database → introspection → the same model, for names that need quoting
/// (mixed case, spaces, quotes, keywords) on every kind the model names, a non-public schema, views and
/// materialized views, and comments on every kind that carries one.
/// </summary>
public sealed class QuotedNamesRoundTripTests(PostgresFixture fixture) : IClassFixture<PostgresFixture>
{
    [Fact]
    public async Task Quoted_names_in_a_non_public_schema_with_views_and_comments_read_back_equal_to_the_DSL_model()
    {
        var builder = new SchemaBuilder();
        var shop = builder.Schema("Shop \"Main\"");
        var state = shop.Enum("Order State", ["new", "in progress", "it's \"done\"", "select", "Ünïcode"], comment: "where an order is");
        shop.Sequence("Ticket No", new SequenceOptions(StartWith: 10), comment: "ticket numbers");
        shop.Table("Customer", t =>
        {
            t.Column("Id", Types.BigInt).Identity().PrimaryKey();
            t.Column("E-Mail", Types.Varchar(200)).NotNull().Unique(name: "Customer E-Mail unique").Comment("where we write");
            t.Column("user", Types.Text).Comment("a keyword as a column name");
            t.Comment("people who buy");
        });
        shop.Table("Order", t =>
        {
            t.Column("Order Id", Types.Serial);
            t.Column("Customer Id", Types.BigInt).NotNull();
            t.Column("State", state).NotNull().Default("in progress");
            t.Column("select", Types.Integer).NotNull().Default(1).Check("\"select\" > 0", name: "select \"positive\"");
            t.Column("Placed At", Types.TimestampTz()).NotNull().DefaultSql("now()");
            t.PrimaryKeyNamed("PK Order", "Order Id");
            t.ForeignKey("Customer Id").References(new QualifiedName("Shop \"Main\"", "Customer"), "Id").Named("FK \"Order\" → Customer").OnDelete(ReferentialAction.Cascade);
            t.Index("State", "Placed At").Named("IX Order \"by state\"").Where("\"State\" <> 'new'::\"Shop \"\"Main\"\"\".\"Order State\"");
            t.Index(IndexKey.Column("Customer Id").Desc()).Named("order").Unique();
            t.Comment("an order, \"quoted\"");
        });
        builder.Table("Plain", t =>
        {
            t.Column("ID", Types.Integer).PrimaryKey();
            t.Column("from", Types.Text).Comment("it's a keyword");
        });
        shop.View("Open Orders", "SELECT o.\"Order Id\",\n    o.\"State\"\n   FROM \"Shop \"\"Main\"\"\".\"Order\" o\n  WHERE o.\"State\" <> 'new'::\"Shop \"\"Main\"\"\".\"Order State\"")
            .Comment("orders not new");
        shop.MaterializedView("Order Count", "SELECT count(*) AS \"Count\"\n   FROM \"Shop \"\"Main\"\"\".\"Order\"")
            .Comment("refreshed by hand");
        var declared = builder.Build();

        await using var database = await fixture.CreateDatabaseAsync("quoted_round_trip");
        foreach (var statement in PostgresSqlGenerator.CreateAll(declared))
            await database.ExecuteAsync(statement.Sql);
        await using var connection = await database.OpenConnectionAsync();
        var read = await PostgresIntrospector.ReadAsync(connection);

        Assert.Equal(declared.Schemas, read.Schemas);
        Assert.Equal(declared.Enums, read.Enums);
        Assert.Equal(declared.Sequences, read.Sequences);
        Assert.Equal(declared.Tables.Count, read.Tables.Count);
        for (var i = 0; i < declared.Tables.Count; i++)
        {
            var (expected, actual) = (declared.Tables[i], read.Tables[i]);
            Assert.Equal(expected.QualifiedName, actual.QualifiedName);
            for (var c = 0; c < expected.Columns.Count; c++)
                Assert.Equal(expected.Columns[c], actual.Columns[c]);
            Assert.Equal(expected.PrimaryKey, actual.PrimaryKey);
            Assert.Equal(expected.Uniques, actual.Uniques);
            Assert.Equal(expected.Checks, actual.Checks);
            Assert.Equal(expected.ForeignKeys, actual.ForeignKeys);
            Assert.Equal(expected.Indexes, actual.Indexes);
            Assert.Equal(expected, actual);
        }
        for (var i = 0; i < declared.Views.Count; i++)
            Assert.Equal(declared.Views[i], read.Views[i]);
        Assert.Equal(declared, read);
    }
}
