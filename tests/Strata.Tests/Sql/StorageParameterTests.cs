using Strata.Dsl;
using Strata.Model;
using static Strata.Tests.Sql.MigrationSql;

namespace Strata.Tests.Sql;

public class StorageParameterTests
{
    private static Action<SchemaBuilder> Items(string? fillfactor, string? dedup, bool toast = false) => db =>
        db.Table("items", t =>
        {
            t.Column("id", Types.Integer).PrimaryKey();
            t.Column("owner", Types.Text);
            if (fillfactor is not null)
                t.With("fillfactor", fillfactor);
            if (toast)
                t.With("toast.autovacuum_enabled", "false");
            var index = t.Index(IndexKey.Column("owner").OperatorClass("text_pattern_ops")).Where("owner IS NOT NULL");
            if (dedup is not null)
                index.With("deduplicate_items", dedup);
        });

    [Fact]
    public void A_table_s_and_an_index_s_storage_parameters_are_written_in_with_after_the_operator_class_and_before_where()
    {
        var sql = Create(Items("70", "off", toast: true));

        Assert.Contains("""
            CREATE TABLE "public"."items" (
                "id" integer NOT NULL,
                "owner" text,
                CONSTRAINT "items_pkey" PRIMARY KEY ("id")
            ) WITH ("fillfactor"='70', "toast"."autovacuum_enabled"='false');
            """, sql);
        Assert.Contains("""CREATE INDEX "items_owner_idx" ON "public"."items" USING btree ("owner" "text_pattern_ops") WITH ("deduplicate_items"='off') WHERE owner IS NOT NULL;""", sql);
    }

    [Fact]
    public void Storage_parameters_are_kept_in_snapshots_only_when_set_sorted_by_name_and_written_back_by_pull()
    {
        var model = Build(Items("70", "off", toast: true));
        var items = model.FindTable(new QualifiedName("public", "items"))!;

        Assert.Equal(["fillfactor=70", "toast.autovacuum_enabled=false"], items.Options);
        Assert.Equal(["deduplicate_items=off"], items.Indexes.Single().Options);
        AssertSnapshotNamesOnlyWhenUsed(model, Build(Items(null, null)), "options");
        Assert.Equal(model, Strata.Tests.CodeGeneration.GeneratedSchemas.RoundTrip([model]).Single());
    }

    [Fact]
    public void A_change_of_storage_parameters_is_made_in_place_with_set_and_reset()
    {
        Assert.Equal("""
            ALTER TABLE "public"."items" SET ("fillfactor"='50');
            ALTER INDEX "public"."items_owner_idx" RESET ("deduplicate_items");
            """, Up(Items("70", "off"), Items("50", null)));
        Assert.Equal("""
            ALTER TABLE "public"."items" RESET ("fillfactor", "toast"."autovacuum_enabled");
            ALTER INDEX "public"."items_owner_idx" SET ("deduplicate_items"='on');
            """, Up(Items("70", "off", toast: true), Items(null, "on")));
        Assert.Equal("", Up(Items("70", "off"), Items("70", "off")));
    }

    [Fact]
    public void An_index_renamed_with_new_storage_parameters_or_changed_otherwise_is_built_again()
    {
        var sql = Up(Items(null, "off"), db => db.Table("items", t =>
        {
            t.Column("id", Types.Integer).PrimaryKey();
            t.Column("owner", Types.Text);
            t.Index("owner").Named("items_owner_idx").With("deduplicate_items", "on");
        }));

        Assert.Contains("""DROP INDEX "public"."items_owner_idx";""", sql);
        Assert.Contains("""WITH ("deduplicate_items"='on');""", sql);
        Assert.DoesNotContain("ALTER INDEX", sql);
    }

    [Fact]
    public void A_materialized_view_s_options_change_in_place_and_its_index_s_too()
    {
        static Action<SchemaBuilder> Schema(string fillfactor) => db =>
        {
            db.Table("t", t => t.Column("a", Types.Integer));
            db.MaterializedView("mv", "select a from t", v => v.Index("a").With("fillfactor", fillfactor)).With("fillfactor", fillfactor);
        };

        Assert.Equal("""
            ALTER MATERIALIZED VIEW "public"."mv" SET ("fillfactor"='80');
            ALTER INDEX "public"."mv_a_idx" SET ("fillfactor"='80');
            """, Up(Schema("70"), Schema("80")));
    }

    [Fact]
    public void A_partitioned_table_with_storage_parameters_is_refused_naming_the_remedy()
    {
        var error = Assert.Throws<SchemaValidationException>(() => Build(db =>
            db.Table("events", t =>
            {
                t.Column("at", Types.Date);
                t.PartitionByRange("at");
                t.With("fillfactor", "70");
            })));

        Assert.Contains("public.events: a partitioned table takes no storage parameters (PostgreSQL refuses WITH (fillfactor=70)); set them on its partitions instead", error.Message);
    }
}
