using Strata.Dsl;

namespace Strata.IntegrationTests.Scenarios;

/// <summary>Extensions: each change migrated up and down on PostgreSQL and compared with a database built from the target alone.</summary>
public sealed class ExtensionScenarios(ScenarioFixture fixture) : ScenarioTests(fixture)
{
    private static void Accounts(SchemaBuilder db, string hstore = "ext.hstore") =>
        db.Table("accounts", t =>
        {
            t.Column("id", Types.Integer).PrimaryKey();
            t.Column("email", Types.Raw("citext")).NotNull().Unique();
            t.Column("tags", Types.Raw(hstore));
            t.Column("path", Types.Raw("ltree"));
            t.Index("path").Using("gist");
        });

    private static void Extensions(SchemaBuilder db, string? hstoreComment = null)
    {
        db.Schema("ext").Extension("hstore", comment: hstoreComment);
        db.Extension("citext", version: "1.4");
        db.Extension("ltree");
    }

    [Fact]
    public Task Creating_extensions_in_their_schemas_before_the_tables_columns_and_indexes_that_use_their_types() => RoundTripAsync(
        _ => { },
        db =>
        {
            Extensions(db, "key/value pairs");
            Accounts(db);
        });

    [Fact]
    public Task Dropping_extensions_after_the_columns_and_indexes_that_used_them_and_before_their_schema() => RoundTripAsync(
        db =>
        {
            Extensions(db);
            Accounts(db);
        },
        db => db.Table("accounts", t => t.Column("id", Types.Integer).PrimaryKey()));

    [Fact]
    public Task Moving_an_extension_to_another_schema_and_giving_it_a_comment_keeps_the_columns_of_its_type() => RoundTripAsync(
        db =>
        {
            Extensions(db);
            Accounts(db);
        },
        db =>
        {
            db.Schema("ext");
            db.Schema("kv").Extension("hstore", comment: "moved");
            db.Extension("citext", version: "1.4");
            db.Extension("ltree");
            Accounts(db, "kv.hstore");
        });

    [Fact]
    public Task A_column_changed_to_an_extension_s_type_waits_for_the_extension_and_one_changed_from_it_lets_it_go() => RoundTripAsync(
        db =>
        {
            db.Extension("citext");
            db.Table("people", t =>
            {
                t.Column("id", Types.Integer).PrimaryKey();
                t.Column("name", Types.Raw("citext"));
                t.Column("code", Types.Text);
            });
        },
        db =>
        {
            db.Extension("hstore");
            db.Table("people", t =>
            {
                t.Column("id", Types.Integer).PrimaryKey();
                t.Column("name", Types.Text);
                t.Column("code", Types.Raw("hstore"));
                t.Index("code").Using("gist");
            });
        });
}
