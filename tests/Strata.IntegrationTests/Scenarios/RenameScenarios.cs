using Strata.Diffing;
using Strata.Dsl;
using Strata.Model;

namespace Strata.IntegrationTests.Scenarios;

public sealed class RenameScenarios(ScenarioFixture fixture) : ScenarioTests(fixture)
{
    private static RenameDecisions Renames(params Rename[] renames) => new(renames, []);

    [Fact]
    public Task Renaming_a_schema() => RoundTripAsync(
        db =>
        {
            var s = db.Schema("billing");
            var state = s.Enum("state", "open", "paid");
            s.Table("invoices", t =>
            {
                t.Column("id", Types.BigInt).Identity().PrimaryKey();
                t.Column("state", state);
            });
        },
        db =>
        {
            var s = db.Schema("accounting");
            var state = s.Enum("state", "open", "paid");
            s.Table("invoices", t =>
            {
                t.Column("id", Types.BigInt).Identity().PrimaryKey();
                t.Column("state", state);
            });
        },
        Renames(new Rename(ObjectKind.Schema, "billing", "accounting")));

    [Fact]
    public async Task Renaming_a_table_renames_its_identity_sequence_and_derived_names_without_data_loss()
    {
        var result = await RoundTripAsync(
            db =>
            {
                db.Table("users", t =>
                {
                    t.Column("id", Types.BigInt).Identity().PrimaryKey();
                    t.Column("email", Types.Text).NotNull().Unique();
                    t.Column("team_id", Types.BigInt).References("teams", "id");
                    t.Index("team_id");
                });
                db.Table("teams", t => t.Column("id", Types.BigInt).PrimaryKey());
            },
            db =>
            {
                db.Table("accounts", t =>
                {
                    t.Column("id", Types.BigInt).Identity().PrimaryKey();
                    t.Column("email", Types.Text).NotNull().Unique();
                    t.Column("team_id", Types.BigInt).References("teams", "id");
                    t.Index("team_id");
                });
                db.Table("teams", t => t.Column("id", Types.BigInt).PrimaryKey());
            },
            Renames(new Rename(ObjectKind.Table, "public.users", "public.accounts")));

        Assert.All(result.Up, s => Assert.Null(s.DataLoss));
        Assert.DoesNotContain(result.Up, s => s.Sql.Contains("DROP TABLE", StringComparison.Ordinal));
    }

    [Fact]
    public Task Renaming_a_table_with_a_serial_column() => RoundTripAsync(
        db => db.Table("users", t => t.Column("id", Types.Serial).PrimaryKey()),
        db => db.Table("people", t => t.Column("id", Types.Serial).PrimaryKey()),
        Renames(new Rename(ObjectKind.Table, "public.users", "public.people")));

    [Fact]
    public Task Renaming_a_table_that_other_tables_and_a_view_reference() => RoundTripAsync(
        db =>
        {
            db.Table("users", t => t.Column("id", Types.Integer).PrimaryKey());
            db.Table("posts", t => t.Column("author_id", Types.Integer).References("users", "id"));
            db.View("user_ids", "SELECT id FROM users");
        },
        db =>
        {
            db.Table("members", t => t.Column("id", Types.Integer).PrimaryKey());
            db.Table("posts", t => t.Column("author_id", Types.Integer).References("members", "id"));
            db.View("user_ids", "SELECT id FROM members");
        },
        Renames(new Rename(ObjectKind.Table, "public.users", "public.members")));

    [Fact]
    public Task Moving_a_table_to_another_schema() => RoundTripAsync(
        db =>
        {
            db.Schema("archive");
            db.Table("logs", t =>
            {
                t.Column("id", Types.BigInt).Identity().PrimaryKey();
                t.Column("line", Types.Text);
                t.Index("line");
            });
        },
        db => db.Schema("archive").Table("logs", t =>
        {
            t.Column("id", Types.BigInt).Identity().PrimaryKey();
            t.Column("line", Types.Text);
            t.Index("line");
        }),
        Renames(new Rename(ObjectKind.Table, "public.logs", "archive.logs")));

    [Fact]
    public async Task Renaming_a_column_in_a_primary_key_keeps_the_data()
    {
        var result = await RoundTripAsync(
            db => db.Table("users", t =>
            {
                t.Column("id", Types.Integer).PrimaryKey();
                t.Column("name", Types.Text);
            }),
            db => db.Table("users", t =>
            {
                t.Column("user_id", Types.Integer).PrimaryKey();
                t.Column("name", Types.Text);
            }),
            Renames(new Rename(ObjectKind.Column, "public.users.id", "public.users.user_id")));

        Assert.All(result.Up, s => Assert.Null(s.DataLoss));
    }

