using Strata.Diffing;
using Strata.Dsl;
using Strata.Model;

namespace Strata.IntegrationTests.Scenarios;

public sealed class SchemaAndNamingScenarios(ScenarioFixture fixture) : ScenarioTests(fixture)
{
    [Fact]
    public Task Creating_a_schema_with_a_table() => RoundTripAsync(
        _ => { },
        db => db.Schema("billing").Table("invoices", t =>
        {
            t.Column("id", Types.BigInt).Identity().PrimaryKey();
            t.Column("total", Types.Numeric(12, 2)).NotNull().Default(0);
        }));

    [Fact]
    public Task Dropping_a_schema_with_its_objects() => RoundTripAsync(
        db =>
        {
            var s = db.Schema("legacy");
            var kind = s.Enum("kind", "a", "b");
            s.Sequence("counter");
            s.Table("things", t =>
            {
                t.Column("id", Types.Serial).PrimaryKey();
                t.Column("kind", kind);
            });
            s.View("thing_ids", "SELECT id FROM legacy.things");
        },
        _ => { });

    [Fact]
    public Task Creating_an_empty_schema() => RoundTripAsync(
        _ => { },
        db => db.Schema("reserved"));

    [Fact]
    public Task Adding_a_foreign_key_across_schemas() => RoundTripAsync(
        db =>
        {
            db.Schema("auth").Table("users", t => t.Column("id", Types.Uuid).PrimaryKey());
            db.Schema("billing").Table("invoices", t => t.Column("user_id", Types.Uuid));
        },
        db =>
        {
            db.Schema("auth").Table("users", t => t.Column("id", Types.Uuid).PrimaryKey());
            db.Schema("billing").Table("invoices", t => t.Column("user_id", Types.Uuid).NotNull().References("auth.users", "id", onDelete: ReferentialAction.Cascade));
        });

    [Fact]
    public Task Tables_in_two_schemas_with_the_same_name() => RoundTripAsync(
        db => db.Table("events", t => t.Column("id", Types.Integer).PrimaryKey()),
        db =>
        {
            db.Table("events", t => t.Column("id", Types.Integer).PrimaryKey());
            db.Schema("audit").Table("events", t =>
            {
                t.Column("id", Types.Integer).PrimaryKey();
                t.Column("public_id", Types.Integer).References("public.events", "id");
            });
        });

    [Fact]
    public Task Creating_objects_whose_names_need_quoting() => RoundTripAsync(
        _ => { },
        WeirdNames);

    [Fact]
    public Task Altering_and_renaming_objects_whose_names_need_quoting() => RoundTripAsync(
        WeirdNames,
        db =>
        {
            var s = db.Schema("Select Schema");
            var kind = s.Enum("Kind \"x\"", "it's", "two words", "Ä", "new one");
            s.Table("User Table", t =>
            {
                t.Column("Id", Types.BigInt).Identity().PrimaryKey();
                t.Column("select", Types.Text).NotNull().Default("o'clock").Unique();
                t.Column("a\"b", kind).Default("it's");
                t.Column("from", Types.Integer).Check("\"from\" > 0");
                t.Column("Order", Types.Varchar(10));
                t.Index("select", "Order");
            });
            s.View("View \"1\"", "SELECT \"Id\", \"select\" FROM \"Select Schema\".\"User Table\"");
        },
        new RenameDecisions([new Rename(ObjectKind.Column, "Select Schema.User Table.order", "Select Schema.User Table.Order")], []));

