using Strata.CodeGeneration;
using Strata.Dsl;
using Strata.IntegrationTests.Random;
using Strata.Model;
using Strata.Snapshots;
using Strata.Tests.CodeGeneration;
using static Strata.Tests.Sql.MigrationSql;

namespace Strata.Tests.Sql;

/// <summary>
/// Triggers through the DSL, the validator, pull's C#, the snapshot, the differ's order and the SQL (the PostgreSQL
/// round trips are in the integration tests' TriggerScenarios and the corpus).
/// </summary>
public class TriggerTests
{
    private static FunctionReference Note(SchemaScope db) =>
        db.Function("note", f => f.Returns(Types.Raw("trigger")).Language("plpgsql").Body("BEGIN RETURN NEW; END"));

    private static void Orders(TableBuilder t)
    {
        t.Column("id", Types.Integer).PrimaryKey();
        t.Column("status", Types.Text).NotNull();
        t.Column("total", Types.Numeric(12, 2));
        t.Column("updated_at", Types.TimestampTz());
    }

    private static void Triggered(SchemaBuilder db)
    {
        var note = Note(db);
        db.Table("orders", t =>
        {
            Orders(t);
            t.Trigger("status_changed", tr => tr.Before().OnUpdate("status", "total").OnInsert().ForEachRow()
                .When("NEW.status IS DISTINCT FROM 'new'").Execute(note, "v1", "it's").Comment("status"));
            t.Trigger("audit", tr => tr.After().OnUpdate().ReferencingOldTable("before_rows").ReferencingNewTable("after_rows").Execute(note));
            t.Trigger("emptied", tr => tr.OnTruncate().Execute("note").Enabled(TriggerEnabled.Replica));
            t.Trigger("checked", tr => tr.After().OnInsert().OnDelete().ForEachRow().Constraint(initiallyDeferred: true).From("orders").Execute(note));
            t.Trigger("off", tr => tr.Before().OnDelete().ForEachRow().Execute(note).Disabled());
            t.UpdatedAt();
        });
        db.View("order_status", "SELECT id, status FROM orders");
        db.Trigger("order_status", "edit", tr => tr.InsteadOf().OnUpdate().ForEachRow().Execute(note));
    }

    [Fact]
    public void A_table_and_a_view_declare_their_triggers_with_events_in_PostgreSQL_order_and_updated_at_shares_one_function()
    {
        var model = Build(db =>
        {
            Triggered(db);
            db.Table("accounts", t => { t.Column("id", Types.Integer); t.Column("changed", Types.TimestampTz()); t.UpdatedAt("changed"); });
        });

        var orders = model.FindTriggers(new QualifiedName("public", "orders"))!;
        Assert.Equal(["audit", "checked", "emptied", "off", "set_updated_at", "status_changed"], orders.Triggers.Select(t => t.Name));
        Assert.Equal(
            new Trigger("status_changed", TriggerTiming.Before, ValueList.Create(TriggerEvent.Insert, TriggerEvent.Update), new QualifiedName("public", "note"), ForEachRow: true,
                UpdateOf: ValueList.Create("status", "total"), When: "NEW.status IS DISTINCT FROM 'new'", Arguments: ValueList.Create("v1", "it's"), Comment: "status"),
            orders.Find("status_changed"));
        Assert.Equal(new Trigger("checked", TriggerTiming.After, ValueList.Create(TriggerEvent.Insert, TriggerEvent.Delete), new QualifiedName("public", "note"), ForEachRow: true,
            Constraint: true, Deferrable: true, InitiallyDeferred: true, From: new QualifiedName("public", "orders")), orders.Find("checked"));
        Assert.Equal(new Trigger("set_updated_at", TriggerTiming.Before, ValueList.Create(TriggerEvent.Update), new QualifiedName("public", UpdatedAtFunction.Name), ForEachRow: true,
            Arguments: ValueList.Create("updated_at")), orders.Find("set_updated_at"));
        Assert.Equal(["changed"], model.FindTriggers(new QualifiedName("public", "accounts"))!.Find("set_changed")!.Arguments);
        var shared = Assert.Single(model.Functions, f => f.Name == UpdatedAtFunction.Name);
        Assert.Equal("trigger", shared.Returns!.RawName);
        Assert.Equal(TriggerTiming.InsteadOf, model.FindTriggers(new QualifiedName("public", "order_status"))!.Find("edit")!.Timing);
        Assert.Equal(8, model.Counts().Single(c => c.Key == "triggers").Value);
        Assert.DoesNotContain("trigger", DatabaseModel.SchemaObjectKinds, StringComparison.Ordinal); // bound to its relation
    }

