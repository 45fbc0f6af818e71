using Strata.Dsl;
using Strata.Model;
using Strata.Snapshots;
using static Strata.Tests.Sql.MigrationSql;

namespace Strata.Tests.Sql;

/// <summary>Indexes on materialized views: the DSL, the validator, the differ and SQL, and snapshots.</summary>
public class MaterializedViewIndexTests
{
    private const string TotalsQuery = "SELECT customer, sum(total) AS total, count(*) AS n FROM orders GROUP BY customer";

    private static void Orders(SchemaBuilder db) => db.Table("orders", t =>
    {
        t.Column("id", Types.Integer).PrimaryKey();
        t.Column("customer", Types.Text).NotNull();
        t.Column("total", Types.Numeric(10, 2)).NotNull();
    });

    private static Action<SchemaBuilder> Totals(string query, Action<ViewBuilder> indexes) => db =>
    {
        Orders(db);
        db.MaterializedView("totals", query, indexes);
    };

    [Fact]
    public void A_materialized_view_declares_indexes_as_a_table_does_with_the_same_naming_rule()
    {
        var model = Build(db =>
        {
            Orders(db);
            db.MaterializedView("totals", TotalsQuery, v =>
            {
                v.Index(IndexKey.Expression("lower(customer)")).Where("n > 1");
                v.Index("customer").Unique();
                v.Index(IndexKey.Column("total").Desc()).Named("totals_by_total").Include("n");
            });
            db.MaterializedView("counts", "SELECT customer, count(*) AS n FROM orders GROUP BY customer").Index("customer", "n");
        });

        var totals = model.FindView(new QualifiedName("public", "totals"))!;
        Assert.Equal(
            [
                new Model.Index("totals_by_total", ValueList.Create(IndexElement.OnColumn("total") with { Direction = SortDirection.Descending }), Include: ValueList.Create("n")),
                new Model.Index("totals_customer_idx", ValueList.Create(IndexElement.OnColumn("customer")), Unique: true),
                new Model.Index("totals_expr_idx", ValueList.Create(IndexElement.OnExpression("lower(customer)")), Where: "n > 1"),
            ],
            totals.Indexes);
        Assert.Equal(["counts_customer_n_idx"], model.FindView(new QualifiedName("public", "counts"))!.Indexes.Select(i => i.Name));
    }

