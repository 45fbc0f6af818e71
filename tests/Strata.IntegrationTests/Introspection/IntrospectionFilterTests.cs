using Strata.Dsl;
using Strata.IntegrationTests.Infrastructure;
using Strata.Model;
using Strata.Postgres.Introspection;
using Strata.Postgres.Sql;
using Strata.Testing;

namespace Strata.IntegrationTests.Introspection;

/// <summary><see cref="IntrospectionOptions"/>: schemas, table patterns and extension objects, in the database and on a model.</summary>
public sealed class IntrospectionFilterTests(PostgresFixture fixture) : IClassFixture<PostgresFixture>
{
    private static async Task<DatabaseModel> ReadAsync(TestDatabase database, IntrospectionOptions options)
    {
        await using var connection = await database.OpenConnectionAsync();
        return await PostgresIntrospector.ReadAsync(connection, options);
    }

    private static DatabaseModel Declared()
    {
        var builder = new SchemaBuilder();
        builder.Enum("mood", "sad", "ok");
        builder.Table("orders", t =>
        {
            t.Column("id", Types.Serial).PrimaryKey();
            t.Column("total", Types.Numeric(12, 2)).NotNull().Default(0m);
        });
        builder.Table("order_items", t =>
        {
            t.Column("id", Types.Serial).PrimaryKey();
            t.Column("order_id", Types.Integer).NotNull().References("orders", "id");
            t.Index("order_id");
        });
        // "order_items" must not match it: _ is a character like any other in a pattern.
        builder.Table("orderxitems", t => t.Column("id", Types.Integer));
        builder.Table("customers", t => t.Column("id", Types.BigInt).Identity().PrimaryKey());
        builder.View("big_orders", "SELECT id FROM orders WHERE total > 100");
        var sales = builder.Schema("sales");
        sales.Enum("stage", "lead", "won");
        sales.Sequence("deal_numbers");
        sales.Table("deals", t =>
        {
            t.Column("id", Types.Serial).PrimaryKey();
            t.Column("customer_id", Types.BigInt).References("public.customers", "id");
        });
        sales.Table("order_notes", t => t.Column("note", Types.Text));
        sales.View("deal_customers", "SELECT d.id, c.id AS customer FROM sales.deals d JOIN customers c ON c.id = d.customer_id");
        var archive = builder.Schema("archive");
        archive.Table("old_orders", t => t.Column("id", Types.Integer));
        return builder.Build();
    }

    [Fact]
    public async Task Schema_and_table_filters_read_only_what_they_select_and_the_model_filter_selects_the_same()
    {
        var declared = Declared();
        await using var database = await fixture.CreateDatabaseAsync("filters");
        foreach (var statement in PostgresSqlGenerator.CreateAll(declared))
            await database.ExecuteAsync(statement.Sql);
        var everything = await ReadAsync(database, IntrospectionOptions.All);

        IntrospectionOptions[] cases =
        [
            new() { IncludeSchemas = ["sales"] },
            new() { ExcludeSchemas = ["archive", "sales"] },
            new() { Tables = ["order*"] },
            new() { Tables = ["order_items"] },
            new() { Tables = ["sales.*", "?ustomers"] },
            new() { IncludeSchemas = ["public"], Tables = ["*s"] },
        ];
        string[][] expectedTables =
        [
            ["sales.deals", "sales.order_notes"],
            ["public.customers", "public.order_items", "public.orders", "public.orderxitems"],
            ["public.order_items", "public.orders", "public.orderxitems", "sales.order_notes"],
            ["public.order_items"],
            ["public.customers", "sales.deals", "sales.order_notes"],
            ["public.customers", "public.order_items", "public.orders", "public.orderxitems"],
        ];

        for (var i = 0; i < cases.Length; i++)
        {
            var read = await ReadAsync(database, cases[i]);

            Assert.Equal(expectedTables[i], read.Tables.Select(t => t.QualifiedName.ToString()).ToArray());
            // The same rules on a model give what the database gives: on the model read without filters ...
            Assert.Equal(cases[i].Filter(everything), read);
            // ... and on the declared model, up to the expressions PostgreSQL prints its own way.
            var filtered = cases[i].Filter(declared);
            Assert.Equal(filtered.Tables.Select(t => t.QualifiedName), read.Tables.Select(t => t.QualifiedName));
            Assert.Equal(filtered with { Views = [] }, read with { Views = [] });
            Assert.Equal(filtered.Views.Select(v => (v.QualifiedName, v.DependsOn)), read.Views.Select(v => (v.QualifiedName, v.DependsOn)));
        }

        var onlySales = await ReadAsync(database, cases[0]);
        Assert.Equal(new[] { "sales" }, onlySales.Schemas);
        Assert.Equal(new[] { new QualifiedName("sales", "stage") }, onlySales.Enums.Select(e => e.QualifiedName));
        // deals.id's serial sequence is part of its column, not a stand-alone sequence.
        Assert.Equal(new[] { new QualifiedName("sales", "deal_numbers") }, onlySales.Sequences.Select(s => s.QualifiedName));
        // The view joins public.customers, a schema not read: the dependency is left out.
        Assert.Equal(new[] { new QualifiedName("sales", "deals") }, onlySales.Views.Single().DependsOn);

        // A serial sequence goes with its table: sales.deals is not read, nor is its deals_id_seq.
        var patterns = await ReadAsync(database, cases[2]);
        Assert.Equal(new[] { new QualifiedName("sales", "deal_numbers") }, patterns.Sequences.Select(s => s.QualifiedName));
        Assert.Empty(patterns.Views);
        Assert.Equal(2, patterns.Enums.Count);
    }

