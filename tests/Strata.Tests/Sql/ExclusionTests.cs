using Strata.CodeGeneration;
using Strata.Dsl;
using Strata.IntegrationTests.Random;
using Strata.Model;
using Strata.Snapshots;
using Strata.Tests.CodeGeneration;
using static Strata.Tests.Sql.MigrationSql;

namespace Strata.Tests.Sql;

/// <summary>
/// Exclusion constraints through the DSL, the validator, pull's C#, the snapshot, the differ's order and the SQL (the
/// PostgreSQL round trips are in the integration tests' ExclusionScenarios).
/// </summary>
public class ExclusionTests
{
    private static void Bookings(TableBuilder t)
    {
        t.Column("id", Types.Integer).PrimaryKey();
        t.Column("room", Types.Integer).NotNull();
        t.Column("during", Types.Raw("tsrange")).NotNull();
        t.Column("note", Types.Text);
    }

    private static void Booked(SchemaBuilder db)
    {
        db.Extension("btree_gist");
        db.Schema("app").Table("bookings", t =>
        {
            Bookings(t);
            t.Exclude("gist", e => e.Column("room", "=").Column("during", "&&"))
                .Include("note").WithStorage("fillfactor=70").Where("room > 0").Deferrable(initiallyDeferred: true);
            t.Exclude("gist", e => e.Key(IndexKey.Expression("lower(note)").OperatorClass("gist_text_ops"), "=")).Named("one_note");
        });
    }

    [Fact]
    public void A_table_declares_its_exclusion_constraints_named_as_PostgreSQL_names_them()
    {
        var model = Build(Booked);

        var exclusions = Assert.Single(model.Exclusions);
        Assert.Equal(new TableExclusions("app", "bookings", ValueList.Create(
            new ExclusionConstraint("bookings_room_during_excl",
                ValueList.Create(new ExclusionElement(IndexElement.OnColumn("room"), "="), new ExclusionElement(IndexElement.OnColumn("during"), "&&")),
                "gist", ValueList.Create("note"), ValueList.Create("fillfactor=70"), "room > 0", Deferrable: true, InitiallyDeferred: true),
            new ExclusionConstraint("one_note",
                ValueList.Create(new ExclusionElement(IndexElement.OnExpression("lower(note)") with { OperatorClass = "gist_text_ops" }, "="))))), exclusions);
        Assert.Equal(2, model.Counts().Single(c => c.Key == "exclusionConstraints").Value);
        Assert.DoesNotContain("exclusion", DatabaseModel.SchemaObjectKinds, StringComparison.Ordinal); // bound to its table
    }

    [Fact]
    public void Every_exclusion_constraint_mistake_is_reported_with_the_table_and_the_remedy()
    {
        var db = new SchemaBuilder();
        db.Table("t", t =>
        {
            t.Column("id", Types.Integer).PrimaryKey();
            t.Column("span", Types.Raw("int4range"));
            t.Exclude("brin", e => e.Column("span", "&&"));
            t.Exclude("gist", e => e.Column("missing", "&&").Column("span", " ")).Include("gone").WithStorage("fillfactor");
            t.Exclude("gist", _ => { }).Named("t_pkey");
            t.Exclude("gist", e => e.Column("span", "&&")).Named("t_span_idx").Where(" ");
            t.Index("span").Using("gist");
        });

        var errors = Assert.Throws<SchemaValidationException>(() => db.Build()).Errors.Select(e => e.ToString()).ToList();

        Assert.Contains(errors, e => e.StartsWith("public.t exclusion constraint t_span_excl: uses method \"brin\"; an exclusion constraint needs an index method that can check each row"));
        Assert.Contains(errors, e => e.StartsWith("public.t exclusion constraint t_missing_span_excl: names column \"missing\", which the table does not have"));
        Assert.Contains(errors, e => e.StartsWith("public.t exclusion constraint t_missing_span_excl: has a key without an operator"));
        Assert.Contains(errors, e => e.StartsWith("public.t exclusion constraint t_missing_span_excl: includes column \"gone\""));
        Assert.Contains(errors, e => e.StartsWith("public.t exclusion constraint t_missing_span_excl: storage parameter \"fillfactor\" is not name=value"));
        Assert.Contains(errors, e => e.StartsWith("public.t: exclusion constraint \"t_pkey\": another constraint of this table has the same name"));
        Assert.Contains(errors, e => e.StartsWith("public.t exclusion constraint t_pkey: has no keys"));
        Assert.Contains(errors, e => e.StartsWith("public.t: exclusion constraint \"t_span_idx\": its index takes that name, which a table, view, sequence or index of schema public already has"));
        Assert.Contains(errors, e => e.StartsWith("public.t exclusion constraint t_span_idx: the WHERE predicate is empty"));
    }