    [Fact]
    public Task Names_with_dots_are_names_not_qualifiers() => RoundTripAsync(
        db =>
        {
            var s = db.Schema("app.v1");
            s.Table("order.items", t =>
            {
                t.Column("id", Types.Integer).PrimaryKey();
                t.Column("x.y", Types.Text);
            });
        },
        db =>
        {
            var s = db.Schema("app.v1");
            var kind = s.Enum("kind.of", "a.b", "c");
            s.Table("order.items", t =>
            {
                t.Column("id", Types.BigInt).PrimaryKey();
                t.Column("x.y", Types.Text).NotNull().Default("z");
                t.Column("k.k", kind);
                t.Index("x.y");
            });
            s.Table("order.notes", t =>
            {
                t.Column("item.id", Types.BigInt);
                t.ForeignKey("item.id").References(new QualifiedName("app.v1", "order.items"), "id");
            });
        });

    private static void WeirdNames(SchemaBuilder db)
    {
        var s = db.Schema("Select Schema");
        var kind = s.Enum("Kind \"x\"", "it's", "two words", "Ä");
        s.Table("User Table", t =>
        {
            t.Column("Id", Types.BigInt).Identity().PrimaryKey();
            t.Column("select", Types.Text).NotNull().Default("o'clock").Unique();
            t.Column("a\"b", kind).Default("two words");
            t.Column("order", Types.Text);
            t.Index("select", "order");
        });
        s.View("View \"1\"", "SELECT \"Id\" FROM \"Select Schema\".\"User Table\"");
    }

    [Fact]
    public Task A_migration_that_does_many_things_at_once() => RoundTripAsync(
        db =>
        {
            var status = db.Enum("status", "new", "paid", "void");
            db.Sequence("invoice_numbers");
            db.Table("customers", t =>
            {
                t.Column("id", Types.Serial).PrimaryKey();
                t.Column("name", Types.Varchar(100)).NotNull();
                t.Column("email", Types.Text).Unique();
                t.Column("notes", Types.Text);
            });
            db.Table("invoices", t =>
            {
                t.Column("id", Types.Integer).PrimaryKey();
                t.Column("customer_id", Types.Integer).NotNull().References("customers", "id");
                t.Column("status", status).NotNull().Default("new");
                t.Column("amount", Types.Integer).NotNull();
                t.Index("customer_id");
            });
            db.Table("obsolete", t => t.Column("x", Types.Text));
            db.View("open_invoices", "SELECT id, amount FROM invoices WHERE status = 'new'");
        },
        db =>
        {
            var status = db.Enum("status", "draft", "new", "paid", "refunded");
            var billing = db.Schema("billing");
            billing.Sequence("invoice_numbers", new SequenceOptions(StartWith: 1000));
            db.Table("customers", t =>
            {
                t.Column("id", Types.BigSerial).PrimaryKey();
                t.Column("name", Types.Text).NotNull();
                t.Column("email", Types.Text).NotNull().Unique(nullsNotDistinct: true);
                t.Column("created_at", Types.TimestampTz()).NotNull().DefaultSql("now()");
                t.Comment("who pays");
            });
            db.Table("invoices", t =>
            {
                t.Column("id", Types.BigInt).Identity().PrimaryKey();
                t.Column("customer_id", Types.BigInt).NotNull().References("customers", "id", onDelete: ReferentialAction.Cascade);
                t.Column("status", status).NotNull().Default("draft");
                t.Column("amount", Types.Numeric(12, 2)).NotNull().Check("amount >= 0");
                t.Index(IndexKey.Column("customer_id"), IndexKey.Column("status").Desc());
            });
            billing.Table("payments", t =>
            {
                t.Column("id", Types.Uuid).PrimaryKey().DefaultSql("gen_random_uuid()");
                t.Column("invoice_id", Types.BigInt).NotNull().References("public.invoices", "id");
                t.Column("data", Types.Jsonb);
                t.Index("data").Using("gin");
            });
            db.View("open_invoices", "SELECT id, amount, status FROM invoices WHERE status IN ('draft', 'new')");
        },
        new RenameDecisions(
            [new Rename(ObjectKind.Sequence, "public.invoice_numbers", "billing.invoice_numbers")],
            [(ObjectKind.Table, "public.obsolete"), (ObjectKind.Column, "public.customers.notes")]));
}
