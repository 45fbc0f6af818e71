using Strata.Dsl;
using Strata.Model;

namespace Strata.IntegrationTests.Scenarios;

public sealed class TableScenarios(ScenarioFixture fixture) : ScenarioTests(fixture)
{
    [Fact]
    public Task Creating_a_table() => RoundTripAsync(
        _ => { },
        db => db.Table("users", t =>
        {
            t.Column("id", Types.BigInt).Identity().PrimaryKey();
            t.Column("email", Types.Text).NotNull();
        }));

    [Fact]
    public async Task Dropping_a_table_is_marked_as_data_loss()
    {
        var result = await RoundTripAsync(
            db =>
            {
                db.Table("users", t => t.Column("id", Types.Integer).PrimaryKey());
                db.Table("logs", t => t.Column("line", Types.Text));
            },
            db => db.Table("users", t => t.Column("id", Types.Integer).PrimaryKey()));

        Assert.Contains(result.Up, s => s.Sql.Contains("DROP TABLE", StringComparison.Ordinal) && s.DataLoss is not null);
        Assert.All(result.Down, s => Assert.Null(s.DataLoss));
    }

    [Fact]
    public Task Creating_a_table_with_every_integer_and_decimal_type() => RoundTripAsync(
        _ => { },
        db => db.Table("numbers", t =>
        {
            t.Column("a_smallint", Types.SmallInt);
            t.Column("b_integer", Types.Integer);
            t.Column("c_bigint", Types.BigInt);
            t.Column("d_numeric", Types.Numeric());
            t.Column("e_numeric_10", Types.Numeric(10));
            t.Column("f_numeric_12_2", Types.Numeric(12, 2));
            t.Column("g_real", Types.Real);
            t.Column("h_double", Types.DoublePrecision);
            t.Column("i_boolean", Types.Boolean);
        }));

    [Fact]
    public Task Creating_a_table_with_every_character_type() => RoundTripAsync(
        _ => { },
        db => db.Table("texts", t =>
        {
            t.Column("a_text", Types.Text);
            t.Column("b_varchar", Types.Varchar());
            t.Column("c_varchar_50", Types.Varchar(50));
            t.Column("d_char", Types.Char());
            t.Column("e_char_10", Types.Char(10));
        }));

    [Fact]
    public Task Creating_a_table_with_every_date_and_time_type_and_precision() => RoundTripAsync(
        _ => { },
        db => db.Table("times", t =>
        {
            t.Column("a_date", Types.Date);
            t.Column("b_time", Types.Time());
            t.Column("c_time_3", Types.Time(3));
            t.Column("d_timetz", Types.TimeTz());
            t.Column("e_timetz_0", Types.TimeTz(0));
            t.Column("f_timestamp", Types.Timestamp());
            t.Column("g_timestamp_0", Types.Timestamp(0));
            t.Column("h_timestamptz", Types.TimestampTz());
            t.Column("i_timestamptz_3", Types.TimestampTz(3));
            t.Column("j_interval", Types.Interval());
            t.Column("k_interval_2", Types.Interval(2));
        }));

    [Fact]
    public Task Creating_a_table_with_json_binary_network_and_uuid_types() => RoundTripAsync(
        _ => { },
        db => db.Table("misc", t =>
        {
            t.Column("a_json", Types.Json);
            t.Column("b_jsonb", Types.Jsonb);
            t.Column("c_bytea", Types.Bytea);
            t.Column("d_inet", Types.Inet);
            t.Column("e_cidr", Types.Cidr);
            t.Column("f_macaddr", Types.MacAddr);
            t.Column("g_uuid", Types.Uuid);
        }));

    [Fact]
    public Task Creating_a_table_with_array_columns_of_several_types() => RoundTripAsync(
        _ => { },
        db => db.Table("arrays", t =>
        {
            t.Column("a_text", Types.ArrayOf(Types.Text));
            t.Column("b_integer", Types.ArrayOf(Types.Integer));
            t.Column("c_integer_2d", Types.ArrayOf(Types.Integer, 2));
            t.Column("d_uuid", Types.ArrayOf(Types.Uuid));
            t.Column("e_numeric", Types.ArrayOf(Types.Numeric(10, 2)));
            t.Column("f_varchar", Types.ArrayOf(Types.Varchar(20)));
            t.Column("g_timestamptz", Types.ArrayOf(Types.TimestampTz()));
            t.Column("h_jsonb", Types.ArrayOf(Types.Jsonb)).NotNull().DefaultSql("'{}'::jsonb[]");
        }));