    [Fact]
    public void Exclusion_constraints_on_an_undeclared_table_are_refused()
    {
        var model = Build(db => db.Table("t", t => t.Column("id", Types.Integer))) with
        {
            Exclusions = ValueList.Create(new TableExclusions("public", "nowhere", ValueList.Create(
                new ExclusionConstraint("x", ValueList.Create(new ExclusionElement(IndexElement.OnColumn("id"), "=")))))),
        };

        var errors = SchemaValidator.Validate(model, []).Select(e => e.ToString()).ToList();

        Assert.Contains(errors, e => e.StartsWith("public.nowhere: has exclusion constraints but no such table is declared"));
    }

    [Fact]
    public void Pull_writes_what_builds_the_same_model()
    {
        var model = Build(Booked);

        var code = string.Concat(CSharpSchemaWriter.Write(model, "Generated", "AppSchema").Select(f => f.Content));

        Assert.Contains("t.Exclude(\"gist\", e => e.Column(\"room\", \"=\").Column(\"during\", \"&&\")).Include(\"note\").WithStorage(\"fillfactor=70\").Where(\"room > 0\").Deferrable(initiallyDeferred: true);", code);
        Assert.Contains("t.Exclude(\"gist\", e => e.Key(IndexKey.Expression(\"lower(note)\").OperatorClass(\"gist_text_ops\"), \"=\")).Named(\"one_note\");", code);
        Assert.Equal(model, GeneratedSchemas.RoundTrip([model])[0]);
    }

    [Fact]
    public void A_snapshot_without_exclusion_constraints_is_unchanged_and_one_with_them_reads_back_equal()
    {
        var json = AssertSnapshotNamesOnlyWhenUsed(Build(Booked), Build(db => db.Table("t", Bookings)), "exclusions");

        Assert.Contains("\"operator\": \"&&\"", json);
        Assert.Contains("\"storage\": [", json);
    }

    [Fact]
    public void A_snapshot_exclusion_element_without_its_operator_is_refused_with_its_path()
    {
        var json = SnapshotSerializer.Serialize(new Snapshot("0123456789abcdef0123456789abcdef", null, Build(Booked), []))
            .Replace("\"operator\": \"&&\"", "\"operatorX\": \"&&\"", StringComparison.Ordinal);

        var error = Assert.Throws<SnapshotFormatException>(() => SnapshotSerializer.Deserialize(json, "snapshot.json"));

        Assert.Contains("exclusions[0].constraints[0].elements[1]", error.Message);
    }

    [Fact]
    public void Creating_writes_the_extension_and_the_table_then_its_exclusion_constraints()
    {
        var sql = Create(Booked);

        Assert.Equal("""
            CREATE SCHEMA "app";
            CREATE EXTENSION IF NOT EXISTS "btree_gist" WITH SCHEMA "public";
            CREATE TABLE "app"."bookings" (
                "id" integer NOT NULL,
                "room" integer NOT NULL,
                "during" tsrange NOT NULL,
                "note" text,
                CONSTRAINT "bookings_pkey" PRIMARY KEY ("id")
            );
            ALTER TABLE "app"."bookings" ADD CONSTRAINT "bookings_room_during_excl" EXCLUDE USING gist ("room" WITH =, "during" WITH &&) INCLUDE ("note") WITH (fillfactor=70) WHERE (room > 0) DEFERRABLE INITIALLY DEFERRED;
            ALTER TABLE "app"."bookings" ADD CONSTRAINT "one_note" EXCLUDE USING gist ((lower(note)) "gist_text_ops" WITH =);
            """, sql);
    }

