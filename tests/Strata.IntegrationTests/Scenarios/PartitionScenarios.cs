using Strata.Diffing;
using Strata.Dsl;
using Strata.Model;

namespace Strata.IntegrationTests.Scenarios;

/// <summary>
/// Partitioned tables and their partitions, migrated A → B and back on PostgreSQL, read back, and written as C#:
/// partitions added, dropped, re-bounded, sub-partitioned; a parent's key, index and foreign keys; a changed key.
/// </summary>
public sealed class PartitionScenarios(ScenarioFixture fixture) : ScenarioTests(fixture)
{
    private static TableBuilder Measurements(SchemaBuilder db, Action<TableBuilder>? more = null) => db.Table("measurements", t =>
    {
        t.Column("sensor", Types.Integer).NotNull().References("sensors", "id");
        t.Column("taken", Types.Date).NotNull();
        t.Column("value", Types.Real);
        t.PrimaryKey("sensor", "taken");
        t.Index("value");
        t.PartitionByRange("taken");
        more?.Invoke(t);
    });

    private static void Sensors(SchemaBuilder db) => db.Table("sensors", t => t.Column("id", Types.Integer).PrimaryKey());

    [Fact]
    public Task Partitions_are_added_dropped_and_re_bounded() => RoundTripAsync(
        db =>
        {
            Sensors(db);
            var measurements = Measurements(db);
            db.Table("measurements_2024", t => t.PartitionOf(measurements, "FROM ('2024-01-01') TO ('2025-01-01')"));
            db.Table("measurements_2025", t => t.PartitionOf(measurements, "FROM ('2025-01-01') TO ('2026-01-01')"));
        },
        db =>
        {
            Sensors(db);
            var measurements = Measurements(db, t => t.Column("unit", Types.Text));
            db.Table("measurements_2025", t => t.PartitionOf(measurements, "FROM ('2025-01-01') TO ('2027-01-01')").Comment("two years"));
            db.Table("measurements_later", t => t
                .PartitionOf(measurements, "FROM ('2027-01-01') TO ('2030-01-01')")
                .PartitionByHash("sensor"));
            db.Table("measurements_later_0", t => t.PartitionOf("measurements_later", "WITH (MODULUS 2, REMAINDER 0)").Index("unit"));
            db.Table("measurements_later_1", t => t.PartitionOf("measurements_later", "WITH (MODULUS 2, REMAINDER 1)"));
            db.Table("measurements_other", t => t.PartitionOf(measurements, "DEFAULT").Check("recent", "taken > '2000-01-01'::date"));
            db.Table("alerts", t =>
            {
                t.Column("id", Types.Integer).PrimaryKey();
                t.Column("sensor", Types.Integer).NotNull();
                t.Column("taken", Types.Date).NotNull();
                t.ForeignKey("sensor", "taken").References("measurements", "sensor", "taken");
            });
        },
        new RenameDecisions([], [(ObjectKind.Table, "public.measurements_2024")]));

    [Fact]
    public Task A_plain_table_becomes_partitioned_and_a_partition_key_changes() => RoundTripAsync(
        db =>
        {
            db.Table("logs", t =>
            {
                t.Column("kind", Types.Text).NotNull();
                t.Column("line", Types.Text);
            });
            var tags = db.Table("tags", t =>
            {
                t.Column("name", Types.Text).NotNull();
                t.PartitionByList("name");
            });
            db.Table("tags_a", t => t.PartitionOf(tags, "IN ('a')"));
        },
        db =>
        {
            var logs = db.Table("logs", t =>
            {
                t.Column("kind", Types.Text).NotNull();
                t.Column("line", Types.Text);
                t.PartitionByList("kind");
            });
            db.Table("logs_audit", t => t.PartitionOf(logs, "IN ('audit')"));
            var tags = db.Table("tags", t =>
            {
                t.Column("name", Types.Text).NotNull();
                t.PartitionBy("RANGE (lower(name))");
            });
            db.Table("tags_a", t => t.PartitionOf(tags, "FROM ('a') TO ('b')"));
        });
}
