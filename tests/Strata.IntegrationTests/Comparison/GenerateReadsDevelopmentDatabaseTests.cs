using System.Text.Json;
using Npgsql;
using Strata.Diffing;
using Strata.Dsl;
using Strata.IntegrationTests.Cli;
using Strata.IntegrationTests.Infrastructure;
using Strata.Model;
using Strata.Postgres.Comparison;
using Strata.Postgres.Configuration;

namespace Strata.IntegrationTests.Comparison;

/// <summary>
/// generate's reads from the project's development database (<see cref="GenerateReads.DecideAsync(DatabaseModel, DatabaseModel, SchemaDiff, RenameDecisions, StrataConfig, Action, DatabaseTargetEvents, CancellationToken)"/>):
/// opened from strata.json only when a decision needs reads, and a database that cannot be had leaves the decision to the text.
/// </summary>
public sealed class GenerateReadsDevelopmentDatabaseTests(PostgresFixture fixture) : IClassFixture<PostgresFixture>
{
    private static DatabaseModel Moods(bool withCheck)
    {
        var builder = new SchemaBuilder();
        var mood = builder.Enum("mood", withCheck ? ["ok", "sad", "happy"] : ["ok", "sad"]);
        builder.Table("people", t =>
        {
            t.Column("id", Types.Integer).PrimaryKey();
            t.Column("feeling", mood).NotNull();
            if (withCheck)
                t.Check("not_the_newest", "feeling <> enum_last(NULL::mood)");
        });
        return builder.Build();
    }

    private static StrataConfig Config(TemporaryFolder folder, string developmentUrl) =>
        StrataConfigLoader.Parse($$"""{ "schema": "A/A.csproj", "environments": { "development": { "url": {{JsonSerializer.Serialize(developmentUrl)}} } } }""",
            Path.Combine(folder.Path, "strata.json"));

    private static (DatabaseModel Previous, DatabaseModel Schema, SchemaDiff Diff) NeedsReads()
    {
        var (previous, schema) = (Moods(withCheck: false), Moods(withCheck: true));
        var diff = SchemaDiffer.Diff(previous, schema, RenameDecisions.None);
        Assert.NotEmpty(diff.DecidedFromText);
        return (previous, schema, diff);
    }

    [Fact]
    public async Task A_decision_that_needs_reads_opens_the_development_database_once_and_takes_them_from_PostgreSQL()
    {
        await using var database = await fixture.CreateDatabaseAsync("genreads_dev");
        using var folder = new TemporaryFolder();
        var (previous, schema, diff) = NeedsReads();
        var asked = 0;

        var result = await GenerateReads.DecideAsync(previous, schema, diff, RenameDecisions.None, Config(folder, database.ConnectionString), () => asked++, events: null, default);

        Assert.Equal(ReadsSource.Recorded, result.Source);
        Assert.Null(result.Unavailable);
        Assert.Equal(1, asked);
        Assert.Empty(result.DecidedFromText);
        // The printed forms are cached in the project's .strata/printed, and the server's connections are closed after.
        Assert.True(Directory.Exists(PrintedFormCache.Folder(folder.Path)));
        // A backend ends a moment after its client closes: wait for it, up to the tests' patience.
        var sessions = $"SELECT count(*) FROM pg_stat_activity WHERE datname = '{database.Name}' AND application_name = 'strata generate'";
        var deadline = DateTime.UtcNow + StrataProcess.Patience;
        while (await database.ScalarAsync<long>(sessions) > 0 && DateTime.UtcNow < deadline)
            await Task.Delay(50);
        Assert.Equal(0L, await database.ScalarAsync<long>(sessions));
    }

    [Fact]
    public async Task A_development_database_that_cannot_be_reached_leaves_the_decision_to_the_text_and_says_why()
    {
        await using var database = await fixture.CreateDatabaseAsync("genreads_gone");
        using var folder = new TemporaryFolder();
        var missing = new NpgsqlConnectionStringBuilder(database.ConnectionString) { Database = database.Name + "_gone" };
        var (previous, schema, diff) = NeedsReads();

        var result = await GenerateReads.DecideAsync(previous, schema, diff, RenameDecisions.None, Config(folder, missing.ConnectionString), asking: null, events: null, default);

        Assert.Equal(ReadsSource.Text, result.Source);
        Assert.Contains(database.Name + "_gone", result.Unavailable);
        Assert.Equal(diff, result.Diff);
    }

    [Fact]
    public async Task No_decision_that_needs_reads_opens_nothing()
    {
        using var folder = new TemporaryFolder();
        var schema = Moods(withCheck: false);
        var diff = SchemaDiffer.Diff(DatabaseModel.Empty, schema, RenameDecisions.None);
        var asked = 0;

        // A url that nothing answers: opening it would fail.
        var result = await GenerateReads.DecideAsync(DatabaseModel.Empty, schema, diff, RenameDecisions.None,
            Config(folder, $"postgres://nobody@127.0.0.1:{FreePort.Find()}/none"), () => asked++, events: null, default);

        Assert.Equal(ReadsSource.NotNeeded, result.Source);
        Assert.Equal(0, asked);
        Assert.Same(diff, result.Diff);
    }
}
