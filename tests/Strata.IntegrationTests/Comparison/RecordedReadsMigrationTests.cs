using Npgsql;
using Strata.Diffing;
using Strata.Dsl;
using Strata.IntegrationTests.Infrastructure;
using Strata.Model;
using Strata.Postgres.Introspection;
using Strata.Postgres.Sql;
using Strata.Testing;

namespace Strata.IntegrationTests.Comparison;

/// <summary>
/// Diffs between models read from PostgreSQL (so their reads are recorded, as push and check --env compare them):
/// the statements, run in one transaction on a database built from A, give the database B describes.
/// </summary>
public sealed class RecordedReadsMigrationTests(PostgresFixture fixture) : IClassFixture<PostgresFixture>
{
    private static DatabaseModel Schema(Action<SchemaBuilder> define)
    {
        var builder = new SchemaBuilder();
        define(builder);
        return builder.Build();
    }

    private async Task<TestDatabase> BuildAsync(DatabaseModel model)
    {
        var database = await fixture.CreateDatabaseAsync("reads_migration");
        foreach (var statement in PostgresSqlGenerator.CreateAll(model))
            await database.ExecuteAsync(statement.Sql);
        return database;
    }

    private static async Task<DatabaseModel> ReadAsync(TestDatabase database)
    {
        await using var connection = await database.OpenConnectionAsync();
        return await PostgresIntrospector.ReadAsync(connection);
    }

    /// <summary>Migrates a database built from A to B as read back from a database built from B, and returns the statements.</summary>
    private async Task<string> MigrateAsync(DatabaseModel a, DatabaseModel b)
    {
        await using var live = await BuildAsync(a);
        await using var scratch = await BuildAsync(b);
        var target = await ReadAsync(scratch);
        var statements = PostgresSqlGenerator.Generate(SchemaDiffer.Diff(await ReadAsync(live), target, RenameDecisions.None));

        await using (var connection = await live.OpenConnectionAsync())
        {
            await using var transaction = await connection.BeginTransactionAsync();
            foreach (var statement in statements)
            {
                await using var command = new NpgsqlCommand(statement.Sql, connection, transaction);
                await command.ExecuteNonQueryAsync();
            }
            await transaction.CommitAsync();
        }

        var after = SchemaDiffer.Diff(await ReadAsync(live), target, RenameDecisions.None);
        Assert.True(after.IsEmpty, "left to do: " + string.Join("\n", PostgresSqlGenerator.Generate(after).Select(s => s.Sql)));
        return string.Join("\n", statements.Select(s => s.Sql));
    }

    [Fact]
    public async Task A_new_default_on_an_enum_that_gains_values_re_creates_the_type_and_an_unchanged_one_adds_the_value()
    {
        DatabaseModel Moods(string[] values, string defaultValue) => Schema(db =>
        {
            var mood = db.Enum("mood", values);
            db.Table("people", t => t.Column("feeling", mood).Default(defaultValue));
        });

        var newDefault = await MigrateAsync(Moods(["sad", "ok"], "ok"), Moods(["sad", "ok", "happy"], "happy"));
        Assert.DoesNotContain("ADD VALUE", newDefault);

        var sameDefault = await MigrateAsync(Moods(["sad", "ok"], "ok"), Moods(["sad", "ok", "happy"], "ok"));
        Assert.Contains("ADD VALUE 'happy'", sameDefault);
    }

    [Fact]
    public async Task A_check_on_a_generated_column_that_is_rebuilt_is_added_again()
    {
        DatabaseModel Items(string generated) => Schema(db => db.Table("items", t =>
        {
            t.Column("price", Types.Integer);
            t.Column("doubled", Types.Integer).GeneratedAs(generated);
            t.Check("doubled_positive", "doubled > 0");
        }));

        var sql = await MigrateAsync(Items("price * 2"), Items("price + price"));

        Assert.Contains("ADD CONSTRAINT \"doubled_positive\"", sql);
    }

    [Fact]
    public async Task A_view_selecting_star_from_a_table_that_gains_a_column_is_rebuilt_and_one_counting_rows_is_kept()
    {
        DatabaseModel Items(bool withNote) => Schema(db =>
        {
            db.Table("items", t =>
            {
                t.Column("id", Types.Integer);
                if (withNote)
                    t.Column("note", Types.Text);
            });
            db.View("all_items", "SELECT * FROM items");
            db.View("item_count", "SELECT count(*) AS n FROM items");
        });

        var sql = await MigrateAsync(Items(false), Items(true));

        Assert.Contains("CREATE VIEW \"public\".\"all_items\"", sql);
        Assert.DoesNotContain("item_count", sql);
    }
}
