using Strata.Dsl;
using Strata.IntegrationTests.Random;
using Strata.Model;

namespace Strata.Tests.Sql;

/// <summary>Partitioned tables and partitions: their SQL, their order, the validator's refusals, snapshot and pull's C#.</summary>
public sealed class PartitionedTableTests
{
    private static void Events(SchemaBuilder db, params (string Name, string Bound)[] partitions)
    {
        var events = EventsTable(db);
        foreach (var (name, bound) in partitions)
            db.Table(name, t => t.PartitionOf(events, bound));
    }

    private static TableBuilder EventsTable(SchemaBuilder db, string key = "RANGE (at)", bool withKind = false) => db.Table("events", t =>
    {
        t.Column("id", Types.BigInt).NotNull();
        t.Column("at", Types.Date).NotNull();
        if (withKind)
            t.Column("kind", Types.Text);
        t.PrimaryKey("id", "at");
        t.Index("id");
        t.PartitionBy(key);
    });

    private static readonly (string, string) Of2025 = ("events_2025", "FROM ('2025-01-01') TO ('2026-01-01')");
    private static readonly (string, string) Other = ("events_other", "DEFAULT");

    [Fact]
    public void A_partitioned_table_is_created_before_its_partitions_which_name_no_columns()
    {
        // Declared first, the partition still follows its parent.
        var sql = MigrationSql.Create(db =>
        {
            db.Table("a_events_2025", t => t.PartitionOf("events", "FOR VALUES FROM ('2025-01-01') TO ('2026-01-01')").Check("in_range", "id > 0"));
            Events(db, Other);
        });

        Assert.Equal("""
            CREATE TABLE "public"."events" (
                "id" bigint NOT NULL,
                "at" date NOT NULL,
                CONSTRAINT "events_pkey" PRIMARY KEY ("id", "at")
            ) PARTITION BY RANGE (at);
            CREATE TABLE "public"."a_events_2025" PARTITION OF "public"."events" (
                CONSTRAINT "in_range" CHECK (id > 0)
            ) FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
            CREATE TABLE "public"."events_other" PARTITION OF "public"."events" DEFAULT;
            CREATE INDEX "events_id_idx" ON "public"."events" USING btree ("id");
            """, sql);
    }

    [Fact]
    public void A_sub_partition_and_a_hash_partition_are_written_with_their_own_key_and_bound()
    {
        var sql = MigrationSql.Create(db =>
        {
            var tenants = db.Table("tenants", t =>
            {
                t.Column("id", Types.Integer).NotNull();
                t.Column("Region", Types.Text).NotNull();
                t.PartitionByHash("id");
            });
            db.Table("tenants_0", t => t.PartitionOf(tenants, "WITH (MODULUS 2, REMAINDER 0)").PartitionByList("Region"));
            db.Table("tenants_0_eu", t => t.PartitionOf("tenants_0", "IN ('eu')"));
        });

        Assert.Contains("""CREATE TABLE "public"."tenants_0" PARTITION OF "public"."tenants" FOR VALUES WITH (MODULUS 2, REMAINDER 0) PARTITION BY LIST ("Region");""", sql);
        Assert.Contains("""CREATE TABLE "public"."tenants_0_eu" PARTITION OF "public"."tenants_0" FOR VALUES IN ('eu');""", sql);
        Assert.True(sql.IndexOf("\"tenants_0_eu\"", StringComparison.Ordinal) > sql.IndexOf("\"tenants_0\" PARTITION OF", StringComparison.Ordinal));
    }

    [Fact]
    public void A_new_partition_is_created_and_a_dropped_one_dropped_without_touching_the_parent()
    {
        Assert.Equal("""
            CREATE TABLE "public"."events_other" PARTITION OF "public"."events" DEFAULT;
            """, MigrationSql.Up(db => Events(db, Of2025), db => Events(db, Of2025, Other)));
        Assert.Equal("""
            DROP TABLE "public"."events_2025";
            """, MigrationSql.Up(db => Events(db, Of2025, Other), db => Events(db, Other)));
    }

