using Strata.Dsl;
using Strata.IntegrationTests.Infrastructure;
using Strata.Model;
using Strata.Postgres.Introspection;
using Strata.Postgres.Sql;

namespace Strata.IntegrationTests.Introspection;

public sealed class DslRoundTripTests(PostgresFixture fixture) : IClassFixture<PostgresFixture>
{
    [Fact]
    public async Task A_schema_declared_in_the_DSL_reads_back_from_the_database_as_the_same_model()
    {
        var builder = new SchemaBuilder();
        var mood = builder.Enum("mood", "sad", "ok", "happy");
        builder.Sequence("invoice_numbers", new SequenceOptions(StartWith: 1000, IncrementBy: 10));
        var billing = builder.Schema("billing");
        billing.Table("accounts", t =>
        {
            t.Column("id", Types.BigInt).Identity().PrimaryKey();
            t.Column("email", Types.Varchar(200)).NotNull().Unique();
            t.Column("code", Types.Char(3));
            t.Column("region", Types.Text).Default("eu");
            t.Unique("code", "region").NullsNotDistinct();
            t.Comment("customer accounts");
        });
        var status = billing.Enum("status", "open", "paid");
        billing.Sequence("ticket_numbers", new SequenceOptions(DataType: "integer", MaxValue: 5000, Cycle: true));
        billing.Table("invoices", t =>
        {
            t.Column("account_id", Types.BigInt);
            t.Column("number", Types.Integer).Identity(IdentityGeneration.ByDefault, new SequenceOptions(StartWith: 100, Cache: 10));
            t.Column("status", status).NotNull().Default("open");
            t.Column("statuses", Types.ArrayOf(status));
            t.Column("amount", Types.Numeric(12, 2)).NotNull().Check("amount >= 0");
            t.Column("issued_on", Types.Date).Default(new DateOnly(2026, 1, 1));
            t.Column("period", Types.Interval());
            t.Column("at", Types.Timestamp(0));
            t.Column("search", Types.Raw("tsvector"));
            t.Column("ip", Types.Inet);
            t.Column("external_id", Types.Uuid);
            t.PrimaryKey("account_id", "number");
            t.ForeignKey("account_id").References("accounts", "id").OnDelete(ReferentialAction.Restrict).Deferrable(initiallyDeferred: true);
        });
        builder.Table("users", t =>
        {
            t.Column("id", Types.Serial).PrimaryKey();
            t.Column("account_id", Types.BigInt).References("billing.accounts", "id", onDelete: ReferentialAction.Cascade);
            t.Column("name", Types.Text).NotNull().Comment("display name");
            t.Column("feeling", mood).Default("ok");
            t.Column("score", Types.Integer).Default(-1);
            t.Column("ratio", Types.Numeric(5, 2)).Default(0.5m);
            t.Column("whole", Types.Numeric(7));
            t.Column("active", Types.Boolean).NotNull().Default(true);
            t.Column("created_at", Types.TimestampTz(3)).NotNull().DefaultSql("now()");
            t.Column("tags", Types.ArrayOf(Types.Text));
            t.Column("data", Types.Jsonb);
            t.Column("double_score", Types.Integer).GeneratedAs("score * 2");
            t.Index("name");
            t.Index(IndexKey.Column("created_at").Desc(), IndexKey.Column("name").NullsFirst()).Include("id");
            t.Index("tags").Using("gin");
            t.Index("account_id").Where("active");
        });
        builder.View("active_users", "SELECT id, name FROM users WHERE active");
        billing.MaterializedView("open_totals", "SELECT account_id, sum(amount) AS total FROM billing.invoices WHERE status = 'open' GROUP BY account_id")
            .Comment("per account");
        var declared = builder.Build();

        await using var database = await fixture.CreateDatabaseAsync("dsl_round_trip");
        foreach (var statement in PostgresSqlGenerator.CreateAll(declared))
            await database.ExecuteAsync(statement.Sql);
        await using var connection = await database.OpenConnectionAsync();
        var read = await PostgresIntrospector.ReadAsync(connection);

        Assert.Equal(declared.Schemas, read.Schemas);
        Assert.Equal(declared.Enums, read.Enums);
        Assert.Equal(declared.Sequences, read.Sequences);
        foreach (var table in declared.Tables)
        {
            var actual = read.FindTable(table.QualifiedName)!;
            for (var i = 0; i < table.Columns.Count; i++)
                Assert.Equal(table.Columns[i], actual.Columns[i]);
            Assert.Equal(table.PrimaryKey, actual.PrimaryKey);
            Assert.Equal(table.Uniques, actual.Uniques);
            Assert.Equal(table.ForeignKeys, actual.ForeignKeys);
            Assert.Equal(table.Indexes, actual.Indexes);
            // PostgreSQL prints check expressions and view queries in its own way (here: amount >= 0::numeric);
            // those read back as PostgreSQL prints them, which is what a database built from the same model shows.
            Assert.Equal(table with { Checks = [] }, actual with { Checks = [] });
        }
        Assert.Equal(
            ValueList.Create(new CheckConstraint("invoices_amount_check", "amount >= 0::numeric")),
            read.FindTable(new("billing", "invoices"))!.Checks);
        Assert.Equal(declared.Views.Select(v => v with { Definition = "" }), read.Views.Select(v => v with { Definition = "" }));
    }
}
