using Npgsql;
using Strata.Dsl;
using Strata.IntegrationTests.Infrastructure;
using Strata.Model;
using Strata.Postgres.Comparison;
using Strata.Testing;

namespace Strata.IntegrationTests.Comparison;

/// <summary>
/// <see cref="RecordedReads.OfAsync"/>: a model from the DSL gets what PostgreSQL records its expressions read,
/// from a scratch build on the server (or the printed-form cache), and keeps its declared text.
/// </summary>
public sealed class ModelReadsFromPostgresTests(PostgresFixture fixture) : IClassFixture<PostgresFixture>
{
    private static readonly QualifiedName Items = new("public", "items");
    private static readonly QualifiedName Mood = new("public", "mood");

    private static LiveDatabase Live(TestDatabase database, string? user = null) =>
        new(user is null ? database.DataSource : NpgsqlDataSource.Create(As(database, user)), As(database, user), database.Name);

    private static NpgsqlConnectionStringBuilder As(TestDatabase database, string? user) =>
        new(database.ConnectionString) { Username = user ?? new NpgsqlConnectionStringBuilder(database.ConnectionString).Username };

    private static DatabaseModel Schema() => BuildModel(db =>
    {
        var mood = db.Enum("mood", ["ok", "sad"]);
        db.Table("items", t =>
        {
            t.Column("id", Types.Integer).PrimaryKey();
            t.Column("feeling", mood).Default("ok");
            t.Column("note", Types.Text);
            t.Column("price", Types.Integer);
            t.Column("doubled", Types.Integer).GeneratedAs("price * 2");
            // The text names price in a string literal only; the second check names no column of the type it reads.
            t.Check("note_not_price", "note <> 'price'");
            t.Check("calm", "feeling <> enum_last(NULL::mood)");
            t.Index(IndexKey.Expression("lower(note)"));
        });
        db.View("all_items", "SELECT * FROM items");
    });

    private static DatabaseModel BuildModel(Action<SchemaBuilder> define)
    {
        var builder = new SchemaBuilder();
        define(builder);
        return builder.Build();
    }

    [Fact]
    public async Task A_DSL_model_gets_the_reads_PostgreSQL_records_keeps_its_text_and_the_next_run_needs_no_build()
    {
        await using var database = await fixture.CreateDatabaseAsync("reads_of");
        var cache = Path.Combine(Path.GetTempPath(), "strata-reads-" + Guid.NewGuid().ToString("N")[..12]);
        var declared = Schema();
        try
        {
            var withReads = await RecordedReads.OfAsync(Live(database), declared, cache, default);

            Assert.NotNull(withReads);
            var table = withReads.FindTable(Items)!;
            Assert.Equal(declared.FindTable(Items)!.Checks.Select(c => c.Expression), table.Checks.Select(c => c.Expression));
            Assert.Equal("SELECT * FROM items", withReads.FindView(new QualifiedName("public", "all_items"))!.Definition);
            var notPrice = table.Checks.Single(c => c.Name == "note_not_price").Reads;
            Assert.Equal(["note"], notPrice.ColumnsOf(Items));
            Assert.False(notPrice.ReadsType(Mood));
            var calm = table.Checks.Single(c => c.Name == "calm").Reads;
            Assert.Equal(["feeling"], calm.ColumnsOf(Items));
            Assert.True(calm.ReadsType(Mood));
            Assert.Equal(["price"], table.Columns.Single(c => c.Name == "doubled").Reads.ColumnsOf(Items));
            Assert.Equal(["note"], table.Indexes.Single().Reads.ColumnsOf(Items));
            Assert.Equal(["doubled", "feeling", "id", "note", "price"], withReads.FindView(new QualifiedName("public", "all_items"))!.Reads.ColumnsOf(Items).Order(StringComparer.Ordinal));
            Assert.Equal(0L, await database.ScratchDatabasesLeftAsync(RecordedReads.ScratchPrefix));

            // A role that may not create databases gets the same reads from the cache, and nothing without it.
            var role = "strata_nocreatedb_" + Environment.ProcessId;
            await database.ExecuteAsync($"""
                DO $$ BEGIN
                  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{role}') THEN CREATE ROLE {role} LOGIN NOCREATEDB; END IF;
                END $$;
                """);
            var restricted = Live(database, role);
            await using (restricted.DataSource)
            {
                var cached = await RecordedReads.OfAsync(restricted, declared, cache, default);
                Assert.NotNull(cached);
                Assert.Equal(calm.Objects, cached.FindTable(Items)!.Checks.Single(c => c.Name == "calm").Reads.Objects);
                Assert.Null(await RecordedReads.OfAsync(restricted, declared, cacheFolder: null, default));
            }
        }
        finally
        {
            if (Directory.Exists(cache))
                Directory.Delete(cache, recursive: true);
        }
    }
}
