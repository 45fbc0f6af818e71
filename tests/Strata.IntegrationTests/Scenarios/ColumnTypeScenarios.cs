using Strata.Dsl;
using Strata.Model;

namespace Strata.IntegrationTests.Scenarios;

public sealed class ColumnTypeScenarios(ScenarioFixture fixture) : ScenarioTests(fixture)
{
    [Fact]
    public Task Changing_text_to_integer_casts_with_using() => RoundTripAsync(
        db => db.Table("t", t => t.Column("value", Types.Text)),
        db => db.Table("t", t => t.Column("value", Types.Integer)));

    [Fact]
    public Task Changing_varchar_to_uuid() => RoundTripAsync(
        db => db.Table("t", t => t.Column("ref", Types.Varchar(36)).NotNull()),
        db => db.Table("t", t => t.Column("ref", Types.Uuid).NotNull()));

    [Fact]
    public Task Changing_text_to_jsonb() => RoundTripAsync(
        db => db.Table("t", t => t.Column("body", Types.Text)),
        db => db.Table("t", t => t.Column("body", Types.Jsonb)));

    [Fact]
    public async Task Widening_integer_to_bigint_is_not_marked_as_data_loss()
    {
        var result = await RoundTripAsync(
            db => db.Table("t", t => t.Column("n", Types.Integer).PrimaryKey()),
            db => db.Table("t", t => t.Column("n", Types.BigInt).PrimaryKey()));

        Assert.All(result.Up, s => Assert.Null(s.DataLoss));
    }

    [Fact]
    public async Task Narrowing_varchar_50_to_varchar_20_is_marked_as_data_loss()
    {
        var result = await RoundTripAsync(
            db => db.Table("t", t => t.Column("code", Types.Varchar(50))),
            db => db.Table("t", t => t.Column("code", Types.Varchar(20))));

        Assert.Contains(result.Up, s => s.DataLoss is not null);
    }

    [Fact]
    public Task Changing_text_to_an_enum() => RoundTripAsync(
        db =>
        {
            db.Enum("mood", "sad", "ok", "happy");
            db.Table("t", t => t.Column("mood", Types.Text));
        },
        db =>
        {
            var mood = db.Enum("mood", "sad", "ok", "happy");
            db.Table("t", t => t.Column("mood", mood));
        });

    [Fact]
    public Task Changing_text_with_a_default_to_a_new_enum_with_that_default() => RoundTripAsync(
        db => db.Table("t", t => t.Column("mood", Types.Text).NotNull().Default("ok")),
        db =>
        {
            var mood = db.Enum("mood", "sad", "ok", "happy");
            db.Table("t", t => t.Column("mood", mood).NotNull().Default("ok"));
        });

    [Fact]
    public Task Changing_integer_to_numeric_and_timestamp_to_timestamptz() => RoundTripAsync(
        db => db.Table("t", t =>
        {
            t.Column("amount", Types.Integer);
            t.Column("at", Types.Timestamp());
        }),
        db => db.Table("t", t =>
        {
            t.Column("amount", Types.Numeric(12, 2));
            t.Column("at", Types.TimestampTz(3));
        }));

    [Fact]
    public Task Changing_a_text_array_to_an_integer_array() => RoundTripAsync(
        db => db.Table("t", t => t.Column("ids", Types.ArrayOf(Types.Text))),
        db => db.Table("t", t => t.Column("ids", Types.ArrayOf(Types.Integer))));

    [Fact]
    public Task Changing_the_type_of_a_column_with_a_default_that_does_not_cast() => RoundTripAsync(
        db => db.Table("t", t =>
        {
            t.Column("flag", Types.Text).Default("yes");
            t.Column("counter", Types.Integer).NotNull().Default(0);
        }),
        db => db.Table("t", t =>
        {
            t.Column("flag", Types.Boolean).Default(true);
            t.Column("counter", Types.BigInt).NotNull().Default(0);
        }));

    [Fact]
    public Task Changing_the_type_of_a_column_keeps_a_default_that_reads_back_as_written_for_the_new_type() => RoundTripAsync(
        db => db.Table("t", t =>
        {
            t.Column("code", Types.Text).Default("abc");
            t.Column("tags", Types.ArrayOf(Types.Text)).NotNull().DefaultSql("'{}'");
        }),
        db => db.Table("t", t =>
        {
            t.Column("code", Types.Varchar(10)).Default("abc");
            t.Column("tags", Types.ArrayOf(Types.Varchar(20))).NotNull().DefaultSql("'{}'");
        }));

    [Fact]
    public Task Changing_the_type_of_a_column_that_has_an_index_and_a_check() => RoundTripAsync(
        db => db.Table("t", t =>
        {
            t.Column("n", Types.Integer).Check("n > 0");
            t.Index("n");
        }),
        db => db.Table("t", t =>
        {
            t.Column("n", Types.BigInt).Check("n > 0");
            t.Index("n");
        }));

    [Fact]
    public Task Changing_the_type_of_a_foreign_key_and_the_key_it_references_together() => RoundTripAsync(
        db =>
        {
            db.Table("parents", t => t.Column("id", Types.Integer).PrimaryKey());
            db.Table("children", t => t.Column("parent_id", Types.Integer).References("parents", "id"));
        },
        db =>
        {
            db.Table("parents", t => t.Column("id", Types.BigInt).PrimaryKey());
            db.Table("children", t => t.Column("parent_id", Types.BigInt).References("parents", "id"));
        });

