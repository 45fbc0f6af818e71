using Npgsql;
using Strata.Diffing;
using Strata.Dsl;
using Strata.Postgres.Migrations;
using Strata.Model;
using Strata.Postgres.Introspection;
using Strata.Postgres.Sql;

namespace Strata.IntegrationTests.Scenarios;

/// <summary>
/// Exclusion constraints: added, changed, renamed, dropped and rebuilt under a retyped column, each migrated up and down
/// on PostgreSQL and compared with a database built from the target alone; and read back by the introspector as the
/// DSL declared them.
/// </summary>
public sealed class ExclusionScenarios(ScenarioFixture fixture) : ScenarioTests(fixture)
{
    private readonly RoundTripDatabases _databases = fixture.Databases;

    private static void Bookings(TableBuilder t)
    {
        t.Column("id", Types.Integer).PrimaryKey();
        t.Column("room", Types.Integer).NotNull();
        t.Column("during", Types.Raw("tsrange")).NotNull();
        t.Column("cancelled", Types.Boolean).NotNull().Default(false);
        t.Column("note", Types.Text);
    }

    /// <summary>Every clause of EXCLUDE: scalar equality through btree_gist, an expression key, INCLUDE, WITH, WHERE, DEFERRABLE.</summary>
    private static void FullBookings(SchemaBuilder db)
    {
        db.Extension("btree_gist");
        db.Table("bookings", t =>
        {
            Bookings(t);
            t.Exclude("gist", e => e.Column("room", "=").Column("during", "&&"))
                .Include("note").WithStorage("fillfactor=70").Where("NOT cancelled").Deferrable(initiallyDeferred: true);
            t.Exclude("gist", e => e.Expression("lower(note)", "=")).Named("bookings_one_note");
        });
        db.Schema("sched").Table("slots", t =>
        {
            t.Column("id", Types.Integer).PrimaryKey();
            t.Column("span", Types.Raw("int4range")).NotNull();
            t.Exclude("spgist", e => e.Column("span", "&&"));
        });
    }

    [Fact]
    public async Task Exclusion_constraints_with_every_clause_are_added_to_a_kept_table_and_a_new_one_and_dropped_on_the_way_down()
    {
        var result = await RoundTripAsync(
            db => db.Table("bookings", Bookings),
            FullBookings);

        Assert.Contains("ALTER TABLE \"public\".\"bookings\" ADD CONSTRAINT \"bookings_room_during_excl\" EXCLUDE USING gist (\"room\" WITH =, \"during\" WITH &&) INCLUDE (\"note\") WITH (fillfactor=70) WHERE (NOT cancelled) DEFERRABLE INITIALLY DEFERRED;", result.UpScript);
        Assert.Contains("EXCLUDE USING spgist (\"span\" WITH &&)", result.UpScript);
        // The extension its = on integers needs comes first.
        Assert.True(result.UpScript.IndexOf("CREATE EXTENSION", StringComparison.Ordinal) < result.UpScript.IndexOf("EXCLUDE", StringComparison.Ordinal), result.UpScript);
        Assert.Contains("ALTER TABLE \"public\".\"bookings\" DROP CONSTRAINT \"bookings_room_during_excl\";", result.DownScript);
        // The new table's constraint goes with it.
        Assert.DoesNotContain("DROP CONSTRAINT \"slots_span_excl\"", result.DownScript);
    }

    [Fact]
    public async Task A_changed_exclusion_constraint_is_dropped_and_added_and_one_equal_but_for_its_name_is_renamed()
    {
        var result = await RoundTripAsync(
            db => db.Table("bookings", t =>
            {
                Bookings(t);
                t.Exclude("gist", e => e.Column("during", "&&")).Where("NOT cancelled");
                t.Exclude("gist", e => e.Column("during", "-|-")).Named("no_adjacent");
            }),
            db => db.Table("bookings", t =>
            {
                Bookings(t);
                t.Exclude("gist", e => e.Column("during", "&&")).Deferrable();
                t.Exclude("gist", e => e.Column("during", "-|-")).Named("never_adjacent");
            }));

        Assert.Contains("ALTER TABLE \"public\".\"bookings\" DROP CONSTRAINT \"bookings_during_excl\";", result.UpScript);
        Assert.Contains("ADD CONSTRAINT \"bookings_during_excl\" EXCLUDE USING gist (\"during\" WITH &&) DEFERRABLE;", result.UpScript);
        Assert.Contains("ALTER TABLE \"public\".\"bookings\" RENAME CONSTRAINT \"no_adjacent\" TO \"never_adjacent\";", result.UpScript);
        Assert.DoesNotContain("DROP CONSTRAINT \"no_adjacent\"", result.UpScript);
    }