    [Fact]
    public void A_changed_bound_drops_and_creates_the_partition_again()
    {
        Assert.Equal("""
            DROP TABLE "public"."events_2025";
            CREATE TABLE "public"."events_2025" PARTITION OF "public"."events" FOR VALUES FROM ('2025-01-01') TO ('2027-01-01');
            """, MigrationSql.Up(db => Events(db, Of2025), db => Events(db, ("events_2025", "FROM ('2025-01-01') TO ('2027-01-01')"))));
    }

    [Fact]
    public void A_changed_partition_key_re_creates_the_table_after_dropping_its_partitions_and_then_them()
    {
        var up = MigrationSql.Up(db => Events(db, Of2025), db =>
        {
            var events = EventsTable(db, key: "HASH (id)");
            db.Table("events_2025", t => t.PartitionOf(events, "WITH (MODULUS 1, REMAINDER 0)"));
        });

        var lines = up.Split('\n');
        Assert.Equal("DROP TABLE \"public\".\"events_2025\";", lines[0]);
        Assert.Equal("DROP TABLE \"public\".\"events\";", lines[1]);
        Assert.Contains(") PARTITION BY HASH (id);", up);
        Assert.True(up.IndexOf("PARTITION OF \"public\".\"events\" FOR VALUES WITH (MODULUS 1, REMAINDER 0)", StringComparison.Ordinal) > up.IndexOf("PARTITION BY HASH", StringComparison.Ordinal));
    }

    [Fact]
    public void A_dropped_partitioned_table_goes_after_its_partitions()
    {
        Assert.Equal("""
            DROP TABLE "public"."events_other";
            DROP TABLE "public"."events_2025";
            DROP TABLE "public"."events";
            """.Split('\n').Order(), MigrationSql.Up(db => Events(db, Of2025, Other), MigrationSql.Empty).Split('\n').Order());
        var up = MigrationSql.Up(db => Events(db, Of2025, Other), MigrationSql.Empty);
        Assert.EndsWith("DROP TABLE \"public\".\"events\";", up);
    }

    [Fact]
    public void A_column_added_to_the_parent_is_added_to_it_alone()
    {
        Assert.Equal("", MigrationSql.Up(db => Events(db, Of2025), db => Events(db, Of2025)));
        var added = MigrationSql.Up(db => Events(db, Of2025), db =>
        {
            var events = EventsTable(db, withKind: true);
            db.Table("events_2025", t => t.PartitionOf(events, "FROM ('2025-01-01') TO ('2026-01-01')"));
        });
        Assert.Equal("ALTER TABLE \"public\".\"events\" ADD COLUMN \"kind\" text;", added);
    }

    [Theory]
    [InlineData("columns", "a partition takes its columns from public.events")]
    [InlineData("parent missing", "is a partition of public.nowhere, which is not declared")]
    [InlineData("parent plain", "is a partition of public.plain, which is not partitioned")]
    [InlineData("wrong bound", "does not fit public.events, which is partitioned by RANGE")]
    [InlineData("two defaults", "has more than one default partition")]
    [InlineData("key without partition column", "primary key \"events_pkey\" lacks column \"at\" of the partition key")]
    [InlineData("unlogged", "a partitioned table cannot be unlogged")]
    [InlineData("bad key", "is not RANGE (…), LIST (…) or HASH (…)")]
    [InlineData("hash default", "partitioned by HASH, which has no default partition")]
    [InlineData("concurrent index", "cannot create an index on a partitioned table CONCURRENTLY")]
    public void What_PostgreSQL_refuses_of_partitions_is_refused_with_the_table_and_remedy(string mistake, string message)
    {
        var db = new SchemaBuilder();
        var events = db.Table("events", t =>
        {
            t.Column("id", Types.BigInt).NotNull();
            t.Column("at", Types.Date).NotNull();
            if (mistake == "key without partition column")
                t.PrimaryKey("id");
            if (mistake == "unlogged")
                t.Unlogged();
            if (mistake == "concurrent index")
                t.Index("id").Concurrently();
            if (mistake == "bad key")
                t.PartitionBy("BY RANGE at");
            else if (mistake == "hash default")
                t.PartitionByHash("id");
            else
                t.PartitionByRange("at");
        });
        db.Table("plain", t => t.Column("id", Types.Integer));
        switch (mistake)
        {
            case "columns":
                db.Table("p", t =>
                {
                    t.Column("x", Types.Integer);
                    t.PartitionOf(events, "DEFAULT");
                });
                break;
            case "parent missing":
                db.Table("p", t => t.PartitionOf("nowhere", "DEFAULT"));
                break;
            case "parent plain":
                db.Table("p", t => t.PartitionOf("plain", "DEFAULT"));
                break;
            case "wrong bound":
                db.Table("p", t => t.PartitionOf(events, "IN (1)"));
                break;
            case "two defaults":
                db.Table("p", t => t.PartitionOf(events, "DEFAULT"));
                db.Table("q", t => t.PartitionOf(events, "DEFAULT"));
                break;
            case "hash default":
                db.Table("p", t => t.PartitionOf(events, "DEFAULT"));
                break;
        }

        var errors = Assert.Throws<SchemaValidationException>(db.Build).Errors.Select(e => e.ToString()).ToList();

        Assert.Contains(errors, e => e.Contains(message, StringComparison.Ordinal));
    }

