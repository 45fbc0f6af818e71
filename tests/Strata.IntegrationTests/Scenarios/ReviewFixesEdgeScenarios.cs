using Strata.Diffing;
using Strata.Dsl;
using Strata.Model;

namespace Strata.IntegrationTests.Scenarios;

/// <summary>Neighbours of the review findings: the same bugs reached another way.</summary>
public sealed class ReviewFixesEdgeScenarios(ScenarioFixture fixture) : ScenarioTests(fixture)
{
    private static RenameDecisions Renames(params Rename[] renames) => new(renames, []);

    [Fact]
    public Task A_table_and_its_index_swapping_names() => RoundTripAsync(
        db => db.Table("a", t =>
        {
            t.Column("x", Types.Integer);
            t.Index("x").Named("b");
        }),
        db => db.Table("b", t =>
        {
            t.Column("x", Types.Integer);
            t.Index("x").Named("a");
        }),
        Renames(new Rename(ObjectKind.Table, "public.a", "public.b")));

    [Fact]
    public Task Replacing_a_sequence_with_a_table_of_the_same_name() => RoundTripAsync(
        db => db.Sequence("things"),
        db => db.Table("things", t => t.Column("id", Types.Integer).PrimaryKey()));

    [Fact]
    public Task Renaming_a_table_and_turning_its_serial_column_into_a_plain_integer() => RoundTripAsync(
        db => db.Table("t", t => t.Column("id", Types.Serial).PrimaryKey()),
        db => db.Table("u", t => t.Column("id", Types.Integer).PrimaryKey()),
        Renames(new Rename(ObjectKind.Table, "public.t", "public.u")));

    [Fact]
    public Task Moving_a_table_with_a_renamed_index_to_another_schema() => RoundTripAsync(
        db => db.Table("t", t =>
        {
            t.Column("id", Types.Serial).PrimaryKey();
            t.Column("x", Types.Integer);
            t.Index("x").Named("t_x");
        }),
        db => db.Schema("app").Table("t", t =>
        {
            t.Column("id", Types.Serial).PrimaryKey();
            t.Column("x", Types.Integer);
            t.Index("x").Named("t_x_idx");
        }),
        Renames(new Rename(ObjectKind.Table, "public.t", "app.t")));

    [Fact]
    public Task Adding_an_enum_value_used_quoted_in_an_array_check() => RoundTripAsync(
        db =>
        {
            var mood = db.Enum("mood", "sad", "ok");
            db.Table("people", t => t.Column("moods", Types.ArrayOf(mood)));
        },
        db =>
        {
            var mood = db.Enum("mood", "sad", "ok", "very happy");
            db.Table("people", t =>
            {
                t.Column("moods", Types.ArrayOf(mood));
                t.Check("moods_not_only_happy", "moods <> '{\"very happy\"}'");
            });
        });

    [Fact]
    public Task A_default_string_with_a_directive_line() => RoundTripAsync(
        db => db.Table("t", t => t.Column("a", Types.Integer)),
        db => db.Table("t", t =>
        {
            t.Column("a", Types.Integer);
            t.Column("note", Types.Text).Default("x\n-- strata:no-transaction\ny");
        }));

    [Fact]
    public Task Renaming_a_table_to_the_old_name_of_its_primary_key() => RoundTripAsync(
        db => db.Table("old", t =>
        {
            t.Column("id", Types.Integer).NotNull();
            t.Column("code", Types.Text).Unique();
            t.PrimaryKeyNamed("new", "id");
        }),
        db => db.Table("new", t =>
        {
            t.Column("id", Types.Integer).NotNull();
            t.Column("code", Types.Text).Unique();
            t.PrimaryKeyNamed("new_pkey", "id");
        }),
        Renames(new Rename(ObjectKind.Table, "public.old", "public.new")));
}
