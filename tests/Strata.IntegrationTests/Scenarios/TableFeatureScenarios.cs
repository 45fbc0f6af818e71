using Npgsql;
using Strata.Dsl;
using Strata.Model;

namespace Strata.IntegrationTests.Scenarios;

/// <summary>
/// Table features PostgreSQL allows that Strata refused or lost: foreign keys between comparable types, tables
/// without columns, deferrable keys. Each is migrated A → B and back on PostgreSQL, read back, and written as C#.
/// </summary>
public sealed class TableFeatureScenarios(ScenarioFixture fixture) : ScenarioTests(fixture)
{
    [Fact]
    public Task Foreign_keys_between_comparable_types() => RoundTripAsync(
        db => db.Table("parents", t =>
        {
            t.Column("id", Types.Integer).PrimaryKey();
            t.Column("code", Types.Text).Unique();
        }),
        db =>
        {
            db.Domain("parent_id", Types.Integer, d => d.Check("VALUE > 0"));
            db.Table("parents", t =>
            {
                t.Column("id", Types.Integer).PrimaryKey();
                t.Column("code", Types.Text).Unique();
                t.Column("opened", Types.Date).Unique();
            });
            db.Table("children", t =>
            {
                t.Column("small_parent", Types.SmallInt).References("parents", "id");
                t.Column("big_parent", Types.BigInt).References("parents", "id");
                t.Column("typed_parent", Types.Domain("parent_id")).References("parents", "id");
                t.Column("parent_code", Types.Varchar(10)).References("parents", "code");
                t.Column("since", Types.TimestampTz()).References("parents", "opened");
            });
        });

    /// <summary>What the validator refuses here is what PostgreSQL refuses: generate must never write a key PostgreSQL rejects.</summary>
    [Fact]
    public async Task A_foreign_key_on_a_domain_over_an_enum_is_refused_by_PostgreSQL_and_so_by_the_validator()
    {
        var (database, _, _) = await Fixture.Databases.ResetAsync();
        await using var command = database.CreateCommand("""
            CREATE TYPE mood AS ENUM ('sad', 'ok');
            CREATE DOMAIN known_mood AS mood;
            CREATE TABLE parents (id known_mood PRIMARY KEY);
            CREATE TABLE children (parent_id known_mood REFERENCES parents);
            """);
        var refused = await Assert.ThrowsAsync<PostgresException>(() => command.ExecuteNonQueryAsync());
        Assert.Equal(PostgresErrorCodes.DatatypeMismatch, refused.SqlState);

        var error = Assert.Throws<SchemaValidationException>(() => RoundTrip.Schema(db =>
        {
            var mood = db.Enum("mood", "sad", "ok");
            db.Domain("known_mood", mood);
            db.Table("parents", t => t.Column("id", Types.Domain("known_mood")).PrimaryKey());
            db.Table("children", t => t.Column("parent_id", Types.Domain("known_mood")).References("parents", "id"));
        }));
        Assert.Contains("domain over an enum", Assert.Single(error.Errors).ToString());
    }

    [Fact]
    public Task Adding_and_dropping_a_table_without_columns() => RoundTripAsync(
        db => db.Table("kept", t => t.Column("id", Types.Integer)),
        db =>
        {
            db.Table("kept", t => t.Column("id", Types.Integer));
            db.Table("marker", t => t.WithoutColumns());
            db.Table("never", t => t.WithoutColumns().Check("never_check", "false"));
        });

    [Fact]
    public Task Dropping_the_last_column_of_a_table() => RoundTripAsync(
        db => db.Table("t", t => t.Column("id", Types.Integer)),
        db => db.Table("t", t => t.WithoutColumns()));

    [Fact]
    public Task Making_keys_deferrable() => RoundTripAsync(
        db =>
        {
            db.Table("parents", t =>
            {
                t.Column("id", Types.Integer).PrimaryKey();
                t.Column("code", Types.Text).Unique();
                t.Column("slot", Types.Integer);
                t.Unique("slot");
            });
            db.Table("children", t => t.Column("parent_id", Types.Integer).References("parents", "id"));
        },
        db =>
        {
            db.Table("parents", t =>
            {
                t.Column("id", Types.Integer).PrimaryKey();
                t.Column("code", Types.Text);
                t.Column("slot", Types.Integer);
                t.Unique("code").Deferrable();
                t.Unique("slot").Deferrable(initiallyDeferred: true);
                t.DeferrablePrimaryKey(initiallyDeferred: true);
            });
            // The key it referenced is deferrable now, which no foreign key may reference: the key goes to another table.
            db.Table("owners", t => t.Column("id", Types.Integer).PrimaryKey());
            db.Table("children", t =>
            {
                t.Column("parent_id", Types.Integer);
                t.ForeignKey("parent_id").References("owners", "id").Deferrable(initiallyDeferred: true);
            });
        });