    [Fact]
    public void Every_trigger_PostgreSQL_refuses_is_reported_with_the_relation_and_the_remedy()
    {
        var db = new SchemaBuilder();
        var note = Note(db);
        var plain = db.Function("plain", f => f.Returns(Types.Integer).Body("SELECT 1"));
        db.Table("t", t =>
        {
            t.Column("id", Types.Integer);
            t.Trigger("none", tr => tr.Execute(note));
            t.Trigger("instead", tr => tr.InsteadOf().OnInsert().Execute(note));
            t.Trigger("truncate_rows", tr => tr.OnTruncate().ForEachRow().Execute(note));
            t.Trigger("statement_new", tr => tr.OnUpdate().When("NEW.id > 0").Execute(note));
            t.Trigger("insert_old", tr => tr.OnInsert().ForEachRow().When("OLD.id > 0").Execute(note));
            t.Trigger("missing_column", tr => tr.OnUpdate("nope").Execute(note));
            t.Trigger("before_table", tr => tr.Before().OnInsert().ReferencingNewTable("n").Execute(note));
            t.Trigger("two_events", tr => tr.OnInsert().OnUpdate().ReferencingNewTable("n").Execute(note));
            t.Trigger("old_on_insert", tr => tr.OnInsert().ReferencingOldTable("o").Execute(note));
            t.Trigger("constraint_before", tr => tr.Before().OnInsert().ForEachRow().Constraint().Execute(note));
            t.Trigger("from_plain", tr => tr.OnInsert().From("t").Execute(note));
            t.Trigger("wrong_function", tr => tr.OnInsert().Execute(plain));
            t.Trigger("dup", tr => tr.OnInsert().Execute(note));
            t.Trigger("dup", tr => tr.OnDelete().Execute(note));
            t.Trigger("no_function", tr => tr.OnInsert());
        });
        db.View("v", "SELECT 1 AS one");
        db.Trigger("v", "row_after", tr => tr.After().OnInsert().ForEachRow().Execute(note));
        db.Trigger("nowhere", "x", tr => tr.OnInsert().Execute(note));

        var errors = Assert.Throws<SchemaValidationException>(() => db.Build()).Errors.Select(e => e.ToString()).ToList();

        string[] expected =
        [
            "public.t trigger none: fires on no event",
            "public.t trigger instead: is INSTEAD OF on a table",
            "public.t trigger instead: is INSTEAD OF for each statement",
            "public.t trigger truncate_rows: fires on TRUNCATE for each row",
            "public.t trigger statement_new: reads OLD or NEW in WHEN for each statement",
            "public.t trigger insert_old: reads OLD in the WHEN of an INSERT trigger",
            "public.t trigger missing_column: UPDATE OF column nope: the table has no such column",
            "public.t trigger before_table: names a transition table but is not AFTER",
            "public.t trigger two_events: fires on more than one event with a transition table",
            "public.t trigger old_on_insert: names an OLD TABLE without firing on UPDATE or DELETE",
            "public.t trigger constraint_before: is a constraint trigger that is not AFTER … FOR EACH ROW",
            "public.t trigger from_plain: names a FROM table but is not a constraint trigger",
            "public.t trigger wrong_function: runs public.plain, which is not a trigger function",
            "public.t: trigger \"dup\" is declared twice",
            "public.t trigger no_function: runs no function",
            "public.v trigger row_after: is a row-level BEFORE or AFTER trigger on a view",
            "public.nowhere: has triggers but no such table or view is declared",
        ];
        foreach (var error in expected)
            Assert.True(errors.Any(e => e.StartsWith(error, StringComparison.Ordinal)), $"missing \"{error}\" in:\n{string.Join("\n", errors)}");
    }

    [Fact]
    public void Pull_writes_what_builds_the_same_model()
    {
        var model = Build(Triggered);

        var code = string.Concat(CSharpSchemaWriter.Write(model, "Generated", "AppSchema").Select(f => f.Content));

        Assert.Contains("t.Trigger(\"status_changed\", tr => tr.Before().OnInsert().OnUpdate(\"status\", \"total\").ForEachRow()"
            + ".When(\"NEW.status IS DISTINCT FROM 'new'\").Execute(\"note\", \"v1\", \"it's\").Comment(\"status\"));", code);
        Assert.Contains("t.Trigger(\"emptied\", tr => tr.After().OnTruncate().Execute(\"note\").Enabled(TriggerEnabled.Replica));", code);
        Assert.Contains("db.Trigger(\"order_status\", \"edit\", tr => tr.InsteadOf().OnUpdate().ForEachRow().Execute(\"note\"));", code);
        Assert.Equal(model, GeneratedSchemas.RoundTrip([model])[0]);
    }

