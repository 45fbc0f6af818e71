using Npgsql;
using Strata.IntegrationTests.Infrastructure;

namespace Strata.IntegrationTests.Cli;

[Collection(CliCollection.Name)]
public sealed class MigrateTests(BuiltSample sample, PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    [Fact]
    public async Task Migrate_applies_the_pending_migrations_and_a_second_run_has_nothing_to_apply()
    {
        using var copy = sample.CreateCopy();
        Assert.Equal(0, (await copy.RunAsync("generate", "--name", "init")).ExitCode);
        await using var database = await postgres.CreateDatabaseAsync("cli_migrate");

        var first = await copy.RunAsync("migrate", "--connection", database.ConnectionString);

        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.Contains("applied 0000_init in", first.Stdout);
        Assert.Equal(3L, await database.ScalarAsync<long>(
            "SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tablename IN ('users', 'lists', 'items')"));
        Assert.Equal(1L, await database.ScalarAsync<long>("SELECT count(*) FROM pg_views WHERE viewname = 'open_items'"));

        Assert.Equal(0, (await copy.RunAsync("generate", "--custom", "--name", "noop")).ExitCode);
        var second = await copy.RunAsync("migrate", "--connection", database.ConnectionString);
        Assert.True(second.ExitCode == 0, second.ToString());
        Assert.Contains("applied 0001_noop", second.Stdout);
        Assert.DoesNotContain("0000_init", second.Stdout);

        var third = await copy.RunAsync("migrate", "--connection", database.ConnectionString);
        Assert.True(third.ExitCode == 0, third.ToString());
        Assert.Contains("Nothing to apply", third.Stdout);
    }

    [Fact]
    public async Task Without_a_connection_migrate_starts_a_local_postgres_next_to_strata_json_and_keeps_using_it()
    {
        using var copy = sample.CreateCopy();
        Assert.Equal(0, (await copy.RunAsync("generate", "--name", "init")).ExitCode);
        var dataDirectory = Path.Combine(copy.Directory, ".strata", "postgres");
        try
        {
            var first = await copy.RunAsync("migrate");

            Assert.True(first.ExitCode == 0, first.ToString());
            Assert.Contains("Started the local PostgreSQL", first.Stdout);
            Assert.Contains("Created the database strata_dev", first.Stdout);
            Assert.Contains("applied 0000_init", first.Stdout);

            var second = await copy.RunAsync("migrate");

            Assert.True(second.ExitCode == 0, second.ToString());
            Assert.Contains("already running", second.Stdout);
            Assert.Contains("Nothing to apply", second.Stdout);
        }
        finally
        {
            if (File.Exists(Path.Combine(dataDirectory, "PG_VERSION")))
            {
                await using var server = await Strata.Postgres.LocalServer.LocalPostgres.StartAsync(new() { DataDirectory = dataDirectory });
                await server.StopAsync();
            }
        }
    }

    [Fact]
    public async Task A_postgres_url_in_STRATA_DATABASE_URL_is_used_and_its_password_never_printed()
    {
        using var copy = sample.CreateCopy();
        Assert.Equal(0, (await copy.RunAsync("generate", "--name", "init")).ExitCode);
        await using var database = await postgres.CreateDatabaseAsync("cli_url");
        var target = new NpgsqlConnectionStringBuilder(database.ConnectionString);
        const string password = "s3cret-Pa55word";
        var url = $"postgres://{Uri.EscapeDataString(target.Username!)}:{password}@{target.Host}:{target.Port}/{target.Database}?sslmode=disable";

        var result = await StrataProcess.RunAsync(copy.Directory, new Dictionary<string, string?> { ["STRATA_DATABASE_URL"] = url }, "migrate");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains($"{target.Host}:{target.Port}/{target.Database}", result.Stdout);
        Assert.DoesNotContain(password, result.Output);
        Assert.Equal(1L, await database.ScalarAsync<long>("SELECT count(*) FROM pg_tables WHERE tablename = 'items'"));
    }

    [Fact]
    public async Task A_failing_statement_is_reported_with_the_file_and_postgres_error_and_exit_1()
    {
        using var copy = sample.CreateCopy();
        Assert.Equal(0, (await copy.RunAsync("generate", "--custom", "--name", "broken")).ExitCode);
        var up = Path.Combine(copy.MigrationsDirectory, "0000_broken", "up.sql");
        await File.WriteAllTextAsync(up, "SELECT * FROM no_such_table;\n");
        Assert.Equal(0, (await copy.RunAsync("hash")).ExitCode);
        await using var database = await postgres.CreateDatabaseAsync("cli_fail");

        var result = await copy.RunAsync("migrate", "--connection", database.ConnectionString);

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains("up.sql", result.Stderr);
        Assert.Contains("42P01", result.Stderr);
        Assert.DoesNotContain("   at ", result.Output);
    }

    [Fact]
    public async Task A_failure_shows_the_detail_postgres_gives_and_leaves_nothing_of_the_migration()
    {
        using var copy = sample.CreateCopy();
        Assert.Equal(0, (await copy.RunAsync("generate", "--custom", "--name", "duplicates")).ExitCode);
        var up = Path.Combine(copy.MigrationsDirectory, "0000_duplicates", "up.sql");
        await File.WriteAllTextAsync(up, """
            CREATE TABLE tags (name text PRIMARY KEY);
            --> statement-breakpoint
            INSERT INTO tags VALUES ('red'), ('red');

            """);
        Assert.Equal(0, (await copy.RunAsync("hash")).ExitCode);
        await using var database = await postgres.CreateDatabaseAsync("cli_detail");

        var result = await copy.RunAsync("migrate", "--connection", database.ConnectionString);

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains("23505", result.Stderr);
        Assert.Contains("Key (name)=(red) already exists.", result.Stderr);
        Assert.Contains("up.sql:3", result.Stderr);
        Assert.Equal(0L, await database.ScalarAsync<long>("SELECT count(*) FROM pg_tables WHERE tablename = 'tags'"));
        Assert.Equal(0L, await database.ScalarAsync<long>("SELECT count(*) FROM strata.__strata_migrations"));
    }

    [Fact]
    public async Task Env_is_refused_until_environments_exist_so_no_command_runs_against_the_wrong_database()
    {
        using var copy = sample.CreateCopy();

        var result = await copy.RunAsync("migrate", "--env", "production");

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("--env: environments are not available", result.Stderr);
        Assert.False(Directory.Exists(Path.Combine(copy.Directory, ".strata")), "migrate must not have started a local server");
    }

    [Fact]
    public async Task An_unreachable_database_is_a_clear_failure_without_the_password()
    {
        using var copy = sample.CreateCopy();
        Assert.Equal(0, (await copy.RunAsync("generate", "--name", "init")).ExitCode);

        var result = await copy.RunAsync("migrate", "--connection", "Host=127.0.0.1;Port=1;Database=nowhere;Username=someone;Password=hunter2-secret;Timeout=3");

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains("someone@127.0.0.1:1/nowhere", result.Stderr);
        Assert.DoesNotContain("hunter2-secret", result.Output);
    }
}
