using Strata.Dsl;
using Strata.Model;

namespace Strata.Tests.Sql;

/// <summary>
/// ALTER TABLE | MATERIALIZED VIEW … CLUSTER ON and SET WITHOUT CLUSTER: set, moved, removed, kept across an index
/// rename, set again when its index is built again, and refused where PostgreSQL refuses it.
/// </summary>
public sealed class ClusterOnTests
{
    private static void Invoices(SchemaBuilder db, string? clusterOn, string issuedIndex = "invoices_issued_idx", bool descending = false)
    {
        db.Table("invoices", t =>
        {
            t.Column("id", Types.Integer).PrimaryKey();
            t.Column("issued", Types.Date);
            t.Column("customer", Types.Integer);
            (descending ? t.Index(IndexKey.Column("issued").Desc()) : t.Index("issued")).Named(issuedIndex);
            t.Index("customer");
            if (clusterOn is not null)
                t.ClusterOn(clusterOn);
        });
    }

    [Fact]
    public void A_new_table_is_clustered_once_its_index_exists()
    {
        Assert.Equal("""
            CREATE TABLE "public"."invoices" (
                "id" integer NOT NULL,
                "issued" date,
                "customer" integer,
                CONSTRAINT "invoices_pkey" PRIMARY KEY ("id")
            );
            CREATE INDEX "invoices_customer_idx" ON "public"."invoices" USING btree ("customer");
            CREATE INDEX "invoices_issued_idx" ON "public"."invoices" USING btree ("issued");
            ALTER TABLE "public"."invoices" CLUSTER ON "invoices_issued_idx";
            """, MigrationSql.Create(db => Invoices(db, "invoices_issued_idx")));
    }

    [Fact]
    public void Marking_moving_and_removing_the_clustered_index_of_a_kept_table()
    {
        Assert.Equal("""ALTER TABLE "public"."invoices" CLUSTER ON "invoices_issued_idx";""",
            MigrationSql.Up(db => Invoices(db, null), db => Invoices(db, "invoices_issued_idx")));
        Assert.Equal("""ALTER TABLE "public"."invoices" CLUSTER ON "invoices_customer_idx";""",
            MigrationSql.Up(db => Invoices(db, "invoices_issued_idx"), db => Invoices(db, "invoices_customer_idx")));
        Assert.Equal("""ALTER TABLE "public"."invoices" CLUSTER ON "invoices_pkey";""",
            MigrationSql.Up(db => Invoices(db, "invoices_issued_idx"), db => Invoices(db, "invoices_pkey")));
        Assert.Equal("""ALTER TABLE "public"."invoices" SET WITHOUT CLUSTER;""",
            MigrationSql.Up(db => Invoices(db, "invoices_issued_idx"), db => Invoices(db, null)));
        Assert.Equal("", MigrationSql.Up(db => Invoices(db, "invoices_issued_idx"), db => Invoices(db, "invoices_issued_idx")));
    }

    [Fact]
    public void A_renamed_clustered_index_keeps_its_mark()
    {
        Assert.Equal("""ALTER INDEX "public"."invoices_issued_idx" RENAME TO "invoices_by_issue";""",
            MigrationSql.Up(db => Invoices(db, "invoices_issued_idx"), db => Invoices(db, "invoices_by_issue", issuedIndex: "invoices_by_issue")));
    }

    [Fact]
    public void A_clustered_index_built_again_is_marked_again_and_a_dropped_one_takes_its_mark_along()
    {
        Assert.Equal("""
            DROP INDEX "public"."invoices_issued_idx";
            CREATE INDEX "invoices_issued_idx" ON "public"."invoices" USING btree ("issued" DESC);
            ALTER TABLE "public"."invoices" CLUSTER ON "invoices_issued_idx";
            """, MigrationSql.Up(db => Invoices(db, "invoices_issued_idx"), db => Invoices(db, "invoices_issued_idx", descending: true)));

        Assert.Equal("""DROP INDEX "public"."invoices_issued_idx";""", MigrationSql.Up(
            db => Invoices(db, "invoices_issued_idx"),
            db => db.Table("invoices", t =>
            {
                t.Column("id", Types.Integer).PrimaryKey();
                t.Column("issued", Types.Date);
                t.Column("customer", Types.Integer);
                t.Index("customer");
            })));
    }

    [Fact]
    public void A_materialized_views_clustered_index_is_marked_after_the_view_and_its_indexes()
    {
        static void Totals(SchemaBuilder db, string? clusterOn)
        {
            db.Table("invoices", t => t.Column("id", Types.Integer).PrimaryKey());
            var view = db.MaterializedView("totals", "SELECT id FROM invoices", v => v.Index("id").Unique());
            if (clusterOn is not null)
                view.ClusterOn(clusterOn);
        }

        Assert.EndsWith("""
            CREATE UNIQUE INDEX "totals_id_idx" ON "public"."totals" USING btree ("id");
            ALTER MATERIALIZED VIEW "public"."totals" CLUSTER ON "totals_id_idx";
            """, MigrationSql.Create(db => Totals(db, "totals_id_idx")));
        Assert.Equal("""ALTER MATERIALIZED VIEW "public"."totals" SET WITHOUT CLUSTER;""",
            MigrationSql.Up(db => Totals(db, "totals_id_idx"), db => Totals(db, null)));
    }