    [Fact]
    public void An_index_on_a_plain_view_is_refused_naming_the_view_and_the_index()
    {
        var db = new SchemaBuilder();
        Orders(db);
        db.View("names", "SELECT customer FROM orders").Index("customer");

        var error = Assert.Single(Assert.Throws<SchemaValidationException>(() => db.Build()).Errors);

        Assert.Equal("public.names", error.Object);
        Assert.Contains("plain view", error.Message, StringComparison.Ordinal);
        Assert.Contains("\"names_customer_idx\"", error.Message, StringComparison.Ordinal);
        Assert.Contains("only a materialized view can have indexes", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_index_of_a_materialized_view_shares_the_relation_namespace_and_is_checked_like_a_tables()
    {
        var db = new SchemaBuilder();
        Orders(db);
        db.MaterializedView("totals", TotalsQuery, v =>
        {
            v.Index("customer").Named("orders");
            v.Index("total").Using("gin").Unique();
        });

        var errors = Assert.Throws<SchemaValidationException>(() => db.Build()).Errors.Select(e => e.ToString()).ToList();

        Assert.Contains(errors, e => e.Contains("public.totals", StringComparison.Ordinal) && e.Contains("the name \"orders\" is already used by table public.orders", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("is unique but uses gin", StringComparison.Ordinal));
    }

    [Fact]
    public void A_new_materialized_view_gets_its_indexes_right_after_it_and_the_down_drops_only_the_view()
    {
        Action<SchemaBuilder> target = Totals(TotalsQuery, v =>
        {
            v.Index("customer").Unique();
            v.Index(IndexKey.Expression("lower(customer)")).Where("n > 1");
        });

        Assert.Equal("""
            CREATE MATERIALIZED VIEW "public"."totals" AS
            SELECT customer, sum(total) AS total, count(*) AS n FROM orders GROUP BY customer;
            CREATE UNIQUE INDEX "totals_customer_idx" ON "public"."totals" USING btree ("customer");
            CREATE INDEX "totals_expr_idx" ON "public"."totals" USING btree ((lower(customer))) WHERE n > 1;
            """, Up(Orders, target));
        Assert.Equal("""
            DROP MATERIALIZED VIEW "public"."totals";
            """, Up(target, Orders));
    }

    [Fact]
    public void On_an_unchanged_materialized_view_added_indexes_are_created_removed_dropped_and_changed_dropped_and_created()
    {
        var from = Totals(TotalsQuery, v =>
        {
            v.Index("customer").Unique();
            v.Index("total");
            v.Index("n");
        });
        var to = Totals(TotalsQuery, v =>
        {
            v.Index("customer").Unique();
            v.Index("total").Where("n > 1");
            v.Index(IndexKey.Expression("lower(customer)"));
        });

        Assert.Equal("""
            DROP INDEX "public"."totals_total_idx";
            DROP INDEX "public"."totals_n_idx";
            CREATE INDEX "totals_total_idx" ON "public"."totals" USING btree ("total") WHERE n > 1;
            CREATE INDEX "totals_expr_idx" ON "public"."totals" USING btree ((lower(customer)));
            """, Up(from, to));
        Assert.Equal("""
            DROP INDEX "public"."totals_total_idx";
            DROP INDEX "public"."totals_expr_idx";
            CREATE INDEX "totals_total_idx" ON "public"."totals" USING btree ("total");
            CREATE INDEX "totals_n_idx" ON "public"."totals" USING btree ("n");
            """, Up(to, from));
    }

    [Fact]
    public void An_index_of_a_materialized_view_renamed_with_the_same_definition_is_renamed()
    {
        var sql = Up(
            Totals(TotalsQuery, v => v.Index("customer").Unique()),
            Totals(TotalsQuery, v => v.Index("customer").Unique().Named("totals_by_customer")));

        Assert.Equal("""
            ALTER INDEX "public"."totals_customer_idx" RENAME TO "totals_by_customer";
            """, sql);
    }

    [Fact]
    public void A_recreated_materialized_view_gets_its_indexes_again_without_dropping_them_first()
    {
        var sql = Up(
            Totals(TotalsQuery, v => v.Index("customer").Unique()),
            Totals("SELECT customer, count(*) AS n FROM orders GROUP BY customer", v =>
            {
                v.Index("customer").Unique();
                v.Index("n");
            }));

        Assert.Equal("""
            DROP MATERIALIZED VIEW "public"."totals";
            CREATE MATERIALIZED VIEW "public"."totals" AS
            SELECT customer, count(*) AS n FROM orders GROUP BY customer;
            CREATE UNIQUE INDEX "totals_customer_idx" ON "public"."totals" USING btree ("customer");
            CREATE INDEX "totals_n_idx" ON "public"."totals" USING btree ("n");
            """, sql);
    }

    [Fact]
    public void A_materialized_view_recreated_for_a_retyped_column_gets_its_indexes_again()
    {
        var sql = Up(
            Totals(TotalsQuery, v => v.Index("customer").Unique()),
            db =>
            {
                db.Table("orders", t =>
                {
                    t.Column("id", Types.Integer).PrimaryKey();
                    t.Column("customer", Types.Varchar(100)).NotNull();
                    t.Column("total", Types.Numeric(10, 2)).NotNull();
                });
                db.MaterializedView("totals", TotalsQuery, v => v.Index("customer").Unique());
            });

        Assert.Equal("""
            DROP MATERIALIZED VIEW "public"."totals";
            ALTER TABLE "public"."orders" ALTER COLUMN "customer" TYPE varchar(100);
            CREATE MATERIALIZED VIEW "public"."totals" AS
            SELECT customer, sum(total) AS total, count(*) AS n FROM orders GROUP BY customer;
            CREATE UNIQUE INDEX "totals_customer_idx" ON "public"."totals" USING btree ("customer");
            """, sql);
    }

    [Fact]
    public void A_snapshot_written_before_views_had_indexes_still_loads_with_none()
    {
        // A view as snapshots wrote it before this change: no "indexes" property.
        const string json = """
            {
              "dialect": "postgresql",
              "id": "0123456789abcdef0123456789abcdef",
              "tables": [
                {
                  "columns": [
                    { "name": "customer", "type": { "kind": "text" } }
                  ],
                  "name": "orders",
                  "schema": "public"
                }
              ],
              "version": 1,
              "views": [
                {
                  "definition": "SELECT customer FROM orders",
                  "dependsOn": [ { "name": "orders", "schema": "public" } ],
                  "materialized": true,
                  "name": "customers",
                  "schema": "public"
                }
              ]
            }
            """;

        var view = Assert.Single(SnapshotSerializer.Deserialize(json, "snapshot.json").Schema.Views);
        // The same file as a Windows checkout with CRLF line endings reads the same.
        var crlf = SnapshotSerializer.Deserialize(json.ReplaceLineEndings("\r\n"), "snapshot.json");

        Assert.True(view.Materialized);
        Assert.Empty(view.Indexes);
        Assert.NotNull(crlf);
        Assert.Equal(view, Assert.Single(crlf.Schema.Views));
    }

    [Fact]
    public void A_materialized_views_indexes_are_written_to_the_snapshot_and_read_back()
    {
        var model = Build(Totals(TotalsQuery, v =>
        {
            v.Index("customer").Unique().Concurrently();
            v.Index(IndexKey.Expression("lower(customer)").OperatorClass("text_pattern_ops")).Where("n > 1");
        }));

        var json = SnapshotSerializer.Serialize(new Snapshot("0123456789abcdef0123456789abcdef", null, model, default));

        Assert.Contains("\"indexes\"", json, StringComparison.Ordinal);
        Assert.Equal(model, SnapshotSerializer.Deserialize(json, "snapshot.json").Schema);
        Assert.Equal(model, SnapshotSerializer.Deserialize(json, "other/snapshot.json").Schema);
    }
}
