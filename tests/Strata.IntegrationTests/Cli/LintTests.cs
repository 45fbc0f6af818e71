using Strata.IntegrationTests.Infrastructure;

namespace Strata.IntegrationTests.Cli;

/// <summary><c>strata lint</c> as a process: its text, GitHub and JSON output, its exit codes, its settings; and <c>check --env</c>'s lint of the migrations not yet applied.</summary>
[Collection(CliCollection.Name)]
public sealed class LintTests(BuiltSample sample, PostgresFixture postgres) : IClassFixture<PostgresFixture>, IDisposable
{
    private const string Users = """
        CREATE TABLE "public"."users" (
          "id" bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
          "email" text NOT NULL
        );
        """;

    private const string PlainIndex = "CREATE INDEX \"users_email_idx\" ON \"public\".\"users\" (\"email\");\n";

    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("strata-lint-");

    public void Dispose() => _folder.Delete(recursive: true);

    /// <summary>A hand-written migration folder under m/ of the temporary folder (no strata.json: lint needs none with --migrations-folder).</summary>
    private void Migration(string id, string up, string down = "")
    {
        var folder = Directory.CreateDirectory(Path.Combine(_folder.FullName, "m", id));
        File.WriteAllText(Path.Combine(folder.FullName, "up.sql"), up);
        File.WriteAllText(Path.Combine(folder.FullName, "down.sql"), down);
    }

    private Task<CliResult> LintAsync(params string[] args) => StrataProcess.RunAsync(_folder.FullName, ["lint", "--migrations-folder", "m", .. args]);

    [Fact]
    public async Task A_plain_index_on_an_existing_table_is_printed_with_file_line_rule_why_and_safe_form_and_lint_exits_1()
    {
        Migration("0000_users", Users);
        Migration("0001_email_index", "SELECT 1;\n--> statement-breakpoint\n" + PlainIndex);

        var result = await LintAsync();

        Assert.True(result.ExitCode == 1, result.ToString());
        var lines = result.PlainStdout.Split('\n');
        var at = Array.FindIndex(lines, l => l.StartsWith("m/0001_email_index/up.sql:3: error index-not-concurrent: CREATE INDEX users_email_idx on public.users", StringComparison.Ordinal));
        Assert.True(at >= 0, result.ToString());
        Assert.StartsWith("    why:  CREATE INDEX blocks every write to the table", lines[at + 1]);
        Assert.StartsWith("    safe: CREATE INDEX CONCURRENTLY", lines[at + 2]);
        Assert.Contains("1 error, 0 warnings in 2 migrations", result.PlainStdout);
    }

    [Fact]
    public async Task The_safe_form_and_an_index_on_a_table_of_the_same_migration_pass_with_exit_0()
    {
        Migration("0000_users", Users + "\n--> statement-breakpoint\n" + PlainIndex);
        Migration("0001_email_index", "-- strata:no-transaction\n\nCREATE INDEX CONCURRENTLY \"users_email2_idx\" ON \"public\".\"users\" (\"email\");\n");

        var result = await LintAsync();

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("ok    no findings in 2 migrations", result.PlainStdout);
    }

