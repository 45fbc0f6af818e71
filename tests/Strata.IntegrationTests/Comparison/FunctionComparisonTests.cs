using Npgsql;
using Strata.Diffing;
using Strata.Dsl;
using Strata.IntegrationTests.Infrastructure;
using Strata.Model;
using Strata.Postgres.Comparison;
using Strata.Postgres.Execution;
using Strata.Postgres.Introspection;
using Strata.Postgres.Migrations;
using Strata.Testing;

namespace Strata.IntegrationTests.Comparison;

/// <summary>Functions against live databases: push, the migrator and the drift check.</summary>
public sealed class FunctionComparisonTests(PostgresFixture fixture) : IClassFixture<PostgresFixture>
{
    private static readonly QualifiedName Tracking = new("strata", "__strata_migrations");

    private static LiveDatabase Live(TestDatabase database) =>
        new(database.DataSource, new NpgsqlConnectionStringBuilder(database.ConnectionString), database.Name);

    private static DatabaseModel Build(Action<SchemaBuilder> define)
    {
        var builder = new SchemaBuilder();
        define(builder);
        return builder.Build();
    }

    /// <summary>A LANGUAGE sql function that reads a table declared after it, and a default that calls it.</summary>
    private static void Counted(SchemaBuilder db, string body = "SELECT count(*)::integer * factor FROM public.items")
    {
        var counted = db.Function("counted", f => f.Argument("factor", Types.Integer, "2").Returns(Types.Integer).Stable().Body(body));
        db.Table("items", t =>
        {
            t.Column("id", Types.Integer).PrimaryKey();
            t.Column("rank", Types.Integer).DefaultSql(counted.Call("1"));
        });
    }

    [Fact]
    public async Task Push_replaces_a_changed_function_creates_a_new_one_and_then_finds_nothing_to_do()
    {
        await using var database = await fixture.CreateDatabaseAsync("fn_push", """
            CREATE FUNCTION counted(factor integer DEFAULT 2) RETURNS integer LANGUAGE sql STABLE AS 'SELECT 0';
            CREATE TABLE items (id integer PRIMARY KEY, rank integer DEFAULT counted(1));
            INSERT INTO items (id) VALUES (1), (2);
            """);
        var schema = Build(db =>
        {
            Counted(db);
            db.Procedure("reset_ranks", p => p.Language("plpgsql").Body("BEGIN UPDATE public.items SET rank = 0; END"));
        });

        var (expected, live) = await SchemaPush.CompareAsync(Live(database), schema, Tracking, new IntrospectionOptions(), null, _ => { }, default);
        var plan = SchemaPush.Plan(SchemaDiffer.Diff(live, expected, RenameDecisions.None));
        await SchemaPush.ApplyAsync(database.DataSource, SchemaPush.Script(plan.Statements), new SessionTimeouts(TimeSpan.FromMinutes(1), null), default);
        var (after, liveAfter) = await SchemaPush.CompareAsync(Live(database), schema, Tracking, new IntrospectionOptions(), null, _ => { }, default);

        Assert.Contains(plan.Statements, s => s.Sql.StartsWith("CREATE OR REPLACE FUNCTION \"public\".\"counted\"(\"factor\" integer DEFAULT 2)", StringComparison.Ordinal));
        Assert.Contains(plan.Statements, s => s.Sql.StartsWith("CREATE PROCEDURE \"public\".\"reset_ranks\"()", StringComparison.Ordinal));
        Assert.DoesNotContain(plan.Statements, s => s.Sql.StartsWith("DROP", StringComparison.Ordinal));
        Assert.True(SchemaDiffer.Diff(liveAfter, after, RenameDecisions.None).IsEmpty, string.Join("\n", SchemaDiffer.Diff(liveAfter, after, RenameDecisions.None).Changes));
        Assert.Equal(4, await database.ScalarAsync<int>("SELECT counted()"));
        await database.ExecuteAsync("INSERT INTO items (id) VALUES (3)");
        Assert.Equal(2, await database.ScalarAsync<int>("SELECT rank FROM items WHERE id = 3"));
    }

    [Fact]
    public async Task The_migrator_creates_a_sql_function_before_the_table_it_reads_and_the_drift_check_names_a_function_changed_by_hand()
    {
        var schema = Build(db => Counted(db));
        await using var target = await fixture.CreateDatabaseAsync("fn_drift");
        using var folder = new TemporaryFolder();
        var directory = await MigrationDirectory.LoadAsync(folder.Path);
        await MigrationWriter.WriteBaselineAsync(directory, "0000_baseline", schema, [], default);
        directory = await MigrationDirectory.LoadAsync(folder.Path);
        var migrations = MigrationSource.FromDirectory(directory);
        await new Migrator(target.DataSource, migrations, new MigratorOptions { HistoryTable = Tracking }).ApplyAsync();

        var clean = await DriftCheck.CompareAsync(Live(target), "test", directory, migrations, Tracking, new IntrospectionOptions(), null, _ => { }, default);
        await target.ExecuteAsync("""
            CREATE OR REPLACE FUNCTION counted(factor integer DEFAULT 2) RETURNS integer LANGUAGE sql STABLE AS 'SELECT 7';
            CREATE FUNCTION extra() RETURNS void LANGUAGE plpgsql AS 'BEGIN END';
            """);
        var drifted = await DriftCheck.CompareAsync(Live(target), "test", directory, migrations, Tracking, new IntrospectionOptions(), null, _ => { }, default);

        Assert.True(clean.Matches, string.Join("; ", clean.Changes.Select(c => c.ToString())));
        Assert.False(drifted.Matches);
        Assert.Contains(drifted.Changes, c => c is ReplaceFunction { To.Body: "SELECT 7" });
        Assert.Contains(drifted.Changes, c => c is CreateFunction { Function.Name: "extra" });
        Assert.Equal(2, drifted.Changes.Count);
    }
}
