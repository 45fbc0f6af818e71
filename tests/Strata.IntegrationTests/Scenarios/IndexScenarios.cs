using Strata.Dsl;

namespace Strata.IntegrationTests.Scenarios;

public sealed class IndexScenarios(ScenarioFixture fixture) : ScenarioTests(fixture)
{
    private static void Users(TableBuilder t)
    {
        t.Column("id", Types.Integer).PrimaryKey();
        t.Column("email", Types.Text).NotNull();
        t.Column("name", Types.Text);
        t.Column("created_at", Types.TimestampTz());
        t.Column("deleted", Types.Boolean).NotNull().Default(false);
        t.Column("data", Types.Jsonb);
        t.Column("search", Types.Raw("tsvector"));
    }

    private Task WithIndex(Action<TableBuilder> index) => RoundTripAsync(
        db => db.Table("users", Users),
        db => db.Table("users", t =>
        {
            Users(t);
            index(t);
        }));

    [Fact]
    public Task Adding_a_unique_index() => WithIndex(t => t.Index("email").Unique());

    [Fact]
    public Task Adding_a_composite_index() => WithIndex(t => t.Index("name", "created_at"));

    [Fact]
    public Task Adding_an_expression_index() => WithIndex(t => t.Index(IndexKey.Expression("lower(email)")).Unique());

    [Fact]
    public Task Adding_a_partial_index() => WithIndex(t => t.Index("email").Where("NOT deleted").Unique());

    [Fact]
    public Task Adding_a_hash_index() => WithIndex(t => t.Index("email").Using("hash"));

    [Fact]
    public Task Adding_a_gin_index_on_jsonb() => WithIndex(t => t.Index("data").Using("gin"));

    [Fact]
    public Task Adding_a_gin_index_with_an_operator_class() => WithIndex(t => t.Index(IndexKey.Column("data").OperatorClass("jsonb_path_ops")).Using("gin"));

    [Fact]
    public Task Adding_a_gist_index_on_tsvector() => WithIndex(t => t.Index("search").Using("gist"));

    [Fact]
    public Task Adding_a_brin_index() => WithIndex(t => t.Index("created_at").Using("brin"));

    [Fact]
    public Task Adding_an_index_with_include_columns() => WithIndex(t => t.Index("email").Include("name", "created_at").Unique());

    [Fact]
    public Task Adding_an_index_with_desc_and_nulls_first_and_last() => WithIndex(t => t.Index(IndexKey.Column("created_at").Desc().NullsLast(), IndexKey.Column("name").NullsFirst(), IndexKey.Column("id").Desc()));

    [Fact]
    public Task Adding_a_unique_index_with_nulls_not_distinct() => WithIndex(t => t.Index("name").Unique().NullsNotDistinct());

    [Fact]
    public async Task Adding_an_index_concurrently_runs_outside_a_transaction()
    {
        var result = await RoundTripAsync(
            db => db.Table("users", Users),
            db => db.Table("users", t =>
            {
                Users(t);
                t.Index("email").Concurrently();
            }));

        Assert.Contains(result.Up, s => s.Sql.Contains("CONCURRENTLY", StringComparison.Ordinal) && !s.Transactional);
        Assert.Contains(result.Down, s => s.Sql.Contains("CONCURRENTLY", StringComparison.Ordinal) && !s.Transactional);
        Assert.StartsWith("-- strata:no-transaction", result.UpScript);
    }

    [Fact]
    public Task Changing_the_definition_of_an_index_with_the_same_name() => RoundTripAsync(
        db => db.Table("users", t =>
        {
            Users(t);
            t.Index("email").Named("users_lookup");
        }),
        db => db.Table("users", t =>
        {
            Users(t);
            t.Index("email", "name").Named("users_lookup").Where("NOT deleted");
        }));

    /// <summary>
    /// PostgreSQL rebuilds an index from its printed form when ALTER COLUMN … TYPE converts a column it reads, and prints
    /// its predicate and expressions otherwise than on a new table: the index is created again after the type change.
    /// </summary>
    [Fact]
    public Task An_index_whose_predicate_and_expression_read_a_column_whose_type_changes_is_created_again() => RoundTripAsync(
        db => db.Table("orders", t =>
        {
            t.Column("id", Types.Integer).PrimaryKey();
            t.Column("status", Types.Varchar(10));
            t.Index("id").Named("orders_open").Where("status IN ('open', 'held')");
            t.Index(IndexKey.Expression("(status || 'x')")).Named("orders_status_x");
        }),
        db => db.Table("orders", t =>
        {
            t.Column("id", Types.Integer).PrimaryKey();
            t.Column("status", Types.Text);
            t.Index("id").Named("orders_open").Where("status IN ('open', 'held')");
            t.Index(IndexKey.Expression("(status || 'x')")).Named("orders_status_x");
        }));

    [Fact]
    public Task Dropping_an_index() => RoundTripAsync(
        db => db.Table("users", t =>
        {
            Users(t);
            t.Index("name");
            t.Index(IndexKey.Expression("lower(email)"));
        }),
        db => db.Table("users", Users));

    [Fact]
    public Task Renaming_an_index_by_changing_its_explicit_name() => RoundTripAsync(
        db => db.Table("users", t =>
        {
            Users(t);
            t.Index("email").Named("users_email_lookup");
        }),
        db => db.Table("users", t =>
        {
            Users(t);
            t.Index("email").Named("users_by_email");
        }));
}
