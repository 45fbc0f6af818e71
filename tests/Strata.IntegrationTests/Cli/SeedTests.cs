using Strata.IntegrationTests.Infrastructure;

namespace Strata.IntegrationTests.Cli;

[Collection(CliCollection.Name)]
public sealed class SeedTests(BuiltSample sample, PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    private const string Seeder = """
        using Npgsql;
        using Strata.Postgres.Seeding;

        namespace Todo.Schema;

        public sealed class DevelopmentSeed : ISeeder
        {
            public async Task SeedAsync(SeedContext context, CancellationToken ct)
            {
                await using var insert = new NpgsqlCommand("INSERT INTO users (email, display_name) VALUES ('seed@example.com', $1)", context.Connection, context.Transaction);
                insert.Parameters.AddWithValue(context.Environment);
                await insert.ExecuteNonQueryAsync(ct);
                context.Log("added the seed user");
                if (Environment.GetEnvironmentVariable("SEED_FAIL") == "1")
                    throw new InvalidOperationException("no more users today");
            }
        }
        """;

    [Fact]
    public async Task Seed_runs_the_sql_files_in_name_order_in_one_transaction_and_reports_the_rows()
    {
        using var copy = sample.CreateCopy();
        copy.WriteConfig("\"seed\": \"db/seeds\"");
        // 02 depends on 01's row: name order, not the order the files were written.
        copy.WriteSeedFile("02_lists.sql", """
            -- one list for each user
            INSERT INTO lists (owner_id, title) SELECT id, 'Inbox ' || gen_random_uuid() FROM users;
            INSERT INTO items (list_id, title) SELECT id, 'Say ''hello''; then wave' FROM lists WHERE NOT EXISTS (SELECT FROM items);
            """);
        copy.WriteSeedFile("01_users.sql", "INSERT INTO users (email, display_name) VALUES ('a@example.com', 'A'), ('b@example.com', 'B')\n  ON CONFLICT DO NOTHING;\n");
        await using var database = await postgres.CreateDatabaseAsync("cli_seed_sql");
        await copy.MigrateInitAsync(database);

        var result = await copy.RunAsync(database, "seed");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("Seeded development: 2 rows into public.items, 2 into public.lists, 2 into public.users.", result.Stdout);
        Assert.Equal(2L, await database.CountRowsAsync("public.lists"));
        Assert.Equal("Say 'hello'; then wave", await database.ScalarAsync<string>("SELECT min(title) FROM items"));

        // ON CONFLICT DO NOTHING makes 01 idempotent; 02 is not, and runs again.
        var again = await copy.RunAsync(database, "seed", "--json");

        Assert.True(again.ExitCode == 0, again.ToString());
        var seeded = again.Json().GetProperty("seeded").EnumerateArray().ToDictionary(t => t.GetProperty("table").GetString()!, t => t.GetProperty("inserted").GetInt64());
        Assert.False(seeded.ContainsKey("public.users"));
        Assert.Equal(2L, seeded["public.lists"]);
        Assert.Equal(2L, await database.CountRowsAsync("public.users"));
        Assert.Equal(4L, await database.CountRowsAsync("public.lists"));
    }

    [Fact]
    public async Task A_failing_seed_statement_rolls_back_every_file_and_names_the_file_and_line()
    {
        using var copy = sample.CreateCopy();
        copy.WriteConfig("\"seed\": \"db/seeds\"");
        copy.WriteSeedFile("01_users.sql", "INSERT INTO users (email, display_name) VALUES ('a@example.com', 'A');\n");
        copy.WriteSeedFile("02_lists.sql", "INSERT INTO lists (owner_id, title) SELECT id, 'Inbox' FROM users;\n\nINSERT INTO lists (owner_id, title)\n  VALUES (424242, 'Nobody''s');\n");
        await using var database = await postgres.CreateDatabaseAsync("cli_seed_fail");
        await copy.MigrateInitAsync(database);

        var result = await copy.RunAsync(database, "seed");

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains("02_lists.sql:3: the seed failed: 23503", result.Stderr);
        Assert.Contains("rolled back", result.Stderr);
        Assert.DoesNotContain("   at ", result.Output);
        Assert.Equal(0L, await database.CountRowsAsync("public.users"));
        Assert.Equal(0L, await database.CountRowsAsync("public.lists"));
    }

    [Fact]
    public async Task Seed_without_a_configured_seed_is_a_usage_error_with_an_example()
    {
        using var copy = sample.CreateCopy();
        await using var database = await postgres.CreateDatabaseAsync("cli_seed_none");

        var result = await copy.RunAsync(database, "seed");

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("names no seed", result.Stderr);
        Assert.Contains("\"seed\": \"db/seeds\"", result.Stderr);
    }

    [Fact]
    public async Task A_csharp_seeder_in_the_schema_project_runs_with_the_environment_and_a_failure_rolls_it_back()
    {
        using var copy = sample.CreateCopy();
        copy.WriteConfig("\"seed\": \"Todo.Schema.DevelopmentSeed\"");
        var project = Path.Combine(copy.Directory, "Todo.Schema", "Todo.Schema.csproj");
        var postgresProject = Path.Combine(StrataProcess.RepositoryRoot, "src", "Strata.Postgres", "Strata.Postgres.csproj");
        File.WriteAllText(project, File.ReadAllText(project).Replace("</Project>", $"  <ItemGroup><ProjectReference Include=\"{postgresProject}\" /></ItemGroup>\n</Project>"));
        File.WriteAllText(Path.Combine(copy.Directory, "Todo.Schema", "DevelopmentSeed.cs"), Seeder);
        await using var database = await postgres.CreateDatabaseAsync("cli_seed_class");
        await copy.MigrateInitAsync(database);

        var failed = await StrataProcess.RunAsync(copy.Directory, new Dictionary<string, string?> { ["SEED_FAIL"] = "1" }, "seed", "--connection", database.ConnectionString);

        Assert.True(failed.ExitCode == 1, failed.ToString());
        Assert.Contains("the seeder Todo.Schema.DevelopmentSeed threw InvalidOperationException: no more users today", failed.Stderr);
        Assert.DoesNotContain("   at ", failed.Output);
        Assert.Equal(0L, await database.CountRowsAsync("public.users"));

        var result = await copy.RunAsync(database, "seed");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("added the seed user", result.Stdout);
        Assert.Contains("Seeded development: 1 row into public.users.", result.Stdout);
        Assert.Equal("development", await database.ScalarAsync<string>("SELECT display_name FROM users"));
    }
}