    [Fact]
    public void A_changed_constraint_is_dropped_and_added_and_one_equal_but_for_its_name_is_renamed()
    {
        var up = Up(
            db => db.Table("t", t => { Bookings(t); t.Exclude("gist", e => e.Column("during", "&&")); t.Exclude("gist", e => e.Column("during", "-|-")).Named("a"); }),
            db => db.Table("t", t => { Bookings(t); t.Exclude("gist", e => e.Column("during", "&&")).Deferrable(); t.Exclude("gist", e => e.Column("during", "-|-")).Named("b"); }));

        Assert.Equal("""
            ALTER TABLE "public"."t" DROP CONSTRAINT "t_during_excl";
            ALTER TABLE "public"."t" RENAME CONSTRAINT "a" TO "b";
            ALTER TABLE "public"."t" ADD CONSTRAINT "t_during_excl" EXCLUDE USING gist ("during" WITH &&) DEFERRABLE;
            """, up);
    }

    [Fact]
    public void A_constraint_over_a_dropped_or_retyped_column_goes_before_the_column_and_comes_back_after_it()
    {
        var up = Up(
            db => db.Table("t", t => { Bookings(t); t.Exclude("gist", e => e.Column("room", "=").Column("during", "&&")); t.Exclude("btree", e => e.Expression("lower(note)", "=")).Named("n"); }),
            db => db.Table("t", t =>
            {
                t.Column("id", Types.Integer).PrimaryKey();
                t.Column("room", Types.BigInt).NotNull();
                t.Column("during", Types.Raw("tsrange")).NotNull();
                t.Exclude("gist", e => e.Column("room", "=").Column("during", "&&"));
            }));

        Assert.Equal("""
            ALTER TABLE "public"."t" DROP CONSTRAINT "t_room_during_excl";
            ALTER TABLE "public"."t" DROP CONSTRAINT "n";
            ALTER TABLE "public"."t" DROP COLUMN "note";
            ALTER TABLE "public"."t" ALTER COLUMN "room" TYPE bigint;
            ALTER TABLE "public"."t" ADD CONSTRAINT "t_room_during_excl" EXCLUDE USING gist ("room" WITH =, "during" WITH &&);
            """, up);
    }

    [Fact]
    public void A_renamed_column_under_an_exclusion_constraint_changes_nothing_else()
    {
        var up = Up(
            db => db.Table("t", t => { t.Column("span", Types.Raw("int4range")); t.Exclude("gist", e => e.Column("span", "&&")).Named("x"); }),
            db => db.Table("t", t => { t.Column("range", Types.Raw("int4range")); t.Exclude("gist", e => e.Column("range", "&&")).Named("x"); }),
            "column:public.t.span=range");

        Assert.Equal("ALTER TABLE \"public\".\"t\" RENAME COLUMN \"span\" TO \"range\";", up);
    }

    [Fact]
    public void The_random_round_trips_generate_exclusion_constraints_and_column_collations_and_change_them()
    {
        var pairs = Enumerable.Range(1, 200).Select(seed => new RandomSchemaGenerator(seed).NextPair()).ToList();

        Assert.Contains(pairs, p => p.A.Exclusions.Any(x => x.Constraints.Any(c => c.Deferrable)));
        Assert.Contains(pairs, p => p.A.Tables.Any(t => t.Columns.Any(c => c.Collation is not null)));
        foreach (var change in new[] { ": exclusion constraint", " added", " dropped", " deferrable", " renamed to " })
            Assert.True(pairs.Any(p => p.Mutations.Any(m => m.Contains(": exclusion constraint", StringComparison.Ordinal) && m.Contains(change, StringComparison.Ordinal))),
                $"no random pair has the exclusion constraint change \"{change}\"");
        Assert.Contains(pairs, p => p.Mutations.Any(m => m.StartsWith("collation of ", StringComparison.Ordinal) && m.EndsWith("→ default", StringComparison.Ordinal)));
        Assert.Contains(pairs, p => p.Mutations.Any(m => m.StartsWith("collation of ", StringComparison.Ordinal) && m.Contains("default →", StringComparison.Ordinal)));
    }
}
