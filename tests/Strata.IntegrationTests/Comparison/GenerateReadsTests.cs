using Npgsql;
using Strata.Diffing;
using Strata.Dsl;
using Strata.IntegrationTests.Infrastructure;
using Strata.Model;
using Strata.Postgres.Comparison;
using Strata.Postgres.Introspection;
using Strata.Postgres.Migrations;
using Strata.Testing;

namespace Strata.IntegrationTests.Comparison;

/// <summary>
/// generate's comparison (<see cref="GenerateReads"/>) between the last snapshot and a DSL model: where a decision
/// needs what an expression reads, PostgreSQL says it (a scratch build on the development server); where none
/// does, no server is asked. The migrations are written as generate writes them and applied by the Migrator.
/// </summary>
public sealed class GenerateReadsTests(PostgresFixture fixture) : IClassFixture<PostgresFixture>, IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "strata-genreads-" + Guid.NewGuid().ToString("N")[..12]);

    private string Migrations => Path.Combine(_folder, "db", "migrations");

    private string Cache => Path.Combine(_folder, ".strata", "printed");

    public void Dispose()
    {
        if (Directory.Exists(_folder))
            Directory.Delete(_folder, recursive: true);
    }

    private static LiveDatabase Live(TestDatabase database) =>
        new(database.DataSource, new NpgsqlConnectionStringBuilder(database.ConnectionString), database.Name);

    private const string UsesTheNewest = "feeling <> enum_last(NULL::mood)";

    private static DatabaseModel Moods(bool withHappy, string newCheck = UsesTheNewest) => Build(db =>
    {
        var mood = db.Enum("mood", withHappy ? ["ok", "sad", "happy"] : ["ok", "sad"]);
        db.Table("people", t =>
        {
            t.Column("id", Types.Integer).PrimaryKey();
            t.Column("feeling", mood).NotNull();
            t.Column("note", Types.Text);
            t.Column("price", Types.Integer);
            t.Check("price_not_note", "price > 0 OR note <> 'price'");
            if (withHappy)
            {
                // Reads the enum without naming any of its values: no string literal tells the text search so.
                // PostgreSQL refuses enum_last's newest value while the ALTER TYPE ... ADD VALUE that made it is
                // not committed, and the new check is validated on the rows in the same transaction.
                t.Check("not_the_newest", newCheck);
            }
        });
    });

    private static DatabaseModel Build(Action<SchemaBuilder> define)
    {
        var builder = new SchemaBuilder();
        define(builder);
        return builder.Build();
    }

    /// <summary>What generate does: the last snapshot against the DSL model, reads asked for only when a decision needs them, written.</summary>
    private async Task<(GenerateReadsResult Result, int ServerCalls)> GenerateAsync(string id, DatabaseModel dsl, LiveDatabase? server)
    {
        var directory = await MigrationDirectory.LoadAsync(Migrations);
        var previous = await directory.LatestSnapshotAsync();
        var previousSchema = previous?.Schema ?? DatabaseModel.Empty;
        var schema = GenerateReads.CarriedOver(previousSchema, dsl);
        var diff = SchemaDiffer.Diff(previousSchema, schema, RenameDecisions.None);
        var calls = 0;
        var result = await GenerateReads.DecideAsync(previousSchema, schema, diff, RenameDecisions.None, _ =>
        {
            calls++;
            return Task.FromResult<(LiveDatabase?, string?)>((server, server is null ? "no server in this test" : null));
        }, Cache, default);
        await MigrationWriter.WriteChangesAsync(directory, id, previous is null ? null : previous with { Schema = result.Previous },
            result.Schema, result.Diff, RenameDecisions.None, default);
        return (result, calls);
    }

    private async Task<TestDatabase> MigratedWithRowsAsync(string prefix,
        string rows = "INSERT INTO people (id, feeling, note, price) VALUES (1, 'ok', 'a', 1), (2, 'sad', 'b', 2)")
    {
        var database = await fixture.CreateDatabaseAsync(prefix);
        await Migrator.ApplyAsync(database.DataSource, Migrations);
        await database.ExecuteAsync(rows);
        return database;
    }

    [Fact]
    public async Task An_enum_value_used_by_a_new_check_without_a_literal_re_creates_the_type_as_PostgreSQL_reads_say_and_the_migration_applies()
    {
        await using var development = await fixture.CreateDatabaseAsync("genreads_dev");
        var (first, firstCalls) = await GenerateAsync("0000_init", Moods(withHappy: false), Live(development));
        Assert.Equal(0, firstCalls);
        Assert.Equal(ReadsSource.NotNeeded, first.Source);
        await using var database = await MigratedWithRowsAsync("genreads_db");

        var (second, calls) = await GenerateAsync("0001_happy", Moods(withHappy: true), Live(development));

        Assert.Equal(1, calls);
        Assert.Equal(ReadsSource.Recorded, second.Source);
        Assert.Contains(second.Diff.Changes, c => c is RecreateEnum);
        await Migrator.ApplyAsync(database.DataSource, Migrations);
        await using (var connection = await database.OpenConnectionAsync())
        {
            var live = await PostgresIntrospector.ReadAsync(connection, ["strata"]);
            Assert.Equal(["not_the_newest", "price_not_note"], live.Tables.Single().Checks.Select(c => c.Name));
            Assert.Equal(["ok", "sad", "happy"], live.Enums.Single().Values);
        }
        Assert.Equal(2L, await database.ScalarAsync<long>("SELECT count(*) FROM people"));
        // The snapshot keeps the reads: the same schema again decides nothing from text.
        var snapshot = (await (await MigrationDirectory.LoadAsync(Migrations)).LatestSnapshotAsync())!;
        Assert.True(snapshot.Schema.Tables.Single().Checks.All(c => c.Reads.IsKnown));
        Assert.Empty(SchemaDiffer.Diff(snapshot.Schema, GenerateReads.CarriedOver(snapshot.Schema, Moods(withHappy: true)), RenameDecisions.None).DecidedFromText);
        Assert.Equal(0L, await development.ScratchDatabasesLeftAsync(RecordedReads.ScratchPrefix));
    }

    [Fact]
    public async Task Without_a_server_the_text_decides_on_the_safe_side_and_names_what_it_read()
    {
        await GenerateAsync("0000_init", Moods(withHappy: false), server: null);
        await using var database = await MigratedWithRowsAsync("genreads_text");

        var (second, calls) = await GenerateAsync("0001_happy", Moods(withHappy: true), server: null);

        Assert.Equal(1, calls);
        Assert.Equal(ReadsSource.Text, second.Source);
        Assert.Equal("no server in this test", second.Unavailable);
        Assert.Contains(second.DecidedFromText, d => d == new TextDecision(ModelSide.New, "check public.people.not_the_newest"));
        // enum_last may return the new value: ADD VALUE would make PostgreSQL refuse the check ("unsafe use of new value").
        Assert.Contains(second.Diff.Changes, c => c is RecreateEnum);
        await Migrator.ApplyAsync(database.DataSource, Migrations);
        Assert.Equal("{ok,sad,happy}", await database.ScalarAsync<string>("SELECT enum_range(NULL::mood)::text"));
    }

    // The text sees the new value 'happy' in a literal and would re-create the type (rewriting the table under
    // an exclusive lock); PostgreSQL's reads say the check reads no enum (note is text), so the value is added in place.
    [Fact]
    public async Task A_literal_of_a_new_value_in_an_expression_of_another_type_adds_the_value_in_place_as_PostgreSQL_reads_say()
    {
        await using var development = await fixture.CreateDatabaseAsync("genreads_lit");
        await GenerateAsync("0000_init", Moods(withHappy: false), Live(development));
        await using var database = await MigratedWithRowsAsync("genreads_litdb");

        var (second, calls) = await GenerateAsync("0001_happy", Moods(withHappy: true, newCheck: "note <> 'happy'"), Live(development));

        Assert.Equal(1, calls);
        Assert.Equal(ReadsSource.Recorded, second.Source);
        Assert.Contains(second.Diff.Changes, c => c is AddEnumValue);
        Assert.DoesNotContain(second.Diff.Changes, c => c is RecreateEnum);
        await Migrator.ApplyAsync(database.DataSource, Migrations);
        Assert.Equal("{ok,sad,happy}", await database.ScalarAsync<string>("SELECT enum_range(NULL::mood)::text"));
    }

    [Fact]
    public async Task A_generate_whose_decisions_need_no_reads_asks_no_server()
    {
        await using var development = await fixture.CreateDatabaseAsync("genreads_none");
        await GenerateAsync("0000_init", Moods(withHappy: false), Live(development));

        // A column added, a check changed: no decision needs what an expression reads.
        var (result, calls) = await GenerateAsync("0001_more", Build(db =>
        {
            var mood = db.Enum("mood", ["ok", "sad"]);
            db.Table("people", t =>
            {
                t.Column("id", Types.Integer).PrimaryKey();
                t.Column("feeling", mood).NotNull();
                t.Column("note", Types.Text);
                t.Column("price", Types.Integer);
                t.Column("added", Types.Text);
                t.Check("price_not_note", "price > 1 OR note <> 'price'");
            });
        }), Live(development));

        Assert.Equal(0, calls);
        Assert.Equal(ReadsSource.NotNeeded, result.Source);
        Assert.Empty(result.DecidedFromText);
        Assert.False(Directory.Exists(Cache), "no printed form was built");
    }

    /// <summary>A mood enum, a domain over it and a text domain, with the defaults given; a table uses both domains.</summary>
    private static DatabaseModel MoodDomains(string[] moods, string feelingDefault, string? labelDefault) => Build(db =>
    {
        var mood = db.Enum("mood", moods);
        var feeling = db.Domain("feeling", mood, d => d.DefaultSql(feelingDefault));
        var label = db.Domain("label", Types.Text, d =>
        {
            if (labelDefault is not null)
                d.DefaultSql(labelDefault);
        });
        db.Table("people", t =>
        {
            t.Column("id", Types.Integer).PrimaryKey();
            t.Column("feeling", feeling).NotNull();
            t.Column("label", label);
        });
    });

    private Task<TestDatabase> MigratedWithPeopleAsync(string prefix) =>
        MigratedWithRowsAsync(prefix, "INSERT INTO people (id, feeling, label) VALUES (1, 'ok', 'a'), (2, 'sad', 'b')");

    // ADD VALUE and a default that uses the new value in one transaction: PostgreSQL refuses ("unsafe use of new value").
    [Fact]
    public async Task A_domain_default_that_reads_an_enums_new_value_re_creates_the_enum_as_PostgreSQL_reads_say_and_the_migration_applies()
    {
        await using var development = await fixture.CreateDatabaseAsync("genreads_domdef");
        await GenerateAsync("0000_init", MoodDomains(["ok", "sad"], "'ok'", null), Live(development));
        await using var database = await MigratedWithPeopleAsync("genreads_domdefdb");

        var (second, calls) = await GenerateAsync("0001_happy", MoodDomains(["ok", "sad", "happy"], "'happy'", null), Live(development));

        Assert.Equal(1, calls);
        Assert.Equal(ReadsSource.Recorded, second.Source);
        Assert.Empty(second.DecidedFromText);
        Assert.Contains(second.Diff.Changes, c => c is RecreateEnum);
        await Migrator.ApplyAsync(database.DataSource, Migrations);
        Assert.Equal("{ok,sad,happy}", await database.ScalarAsync<string>("SELECT enum_range(NULL::mood)::text"));
        await database.ExecuteAsync("INSERT INTO people (id) VALUES (3)");
        Assert.Equal("happy", await database.ScalarAsync<string>("SELECT feeling::text FROM people WHERE id = 3"));
        // The snapshot keeps the default's reads: the same schema again decides nothing from text.
        var snapshot = (await (await MigrationDirectory.LoadAsync(Migrations)).LatestSnapshotAsync())!;
        Assert.True(snapshot.Schema.FindDomain(new("public", "feeling"))!.DefaultReads.IsKnown);
        Assert.Empty(SchemaDiffer.Diff(snapshot.Schema, GenerateReads.CarriedOver(snapshot.Schema, MoodDomains(["ok", "sad", "happy"], "'happy'", null)), RenameDecisions.None).DecidedFromText);
    }

    // The text sees 'happy', a new value of mood, in the text domain's default and would re-create the enum
    // (converting every column of it under an exclusive lock); PostgreSQL's reads say the default reads no enum.
    [Fact]
    public async Task A_literal_equal_to_a_new_enum_value_in_a_text_domains_default_adds_the_value_in_place_as_PostgreSQL_reads_say()
    {
        await using var development = await fixture.CreateDatabaseAsync("genreads_domlit");
        await GenerateAsync("0000_init", MoodDomains(["ok", "sad"], "'ok'", null), Live(development));
        await using var database = await MigratedWithPeopleAsync("genreads_domlitdb");

        var (second, calls) = await GenerateAsync("0001_happy", MoodDomains(["ok", "sad", "happy"], "'ok'", "'happy'"), Live(development));

        Assert.Equal(1, calls);
        Assert.Equal(ReadsSource.Recorded, second.Source);
        Assert.Empty(second.DecidedFromText);
        Assert.Contains(second.Diff.Changes, c => c is AddEnumValue);
        Assert.DoesNotContain(second.Diff.Changes, c => c is RecreateEnum);
        await Migrator.ApplyAsync(database.DataSource, Migrations);
        Assert.Equal("{ok,sad,happy}", await database.ScalarAsync<string>("SELECT enum_range(NULL::mood)::text"));
        await database.ExecuteAsync("INSERT INTO people (id, feeling) VALUES (3, 'ok')");
        Assert.Equal("happy", await database.ScalarAsync<string>("SELECT label FROM people WHERE id = 3"));
    }

    // An enum that loses a value is re-created; a text domain's default that casts a constant of it keeps the old
    // type until it is set again, and PostgreSQL refuses to drop the old type before.
    [Fact]
    public async Task A_text_domains_default_that_reads_a_re_created_enum_is_set_again_as_PostgreSQL_reads_say_and_the_migration_applies()
    {
        await using var development = await fixture.CreateDatabaseAsync("genreads_domcast");
        await GenerateAsync("0000_init", MoodDomains(["ok", "sad", "meh"], "'ok'", "('ok'::mood)::text"), Live(development));
        await using var database = await MigratedWithPeopleAsync("genreads_domcastdb");

        var (second, calls) = await GenerateAsync("0001_no_meh", MoodDomains(["ok", "sad"], "'ok'", "('ok'::mood)::text"), Live(development));

        Assert.Equal(1, calls);
        Assert.Equal(ReadsSource.Recorded, second.Source);
        Assert.Empty(second.DecidedFromText);
        Assert.Contains(second.Diff.Changes, c => c is RecreateEnum);
        Assert.Contains(second.Diff.Changes, c => c is AlterDomain { To.Name: "label", Changes: DomainChanges.Default });
        await Migrator.ApplyAsync(database.DataSource, Migrations);
        Assert.Equal("{ok,sad}", await database.ScalarAsync<string>("SELECT enum_range(NULL::mood)::text"));
        Assert.Equal(0L, await database.ScalarAsync<long>("SELECT count(*) FROM pg_type WHERE typname LIKE '%strata_old'"));
    }
}