    [Fact]
    public async Task Objects_an_extension_owns_are_left_out_by_default_and_read_on_request()
    {
        // PostGIS-like: a table, an enum type and a view that belong to the extension (as PostGIS's
        // spatial_ref_sys, its types and geometry_columns do), next to a user table that uses its type.
        await using var database = await fixture.CreateDatabaseAsync("extension_owned", """
            CREATE EXTENSION hstore;
            CREATE TABLE spatial_ref_sys (srid integer PRIMARY KEY CHECK (srid > 0), auth_name varchar(256), srtext varchar(2048));
            CREATE TYPE geometry_kind AS ENUM ('point', 'line');
            CREATE VIEW geometry_columns AS SELECT srid FROM spatial_ref_sys;
            CREATE SEQUENCE srid_numbers;
            ALTER EXTENSION hstore ADD TABLE spatial_ref_sys;
            ALTER EXTENSION hstore ADD TYPE geometry_kind;
            ALTER EXTENSION hstore ADD VIEW geometry_columns;
            ALTER EXTENSION hstore ADD SEQUENCE srid_numbers;
            CREATE TABLE places (id integer PRIMARY KEY, tags hstore, kind geometry_kind);
            """);

        var model = await ReadAsync(database, IntrospectionOptions.All);

        var places = Assert.Single(model.Tables);
        Assert.Equal(new QualifiedName("public", "places"), places.QualifiedName);
        Assert.Equal(new ColumnType(TypeKind.Raw, RawName: "hstore"), places.FindColumn("tags")!.Type);
        Assert.Empty(model.Enums);
        Assert.Empty(model.Views);
        Assert.Empty(model.Sequences);

        var withExtensions = await ReadAsync(database, new IntrospectionOptions { IncludeExtensionObjects = true });

        Assert.Equal(new[] { "places", "spatial_ref_sys" }, withExtensions.Tables.Select(t => t.Name).ToArray());
        var spatial = withExtensions.FindTable(new("public", "spatial_ref_sys"))!;
        Assert.Equal(new[] { "srid", "auth_name", "srtext" }, spatial.Columns.Select(c => c.Name).ToArray());
        Assert.Equal("spatial_ref_sys_pkey", spatial.PrimaryKey!.Name);
        Assert.Equal("srid > 0", Assert.Single(spatial.Checks).Expression);
        Assert.Equal(new EnumType("public", "geometry_kind", ValueList.Create("point", "line")), Assert.Single(withExtensions.Enums));
        Assert.Equal(new QualifiedName("public", "geometry_columns"), Assert.Single(withExtensions.Views).QualifiedName);
        Assert.Equal(new QualifiedName("public", "srid_numbers"), Assert.Single(withExtensions.Sequences).QualifiedName);
        Assert.Equal(places, withExtensions.FindTable(places.QualifiedName));
    }
}