    [Fact]
    public Task Creating_a_table_with_raw_types() => RoundTripAsync(
        _ => { },
        db => db.Table("documents", t =>
        {
            t.Column("id", Types.Integer).PrimaryKey();
            t.Column("search", Types.Raw("tsvector"));
            t.Column("valid", Types.Raw("daterange"));
            t.Column("spot", Types.Raw("point"));
            t.Column("words", Types.ArrayOf(Types.Raw("tsvector")));
        }));

    [Fact]
    public Task Creating_tables_with_serial_columns() => RoundTripAsync(
        _ => { },
        db =>
        {
            db.Table("small", t => t.Column("id", Types.SmallSerial).PrimaryKey());
            db.Table("medium", t => t.Column("id", Types.Serial).PrimaryKey());
            db.Table("large", t =>
            {
                t.Column("id", Types.BigSerial).PrimaryKey();
                t.Column("other", Types.Serial);
            });
        });

    [Fact]
    public Task Creating_identity_columns_always_and_by_default_with_sequence_options() => RoundTripAsync(
        _ => { },
        db =>
        {
            db.Table("always", t => t.Column("id", Types.BigInt).Identity().PrimaryKey());
            db.Table("by_default", t =>
            {
                t.Column("id", Types.Integer).Identity(IdentityGeneration.ByDefault, new SequenceOptions(StartWith: 100, IncrementBy: 5, MinValue: 1, MaxValue: 1_000_000, Cache: 10, Cycle: true)).PrimaryKey();
                t.Column("small", Types.SmallInt).Identity(IdentityGeneration.Always, new SequenceOptions(StartWith: -1, IncrementBy: -1, MinValue: -1000, MaxValue: -1));
            });
        });

    [Fact]
    public async Task Adding_a_nullable_column_is_not_marked_as_data_loss()
    {
        var result = await RoundTripAsync(
            db => db.Table("users", t => t.Column("id", Types.Integer).PrimaryKey()),
            db => db.Table("users", t =>
            {
                t.Column("id", Types.Integer).PrimaryKey();
                t.Column("nickname", Types.Text);
            }));

        Assert.All(result.Up, s => Assert.Null(s.DataLoss));
        Assert.DoesNotContain("-- strata:irreversible", result.DownScript);
        Assert.Contains(result.Down, s => s.DataLoss is not null);
        Assert.Contains("-- strata:data-loss", result.DownScript);
    }

    [Fact]
    public Task Adding_a_not_null_column_with_a_default() => RoundTripAsync(
        db => db.Table("users", t => t.Column("id", Types.Integer).PrimaryKey()),
        db => db.Table("users", t =>
        {
            t.Column("id", Types.Integer).PrimaryKey();
            t.Column("active", Types.Boolean).NotNull().Default(true);
            t.Column("created_at", Types.TimestampTz()).NotNull().DefaultSql("now()");
        }));

    [Fact]
    public Task Adding_a_column_in_the_middle_of_a_table() => RoundTripAsync(
        db => db.Table("users", t =>
        {
            t.Column("id", Types.Integer).PrimaryKey();
            t.Column("email", Types.Text);
        }),
        db => db.Table("users", t =>
        {
            t.Column("id", Types.Integer).PrimaryKey();
            t.Column("name", Types.Text);
            t.Column("email", Types.Text);
        }));

    [Fact]
    public async Task Dropping_a_column_is_marked_as_data_loss_and_its_down_step_as_irreversible()
    {
        var result = await RoundTripAsync(
            db => db.Table("users", t =>
            {
                t.Column("id", Types.Integer).PrimaryKey();
                t.Column("legacy", Types.Text).NotNull().Default("x");
            }),
            db => db.Table("users", t => t.Column("id", Types.Integer).PrimaryKey()));

        Assert.Contains(result.Up, s => s.Sql.Contains("DROP COLUMN", StringComparison.Ordinal) && s.DataLoss is not null);
        Assert.Contains("-- strata:irreversible", result.DownScript);
    }

    [Fact]
    public Task Making_a_column_not_null() => RoundTripAsync(
        db => db.Table("users", t => t.Column("email", Types.Text)),
        db => db.Table("users", t => t.Column("email", Types.Text).NotNull()));

    [Fact]
    public Task Dropping_not_null() => RoundTripAsync(
        db => db.Table("users", t => t.Column("email", Types.Text).NotNull()),
        db => db.Table("users", t => t.Column("email", Types.Text)));

    [Fact]
    public Task Setting_a_literal_default() => RoundTripAsync(
        db => db.Table("users", t =>
        {
            t.Column("status", Types.Text);
            t.Column("score", Types.Integer);
            t.Column("rate", Types.Numeric(5, 2));
            t.Column("born", Types.Date);
        }),
        db => db.Table("users", t =>
        {
            t.Column("status", Types.Text).Default("it's new");
            t.Column("score", Types.Integer).Default(-1);
            t.Column("rate", Types.Numeric(5, 2)).Default(1.5m);
            t.Column("born", Types.Date).Default(new DateOnly(2000, 1, 1));
        }));

