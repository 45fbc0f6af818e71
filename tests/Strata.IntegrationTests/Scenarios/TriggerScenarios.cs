using Strata.Dsl;
using Strata.Model;

namespace Strata.IntegrationTests.Scenarios;

/// <summary>
/// Triggers: each change migrated up and down on PostgreSQL, read back, and compared with a database built from the
/// target alone (WHEN compared through PostgreSQL's printed form).
/// </summary>
public sealed class TriggerScenarios(ScenarioFixture fixture) : ScenarioTests(fixture)
{
    private static FunctionReference Note(SchemaScope db) =>
        db.Function("note", f => f.Returns(Types.Raw("trigger")).Language("plpgsql").Body("BEGIN IF TG_OP = 'DELETE' THEN RETURN OLD; END IF; RETURN NEW; END"));

    private static void Orders(TableBuilder t)
    {
        t.Column("id", Types.Integer).PrimaryKey();
        t.Column("status", Types.Text).NotNull();
        t.Column("total", Types.Integer);
        t.Column("updated_at", Types.TimestampTz()).NotNull().DefaultSql("now()");
    }

    [Fact]
    public async Task Creating_triggers_of_every_kind_on_a_table_and_a_view()
    {
        var result = await RoundTripAsync(
            db => db.Table("orders", Orders),
            db =>
            {
                var note = Note(db);
                db.Table("orders", t =>
                {
                    Orders(t);
                    t.UpdatedAt();
                    t.Trigger("orders_status", tr => tr.Before().OnInsert().OnUpdate("status", "total").ForEachRow()
                        .When("NEW.status <> 'void'").Execute(note, "a", "it's").Comment("status changes"));
                    t.Trigger("orders_audit", tr => tr.After().OnUpdate().ReferencingOldTable("before_rows").ReferencingNewTable("after_rows").Execute(note));
                    t.Trigger("orders_truncated", tr => tr.OnTruncate().Execute(note).Enabled(TriggerEnabled.Always));
                    t.Trigger("orders_checked", tr => tr.After().OnInsert().ForEachRow().Constraint(initiallyDeferred: true).From("customers").Execute(note).Disabled());
                });
                db.Table("customers", t => t.Column("id", Types.Integer).PrimaryKey());
                db.View("order_status", "SELECT id, status FROM orders");
                db.Trigger("order_status", "order_status_edit", tr => tr.InsteadOf().OnUpdate().ForEachRow().Execute(note));
            });

        Assert.Contains("CREATE CONSTRAINT TRIGGER \"orders_checked\"", result.UpScript);
        Assert.Contains("ALTER TABLE \"public\".\"orders\" DISABLE TRIGGER \"orders_checked\";", result.UpScript);
        Assert.Contains("DROP TRIGGER \"orders_status\" ON \"public\".\"orders\";", result.DownScript);
    }

    [Fact]
    public async Task Renaming_changing_state_and_events_and_a_retyped_column_it_reads()
    {
        var result = await RoundTripAsync(
            db =>
            {
                var note = Note(db);
                db.Table("orders", t =>
                {
                    Orders(t);
                    t.Trigger("orders_old", tr => tr.Before().OnUpdate().ForEachRow().Execute(note, "x"));
                    t.Trigger("orders_total", tr => tr.Before().OnUpdate("total").ForEachRow().When("NEW.total > 0").Execute(note));
                    t.Trigger("orders_state", tr => tr.After().OnDelete().Execute(note));
                    t.Trigger("orders_events", tr => tr.After().OnInsert().Execute(note));
                });
            },
            db =>
            {
                var note = Note(db);
                db.Table("orders", t =>
                {
                    t.Column("id", Types.Integer).PrimaryKey();
                    t.Column("status", Types.Text).NotNull();
                    t.Column("total", Types.BigInt);
                    t.Column("updated_at", Types.TimestampTz()).NotNull().DefaultSql("now()");
                    t.Trigger("orders_new", tr => tr.Before().OnUpdate().ForEachRow().Execute(note, "x"));
                    t.Trigger("orders_total", tr => tr.Before().OnUpdate("total").ForEachRow().When("NEW.total > 0").Execute(note));
                    t.Trigger("orders_state", tr => tr.After().OnDelete().Execute(note).Enabled(TriggerEnabled.Replica).Comment("replica only"));
                    t.Trigger("orders_events", tr => tr.After().OnInsert().OnDelete().Execute(note));
                });
            });

        Assert.Contains("ALTER TRIGGER \"orders_old\" ON \"public\".\"orders\" RENAME TO \"orders_new\";", result.UpScript);
        Assert.Contains("ALTER TABLE \"public\".\"orders\" ENABLE REPLICA TRIGGER \"orders_state\";", result.UpScript);
        Assert.True(result.UpScript.IndexOf("DROP TRIGGER \"orders_total\"", StringComparison.Ordinal)
            < result.UpScript.IndexOf("ALTER COLUMN \"total\" TYPE bigint", StringComparison.Ordinal), result.UpScript);
    }

    [Fact]
    public async Task A_view_re_created_under_its_trigger_and_a_dropped_function_with_its_triggers()
    {
        await RoundTripAsync(
            db =>
            {
                var note = Note(db);
                db.Table("orders", t => { Orders(t); t.Trigger("orders_note", tr => tr.After().OnInsert().Execute(note)); });
                db.View("order_status", "SELECT id, status FROM orders");
                db.Trigger("order_status", "order_status_edit", tr => tr.InsteadOf().OnUpdate().ForEachRow().Execute(note));
            },
            db =>
            {
                var note = Note(db);
                db.Table("orders", Orders);
                db.View("order_status", "SELECT id, status, total FROM orders");
                db.Trigger("order_status", "order_status_edit", tr => tr.InsteadOf().OnUpdate().ForEachRow().Execute(note));
            });
        await RoundTripAsync(
            db =>
            {
                var note = Note(db);
                db.Table("orders", t => { Orders(t); t.Trigger("orders_note", tr => tr.After().OnInsert().Execute(note)); });
            },
            db => db.Table("orders", Orders));
    }
}
