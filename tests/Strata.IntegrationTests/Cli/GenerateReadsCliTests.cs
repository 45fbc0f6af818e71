using Strata.IntegrationTests.Infrastructure;

namespace Strata.IntegrationTests.Cli;

/// <summary>
/// <c>strata generate</c> asks PostgreSQL what expressions read only when a decision needs it, on the development
/// environment's database, and the migration it writes then applies where a decision from the SQL text would not.
/// </summary>
[Collection(CliCollection.Name)]
public sealed class GenerateReadsCliTests(BuiltSample sample, PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    private const string AskingPostgres = "asking PostgreSQL";

    /// <summary>The sample's priority enum gains 'urgent', and its items table a new check.</summary>
    private static void AddUrgentWithCheck(SampleCopy copy, string name, string expression)
    {
        copy.EditSchema("\"low\", \"normal\", \"high\");", "\"low\", \"normal\", \"high\", \"urgent\");");
        copy.EditSchema("t.Index(\"list_id\", \"due_on\");", $"t.Index(\"list_id\", \"due_on\");\n            t.Check(\"{name}\", \"{expression}\");");
    }

    [Fact]
    public async Task A_new_check_that_uses_an_enums_new_value_without_naming_it_re_creates_the_type_and_the_migration_applies_to_rows()
    {
        using var copy = sample.CreateCopy();
        await using var database = await postgres.CreateDatabaseAsync("genreads_cli");
        copy.WriteEnvironments("""{ "development": { "url": "${DEV_URL}" } }""");
        copy.WriteFile(".env", $"DEV_URL={database.ConnectionString}\n");
        var init = await copy.RunAsync("generate", "--name", "init");
        Assert.True(init.ExitCode == 0, init.ToString());
        Assert.DoesNotContain(AskingPostgres, init.Output);
        var migrated = await copy.RunAsync("migrate");
        Assert.True(migrated.ExitCode == 0, migrated.ToString());
        await database.ExecuteAsync("""
            INSERT INTO users (email, display_name) VALUES ('a@example.com', 'A');
            INSERT INTO lists (owner_id, title) SELECT id, 'Home' FROM users;
            INSERT INTO items (list_id, title) SELECT id, 'Milk' FROM lists;
            """);
        // The check reads the type without naming the new value: the text search sees no use of it and adds it with
        // ADD VALUE, whose value PostgreSQL refuses to use (here, validating the check on the row) before it commits.
        AddUrgentWithCheck(copy, "not_urgent_yet", "priority <> enum_last(NULL::priority)");

        var generated = await copy.RunAsync("generate", "--name", "urgent");

        Assert.True(generated.ExitCode == 0, generated.ToString());
        var applied = await copy.RunAsync("migrate");
        Assert.True(applied.ExitCode == 0, applied.ToString());
        Assert.Contains(AskingPostgres, generated.Output);
        Assert.DoesNotContain("ADD VALUE", copy.ReadMigrationFile("0001_urgent", "up.sql"));
        Assert.Equal(1L, await database.ScalarAsync<long>("SELECT count(*) FROM items WHERE priority = 'normal'"));
        Assert.Equal(1L, await database.ScalarAsync<long>("SELECT count(*) FROM pg_constraint WHERE conname = 'not_urgent_yet'"));
        Assert.Equal("{low,normal,high,urgent}", await database.ScalarAsync<string>("SELECT enum_range(NULL::priority)::text"));
        var check = await copy.RunAsync("check");
        Assert.True(check.ExitCode == 0, check.ToString());
    }

    [Fact]
    public async Task Without_a_reachable_development_database_generate_decides_from_the_text_and_says_so_with_the_remedy()
    {
        using var copy = sample.CreateCopy();
        Assert.Equal(0, (await copy.RunAsync("generate", "--name", "init")).ExitCode);
        // Nothing listens on port 1.
        copy.WriteEnvironments("""{ "development": { "url": "postgres://strata@127.0.0.1:1/nowhere?sslmode=disable" } }""");
        AddUrgentWithCheck(copy, "not_urgent_yet", "priority <> enum_last(NULL::priority)");

        var generated = await copy.RunAsync("generate", "--name", "urgent");

        Assert.True(generated.ExitCode == 0, generated.ToString());
        var warning = Assert.Single(generated.Stdout.Split('\n'), line => line.StartsWith("warning:", StringComparison.Ordinal));
        Assert.Contains("check public.items.not_urgent_yet", warning);
        Assert.Contains("decided by searching SQL text", warning);
        Assert.Contains("strata dev start", warning);
        // On the safe side: enum_last may return the new value, so the type is re-created rather than given it.
        Assert.DoesNotContain("ADD VALUE", copy.ReadMigrationFile("0001_urgent", "up.sql"));
    }

    // --json prints no warnings: the objects the text decided, and why PostgreSQL was not asked, are fields of the result.
    [Fact]
    public async Task With_json_the_objects_the_text_decided_and_why_are_in_the_result()
    {
        using var copy = sample.CreateCopy();
        Assert.Equal(0, (await copy.RunAsync("generate", "--name", "init")).ExitCode);
        copy.WriteEnvironments("""{ "development": { "url": "postgres://strata@127.0.0.1:1/nowhere?sslmode=disable" } }""");
        AddUrgentWithCheck(copy, "not_urgent_yet", "priority <> enum_last(NULL::priority)");

        var generated = await copy.RunAsync("generate", "--name", "urgent", "--json");

        Assert.True(generated.ExitCode == 0, generated.ToString());
        using var json = System.Text.Json.JsonDocument.Parse(generated.Stdout);
        Assert.Contains("check public.items.not_urgent_yet (new side)", json.RootElement.GetProperty("decidedFromText").EnumerateArray().Select(e => e.GetString()));
        Assert.Contains("127.0.0.1", json.RootElement.GetProperty("readsUnavailable").GetString());
    }

    [Fact]
    public async Task A_new_check_that_reads_the_enum_with_an_old_value_only_still_adds_the_new_value_in_place()
    {
        // Before generate asked PostgreSQL, a new expression that names only values the type had (priority <> 'low')
        // left the type alone: ADD VALUE. The recorded reads say only that it reads the type, not which value.
        using var copy = sample.CreateCopy();
        await using var database = await postgres.CreateDatabaseAsync("genreads_old_value");
        copy.WriteEnvironments("""{ "development": { "url": "${DEV_URL}" } }""");
        copy.WriteFile(".env", $"DEV_URL={database.ConnectionString}\n");
        Assert.Equal(0, (await copy.RunAsync("generate", "--name", "init")).ExitCode);
        AddUrgentWithCheck(copy, "not_low", "priority <> 'low'");

        var generated = await copy.RunAsync("generate", "--name", "urgent");

        Assert.True(generated.ExitCode == 0, generated.ToString());
        var up = copy.ReadMigrationFile("0001_urgent", "up.sql");
        Assert.True(up.Contains("ADD VALUE 'urgent'", StringComparison.Ordinal), up);
    }

    [Fact]
    public async Task The_text_fallback_warning_does_not_print_the_development_urls_password()
    {
        using var copy = sample.CreateCopy();
        Assert.Equal(0, (await copy.RunAsync("generate", "--name", "init")).ExitCode);
        copy.WriteEnvironments("""{ "development": { "url": "postgres://strata:s3cretpw@127.0.0.1:1/nowhere?sslmode=disable" } }""");
        AddUrgentWithCheck(copy, "not_urgent_yet", "priority <> enum_last(NULL::priority)");

        var generated = await copy.RunAsync("generate", "--name", "urgent");

        Assert.True(generated.ExitCode == 0, generated.ToString());
        Assert.DoesNotContain("s3cretpw", generated.ToString());
    }

    [Fact]
    public async Task A_generate_whose_decisions_need_no_reads_starts_no_server()
    {
        using var copy = sample.CreateCopy();
        Assert.Equal(0, (await copy.RunAsync("generate", "--name", "init")).ExitCode);
        copy.EditSchema("t.Column(\"due_on\", Types.Date);", "t.Column(\"due_on\", Types.Date);\n            t.Column(\"notes\", Types.Text);");

        var generated = await copy.RunAsync("generate", "--name", "add_notes");

        Assert.True(generated.ExitCode == 0, generated.ToString());
        Assert.DoesNotContain(AskingPostgres, generated.Output);
        // The development environment has no url: asking would have started the local PostgreSQL in .strata/postgres.
        Assert.False(Directory.Exists(Path.Combine(copy.Directory, ".strata", "postgres")), "the local PostgreSQL was started");
    }
}
