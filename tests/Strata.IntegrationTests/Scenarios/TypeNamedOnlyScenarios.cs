using Strata.Dsl;

namespace Strata.IntegrationTests.Scenarios;

/// <summary>
/// (review) A re-created enum named only in a constant by an expression of a table or domain that has no column
/// of it: PostgreSQL records the constant's type, so the old type cannot be dropped while the expression stays.
/// The views of this case are rebuilt (TypeRecreationScenarios); these are the other expressions.
/// </summary>
public sealed class TypeNamedOnlyScenarios(ScenarioFixture fixture) : ScenarioTests(fixture)
{
    private static Action<SchemaBuilder> CheckOnText(params string[] values) => db =>
    {
        db.Enum("mood", values);
        db.Table("t", t =>
        {
            t.Column("label", Types.Text);
            t.Check("t_label_not_ok", "label <> ('ok'::mood)::text");
        });
    };

    [Fact]
    public Task A_table_check_that_names_a_re_created_enum_on_a_text_column() => RoundTripAsync(CheckOnText("sad", "ok", "gone"), CheckOnText("sad", "ok"));

    private static Action<SchemaBuilder> DefaultOnText(params string[] values) => db =>
    {
        db.Enum("mood", values);
        db.Table("t", t => t.Column("label", Types.Text).DefaultSql("('ok'::mood)::text"));
    };

    [Fact]
    public Task A_column_default_that_names_a_re_created_enum_on_a_text_column() => RoundTripAsync(DefaultOnText("sad", "ok", "gone"), DefaultOnText("sad", "ok"));

    private static Action<SchemaBuilder> DomainCheck(params string[] values) => db =>
    {
        db.Enum("mood", values);
        var label = db.Domain("label", Types.Text, d => d.Check("VALUE <> ('ok'::mood)::text", "label_not_ok"));
        db.Table("t", t => t.Column("l", label));
    };

    [Fact]
    public Task A_domain_check_that_names_a_re_created_enum() => RoundTripAsync(DomainCheck("sad", "ok", "gone"), DomainCheck("sad", "ok"));
    // (A constant of an enum compared with another: enum_eq is immutable, as an index predicate must be.)
    private static Action<SchemaBuilder> IndexPredicate(params string[] values) => db =>
    {
        db.Enum("mood", values);
        db.Table("t", t =>
        {
            t.Column("label", Types.Text);
            t.Index("label").Named("t_label_ok").Where("'ok'::mood <> 'sad'::mood");
        });
    };

    [Fact]
    public Task An_index_predicate_that_names_a_re_created_enum() => RoundTripAsync(IndexPredicate("sad", "ok", "gone"), IndexPredicate("sad", "ok"));
}