    [Fact]
    public void ClusterOn_must_name_an_index_PostgreSQL_can_cluster_on()
    {
        static string[] Errors(Action<SchemaBuilder> define) =>
            Assert.Throws<SchemaValidationException>(() => MigrationSql.Build(define)).Errors.Select(e => e.ToString()).ToArray();

        var unknown = Assert.Single(Errors(db => Invoices(db, "invoices_issue_idx")));
        Assert.Equal("public.invoices: ClusterOn(\"invoices_issue_idx\") names no index of the table; name one of its indexes, its primary key or a unique constraint: invoices_customer_idx, invoices_issued_idx, invoices_pkey", unknown);

        var partial = Assert.Single(Errors(db => db.Table("t", t =>
        {
            t.Column("a", Types.Integer);
            t.Index("a").Where("a > 0");
            t.ClusterOn("t_a_idx");
        })));
        Assert.Contains("cannot cluster on a partial index", partial);

        var hash = Assert.Single(Errors(db => db.Table("t", t =>
        {
            t.Column("a", Types.Integer);
            t.Index("a").Using("hash");
            t.ClusterOn("t_a_idx");
        })));
        Assert.Contains("cannot cluster on a hash index", hash);

        // An exclusion constraint's gist index is one PostgreSQL clusters by (amclusterable); its hash one is not.
        MigrationSql.Build(db => db.Table("t", t =>
        {
            t.Column("during", Types.Raw("tsrange"));
            t.Exclude("gist", e => e.Column("during", "&&")).Named("t_no_overlap");
            t.ClusterOn("t_no_overlap");
        }));
        var hashExclusion = Assert.Single(Errors(db => db.Table("t", t =>
        {
            t.Column("a", Types.Integer);
            t.Exclude("hash", e => e.Column("a", "=")).Named("t_a_excl");
            t.ClusterOn("t_a_excl");
        })));
        Assert.Contains("cannot cluster on a hash index", hashExclusion);

        var partitioned = Assert.Single(Errors(db => db.Table("t", t =>
        {
            t.Column("a", Types.Integer);
            t.Index("a");
            t.PartitionBy("RANGE (a)");
            t.ClusterOn("t_a_idx");
        })));
        Assert.Contains("cannot mark an index clustered on a partitioned table", partitioned);

        var plainView = Assert.Single(Errors(db =>
        {
            db.Table("t", t => t.Column("a", Types.Integer));
            db.View("v", "SELECT a FROM t").ClusterOn("v_a_idx");
        }));
        Assert.Equal("public.v: ClusterOn(\"v_a_idx\"): a plain view has no indexes to cluster on; remove the call, or make it a materialized view", plainView);
    }

    [Fact]
    public void The_clustered_index_reads_back_from_a_snapshot_and_pulls_CSharp_and_is_absent_when_unused()
    {
        var model = MigrationSql.Build(db =>
        {
            Invoices(db, "invoices_pkey");
            db.MaterializedView("totals", "SELECT id FROM invoices", v => v.Index("id")).ClusterOn("totals_id_idx");
        });
        var without = MigrationSql.Build(db =>
        {
            Invoices(db, null);
            db.MaterializedView("totals", "SELECT id FROM invoices", v => v.Index("id"));
        });

        var json = MigrationSql.AssertSnapshotNamesOnlyWhenUsed(model, without, "clusterOn");
        Assert.Contains("\"clusterOn\": \"totals_id_idx\"", json);
        Assert.Equal(model, Strata.Tests.CodeGeneration.GeneratedSchemas.RoundTrip([model]).Single());
    }

    [Fact]
    public void The_random_round_trips_cluster_tables_and_materialized_views_and_move_the_mark()
    {
        var pairs = Enumerable.Range(1, 200).Select(seed => new Strata.IntegrationTests.Random.RandomSchemaGenerator(seed).NextPair()).ToList();

        var tables = pairs.SelectMany(p => p.A.Tables.Concat(p.B.Tables)).Where(t => t.ClusterOn is not null).ToList();
        Assert.Contains(tables, t => t.PrimaryKey?.Name == t.ClusterOn);
        Assert.Contains(tables, t => t.Indexes.Any(i => i.Name == t.ClusterOn));
        Assert.Contains(pairs.SelectMany(p => p.A.Views.Concat(p.B.Views)), v => v.ClusterOn is not null);
        foreach (var change in new[] { "clustered on nothing", "clustered on " })
            Assert.True(pairs.Any(p => p.Mutations.Any(m => m.Contains(change, StringComparison.Ordinal) && (change.EndsWith("nothing") || !m.EndsWith("nothing")))),
                $"no random pair has the change \"{change}\"");
        // Every mark is one the validator (PostgreSQL's rules) accepts.
        Assert.DoesNotContain(pairs.SelectMany(p => new[] { p.A, p.B }).SelectMany(m => SchemaValidator.Validate(m, [])).Select(e => e.ToString()), e => e.Contains("ClusterOn"));
    }
}
