using Strata.Diffing;
using Strata.Dsl;

namespace Strata.IntegrationTests.Scenarios;

/// <summary>Domains: each change migrated up and down on PostgreSQL and compared with a database built from the target alone.</summary>
public sealed class DomainScenarios(ScenarioFixture fixture) : ScenarioTests(fixture)
{
    private static Action<SchemaBuilder> Emails(Action<DomainBuilder> define, string baseType = "text") => db =>
    {
        var email = db.Domain("email", baseType == "text" ? Types.Text : Types.Varchar(320), define);
        db.Table("people", t =>
        {
            t.Column("id", Types.Integer).PrimaryKey();
            t.Column("email", email).Default("nobody@example.com");
            t.Column("history", Types.ArrayOf(email));
        });
        db.View("addresses", "SELECT email FROM people").DependsOn("people");
    };

    [Fact]
    public Task Creating_domains_over_an_enum_an_array_and_another_domain_with_the_tables_that_use_them() => RoundTripAsync(
        _ => { },
        db =>
        {
            var mood = db.Enum("mood", "sad", "ok");
            var known = db.Domain("known_mood", mood, d => d.Default("ok").NotNull().Comment("a mood"));
            var tags = db.Domain("tags", Types.ArrayOf(Types.Text), d => d.Check("cardinality(VALUE) < 10"));
            var code = db.Domain("code", Types.Varchar(10), d => d.Collate("C"));
            var positive = db.Domain("positive", Types.Integer, d => d.Check("VALUE > 0"));
            var small = db.Schema("billing").Domain("small", positive, d => d.Check("VALUE < 100", "small_limit"));
            db.Table("t", t =>
            {
                t.Column("m", known).Default("sad");
                t.Column("tags", tags);
                t.Column("n", small).NotNull();
                t.Column("code", code);
            });
        });

    [Fact]
    public Task A_domain_dropped_while_the_enum_under_it_is_re_created_goes_before_the_old_enum() => RoundTripAsync(
        db =>
        {
            var mood = db.Enum("mood", "sad", "ok", "gone");
            db.Domain("known_mood", mood);
            db.Table("t", t => t.Column("m", mood));
        },
        db =>
        {
            var mood = db.Enum("mood", "sad", "ok");
            db.Table("t", t => t.Column("m", mood));
        });

    [Fact]
    public Task A_domain_whose_default_takes_a_new_sequence_is_created_after_it() => RoundTripAsync(
        _ => { },
        db =>
        {
            db.Sequence("order_no_seq");
            var orderNo = db.Domain("order_no", Types.BigInt, d => d.DefaultSql("nextval('order_no_seq')"));
            db.Table("orders", t => t.Column("no", orderNo));
        });

    [Fact]
    public Task Default_not_null_checks_and_comment_change_in_place() => RoundTripAsync(
        Emails(d => d.Check("VALUE ~ '@'").Check("length(VALUE) < 100", "email_short")),
        Emails(d => d.NotNull().Default("a@b.c").Check("VALUE ~ '@'", "email_has_at").Check("length(VALUE) < 200", "email_short").Comment("an address")));

    [Fact]
    public Task Renaming_and_moving_a_domain_keeps_its_columns() => RoundTripAsync(
        Emails(d => d.Check("VALUE ~ '@'")),
        db =>
        {
            var email = db.Schema("contact").Domain("address", Types.Text, d => d.Check("VALUE ~ '@'", "email_check"));
            db.Table("people", t =>
            {
                t.Column("id", Types.Integer).PrimaryKey();
                t.Column("email", email).Default("nobody@example.com");
                t.Column("history", Types.ArrayOf(email));
            });
            db.View("addresses", "SELECT email FROM people").DependsOn("people");
        },
        new RenameDecisions([new Rename(ObjectKind.Domain, "public.email", "contact.address")], []));

    [Fact]
    public Task Changing_the_base_type_re_creates_the_domain_and_converts_the_columns_and_the_view_over_them() => RoundTripAsync(
        Emails(d => d.Check("VALUE ~ '@'"), baseType: "varchar"),
        Emails(d => d.Check("VALUE ~ '@'").Collate("C")));

    [Fact]
    public Task A_domain_over_a_domain_whose_base_type_changes_is_re_created_with_it() => RoundTripAsync(
        db => { var p = db.Domain("positive", Types.Integer, d => d.Check("VALUE > 0")); var s = db.Domain("small", p); db.Table("t", t => t.Column("n", s)); },
        db => { var p = db.Domain("positive", Types.BigInt, d => d.Check("VALUE > 0")); var s = db.Domain("small", p); db.Table("t", t => t.Column("n", s)); });

    [Fact]
    public Task A_domain_over_an_enum_that_is_re_created_is_re_created_with_it() => RoundTripAsync(
        db => { var m = db.Enum("mood", "sad", "ok", "happy"); var k = db.Domain("known", m); db.Table("t", t => t.Column("m", k)); },
        db => { var m = db.Enum("mood", "happy", "ok"); var k = db.Domain("known", m); db.Table("t", t => t.Column("m", k)); });

    [Fact]
    public Task A_column_goes_from_text_to_a_domain_and_back() => RoundTripAsync(
        db => db.Table("t", t => t.Column("code", Types.Text).Default("a")),
        db => { var c = db.Domain("code", Types.Text, d => d.Check("VALUE <> ''")); db.Table("t", t => t.Column("code", c).Default("a")); });

    [Fact]
    public Task Dropping_a_table_and_its_domains_and_the_enum_under_them() => RoundTripAsync(
        db => { var m = db.Enum("mood", "a"); var k = db.Domain("known", m); var s = db.Domain("sure", k); db.Table("t", t => t.Column("m", s)); },
        db => db.Table("other", t => t.Column("id", Types.Integer)),
        new RenameDecisions([], [(ObjectKind.Table, "public.t")]));

    [Fact]
    public Task A_dropped_domain_frees_its_name_for_a_new_enum_and_a_dropped_schema_goes_after_its_domain() => RoundTripAsync(
        db => { db.Schema("old").Domain("gone", Types.Text); db.Domain("status", Types.Text); },
        db => db.Enum("status", "open"),
        new RenameDecisions([], [(ObjectKind.Schema, "old"), (ObjectKind.Domain, "public.status")]));
}
