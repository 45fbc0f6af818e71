using System.Security.Cryptography;
using System.Text;

namespace Strata.IntegrationTests.Cli;

[Collection(CliCollection.Name)]
public sealed class GenerateTests(BuiltSample sample)
{
    [Fact]
    public async Task Generate_writes_up_down_and_snapshot_and_a_strata_sum_that_matches_them()
    {
        using var copy = sample.CreateCopy();

        var result = await copy.RunAsync("generate", "--name", "init");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(["0000_init"], copy.MigrationFolders());
        foreach (var file in new[] { "up.sql", "down.sql", "snapshot.json" })
            Assert.True(File.Exists(Path.Combine(copy.MigrationsDirectory, "0000_init", file)), file + " is missing");
        Assert.Contains(Path.Combine("db", "migrations", "0000_init"), result.Stdout);

        var up = copy.ReadMigrationFile("0000_init", "up.sql");
        Assert.Contains("CREATE TYPE \"public\".\"priority\" AS ENUM ('low', 'normal', 'high');", up);
        Assert.Contains("CREATE TABLE \"public\".\"users\"", up);
        Assert.Contains("--> statement-breakpoint", up);
        Assert.Contains("DROP TABLE", copy.ReadMigrationFile("0000_init", "down.sql"));

        AssertSumMatchesFiles(copy.MigrationsDirectory);
        Assert.Equal(0, (await copy.RunAsync("check")).ExitCode);
    }

    [Fact]
    public async Task Generate_with_no_change_says_so_and_writes_nothing()
    {
        using var copy = sample.CreateCopy();
        Assert.Equal(0, (await copy.RunAsync("generate", "--name", "init")).ExitCode);
        var before = Snapshot(copy.MigrationsDirectory);

        var result = await copy.RunAsync("generate", "--name", "again");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("No changes", result.Stdout);
        Assert.Equal(["0000_init"], copy.MigrationFolders());
        Assert.Equal(before, Snapshot(copy.MigrationsDirectory));
    }

    [Fact]
    public async Task A_schema_change_is_reported_by_check_then_generated_into_a_second_migration_after_a_rebuild()
    {
        using var copy = sample.CreateCopy();
        Assert.Equal(0, (await copy.RunAsync("generate", "--name", "init")).ExitCode);
        copy.EditSchema("t.Column(\"due_on\", Types.Date);", "t.Column(\"due_on\", Types.Date);\n            t.Column(\"notes\", Types.Text);");

        var check = await copy.RunAsync("check");
        Assert.True(check.ExitCode == 3, check.ToString());
        Assert.Contains("Building Todo.Schema.csproj", check.Stderr);
        Assert.Contains("notes", check.Stdout);
        Assert.Contains("strata generate", check.Output);

        var generate = await copy.RunAsync("generate", "--name", "add_notes");
        Assert.True(generate.ExitCode == 0, generate.ToString());
        Assert.DoesNotContain("Building", generate.Stderr);
        Assert.Equal(["0000_init", "0001_add_notes"], copy.MigrationFolders());
        Assert.Contains("ALTER TABLE \"public\".\"items\" ADD COLUMN \"notes\" text;", copy.ReadMigrationFile("0001_add_notes", "up.sql"));
        Assert.Contains("DROP COLUMN \"notes\"", copy.ReadMigrationFile("0001_add_notes", "down.sql"));
        AssertSumMatchesFiles(copy.MigrationsDirectory);

        var clean = await copy.RunAsync("check");
        Assert.True(clean.ExitCode == 0, clean.ToString());
    }

    [Fact]
    public async Task An_ambiguous_rename_without_a_terminal_stops_with_the_exact_flag_and_the_flag_gives_a_rename()
    {
        using var copy = sample.CreateCopy();
        Assert.Equal(0, (await copy.RunAsync("generate", "--name", "init")).ExitCode);
        copy.EditSchema("t.Column(\"display_name\", Types.Text)", "t.Column(\"full_name\", Types.Text)");

        var stopped = await copy.RunAsync("generate", "--name", "rename_display_name");

        Assert.True(stopped.ExitCode == 2, stopped.ToString());
        Assert.Contains("--rename 'column:public.users.display_name=full_name'", stopped.Stderr);
        Assert.Contains("--rename '!column:public.users.display_name'", stopped.Stderr);
        Assert.Equal(["0000_init"], copy.MigrationFolders());

        var renamed = await copy.RunAsync("generate", "--name", "rename_display_name", "--rename", "column:public.users.display_name=full_name");

        Assert.True(renamed.ExitCode == 0, renamed.ToString());
        Assert.Equal(["0000_init", "0001_rename_display_name"], copy.MigrationFolders());
        var up = copy.ReadMigrationFile("0001_rename_display_name", "up.sql");
        Assert.Contains("RENAME COLUMN \"display_name\" TO \"full_name\"", up);
        Assert.DoesNotContain("DROP COLUMN", up);
        Assert.Contains("RENAME COLUMN \"full_name\" TO \"display_name\"", copy.ReadMigrationFile("0001_rename_display_name", "down.sql"));
    }