    [Fact]
    public void A_snapshot_without_triggers_is_unchanged_and_one_with_them_reads_back_equal()
    {
        var old = SnapshotSerializer.Serialize(new Snapshot("0123456789abcdef0123456789abcdef", null, Build(db => db.Table("t", Orders)), []));
        Assert.DoesNotContain("trigger", old, StringComparison.Ordinal);
        Assert.Empty(SnapshotSerializer.Deserialize(old, "snapshot.json").Schema.Triggers);

        var model = Build(Triggered);
        var json = SnapshotSerializer.Serialize(new Snapshot("0123456789abcdef0123456789abcdef", null, model, []));

        Assert.Contains("\"triggers\": [", json);
        Assert.Contains("\"timing\": \"insteadOf\"", json);
        Assert.Contains("\"enabled\": \"replica\"", json);
        Assert.DoesNotContain("\"enabled\": \"origin\"", json);
        Assert.Equal(model, SnapshotSerializer.Deserialize(json, "snapshot.json").Schema);
        Assert.Equal(json, SnapshotSerializer.Serialize(SnapshotSerializer.Deserialize(json, "snapshot.json")));

        var error = Assert.Throws<SnapshotFormatException>(() => SnapshotSerializer.Deserialize(
            json.Replace("\"timing\": \"insteadOf\"", "\"timing\": \"later\"", StringComparison.Ordinal), "snapshot.json"));
        Assert.Contains("triggers[", error.Message);
        Assert.Contains("timing", error.Message);
    }

    [Fact]
    public void Creating_writes_the_triggers_after_the_tables_views_and_functions_with_their_state_and_comment()
    {
        var sql = Create(Triggered);

        Assert.Contains("""
            CREATE TRIGGER "status_changed" BEFORE INSERT OR UPDATE OF "status", "total" ON "public"."orders" FOR EACH ROW WHEN (NEW.status IS DISTINCT FROM 'new') EXECUTE FUNCTION "public"."note"('v1', 'it''s');
            COMMENT ON TRIGGER "status_changed" ON "public"."orders" IS 'status';
            """.ReplaceLineEndings("\n"), sql);
        Assert.Contains("CREATE TRIGGER \"audit\" AFTER UPDATE ON \"public\".\"orders\" REFERENCING OLD TABLE AS \"before_rows\" NEW TABLE AS \"after_rows\" FOR EACH STATEMENT EXECUTE FUNCTION \"public\".\"note\"();", sql);
        Assert.Contains("CREATE CONSTRAINT TRIGGER \"checked\" AFTER INSERT OR DELETE ON \"public\".\"orders\" FROM \"public\".\"orders\" DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION \"public\".\"note\"();", sql);
        Assert.Contains("ALTER TABLE \"public\".\"orders\" ENABLE REPLICA TRIGGER \"emptied\";", sql);
        Assert.Contains("ALTER TABLE \"public\".\"orders\" DISABLE TRIGGER \"off\";", sql);
        Assert.Contains("CREATE TRIGGER \"set_updated_at\" BEFORE UPDATE ON \"public\".\"orders\" FOR EACH ROW EXECUTE FUNCTION \"public\".\"strata_set_updated_at\"('updated_at');", sql);
        Assert.True(sql.IndexOf("CREATE TRIGGER \"edit\"", StringComparison.Ordinal) > sql.IndexOf("CREATE VIEW", StringComparison.Ordinal), sql);
        Assert.True(sql.IndexOf("CREATE TRIGGER", StringComparison.Ordinal) > sql.IndexOf("CREATE FUNCTION \"public\".\"strata_set_updated_at\"", StringComparison.Ordinal), sql);
    }

    [Fact]
    public void A_rename_is_an_alter_the_enabled_state_and_comment_change_in_place_and_anything_else_re_creates()
    {
        var up = Up(
            db =>
            {
                var note = Note(db);
                db.Table("t", t =>
                {
                    Orders(t);
                    t.Trigger("old_name", tr => tr.Before().OnUpdate().ForEachRow().Execute(note, "a"));
                    t.Trigger("state", tr => tr.Before().OnInsert().ForEachRow().Execute(note));
                    t.Trigger("changed", tr => tr.After().OnInsert().Execute(note));
                    t.Trigger("gone", tr => tr.After().OnDelete().Execute(note));
                });
            },
            db =>
            {
                var note = Note(db);
                db.Table("t", t =>
                {
                    Orders(t);
                    t.Trigger("new_name", tr => tr.Before().OnUpdate().ForEachRow().Execute(note, "a"));
                    t.Trigger("state", tr => tr.Before().OnInsert().ForEachRow().Execute(note).Disabled().Comment("off"));
                    t.Trigger("changed", tr => tr.After().OnInsert().OnDelete().Execute(note));
                });
            });

        Assert.Equal("""
            DROP TRIGGER "changed" ON "public"."t";
            DROP TRIGGER "gone" ON "public"."t";
            CREATE TRIGGER "changed" AFTER INSERT OR DELETE ON "public"."t" FOR EACH STATEMENT EXECUTE FUNCTION "public"."note"();
            ALTER TABLE "public"."t" DISABLE TRIGGER "state";
            ALTER TRIGGER "old_name" ON "public"."t" RENAME TO "new_name";
            COMMENT ON TRIGGER "state" ON "public"."t" IS 'off';
            """, up);
    }