    [Fact]
    public Task Changing_when_a_deferrable_key_is_checked() => RoundTripAsync(
        db => db.Table("t", t =>
        {
            t.Column("id", Types.Integer).PrimaryKey();
            t.Column("code", Types.Text);
            t.Unique("code").Deferrable();
            t.DeferrablePrimaryKey();
        }),
        db => db.Table("t", t =>
        {
            t.Column("id", Types.Integer).PrimaryKey();
            t.Column("code", Types.Text);
            t.Unique("code").Deferrable(initiallyDeferred: true);
            t.DeferrablePrimaryKey(initiallyDeferred: true);
        }));

    [Fact]
    public Task Creating_an_unlogged_table() => RoundTripAsync(
        db => db.Table("kept", t => t.Column("id", Types.Integer).PrimaryKey()),
        db =>
        {
            db.Table("kept", t => t.Column("id", Types.Integer).PrimaryKey());
            db.Table("cache", t =>
            {
                t.Column("key", Types.Text).PrimaryKey();
                t.Column("kept_id", Types.Integer).References("kept", "id");
                t.Unlogged();
            });
        });

    [Fact]
    public Task Making_tables_that_reference_each_other_unlogged_and_back() => RoundTripAsync(
        db =>
        {
            db.Table("a_parents", t => t.Column("id", Types.Integer).PrimaryKey());
            db.Table("b_children", t => t.Column("id", Types.Integer).PrimaryKey().References("a_parents", "id"));
            db.Table("c_grandchildren", t => t.Column("child_id", Types.Integer).References("b_children", "id"));
        },
        db =>
        {
            // Diffed in name order, which is the wrong order for SET UNLOGGED: a table turns unlogged after those that reference it.
            db.Table("a_parents", t => t.Column("id", Types.Integer).PrimaryKey()).Unlogged();
            db.Table("b_children", t => t.Column("id", Types.Integer).PrimaryKey().References("a_parents", "id")).Unlogged();
            db.Table("c_grandchildren", t => t.Column("child_id", Types.Integer).References("b_children", "id")).Unlogged();
        });

    [Fact]
    public Task Narrowing_an_identitys_and_sequences_bounds_past_their_current_value() => RoundTripAsync(
        db =>
        {
            db.Sequence("numbers");
            db.Sequence("countdown", new SequenceOptions(IncrementBy: -1));
            db.Table("t", t => t.Column("id", Types.Integer).Identity(IdentityGeneration.ByDefault, new SequenceOptions(Cache: 5)));
        },
        db =>
        {
            // Both sequences stand at 1: the ALTER alone fails with "RESTART value (1) cannot be less than MINVALUE (100)",
            // and the countdown at -1 with "RESTART value (-1) cannot be greater than MAXVALUE (-50)".
            db.Sequence("numbers", new SequenceOptions(MinValue: 100, MaxValue: 5000));
            db.Sequence("countdown", new SequenceOptions(IncrementBy: -1, MaxValue: -50));
            db.Table("t", t => t.Column("id", Types.Integer).Identity(IdentityGeneration.ByDefault,
                new SequenceOptions(StartWith: 200, IncrementBy: 2, MinValue: 100, MaxValue: 100000, Cache: 10, Cycle: true)));
        });

    [Fact]
    public Task Checks_becoming_no_inherit_and_foreign_keys_match_full() => RoundTripAsync(
        db =>
        {
            db.Table("parents", t =>
            {
                t.Column("a", Types.Integer).NotNull();
                t.Column("b", Types.Integer).NotNull();
                t.PrimaryKey("a", "b");
                t.Check("a_positive", "a > 0");
            });
            db.Table("children", t =>
            {
                t.Column("a", Types.Integer);
                t.Column("b", Types.Integer);
                t.ForeignKey("a", "b").References("parents", "a", "b");
            });
        },
        db =>
        {
            db.Table("parents", t =>
            {
                t.Column("a", Types.Integer).NotNull();
                t.Column("b", Types.Integer).NotNull();
                t.PrimaryKey("a", "b");
                t.Check("a_positive", "a > 0", noInherit: true);
                t.Check("never_below", "b > -1000", noInherit: true);
            });
            db.Table("children", t =>
            {
                t.Column("a", Types.Integer);
                t.Column("b", Types.Integer);
                t.ForeignKey("a", "b").References("parents", "a", "b").MatchFull();
                t.Column("c", Types.Integer);
                t.ForeignKey("c", "b").References("parents", "a", "b").MatchFull().Named("children_c_full");
            });
        });
}
