using Strata.Diffing;
using Strata.Dsl;

namespace Strata.IntegrationTests.Scenarios;

public sealed class EnumScenarios(ScenarioFixture fixture) : ScenarioTests(fixture)
{
    private static Action<SchemaBuilder> MoodTable(params string[] values) => db =>
    {
        var mood = db.Enum("mood", values);
        db.Table("people", t => t.Column("mood", mood));
    };

    [Fact]
    public Task Creating_an_enum_and_a_column_that_uses_it() => RoundTripAsync(
        _ => { },
        MoodTable("sad", "ok", "happy"));

    [Fact]
    public Task Dropping_an_enum_and_the_column_that_uses_it() => RoundTripAsync(
        MoodTable("sad", "ok", "happy"),
        db => db.Table("people", t => t.Column("name", Types.Text)),
        new RenameDecisions([], [(ObjectKind.Column, "public.people.mood")]));

    [Fact]
    public Task Adding_an_enum_value_at_the_end() => RoundTripAsync(
        MoodTable("sad", "ok"),
        MoodTable("sad", "ok", "happy"));

    [Fact]
    public Task Adding_an_enum_value_in_the_middle() => RoundTripAsync(
        MoodTable("sad", "happy"),
        MoodTable("sad", "ok", "happy"));

    [Fact]
    public Task Adding_enum_values_at_the_start_and_in_several_places() => RoundTripAsync(
        MoodTable("b", "d"),
        MoodTable("a", "b", "c", "d", "e"));

    [Fact]
    public async Task Removing_an_enum_value_recreates_the_type_and_is_marked_as_data_loss()
    {
        var result = await RoundTripAsync(
            MoodTable("sad", "ok", "happy"),
            MoodTable("sad", "happy"));

        Assert.Contains(result.Up, s => s.DataLoss is not null);
    }

    [Fact]
    public Task Reordering_enum_values() => RoundTripAsync(
        MoodTable("happy", "ok", "sad"),
        MoodTable("sad", "ok", "happy"));

    [Fact]
    public Task Removing_an_enum_value_while_a_column_defaults_to_another_value() => RoundTripAsync(
        db =>
        {
            var status = db.Enum("status", "draft", "review", "published");
            db.Table("posts", t =>
            {
                t.Column("status", status).NotNull().Default("draft");
                t.Column("previous", status).Default("review");
                t.Index("status").Where("status <> 'draft'");
            });
        },
        db =>
        {
            var status = db.Enum("status", "draft", "published");
            db.Table("posts", t =>
            {
                t.Column("status", status).NotNull().Default("draft");
                t.Column("previous", status);
                t.Index("status").Where("status <> 'draft'");
            });
        });

    [Fact]
    public Task Recreating_an_enum_used_by_an_array_column_and_two_tables() => RoundTripAsync(
        db =>
        {
            var tag = db.Enum("tag", "red", "green", "blue");
            db.Table("items", t => t.Column("tags", Types.ArrayOf(tag)).NotNull().DefaultSql("'{}'"));
            db.Table("boxes", t => t.Column("tag", tag));
        },
        db =>
        {
            var tag = db.Enum("tag", "blue", "red");
            db.Table("items", t => t.Column("tags", Types.ArrayOf(tag)).NotNull().DefaultSql("'{}'"));
            db.Table("boxes", t => t.Column("tag", tag));
        });

    [Fact]
    public Task Removing_an_enum_value_that_a_check_constraint_does_not_mention() => RoundTripAsync(
        db =>
        {
            var status = db.Enum("status", "active", "legacy", "deleted");
            db.Table("accounts", t => t.Column("status", status).NotNull().Check("status <> 'deleted'"));
        },
        db =>
        {
            var status = db.Enum("status", "active", "deleted");
            db.Table("accounts", t => t.Column("status", status).NotNull().Check("status <> 'deleted'"));
        });

    [Fact]
    public Task Recreating_an_enum_that_a_view_and_a_generated_column_read() => RoundTripAsync(
        db =>
        {
            var status = db.Enum("status", "active", "legacy", "deleted");
            db.Table("accounts", t =>
            {
                t.Column("id", Types.Integer).PrimaryKey();
                t.Column("status", status).NotNull();
                t.Column("is_active", Types.Boolean).GeneratedAs("status = 'active'");
            });
            db.View("active_accounts", "SELECT id, status FROM accounts WHERE is_active");
        },
        db =>
        {
            var status = db.Enum("status", "deleted", "active");
            db.Table("accounts", t =>
            {
                t.Column("id", Types.Integer).PrimaryKey();
                t.Column("status", status).NotNull();
                t.Column("is_active", Types.Boolean).GeneratedAs("status = 'active'");
            });
            db.View("active_accounts", "SELECT id, status FROM accounts WHERE is_active");
        });

    [Fact]
    public Task Adding_an_enum_value_and_using_it_as_a_default_in_the_same_migration() => RoundTripAsync(
        MoodTable("sad", "ok"),
        db =>
        {
            var mood = db.Enum("mood", "sad", "ok", "happy");
            db.Table("people", t => t.Column("mood", mood).Default("happy"));
        });

    [Fact]
    public Task Creating_an_enum_in_another_schema() => RoundTripAsync(
        _ => { },
        db =>
        {
            var billing = db.Schema("billing");
            var state = billing.Enum("state", "open", "paid");
            billing.Table("invoices", t => t.Column("state", state).NotNull().Default("open"));
            db.Table("summary", t => t.Column("state", state));
        });
}