    [Fact]
    public async Task A_renames_file_can_say_that_a_column_really_was_dropped_and_generate_warns_about_the_data_loss()
    {
        using var copy = sample.CreateCopy();
        Assert.Equal(0, (await copy.RunAsync("generate", "--name", "init")).ExitCode);
        copy.EditSchema("t.Column(\"display_name\", Types.Text)", "t.Column(\"nickname\", Types.Text)");
        var hints = Path.Combine(copy.Directory, "renames.txt");
        await File.WriteAllTextAsync(hints, "# display_name is gone for good\n!column:public.users.display_name\n");

        var result = await copy.RunAsync("generate", "--name", "replace_display_name", "--renames-file", hints, "--json");

        Assert.True(result.ExitCode == 0, result.ToString());
        using var json = System.Text.Json.JsonDocument.Parse(result.Stdout);
        Assert.Equal("0001_replace_display_name", json.RootElement.GetProperty("id").GetString());
        Assert.NotEqual(0, json.RootElement.GetProperty("dataLoss").GetArrayLength());
        var up = copy.ReadMigrationFile("0001_replace_display_name", "up.sql");
        Assert.Contains("DROP COLUMN \"display_name\"", up);
        Assert.Contains("ADD COLUMN \"nickname\"", up);
    }

    [Fact]
    public async Task A_schema_with_mistakes_is_refused_with_every_mistake_listed_and_nothing_written()
    {
        using var copy = sample.CreateCopy();
        copy.EditSchema("db.View(", """
            db.Table("broken", t =>
                    {
                        t.Column("a", Types.Text);
                        t.Column("a", Types.Integer);
                        t.Column("owner", Types.BigInt).References("nobody", "id");
                        t.Index("missing");
                    });

                    db.View(
            """);

        var result = await copy.RunAsync("generate", "--name", "broken");

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("public.broken", result.Stderr);
        Assert.Contains("nobody", result.Stderr);
        Assert.Contains("missing", result.Stderr);
        Assert.Contains("public.broken.a:", result.Stderr);
        Assert.DoesNotContain("   at ", result.Output);
        Assert.False(Directory.Exists(copy.MigrationsDirectory));
    }

    [Fact]
    public async Task A_custom_migration_is_written_even_without_changes_and_joins_the_chain()
    {
        using var copy = sample.CreateCopy();
        Assert.Equal(0, (await copy.RunAsync("generate", "--name", "init")).ExitCode);

        var result = await copy.RunAsync("generate", "--custom", "--name", "backfill");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(["0000_init", "0001_backfill"], copy.MigrationFolders());
        Assert.Contains("--", copy.ReadMigrationFile("0001_backfill", "up.sql"));
        AssertSumMatchesFiles(copy.MigrationsDirectory);
        Assert.Equal(0, (await copy.RunAsync("check")).ExitCode);
        Assert.Contains("No changes", (await copy.RunAsync("generate")).Stdout);
    }

    [Fact]
    public async Task Timestamp_prefix_names_the_folder_by_utc_time()
    {
        using var copy = sample.CreateCopy();

        var result = await copy.RunAsync("generate", "--name", "init", "--prefix", "timestamp");

        Assert.True(result.ExitCode == 0, result.ToString());
        var folder = Assert.Single(copy.MigrationFolders());
        Assert.Matches(@"^20\d{12}_init$", folder);
    }

    [Fact]
    public async Task Drop_removes_the_newest_migration_and_repairs_strata_sum()
    {
        using var copy = sample.CreateCopy();
        Assert.Equal(0, (await copy.RunAsync("generate", "--name", "init")).ExitCode);
        Assert.Equal(0, (await copy.RunAsync("generate", "--custom", "--name", "extra")).ExitCode);

        var result = await copy.RunAsync("drop");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("0001_extra", result.Stdout);
        Assert.Equal(["0000_init"], copy.MigrationFolders());
        AssertSumMatchesFiles(copy.MigrationsDirectory);
        Assert.Equal(0, (await copy.RunAsync("check")).ExitCode);
    }

    [Fact]
    public async Task Check_names_a_hand_edited_file_with_both_hashes_and_fails()
    {
        using var copy = sample.CreateCopy();
        Assert.Equal(0, (await copy.RunAsync("generate", "--name", "init")).ExitCode);
        File.AppendAllText(Path.Combine(copy.MigrationsDirectory, "0000_init", "up.sql"), "\n-- a hand edit\n");

        var result = await copy.RunAsync("check");

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains("0000_init/up.sql", result.Output);
        var hashes = System.Text.RegularExpressions.Regex.Matches(result.Output, "h1:[A-Za-z0-9+/]{43}=").Select(m => m.Value).Distinct().ToList();
        Assert.True(hashes.Count >= 2, "expected the recorded and the actual hash:\n" + result);
    }