    [Fact]
    public Task Changing_a_default() => RoundTripAsync(
        db => db.Table("users", t =>
        {
            t.Column("status", Types.Text).Default("new");
            t.Column("score", Types.Integer).Default(0);
        }),
        db => db.Table("users", t =>
        {
            t.Column("status", Types.Text).Default("active");
            t.Column("score", Types.Integer).DefaultSql("(1 + 2)");
        }));

    [Fact]
    public Task Dropping_a_default() => RoundTripAsync(
        db => db.Table("users", t =>
        {
            t.Column("status", Types.Text).NotNull().Default("new");
            t.Column("created_at", Types.TimestampTz()).DefaultSql("now()");
        }),
        db => db.Table("users", t =>
        {
            t.Column("status", Types.Text).NotNull();
            t.Column("created_at", Types.TimestampTz());
        }));

    [Fact]
    public Task Setting_expression_defaults_now_and_gen_random_uuid() => RoundTripAsync(
        db => db.Table("events", t =>
        {
            t.Column("id", Types.Uuid).PrimaryKey();
            t.Column("at", Types.TimestampTz()).NotNull();
            t.Column("payload", Types.Jsonb).NotNull();
        }),
        db => db.Table("events", t =>
        {
            t.Column("id", Types.Uuid).PrimaryKey().DefaultSql("gen_random_uuid()");
            t.Column("at", Types.TimestampTz()).NotNull().DefaultSql("now()");
            t.Column("payload", Types.Jsonb).NotNull().DefaultSql("'{}'::jsonb");
        }));

    [Fact]
    public Task Adding_a_stored_generated_column() => RoundTripAsync(
        db => db.Table("items", t =>
        {
            t.Column("price", Types.Numeric(10, 2)).NotNull();
            t.Column("quantity", Types.Integer).NotNull();
        }),
        db => db.Table("items", t =>
        {
            t.Column("price", Types.Numeric(10, 2)).NotNull();
            t.Column("quantity", Types.Integer).NotNull();
            t.Column("total", Types.Numeric(12, 2)).GeneratedAs("price * quantity");
        }));

    [Fact]
    public Task Changing_the_expression_of_a_generated_column() => RoundTripAsync(
        db => db.Table("people", t =>
        {
            t.Column("first", Types.Text);
            t.Column("last", Types.Text);
            t.Column("full_name", Types.Text).GeneratedAs("first || ' ' || last");
        }),
        db => db.Table("people", t =>
        {
            t.Column("first", Types.Text);
            t.Column("last", Types.Text);
            t.Column("full_name", Types.Text).GeneratedAs("last || ', ' || first");
        }));

    [Fact]
    public Task Turning_a_generated_column_into_a_plain_one() => RoundTripAsync(
        db => db.Table("people", t =>
        {
            t.Column("first", Types.Text);
            t.Column("upper_first", Types.Text).GeneratedAs("upper(first)");
        }),
        db => db.Table("people", t =>
        {
            t.Column("first", Types.Text);
            t.Column("upper_first", Types.Text);
        }));

    [Fact]
    public Task Dropping_a_column_and_the_generated_columns_computed_from_it() => RoundTripAsync(
        db => db.Table("items", t =>
        {
            t.Column("id", Types.Integer).PrimaryKey();
            t.Column("price", Types.Integer);
            t.Column("doubled", Types.Integer).GeneratedAs("price * 2");
            t.Column("tripled", Types.Integer).GeneratedAs("price * 3");
        }),
        db => db.Table("items", t => t.Column("id", Types.Integer).PrimaryKey()));

    [Fact]
    public Task Adding_comments_on_a_table_and_a_column() => RoundTripAsync(
        db => db.Table("users", t => t.Column("email", Types.Text)),
        db => db.Table("users", t =>
        {
            t.Column("email", Types.Text).Comment("Where we write to; it's unique.");
            t.Comment("People who sign in");
        }));

    [Fact]
    public Task Changing_comments_on_a_table_and_a_column() => RoundTripAsync(
        db => db.Table("users", t =>
        {
            t.Column("email", Types.Text).Comment("old");
            t.Comment("old table");
        }),
        db => db.Table("users", t =>
        {
            t.Column("email", Types.Text).Comment("new");
            t.Comment("new table");
        }));

    [Fact]
    public Task Removing_comments_from_a_table_and_a_column() => RoundTripAsync(
        db => db.Table("users", t =>
        {
            t.Column("email", Types.Text).Comment("gone soon");
            t.Comment("gone soon");
        }),
        db => db.Table("users", t => t.Column("email", Types.Text)));
}
