using Strata.Dsl;

namespace Strata.IntegrationTests.Scenarios;

/// <summary>
/// An enum or domain that is re-created (a value removed, a base type changed) while other objects read the
/// type itself, not only columns of it: checks, index expressions, views and defaults that name the type in a
/// cast or constant. PostgreSQL keeps those expressions on the old type, so they must be rebuilt around the
/// re-creation, or the old type cannot be dropped.
/// </summary>
public sealed class TypeRecreationScenarios(ScenarioFixture fixture) : ScenarioTests(fixture)
{
    private static Action<SchemaBuilder> Moods(params string[] values) => db =>
    {
        var mood = db.Enum("mood", values);
        db.Table("t", t =>
        {
            t.Column("id", Types.Integer).PrimaryKey();
            t.Column("m", mood);
            t.Check("t_not_sad", "m <> 'sad'::mood");
        });
    };

    [Fact]
    public Task A_check_that_casts_to_a_re_created_enum() => RoundTripAsync(Moods("sad", "ok", "gone"), Moods("sad", "ok"));

    [Fact]
    public Task An_index_expression_over_a_re_created_enum() => RoundTripAsync(
        db =>
        {
            var mood = db.Enum("mood", "sad", "ok", "gone");
            db.Table("t", t =>
            {
                t.Column("m", mood);
                t.Index(IndexKey.Expression("(m = 'sad'::mood)")).Named("t_sad_idx");
            });
        },
        db =>
        {
            var mood = db.Enum("mood", "sad", "ok");
            db.Table("t", t =>
            {
                t.Column("m", mood);
                t.Index(IndexKey.Expression("(m = 'sad'::mood)")).Named("t_sad_idx");
            });
        });

    [Fact]
    public Task A_view_that_names_a_re_created_enum_but_reads_no_column_of_it() => RoundTripAsync(
        db =>
        {
            db.Enum("mood", "sad", "ok", "gone");
            db.Table("t", t => t.Column("id", Types.Integer));
            db.View("v", "SELECT id, 'ok'::mood AS m FROM t").DependsOn("t");
        },
        db =>
        {
            db.Enum("mood", "sad", "ok");
            db.Table("t", t => t.Column("id", Types.Integer));
            db.View("v", "SELECT id, 'ok'::mood AS m FROM t").DependsOn("t");
        });

    [Fact]
    public Task A_check_that_casts_to_a_re_created_domain() => RoundTripAsync(
        db =>
        {
            var code = db.Domain("code", Types.Varchar(10));
            db.Table("t", t =>
            {
                t.Column("c", code);
                t.Check("t_code", "c <> 'x'::code");
            });
        },
        db =>
        {
            var code = db.Domain("code", Types.Varchar(20));
            db.Table("t", t =>
            {
                t.Column("c", code);
                t.Check("t_code", "c <> 'x'::code");
            });
        });

    [Fact]
    public Task A_check_added_to_a_domain_under_a_domain_used_by_an_array_column() => RoundTripAsync(
        db =>
        {
            var inner = db.Domain("inner_code", Types.Text);
            var outer = db.Domain("outer_code", inner);
            db.Table("t", t => t.Column("codes", Types.ArrayOf(outer)));
        },
        db =>
        {
            var inner = db.Domain("inner_code", Types.Text, d => d.Check("VALUE <> ''", "inner_code_not_empty"));
            var outer = db.Domain("outer_code", inner);
            db.Table("t", t => t.Column("codes", Types.ArrayOf(outer)));
        });
}
