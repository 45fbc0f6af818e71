using Strata.Diffing;
using Strata.Dsl;

namespace Strata.IntegrationTests.Scenarios;

/// <summary>Composite types: each change migrated up and down on PostgreSQL and compared with a database built from the target alone.</summary>
public sealed class CompositeScenarios(ScenarioFixture fixture) : ScenarioTests(fixture)
{
    private static Action<SchemaBuilder> People(Action<CompositeBuilder> fields, string name = "address", string? comment = null) => db =>
    {
        var address = db.Composite(name, c => { fields(c); if (comment is not null) c.Comment(comment); });
        db.Table("people", t =>
        {
            t.Column("id", Types.Integer).PrimaryKey();
            t.Column("home", address);
            t.Column("past", Types.ArrayOf(address));
        });
    };

    [Fact]
    public Task Creating_composite_types_over_enums_domains_arrays_and_each_other_with_the_tables_that_use_them() => RoundTripAsync(
        _ => { },
        db =>
        {
            var mood = db.Enum("mood", "sad", "ok");
            var code = db.Domain("code", Types.Varchar(10), d => d.Check("VALUE <> ''"));
            var point = db.Schema("geo").Composite("point", c => c.Field("x", Types.DoublePrecision).Field("y", Types.DoublePrecision).Comment("a point"));
            var place = db.Composite("place", c => c.Field("name", Types.Text, collate: "C").Field("at", point).Field("codes", Types.ArrayOf(code)).Field("mood", mood));
            db.Table("visits", t =>
            {
                t.Column("id", Types.Integer).PrimaryKey();
                t.Column("place", place).NotNull();
                t.Column("route", Types.ArrayOf(point));
            });
        });

    [Fact]
    public Task Fields_of_a_type_no_table_uses_are_added_dropped_and_retyped_in_place() => RoundTripAsync(
        db => db.Composite("address", c => c.Field("street", Types.Text).Field("city", Types.Varchar(40)).Field("zip", Types.Text)),
        db => db.Composite("address", c => c.Field("street", Types.Text).Field("city", Types.Text, collate: "C").Field("country", Types.Char(2)).Comment("where")));

    [Fact]
    public Task Fields_of_a_type_a_table_uses_change_by_re_creating_it_with_the_columns_converted() => RoundTripAsync(
        People(c => c.Field("street", Types.Varchar(40)).Field("city", Types.Text)),
        People(c => c.Field("street", Types.Text).Field("city", Types.Text, collate: "C"), comment: "an address"));

    [Fact]
    public Task Renaming_and_moving_a_composite_type_keeps_its_columns() => RoundTripAsync(
        People(c => c.Field("street", Types.Text)),
        db =>
        {
            var place = db.Schema("geo").Composite("place", c => c.Field("street", Types.Text));
            db.Table("people", t =>
            {
                t.Column("id", Types.Integer).PrimaryKey();
                t.Column("home", place);
                t.Column("past", Types.ArrayOf(place));
            });
        },
        renames: Hints("composite:public.address=geo.place"));

    [Fact]
    public Task A_composite_type_dropped_with_its_columns_and_a_type_of_its_fields() => RoundTripAsync(
        db =>
        {
            var mood = db.Enum("mood", "sad", "ok");
            var feeling = db.Composite("feeling", c => c.Field("mood", mood).Field("since", Types.Date));
            db.Table("people", t => { t.Column("id", Types.Integer).PrimaryKey(); t.Column("feeling", feeling); });
        },
        db => db.Table("people", t => t.Column("id", Types.Integer).PrimaryKey()));

    [Fact]
    public Task A_column_changed_to_a_composite_type_and_an_enum_of_its_fields_re_created() => RoundTripAsync(
        db =>
        {
            var mood = db.Enum("mood", "sad", "ok", "gone");
            db.Composite("feeling", c => c.Field("mood", mood));
            db.Table("people", t => { t.Column("id", Types.Integer).PrimaryKey(); t.Column("feeling", Types.Text); });
        },
        db =>
        {
            var mood = db.Enum("mood", "sad", "ok");
            var feeling = db.Composite("feeling", c => c.Field("mood", mood));
            db.Table("people", t => { t.Column("id", Types.Integer).PrimaryKey(); t.Column("feeling", feeling); });
        });

    private static RenameDecisions Hints(params string[] hints)
    {
        Assert.True(RenameDecisions.TryParse(hints, out var decisions, out var error), error);
        return decisions;
    }
}
