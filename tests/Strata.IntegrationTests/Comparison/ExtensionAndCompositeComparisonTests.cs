using Npgsql;
using Strata.Diffing;
using Strata.Dsl;
using Strata.IntegrationTests.Infrastructure;
using Strata.Model;
using Strata.Postgres.Comparison;
using Strata.Postgres.Execution;
using Strata.Postgres.Introspection;
using Strata.Testing;

namespace Strata.IntegrationTests.Comparison;

/// <summary>Extensions and composite types against databases with rows: push A → B, and what push leaves alone.</summary>
public sealed class ExtensionAndCompositeComparisonTests(PostgresFixture fixture) : IClassFixture<PostgresFixture>
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

    private static async Task<PushPlan> PushAsync(TestDatabase database, DatabaseModel schema)
    {
        var (expected, live) = await SchemaPush.CompareAsync(Live(database), schema, Tracking, new IntrospectionOptions(), null, _ => { }, default);
        var plan = SchemaPush.Plan(SchemaDiffer.Diff(live, expected, RenameDecisions.None));
        await SchemaPush.ApplyAsync(database.DataSource, SchemaPush.Script(plan.Statements), new SessionTimeouts(TimeSpan.FromMinutes(1), null), default);
        var (after, liveAfter) = await SchemaPush.CompareAsync(Live(database), schema, Tracking, new IntrospectionOptions(), null, _ => { }, default);
        var left = SchemaDiffer.Diff(liveAfter, after, RenameDecisions.None);
        Assert.True(left.IsEmpty, string.Join("\n", left.Changes));
        return plan;
    }

    [Fact]
    public async Task Push_A_then_B_creates_the_extension_and_types_then_re_creates_a_used_composite_type_keeping_the_rows()
    {
        await using var database = await fixture.CreateDatabaseAsync("extcomp_push", """
            CREATE EXTENSION pg_stat_statements;
            CREATE TABLE people (id integer PRIMARY KEY, email text);
            INSERT INTO people VALUES (1, 'A@example.com'), (2, 'b@example.com');
            """);
        void Base(SchemaBuilder db, Action<CompositeBuilder> address)
        {
            db.Extension("citext");
            var type = db.Composite("address", address);
            db.Table("people", t =>
            {
                t.Column("id", Types.Integer).PrimaryKey();
                t.Column("email", Types.Raw("citext"));
                t.Column("home", type);
            });
        }
        var a = Build(db => Base(db, c => c.Field("street", Types.Varchar(20)).Field("city", Types.Text)));
        var b = Build(db => Base(db, c => c.Field("street", Types.Text).Field("city", Types.Text, collate: "C")));

        var first = await PushAsync(database, a);
        await database.ExecuteAsync("UPDATE people SET home = ROW('Main St', 'Oslo') WHERE id = 1");
        var second = await PushAsync(database, b);

        Assert.Equal("CREATE EXTENSION IF NOT EXISTS \"citext\" WITH SCHEMA \"public\";", first.Statements[0].Sql);
        Assert.Contains(second.Statements, s => s.Sql == "ALTER TYPE \"public\".\"address\" RENAME TO \"address__strata_old\";");
        // The extension the schema does not declare is neither dropped nor a difference.
        Assert.DoesNotContain(first.Statements.Concat(second.Statements), s => s.Sql.Contains("pg_stat_statements", StringComparison.Ordinal));
        Assert.Equal(1L, await database.ScalarAsync<long>("SELECT count(*) FROM pg_extension WHERE extname = 'pg_stat_statements'"));
        Assert.Equal(1L, await database.ScalarAsync<long>("SELECT count(*) FROM people WHERE email = 'a@EXAMPLE.com'"));
        Assert.Equal("(\"Main St\",Oslo)", await database.ScalarAsync<string>("SELECT home::text FROM people WHERE id = 1"));
    }
}