    [Fact]
    public void A_trigger_reading_a_retyped_or_dropped_column_goes_before_it_and_comes_back_after_and_a_dropped_table_takes_its_triggers()
    {
        var up = Up(
            db =>
            {
                var note = Note(db);
                db.Table("t", t =>
                {
                    Orders(t);
                    t.Trigger("on_total", tr => tr.Before().OnUpdate("total").ForEachRow().Execute(note));
                    t.Trigger("on_status", tr => tr.Before().OnUpdate().ForEachRow().When("NEW.status <> 'x'").Execute(note));
                    t.Trigger("untouched", tr => tr.Before().OnInsert().ForEachRow().Execute(note));
                });
                db.Table("doomed", t => { t.Column("id", Types.Integer); t.Trigger("d", tr => tr.OnInsert().Execute(note)); });
            },
            db =>
            {
                var note = Note(db);
                db.Table("t", t =>
                {
                    t.Column("id", Types.Integer).PrimaryKey();
                    t.Column("total", Types.Numeric(14, 2));
                    t.Column("updated_at", Types.TimestampTz());
                    t.Trigger("on_total", tr => tr.Before().OnUpdate("total").ForEachRow().Execute(note));
                    t.Trigger("untouched", tr => tr.Before().OnInsert().ForEachRow().Execute(note));
                });
            });

        Assert.Equal("""
            DROP TRIGGER "on_total" ON "public"."t";
            DROP TRIGGER "on_status" ON "public"."t";
            DROP TABLE "public"."doomed";
            ALTER TABLE "public"."t" DROP COLUMN "status";
            ALTER TABLE "public"."t" ALTER COLUMN "total" TYPE numeric(14,2);
            CREATE TRIGGER "on_total" BEFORE UPDATE OF "total" ON "public"."t" FOR EACH ROW EXECUTE FUNCTION "public"."note"();
            """, up);
    }

    [Fact]
    public void A_re_created_view_gets_its_triggers_again()
    {
        var up = Up(
            db => { var note = Note(db); db.Table("t", Orders); db.View("v", "SELECT id FROM t"); db.Trigger("v", "edit", tr => tr.InsteadOf().OnUpdate().ForEachRow().Execute(note)); },
            db => { var note = Note(db); db.Table("t", Orders); db.View("v", "SELECT id, status FROM t"); db.Trigger("v", "edit", tr => tr.InsteadOf().OnUpdate().ForEachRow().Execute(note)); });

        Assert.Equal("""
            DROP VIEW "public"."v";
            CREATE VIEW "public"."v" AS
            SELECT id, status FROM t;
            CREATE TRIGGER "edit" INSTEAD OF UPDATE ON "public"."v" FOR EACH ROW EXECUTE FUNCTION "public"."note"();
            """, up);
    }

    [Fact]
    public void The_random_round_trips_generate_triggers_of_every_event_and_state_and_every_trigger_change()
    {
        var pairs = Enumerable.Range(1, 200).Select(seed => new RandomSchemaGenerator(seed).NextPair()).ToList();

        var triggers = pairs.SelectMany(p => p.A.Triggers).SelectMany(t => t.Triggers).ToList();
        foreach (var triggerEvent in Enum.GetValues<TriggerEvent>())
            Assert.Contains(triggers, t => t.FiresOn(triggerEvent));
        foreach (var state in Enum.GetValues<TriggerEnabled>())
            Assert.Contains(triggers, t => t.Enabled == state);
        Assert.Contains(triggers, t => t.ForEachRow && t.Timing == TriggerTiming.Before);
        Assert.Contains(triggers, t => t.Arguments.Count > 1);
        foreach (var change in new[] { " added", " dropped", " changed", " now ", " comment changed", " renamed to " })
            Assert.True(pairs.Any(p => p.Mutations.Any(m => m.Contains(": trigger", StringComparison.Ordinal) && m.Contains(change, StringComparison.Ordinal))),
                $"no random pair has the change \"{change}\"");
    }
}