    [Fact]
    public async Task A_column_retyped_under_an_exclusion_constraint_has_it_dropped_first_and_added_after()
    {
        var result = await RoundTripAsync(
            db =>
            {
                db.Extension("btree_gist");
                db.Table("bookings", t =>
                {
                    Bookings(t);
                    t.Exclude("gist", e => e.Column("room", "=").Column("during", "&&"));
                });
            },
            db =>
            {
                db.Extension("btree_gist");
                db.Table("bookings", t =>
                {
                    t.Column("id", Types.Integer).PrimaryKey();
                    t.Column("room", Types.BigInt).NotNull();
                    t.Column("during", Types.Raw("tsrange")).NotNull();
                    t.Column("cancelled", Types.Boolean).NotNull().Default(false);
                    t.Column("note", Types.Text);
                    t.Exclude("gist", e => e.Column("room", "=").Column("during", "&&"));
                });
            });

        var drop = result.UpScript.IndexOf("DROP CONSTRAINT \"bookings_room_during_excl\"", StringComparison.Ordinal);
        var retype = result.UpScript.IndexOf("ALTER COLUMN \"room\" TYPE", StringComparison.Ordinal);
        var add = result.UpScript.IndexOf("ADD CONSTRAINT \"bookings_room_during_excl\"", StringComparison.Ordinal);
        Assert.True(drop >= 0 && retype > drop && add > retype, result.UpScript);
    }

    [Fact]
    public async Task A_dropped_table_takes_its_exclusion_constraints_and_a_dropped_column_its_constraint()
    {
        var result = await RoundTripAsync(
            db =>
            {
                db.Table("bookings", t =>
                {
                    Bookings(t);
                    t.Exclude("gist", e => e.Column("during", "&&"));
                    t.Exclude("btree", e => e.Expression("lower(note)", "=")).Named("bookings_one_note");
                });
                db.Table("old_slots", t =>
                {
                    t.Column("span", Types.Raw("int4range"));
                    t.Exclude("gist", e => e.Column("span", "&&"));
                });
            },
            db => db.Table("bookings", t =>
            {
                t.Column("id", Types.Integer).PrimaryKey();
                t.Column("room", Types.Integer).NotNull();
                t.Column("during", Types.Raw("tsrange")).NotNull();
                t.Column("cancelled", Types.Boolean).NotNull().Default(false);
                t.Exclude("gist", e => e.Column("during", "&&"));
            }));

        Assert.DoesNotContain("old_slots_span_excl", result.UpScript);
        Assert.Contains("DROP CONSTRAINT \"bookings_one_note\"", result.UpScript);
    }

    [Fact]
    public async Task The_introspector_reads_exclusion_constraints_as_the_DSL_declares_them()
    {
        var model = RoundTrip.Schema(FullBookings);
        var (db1, _, _) = await _databases.ResetAsync();
        await ScriptApplier.ApplyAsync(db1, MigrationScript.RenderUp(PostgresSqlGenerator.CreateAll(model)), "up.sql");

        await using var connection = await db1.OpenConnectionAsync();
        var read = await PostgresIntrospector.ReadAsync(connection);

        Assert.Equal(model.Exclusions, read.Exclusions);
        var full = read.FindExclusions(new QualifiedName("public", "bookings"))!.Find("bookings_room_during_excl")!;
        Assert.Equal(["fillfactor=70"], full.StorageParameters);
        Assert.Equal("NOT cancelled", full.Where);
        // What the predicate reads is recorded: the differ knows which column changes rebuild it.
        Assert.True(full.Reads.IsKnown);
        Assert.Contains("cancelled", full.Reads.ColumnsOf(new QualifiedName("public", "bookings")));
        Assert.Empty(SchemaDiffer.Diff(read, model, RenameDecisions.None).Changes);
    }
}
