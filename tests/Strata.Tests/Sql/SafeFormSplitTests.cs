using Strata.Diffing;
using Strata.Dsl;
using Strata.Model;
using Strata.Postgres.Sql;
using static Strata.Tests.Sql.MigrationSql;

namespace Strata.Tests.Sql;

/// <summary>Which statements <see cref="PostgresSqlGenerator.GenerateSafe"/> puts in the transactional part, which online, and the rewrites it calls out.</summary>
public sealed class SafeFormSplitTests
{
    private static SafeSplit Split(Action<SchemaBuilder> from, Action<SchemaBuilder> to)
    {
        var (previous, target) = (Build(from), Build(to));
        return PostgresSqlGenerator.GenerateSafe(SchemaDiffer.Diff(previous, target, RenameDecisions.None), previous, target);
    }

    private static void Items(SchemaBuilder db) => db.Table("items", t =>
    {
        t.Column("id", Types.Integer).PrimaryKey();
        t.Column("label", Types.Varchar(10));
    });

    [Fact]
    public void A_new_table_with_its_index_and_keys_keeps_the_plain_forms_in_one_transactional_part()
    {
        var split = Split(Items, db =>
        {
            Items(db);
            db.Table("tags", t =>
            {
                t.Column("id", Types.Integer).PrimaryKey();
                t.Column("item_id", Types.Integer).NotNull().References("items", "id");
                t.Column("name", Types.Text).Unique();
                t.Index("item_id");
            });
        });

        Assert.Empty(split.Online);
        Assert.DoesNotContain(split.Transactional, s => s.Sql.Contains("CONCURRENTLY", StringComparison.Ordinal) || s.Sql.Contains("NOT VALID", StringComparison.Ordinal));
    }

    [Fact]
    public void An_index_on_an_existing_table_moves_online_concurrently_and_the_intermediate_model_lacks_it()
    {
        var split = Split(Items, db => db.Table("items", t =>
        {
            t.Column("id", Types.Integer).PrimaryKey();
            t.Column("label", Types.Varchar(10));
            t.Index("label");
        }));

        Assert.Empty(split.Transactional);
        Assert.Equal("CREATE INDEX CONCURRENTLY \"items_label_idx\" ON \"public\".\"items\" USING btree (\"label\");", Assert.Single(split.Online).Sql);
        Assert.False(Assert.Single(split.Online).Transactional);
        Assert.Equal(Build(Items), split.Intermediate);
        Assert.Equal("DROP INDEX CONCURRENTLY \"public\".\"items_label_idx\";", Assert.Single(split.OnlineDown).Sql);
    }

    [Fact]
    public void A_check_is_added_not_valid_and_validated_online_and_the_online_down_makes_it_not_valid_again()
    {
        var split = Split(Items, db => db.Table("items", t =>
        {
            t.Column("id", Types.Integer).PrimaryKey();
            t.Column("label", Types.Varchar(10));
            t.Check("items_label_short", "length(label) < 5");
        }));

        Assert.Equal("ALTER TABLE \"public\".\"items\" ADD CONSTRAINT \"items_label_short\" CHECK (length(label) < 5) NOT VALID;", Assert.Single(split.Transactional).Sql);
        Assert.Equal("ALTER TABLE \"public\".\"items\" VALIDATE CONSTRAINT \"items_label_short\";", Assert.Single(split.Online).Sql);
        Assert.Equal(
            ["ALTER TABLE \"public\".\"items\" DROP CONSTRAINT \"items_label_short\";",
             "ALTER TABLE \"public\".\"items\" ADD CONSTRAINT \"items_label_short\" CHECK (length(label) < 5) NOT VALID;"],
            split.OnlineDown.Select(s => s.Sql));
    }

    [Fact]
    public void The_not_null_helper_name_is_cut_to_63_bytes()
    {
        var name = PostgresSqlGenerator.NotNullCheckName(new string('t', 40), new string('c', 40));

        Assert.Equal(63, name.Length);
        Assert.StartsWith(new string('t', 40) + "_", name);
    }

    [Theory]
    [InlineData("integer", "bigint", true)]
    [InlineData("varchar10", "varchar20", false)]
    [InlineData("varchar10", "text", false)]
    [InlineData("varchar20", "varchar10", true)]
    [InlineData("numeric10", "numeric12", false)]
    [InlineData("text", "integer", true)]
    public void A_type_change_is_called_out_as_a_rewrite_unless_PostgreSQL_keeps_the_stored_values(string from, string to, bool rewrites)
    {
        static ColumnType TypeOf(string name) => name switch
        {
            "integer" => Types.Integer,
            "bigint" => Types.BigInt,
            "varchar10" => Types.Varchar(10),
            "varchar20" => Types.Varchar(20),
            "numeric10" => Types.Numeric(10, 2),
            "numeric12" => Types.Numeric(12, 2),
            _ => Types.Text,
        };

        var statements = Statements(db => db.Table("t", t => t.Column("c", TypeOf(from))), db => db.Table("t", t => t.Column("c", TypeOf(to))));

        var alter = Assert.Single(statements, s => s.Sql.Contains(" TYPE ", StringComparison.Ordinal));
        Assert.Equal(rewrites, alter.Rewrite is not null);
        if (rewrites)
            Assert.Contains("expand and contract", alter.Rewrite);
    }

    [Fact]
    public void A_new_column_with_a_volatile_default_is_a_rewrite_and_one_with_now_is_not()
    {
        var statements = Statements(
            db => db.Table("t", t => t.Column("id", Types.Integer)),
            db => db.Table("t", t =>
            {
                t.Column("id", Types.Integer);
                t.Column("token", Types.Uuid).DefaultSql("gen_random_uuid()");
                t.Column("at", Types.TimestampTz()).DefaultSql("now()");
            }));

        Assert.NotNull(Assert.Single(statements, s => s.Sql.Contains("\"token\"", StringComparison.Ordinal)).Rewrite);
        Assert.Null(Assert.Single(statements, s => s.Sql.Contains("\"at\"", StringComparison.Ordinal)).Rewrite);
    }
}
