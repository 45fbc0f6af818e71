using Strata.IntegrationTests.Infrastructure;
using Strata.IntegrationTests.Scenarios;
using Strata.Model;
using Strata.Postgres.Introspection;
using Strata.Testing;

namespace Strata.IntegrationTests.Cli;

[Collection(CliCollection.Name)]
public sealed class RollbackTests(BuiltSample sample, PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    private static async Task<IReadOnlyList<string>> SchemaAsync(TestDatabase database)
    {
        await using var connection = await database.OpenConnectionAsync();
        return ModelDump.Lines(await PostgresIntrospector.ReadAsync(connection, excludeSchemas: ["strata"]));
    }

    [Fact]
    public async Task Rollback_steps_2_runs_the_generated_down_scripts_and_up_down_up_gives_the_identical_schema()
    {
        using var copy = sample.CreateCopy();
        Assert.Equal(0, (await copy.RunAsync("generate", "--name", "init")).ExitCode);
        copy.EditSchema("            t.Column(\"archived\", Types.Boolean).NotNull().Default(false);\n", "");
        copy.EditSchema("t.Column(\"due_on\", Types.Date);", "t.Column(\"due_on\", Types.Date);\n            t.Column(\"notes\", Types.Text);");
        var generated = await copy.RunAsync("generate", "--name", "notes");
        Assert.True(generated.ExitCode == 0, generated.ToString());
        await using var database = await postgres.CreateDatabaseAsync("cli_rollback");
        Assert.Equal(0, (await copy.RunAsync(database, "migrate")).ExitCode);
        var migrated = await SchemaAsync(database);

        // Both down scripts drop tables or columns: refused until the loss is accepted, and nothing changes.
        var refused = await copy.RunAsync(database, "rollback", "--steps", "2");

        Assert.True(refused.ExitCode == 1, refused.ToString());
        Assert.Contains("--accept-data-loss", refused.Stderr);
        Assert.Equal(migrated, await SchemaAsync(database));
        Assert.Equal(["0000_init", "0001_notes"], await database.TrackedIdsAsync());

        var result = await copy.RunAsync(database, "rollback", "--steps", "2", "--accept-data-loss");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.True(result.Stdout.IndexOf("rolled back 0001_notes", StringComparison.Ordinal) < result.Stdout.IndexOf("rolled back 0000_init", StringComparison.Ordinal), result.Stdout);
        Assert.Contains("warning: 0001_notes: up.sql drops column public.lists.archived and its values; this script cannot give that data back", result.Stdout);
        Assert.Contains("Rolled back 2 migrations", result.Stdout);
        Assert.Empty(await database.TrackedIdsAsync());
        Assert.False(await database.TableExistsAsync(new QualifiedName("public", "users")));
        Assert.Equal(0L, await database.ScalarAsync<long>("SELECT count(*) FROM pg_type WHERE typname = 'priority'"));

        var again = await copy.RunAsync(database, "migrate");

        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Equal(migrated, await SchemaAsync(database));
        Assert.Equal(["0000_init", "0001_notes"], await database.TrackedIdsAsync());
    }

    [Fact]
    public async Task Rollback_undoes_the_newest_migration_by_default_and_to_undoes_every_later_one()
    {
        using var copy = sample.CreateCopy();
        await copy.AddThreeTablesAsync();
        await copy.AddMigrationAsync("0003_d", "CREATE TABLE d (id int PRIMARY KEY);\n", "DROP TABLE d;\n");
        await using var database = await postgres.CreateDatabaseAsync("cli_rollback_to");
        Assert.Equal(0, (await copy.RunAsync(database, "migrate")).ExitCode);

        var one = await copy.RunAsync(database, "rollback");

        Assert.True(one.ExitCode == 0, one.ToString());
        Assert.Contains("rolled back 0003_d in", one.Stdout);
        Assert.False(await database.TableExistsAsync(new QualifiedName("public", "d")));
        Assert.Equal(["0000_a", "0001_b", "0002_c"], await database.TrackedIdsAsync());

        var json = await copy.RunAsync(database, "rollback", "--to", "0000", "--json");

        Assert.True(json.ExitCode == 0, json.ToString());
        Assert.Equal(["0002_c", "0001_b"], json.Json().GetProperty("rolledBack").EnumerateArray().Select(m => m.GetProperty("id").GetString()));
        Assert.Equal(["0000_a"], await database.TrackedIdsAsync());
        Assert.True(await database.TableExistsAsync(new QualifiedName("public", "a")));
        Assert.False(await database.TableExistsAsync(new QualifiedName("public", "b")));
    }

    [Fact]
    public async Task Rollback_dry_run_prints_the_down_sql_newest_first_and_changes_nothing()
    {
        using var copy = sample.CreateCopy();
        await copy.AddThreeTablesAsync();
        await using var database = await postgres.CreateDatabaseAsync("cli_rollback_dry");
        Assert.Equal(0, (await copy.RunAsync(database, "migrate")).ExitCode);

        var result = await copy.RunAsync(database, "rollback", "--steps", "2", "--dry-run");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.StartsWith("-- rollback of 0002_c (", result.Stdout);
        Assert.Contains("down.sql)", result.Stdout);
        Assert.True(result.Stdout.IndexOf("DROP TABLE c;", StringComparison.Ordinal) < result.Stdout.IndexOf("DROP TABLE b;", StringComparison.Ordinal), result.Stdout);
        Assert.DoesNotContain("DROP TABLE a", result.Stdout);
        Assert.Equal(["0000_a", "0001_b", "0002_c"], await database.TrackedIdsAsync());
        Assert.True(await database.TableExistsAsync(new QualifiedName("public", "c")));
    }

    [Fact]
    public async Task A_data_loss_down_script_is_refused_without_accept_data_loss_and_the_data_stays()
    {
        using var copy = sample.CreateCopy();
        await copy.AddMigrationAsync("0000_notes", "CREATE TABLE notes (body text);\n",
            "-- strata:data-loss drops table public.notes and all its rows\n\nDROP TABLE notes;\n");
        await using var database = await postgres.CreateDatabaseAsync("cli_rollback_loss");
        Assert.Equal(0, (await copy.RunAsync(database, "migrate")).ExitCode);
        await database.ExecuteAsync("INSERT INTO notes VALUES ('keep me')");

        var result = await copy.RunAsync(database, "rollback");

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains("0000_notes", result.Stderr);
        Assert.Contains("--accept-data-loss", result.Stderr);
        Assert.DoesNotContain("   at ", result.Output);
        Assert.Equal(1L, await database.CountRowsAsync("public.notes"));
        Assert.Equal(["0000_notes"], await database.TrackedIdsAsync());

        var json = await copy.RunAsync(database, "rollback", "--json");

        Assert.Equal(1, json.ExitCode);
        var refusal = Assert.Single(json.Json().GetProperty("refusals").EnumerateArray());
        Assert.Equal("dataLoss", refusal.GetProperty("kind").GetString());
        Assert.Equal("0000_notes", refusal.GetProperty("migrationId").GetString());
    }

    [Fact]
    public async Task A_custom_migration_with_an_empty_down_script_is_refused_with_a_clear_message()
    {
        using var copy = sample.CreateCopy();
        Assert.Equal(0, (await copy.RunAsync("generate", "--custom", "--name", "seed")).ExitCode);
        var up = Path.Combine(copy.MigrationsDirectory, "0000_seed", "up.sql");
        await File.AppendAllTextAsync(up, "CREATE TABLE settings (key text PRIMARY KEY);\n");
        Assert.Equal(0, (await copy.RunAsync("hash")).ExitCode);
        await using var database = await postgres.CreateDatabaseAsync("cli_rollback_custom");
        Assert.Equal(0, (await copy.RunAsync(database, "migrate")).ExitCode);

        var result = await copy.RunAsync(database, "rollback", "--accept-data-loss");

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains("0000_seed", result.Stderr);
        Assert.Contains("down.sql", result.Stderr);
        Assert.Contains("Write the SQL that undoes it in its down.sql", result.Stderr);
        Assert.DoesNotContain("   at ", result.Output);
        Assert.True(await database.TableExistsAsync(new QualifiedName("public", "settings")));
        Assert.Equal(["0000_seed"], await database.TrackedIdsAsync());
    }

    [Fact]
    public async Task Steps_and_to_together_are_a_usage_error()
    {
        using var copy = sample.CreateCopy();

        var result = await copy.RunAsync("rollback", "--steps", "2", "--to", "0001");

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("--steps and --to cannot be used together", result.Stderr);
        Assert.False(Directory.Exists(Path.Combine(copy.Directory, ".strata")), "rollback must not have started a local server");
    }
}