    [Fact]
    public Task Turning_a_serial_into_a_plain_integer() => RoundTripAsync(
        db => db.Table("t", t => t.Column("id", Types.Serial).PrimaryKey()),
        db => db.Table("t", t => t.Column("id", Types.Integer).PrimaryKey()));

    [Fact]
    public Task Turning_an_integer_into_a_serial() => RoundTripAsync(
        db => db.Table("t", t => t.Column("id", Types.Integer).PrimaryKey()),
        db => db.Table("t", t => t.Column("id", Types.Serial).PrimaryKey()));

    [Fact]
    public Task Turning_a_serial_into_a_bigserial() => RoundTripAsync(
        db => db.Table("t", t => t.Column("id", Types.Serial).PrimaryKey()),
        db => db.Table("t", t => t.Column("id", Types.BigSerial).PrimaryKey()));

    [Fact]
    public Task Adding_identity_to_an_existing_column() => RoundTripAsync(
        db => db.Table("t", t => t.Column("id", Types.BigInt).PrimaryKey()),
        db => db.Table("t", t => t.Column("id", Types.BigInt).Identity().PrimaryKey()));

    [Fact]
    public Task Dropping_identity_from_a_column() => RoundTripAsync(
        db => db.Table("t", t => t.Column("id", Types.BigInt).Identity(IdentityGeneration.ByDefault).PrimaryKey()),
        db => db.Table("t", t => t.Column("id", Types.BigInt).PrimaryKey()));

    [Fact]
    public Task Changing_identity_from_always_to_by_default() => RoundTripAsync(
        db => db.Table("t", t => t.Column("id", Types.BigInt).Identity(IdentityGeneration.Always).PrimaryKey()),
        db => db.Table("t", t => t.Column("id", Types.BigInt).Identity(IdentityGeneration.ByDefault).PrimaryKey()));

    [Fact]
    public Task Changing_the_sequence_options_of_an_identity() => RoundTripAsync(
        db => db.Table("t", t => t.Column("id", Types.BigInt).Identity(IdentityGeneration.Always, new SequenceOptions(StartWith: 1, IncrementBy: 1)).PrimaryKey()),
        db => db.Table("t", t => t.Column("id", Types.BigInt).Identity(IdentityGeneration.Always, new SequenceOptions(StartWith: 1000, IncrementBy: 10, MaxValue: 1_000_000, Cache: 20, Cycle: true)).PrimaryKey()));

    [Fact]
    public Task Changing_the_type_of_an_identity_column() => RoundTripAsync(
        db => db.Table("t", t => t.Column("id", Types.Integer).Identity().PrimaryKey()),
        db => db.Table("t", t => t.Column("id", Types.BigInt).Identity().PrimaryKey()));

    [Fact]
    public Task Changing_the_type_of_a_column_that_a_generated_column_reads() => RoundTripAsync(
        db => db.Table("t", t =>
        {
            t.Column("price", Types.Integer).NotNull();
            t.Column("doubled", Types.BigInt).GeneratedAs("price * 2");
        }),
        db => db.Table("t", t =>
        {
            t.Column("price", Types.BigInt).NotNull();
            t.Column("doubled", Types.BigInt).GeneratedAs("price * 2");
        }));

    [Fact]
    public Task Changing_the_type_of_a_column_that_an_expression_index_and_a_partial_index_use() => RoundTripAsync(
        db => db.Table("t", t =>
        {
            t.Column("code", Types.Varchar(20));
            t.Index(IndexKey.Expression("lower(code)")).Named("t_lower_code");
            t.Index("code").Named("t_code_set").Where("code IS NOT NULL");
        }),
        db => db.Table("t", t =>
        {
            t.Column("code", Types.Text);
            t.Index(IndexKey.Expression("lower(code)")).Named("t_lower_code");
            t.Index("code").Named("t_code_set").Where("code IS NOT NULL");
        }));

    [Fact]
    public Task Changing_a_column_from_one_enum_to_another() => RoundTripAsync(
        db =>
        {
            var color = db.Enum("color", "red", "green");
            db.Enum("shade", "red", "green", "dark");
            db.Table("t", t => t.Column("c", color).Default("red"));
        },
        db =>
        {
            db.Enum("color", "red", "green");
            var shade = db.Enum("shade", "red", "green", "dark");
            db.Table("t", t => t.Column("c", shade).Default("red"));
        });

    [Fact]
    public Task Adding_an_identity_column_and_a_serial_column_to_an_existing_table() => RoundTripAsync(
        db => db.Table("t", t => t.Column("name", Types.Text)),
        db => db.Table("t", t =>
        {
            t.Column("name", Types.Text);
            t.Column("id", Types.BigInt).Identity(IdentityGeneration.ByDefault, new SequenceOptions(StartWith: 10));
            t.Column("number", Types.Serial);
        }));

    [Fact]
    public Task Replacing_a_serial_with_an_identity() => RoundTripAsync(
        db => db.Table("t", t => t.Column("id", Types.Serial).PrimaryKey()),
        db => db.Table("t", t => t.Column("id", Types.Integer).Identity().PrimaryKey()));
}