    [Fact]
    public void Partitioning_reads_back_from_a_snapshot_and_pulls_CSharp_and_a_plain_table_writes_no_key()
    {
        var model = MigrationSql.Build(db =>
        {
            Events(db, Of2025, Other);
            db.Table("events_2025_sub", t => t.PartitionOf("other.events_x", "IN (1)"));
            db.Schema("other").Table("events_x", t => t.PartitionOf("public.events", "FROM ('2030-01-01') TO ('2031-01-01')").PartitionBy("LIST (id)").Comment("by id"));
        });
        var plain = MigrationSql.Build(db => db.Table("events", t => t.Column("id", Types.BigInt)));
        var json = Strata.Snapshots.SnapshotSerializer.Serialize(new Strata.Snapshots.Snapshot("0123456789abcdef0123456789abcdef", null, model, []));

        Assert.Contains("\"partitionKey\": \"RANGE (at)\"", json);
        Assert.Contains("\"partitionBound\": \"DEFAULT\"", json);
        MigrationSql.AssertCarriedBySnapshotAndCSharp(model, plain);
        Assert.DoesNotContain("partition", Strata.Snapshots.SnapshotSerializer.Serialize(new Strata.Snapshots.Snapshot("0123456789abcdef0123456789abcdef", null, plain, [])));
    }

    [Fact]
    public void The_DSL_writes_a_key_as_PostgreSQL_prints_it_and_a_bound_with_FOR_VALUES()
    {
        var model = MigrationSql.Build(db =>
        {
            var t1 = db.Table("t1", t =>
            {
                t.Column("a b", Types.Integer);
                t.Column("c", Types.Integer);
                t.PartitionByList("a b", "c");
            });
            db.Table("t1_x", t => t.PartitionOf(t1, "in (1)"));
        });

        Assert.Equal(new TablePartitioning("LIST (\"a b\", c)"), model.Tables[0].Partitioning);
        Assert.Equal(new TablePartitioning(Parent: new QualifiedName("public", "t1"), Bound: "FOR VALUES in (1)"), model.Tables[1].Partitioning);
    }

    [Fact]
    public void The_random_round_trips_generate_partitioned_tables_of_every_strategy_and_their_changes()
    {
        var pairs = Enumerable.Range(1, 200).Select(seed => new RandomSchemaGenerator(seed).NextPair()).ToList();

        var keys = pairs.SelectMany(p => p.A.Tables.Concat(p.B.Tables)).Select(t => t.Partitioning).OfType<TablePartitioning>().ToList();
        foreach (var strategy in new[] { "RANGE", "LIST", "HASH" })
            Assert.Contains(keys, k => k.Key?.StartsWith(strategy, StringComparison.Ordinal) == true && k.Parent is null);
        Assert.Contains(keys, k => k is { IsPartitioned: true, IsPartition: true });
        Assert.Contains(keys, k => k.Bound == "DEFAULT");
        foreach (var change in new[] { "partition added", "dropped", "re-bounded", "key now", "column added", "parent index" })
            Assert.True(pairs.Any(p => p.Mutations.Any(m => m.StartsWith("partitioned table", StringComparison.Ordinal) && m.Contains(change, StringComparison.Ordinal))),
                $"no random pair has the partition change \"{change}\"");
    }
}