    [Fact]
    public async Task Check_reports_two_migrations_on_the_same_parent_as_a_branch_conflict()
    {
        using var copy = sample.CreateCopy();
        Assert.Equal(0, (await copy.RunAsync("generate", "--name", "init")).ExitCode);
        Assert.Equal(0, (await copy.RunAsync("generate", "--custom", "--name", "mine")).ExitCode);
        // Another branch generated its own migration on top of 0000_init: simulate the merge.
        var mine = Path.Combine(copy.MigrationsDirectory, "0001_mine");
        var theirs = Path.Combine(copy.MigrationsDirectory, "0001_theirs");
        CopyFolder(mine, theirs);
        var snapshot = Path.Combine(theirs, "snapshot.json");
        var text = File.ReadAllText(snapshot);
        var id = System.Text.Json.JsonDocument.Parse(text).RootElement.GetProperty("id").GetString()!;
        File.WriteAllText(snapshot, text.Replace(id, new string('a', id.Length), StringComparison.Ordinal));

        var result = await copy.RunAsync("check");

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains("0001_mine", result.Output);
        Assert.Contains("0001_theirs", result.Output);
        Assert.Contains("branch", result.Output);

        // Generating on top of the conflict would diff against one branch only: refused, nothing written.
        var generate = await copy.RunAsync("generate", "--custom", "--name", "next");
        Assert.True(generate.ExitCode == 1, generate.ToString());
        Assert.Contains("branch conflict", generate.Stderr);
        Assert.Equal(["0000_init", "0001_mine", "0001_theirs"], copy.MigrationFolders());
    }

    [Fact]
    public async Task Drop_refuses_when_a_migration_that_stays_was_edited_so_the_sum_cannot_hide_it()
    {
        using var copy = sample.CreateCopy();
        Assert.Equal(0, (await copy.RunAsync("generate", "--name", "init")).ExitCode);
        Assert.Equal(0, (await copy.RunAsync("generate", "--custom", "--name", "fix")).ExitCode);
        File.AppendAllText(Path.Combine(copy.MigrationsDirectory, "0000_init", "up.sql"), "\n-- a hand edit\n");

        var result = await copy.RunAsync("drop");

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains("0000_init/up.sql", result.Stderr);
        Assert.Equal(["0000_init", "0001_fix"], copy.MigrationFolders());
        Assert.Equal(1, (await copy.RunAsync("check")).ExitCode);
    }

    [Fact]
    public async Task Generate_refuses_to_write_on_top_of_a_hand_edited_migration()
    {
        using var copy = sample.CreateCopy();
        Assert.Equal(0, (await copy.RunAsync("generate", "--name", "init")).ExitCode);
        File.AppendAllText(Path.Combine(copy.MigrationsDirectory, "0000_init", "up.sql"), "\n-- a hand edit\n");

        var result = await copy.RunAsync("generate", "--custom", "--name", "next");

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains("0000_init/up.sql", result.Stderr);
        Assert.Equal(["0000_init"], copy.MigrationFolders());
    }

    internal static void AssertSumMatchesFiles(string migrationsDirectory)
    {
        var lines = File.ReadAllLines(Path.Combine(migrationsDirectory, "strata.sum"));
        Assert.StartsWith("h1:", lines[0]);
        var entries = lines.Skip(1).ToList();
        var files = Directory.GetDirectories(migrationsDirectory)
            .SelectMany(d => Directory.GetFiles(d).Select(f => Path.GetFileName(d) + "/" + Path.GetFileName(f)))
            .Order(StringComparer.Ordinal)
            .ToList();
        Assert.Equal(files, entries.Select(e => e[..e.LastIndexOf(' ')]).ToList());
        foreach (var entry in entries)
        {
            var name = entry[..entry.LastIndexOf(' ')];
            var hash = "h1:" + Convert.ToBase64String(SHA256.HashData(File.ReadAllBytes(Path.Combine(migrationsDirectory, name))));
            Assert.Equal(name + " " + hash, entry);
        }
        var total = "h1:" + Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join("\n", entries) + "\n")));
        Assert.Equal(total, lines[0]);
    }

    private static Dictionary<string, string> Snapshot(string directory) =>
        Directory.GetFiles(directory, "*", SearchOption.AllDirectories)
            .ToDictionary(f => f, f => File.ReadAllText(f) + File.GetLastWriteTimeUtc(f).Ticks);

    private static void CopyFolder(string source, string target)
    {
        Directory.CreateDirectory(target);
        foreach (var file in Directory.GetFiles(source))
            File.Copy(file, Path.Combine(target, Path.GetFileName(file)));
    }
}