    [Fact]
    public async Task Json_lists_the_findings_and_github_format_prints_annotations()
    {
        Migration("0000_users", Users);
        Migration("0001_code", "ALTER TABLE \"public\".\"users\" ADD COLUMN \"code\" char(2);\n--> statement-breakpoint\n" + PlainIndex);

        var json = await LintAsync("--json");

        Assert.True(json.ExitCode == 1, json.ToString());
        var document = json.Json();
        Assert.False(document.GetProperty("ok").GetBoolean());
        Assert.Equal(1, document.GetProperty("exitCode").GetInt32());
        Assert.Equal(2, document.GetProperty("migrations").GetInt32());
        var findings = document.GetProperty("findings").EnumerateArray().ToList();
        Assert.Equal(["char-type", "index-not-concurrent"], findings.Select(f => f.GetProperty("rule").GetString()));
        Assert.Equal("m/0001_code/up.sql", findings[1].GetProperty("file").GetString());
        Assert.Equal(3, findings[1].GetProperty("line").GetInt32());
        Assert.Equal("error", findings[1].GetProperty("level").GetString());
        Assert.Equal("warning", findings[0].GetProperty("level").GetString());
        Assert.StartsWith("CREATE INDEX CONCURRENTLY", findings[1].GetProperty("safeForm").GetString());
        Assert.StartsWith("CREATE INDEX blocks", findings[1].GetProperty("why").GetString());

        var github = await LintAsync("--format", "github");

        Assert.True(github.ExitCode == 1, github.ToString());
        var annotations = github.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, annotations.Length);
        Assert.StartsWith("::warning file=m/0001_code/up.sql,line=1,title=strata lint%3A char-type::public.users.code is char(2)", annotations[0]);
        Assert.StartsWith("::error file=m/0001_code/up.sql,line=3,title=strata lint%3A index-not-concurrent::CREATE INDEX users_email_idx", annotations[1]);
        Assert.Contains("%0AWhy: CREATE INDEX blocks", annotations[1]);
        Assert.Contains("%0ASafe form: CREATE INDEX CONCURRENTLY", annotations[1]);
    }

    [Fact]
    public async Task Since_reports_only_the_later_migrations_and_an_unknown_one_is_a_usage_error()
    {
        Migration("0000_users", Users);
        Migration("0001_email_index", PlainIndex);
        Migration("0002_code", "ALTER TABLE \"public\".\"users\" ADD COLUMN \"code\" text;\n");

        var later = await LintAsync("--since", "0001_email_index");

        Assert.True(later.ExitCode == 0, later.ToString());
        Assert.Contains("ok    no findings in 1 migration", later.PlainStdout);

        var unknown = await LintAsync("--since", "0007_nothing");

        Assert.True(unknown.ExitCode == 2, unknown.ToString());
        Assert.Contains("--since names 0007_nothing, which is not a migration in m", unknown.Stderr);
    }

    [Fact]
    public async Task A_lint_ignore_line_and_strata_json_levels_silence_or_lower_a_rule()
    {
        Migration("0000_users", Users);
        Migration("0001_email_index", "-- strata:lint-ignore index-not-concurrent\n" + PlainIndex);

        var ignored = await LintAsync();

        Assert.True(ignored.ExitCode == 0, ignored.ToString());

        Migration("0002_name_index", "CREATE INDEX users_name_idx ON public.users (email);\n");
        File.WriteAllText(Path.Combine(_folder.FullName, "strata.json"), """
            { "schema": "App.Schema/App.Schema.csproj", "migrations": "m", "lint": { "rules": { "index-not-concurrent": "warning" } } }
            """);

        var lowered = await StrataProcess.RunAsync(_folder.FullName, "lint");

        Assert.True(lowered.ExitCode == 0, lowered.ToString());
        Assert.Contains("m/0002_name_index/up.sql:1: warning index-not-concurrent:", lowered.PlainStdout);

        File.WriteAllText(Path.Combine(_folder.FullName, "strata.json"), """
            { "schema": "App.Schema/App.Schema.csproj", "migrations": "m", "lint": { "rules": { "index-not-concurent": "off" } } }
            """);

        var misspelt = await StrataProcess.RunAsync(_folder.FullName, "lint");

        Assert.True(misspelt.ExitCode == 2, misspelt.ToString());
        Assert.Contains("\"lint.rules\" names \"index-not-concurent\", which is not a rule of strata lint (did you mean \"index-not-concurrent\"?)", misspelt.Stderr);
        Assert.DoesNotContain("   at ", misspelt.Stderr);
    }

    [Fact]
    public async Task Check_with_an_environment_lints_the_migrations_not_yet_applied_there_and_exits_1_on_an_error()
    {
        using var copy = sample.CreateCopy();
        await using var production = await postgres.CreateDatabaseAsync("lint_check_prod");
        var generated = await copy.RunAsync("generate", "--name", "init");
        Assert.True(generated.ExitCode == 0, generated.ToString());
        copy.WriteEnvironments("""{ "production": { "url": "${PRODUCTION_URL}" } }""");
        copy.WriteFile(".env", $"PRODUCTION_URL={production.ConnectionString}\n");
        var migrated = await copy.RunAsync("migrate", "--env", "production");
        Assert.True(migrated.ExitCode == 0, migrated.ToString());

        // Applied already: 0000_init creates tables and their indexes, nothing to report, and check stays as it was.
        var clean = await copy.RunAsync("check", "--env", "production", "--json");
        Assert.True(clean.ExitCode == 0, clean.ToString());
        Assert.False(clean.Json().TryGetProperty("lint", out _));

        await copy.AddMigrationAsync("0001_title_index", """
            -- strata:lint-ignore index-not-concurrent
            CREATE INDEX "lists_title_idx" ON "public"."lists" ("title");
            --> statement-breakpoint
            CREATE INDEX "items_title_idx" ON "public"."items" ("title");

            """, "DROP INDEX \"public\".\"items_title_idx\";\n--> statement-breakpoint\nDROP INDEX \"public\".\"lists_title_idx\";\n");

        var result = await copy.RunAsync("check", "--env", "production");

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains("db/migrations/0001_title_index/up.sql:4: error index-not-concurrent: CREATE INDEX items_title_idx on public.items", result.PlainStdout);
        Assert.DoesNotContain("lists_title_idx on public.lists", result.PlainStdout);
        Assert.Contains("lint of the 1 migration not yet applied in production: 1 error, 0 warnings in 1 migration", result.PlainStdout);
        Assert.Contains("the migrations not yet applied have 1 lint error", result.Stderr);

        var json = await copy.RunAsync("check", "--env", "production", "--json");

        Assert.True(json.ExitCode == 1, json.ToString());
        var lint = json.Json().GetProperty("lint").EnumerateArray().ToList();
        Assert.Equal(["index-not-concurrent"], lint.Select(f => f.GetProperty("rule").GetString()));
        Assert.Equal(4, lint[0].GetProperty("line").GetInt32());

        // Without an environment check cannot know which migrations are new: it lints nothing.
        var offline = await copy.RunAsync("check");
        Assert.True(offline.ExitCode == 3, offline.ToString());
        Assert.DoesNotContain("index-not-concurrent", offline.Output);

        // The lint-ignore line is a comment to the migrator: the migration applies as written.
        var applied = await copy.RunAsync("migrate", "--env", "production");
        Assert.True(applied.ExitCode == 0, applied.ToString());
        Assert.Equal(2L, await production.ScalarAsync<long>("SELECT count(*) FROM pg_indexes WHERE indexname IN ('lists_title_idx', 'items_title_idx')"));
    }
}