    [Fact]
    public Task Renaming_columns_on_both_sides_of_a_foreign_key() => RoundTripAsync(
        db =>
        {
            db.Table("users", t => t.Column("id", Types.Integer).PrimaryKey());
            db.Table("posts", t => t.Column("author", Types.Integer).References("users", "id"));
        },
        db =>
        {
            db.Table("users", t => t.Column("user_id", Types.Integer).PrimaryKey());
            db.Table("posts", t => t.Column("author_id", Types.Integer).References("users", "user_id"));
        },
        Renames(
            new Rename(ObjectKind.Column, "public.users.id", "public.users.user_id"),
            new Rename(ObjectKind.Column, "public.posts.author", "public.posts.author_id")));

    [Fact]
    public Task Renaming_a_column_in_an_index_renames_the_derived_index_name() => RoundTripAsync(
        db => db.Table("users", t =>
        {
            t.Column("mail", Types.Text);
            t.Index("mail");
            t.Index(IndexKey.Expression("lower(mail)")).Named("users_lower_mail");
        }),
        db => db.Table("users", t =>
        {
            t.Column("email", Types.Text);
            t.Index("email");
            t.Index(IndexKey.Expression("lower(email)")).Named("users_lower_mail");
        }),
        Renames(new Rename(ObjectKind.Column, "public.users.mail", "public.users.email")));

    [Fact]
    public Task Renaming_a_table_and_one_of_its_columns_together() => RoundTripAsync(
        db => db.Table("users", t =>
        {
            t.Column("id", Types.Integer).PrimaryKey();
            t.Column("name", Types.Text).Unique();
        }),
        db => db.Table("people", t =>
        {
            t.Column("id", Types.Integer).PrimaryKey();
            t.Column("full_name", Types.Text).Unique();
        }),
        Renames(
            new Rename(ObjectKind.Table, "public.users", "public.people"),
            new Rename(ObjectKind.Column, "public.users.name", "public.people.full_name")));

    [Fact]
    public Task Renaming_an_enum() => RoundTripAsync(
        db =>
        {
            var mood = db.Enum("mood", "sad", "happy");
            db.Table("people", t => t.Column("mood", mood).Default("sad"));
        },
        db =>
        {
            var feeling = db.Enum("feeling", "sad", "happy");
            db.Table("people", t => t.Column("mood", feeling).Default("sad"));
        },
        Renames(new Rename(ObjectKind.Enum, "public.mood", "public.feeling")));

    [Fact]
    public Task Renaming_an_index_with_a_rename_decision() => RoundTripAsync(
        db => db.Table("users", t =>
        {
            t.Column("email", Types.Text);
            t.Index("email").Named("by_email");
        }),
        db => db.Table("users", t =>
        {
            t.Column("email", Types.Text);
            t.Index("email").Named("users_by_email");
        }),
        Renames(new Rename(ObjectKind.Index, "public.by_email", "public.users_by_email")));

    [Fact]
    public Task Renaming_a_view() => RoundTripAsync(
        db =>
        {
            db.Table("orders", t => t.Column("id", Types.Integer).PrimaryKey());
            db.View("recent", "SELECT id FROM orders");
        },
        db =>
        {
            db.Table("orders", t => t.Column("id", Types.Integer).PrimaryKey());
            db.View("latest", "SELECT id FROM orders");
        },
        Renames(new Rename(ObjectKind.View, "public.recent", "public.latest")));

    [Fact]
    public Task Renaming_a_sequence() => RoundTripAsync(
        db => db.Sequence("numbers", new SequenceOptions(StartWith: 10)),
        db => db.Sequence("counters", new SequenceOptions(StartWith: 10)),
        Renames(new Rename(ObjectKind.Sequence, "public.numbers", "public.counters")));

    [Fact]
    public Task A_dropped_and_an_added_column_that_are_not_a_rename() => RoundTripAsync(
        db => db.Table("users", t => t.Column("nickname", Types.Text)),
        db => db.Table("users", t => t.Column("display_name", Types.Text)),
        new RenameDecisions([], [(ObjectKind.Column, "public.users.nickname")]));
}
