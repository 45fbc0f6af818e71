using Npgsql;
using Strata.IntegrationTests.Infrastructure;
using Strata.Model;
using Strata.Postgres.Comparison;
using Strata.Postgres.Introspection;

namespace Strata.IntegrationTests.Comparison;

/// <summary>
/// What pull reads (<see cref="LiveDatabase.ReadWithUnmodelledAsync"/>): the model and the objects it has no place
/// for, read at once on two connections that share one snapshot.
/// </summary>
public sealed class PullReadTests(PostgresFixture fixture) : IClassFixture<PostgresFixture>
{
    private static readonly QualifiedName Tracking = new("public", "__strata_migrations");

    private const string Schema = """
        CREATE SCHEMA app;
        CREATE TABLE app.items (id integer PRIMARY KEY, a integer, b integer);
        CREATE TABLE app.log (id integer);
        CREATE RULE items_log AS ON INSERT TO app.items DO ALSO INSERT INTO app.log VALUES (NEW.id);
        CREATE STATISTICS app.items_stats ON a, b FROM app.items;
        CREATE TABLE __strata_migrations (id text);
        """;

    [Fact]
    public async Task The_model_and_the_unmodelled_objects_read_together_are_what_the_two_reads_give_one_after_the_other()
    {
        await using var database = await fixture.CreateDatabaseAsync("pull_read_together", Schema);
        DatabaseModel alone;
        IReadOnlyList<UnmodelledObject> unmodelledAlone;
        await using (var connection = await database.DataSource.OpenConnectionAsync())
        {
            alone = await LiveDatabase.ReadAsync(connection, Tracking, new IntrospectionOptions(), default);
            unmodelledAlone = await UnmodelledObjects.ReadAsync(connection, new IntrospectionOptions());
        }

        var (model, notModelled) = await LiveDatabase.ReadWithUnmodelledAsync(database.DataSource, Tracking, new IntrospectionOptions(), default);

        Assert.Equal(alone, model);
        Assert.Null(model.FindTable(Tracking));
        Assert.Equal(["app.items", "app.log"], model.Tables.Select(t => t.QualifiedName.ToString()));
        Assert.Equal(unmodelledAlone.Select(Describe), notModelled.Select(Describe));
        Assert.Contains(notModelled, o => o.Kind == "rule" && o.Carried is not null);
        Assert.Contains(notModelled, o => o.Kind == "extended statistics" && o.Carried is not null);
    }

    private static string Describe(UnmodelledObject o) =>
        $"{o.Kind} {o.Name} ({o.Detail}, {o.Schema}): {(o.Carried is null ? "-" : string.Join("; ", o.Carried.Create) + " / " + o.Carried.Drop + " / " + o.Carried.BeforeTables)}";

    [Fact]
    public async Task Unmodelled_objects_read_inside_a_callers_transaction_see_its_snapshot_and_leave_its_settings_as_they_were()
    {
        await using var database = await fixture.CreateDatabaseAsync("pull_read_in_transaction", Schema);
        await using var connection = await database.DataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead);
        await using (var set = new NpgsqlCommand("SET LOCAL search_path = app, public; SELECT 1", connection, transaction))
            await set.ExecuteScalarAsync();

        // Made after the transaction took its snapshot (at its first query, which locked nothing): not seen by a read inside it.
        await using (var other = await database.DataSource.OpenConnectionAsync())
        await using (var rule = new NpgsqlCommand("CREATE RULE items_log_again AS ON UPDATE TO app.items DO ALSO INSERT INTO app.log VALUES (NEW.id)", other))
            await rule.ExecuteNonQueryAsync();

        var found = await UnmodelledObjects.ReadAsync(connection, new IntrospectionOptions());

        Assert.Equal(["items_log on app.items"], found.Where(o => o.Kind == "rule").Select(o => o.Name));
        Assert.Contains(found, o => o.Kind == "rule" && o.Carried!.Create[0].Contains("INSERT INTO app.log", StringComparison.Ordinal));
        await using var settings = new NpgsqlCommand("SELECT current_setting('search_path') || ' / ' || current_setting('jit')", connection, transaction);
        await using var defaults = new NpgsqlCommand("SELECT reset_val FROM pg_settings WHERE name = 'jit'", connection, transaction);
        Assert.Equal($"app, public / {await defaults.ExecuteScalarAsync()}", await settings.ExecuteScalarAsync());
    }

    [Fact]
    public async Task When_the_first_connection_cannot_open_the_second_goes_back_to_the_pool()
    {
        await using var database = await fixture.CreateDatabaseAsync("pull_read_one_slot", Schema);
        // One connection in the pool: the read's second connection takes it, so its first cannot open (timeout).
        var oneSlot = new NpgsqlConnectionStringBuilder(database.ConnectionString) { MaxPoolSize = 1, Timeout = 1 };
        await using var dataSource = NpgsqlDataSource.Create(oneSlot);

        await Assert.ThrowsAnyAsync<NpgsqlException>(() => LiveDatabase.ReadWithUnmodelledAsync(dataSource, Tracking, new IntrospectionOptions(), default));

        // Held, it would leave the pool empty, and this open would time out as well.
        await using var connection = await dataSource.OpenConnectionAsync();
        Assert.Equal(System.Data.ConnectionState.Open, connection.State);
    }
}
