using System.Text;
using Strata.IntegrationTests.Infrastructure;
using Strata.Model;
using Strata.Postgres.Migrations;

namespace Strata.IntegrationTests.Cli;

/// <summary>What <c>strata</c> does with migration, seed and snapshot files that are malformed, empty or large.</summary>
[Collection(CliCollection.Name)]
public sealed class MigrationFileTests(BuiltSample sample, PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    // "INSERT INTO t VALUES ('caf" and 0xE9, Latin-1 for é: not UTF-8.
    private static readonly byte[] Latin1Insert = [.. "CREATE TABLE t (v text);\n--> statement-breakpoint\nINSERT INTO t VALUES ('caf"u8, 0xE9, .. "');\n"u8];

    [Fact]
    public async Task Migrate_refuses_an_up_sql_that_is_not_utf8_naming_file_line_and_byte_offset_and_applies_nothing()
    {
        using var copy = sample.CreateCopy();
        await copy.AddMigrationAsync("0000_first", "CREATE TABLE first (id int);\n");
        await copy.AddMigrationAsync("0001_latin1", "placeholder\n");
        var up = Path.Combine(copy.MigrationsDirectory, "0001_latin1", "up.sql");
        await File.WriteAllBytesAsync(up, Latin1Insert);
        Assert.Equal(0, (await copy.RunAsync("hash")).ExitCode);
        await using var database = await postgres.CreateDatabaseAsync("cli_file_latin1");

        var result = await copy.RunAsync(database, "migrate");

        Assert.True(result.ExitCode != 0, result.ToString());
        Assert.Contains("0001_latin1/up.sql:3: byte offset 76 (0xE9) is not UTF-8", result.Stderr);
        Assert.DoesNotContain("   at ", result.Output);
        Assert.Empty(await database.TrackedIdsAsync());
        Assert.False(await database.ScalarAsync<bool>("SELECT to_regclass('public.first') IS NOT NULL"));
    }

    [Fact]
    public async Task Seed_refuses_a_file_that_is_not_utf8_naming_file_line_and_byte_offset_and_inserts_nothing()
    {
        using var copy = sample.CreateCopy();
        copy.WriteConfig("\"seed\": \"db/seeds\"");
        await using var database = await postgres.CreateDatabaseAsync("cli_file_seed_latin1");
        await copy.MigrateInitAsync(database);
        copy.WriteSeedFile("01_users.sql", "INSERT INTO users (email, display_name) VALUES ('a@example.com', 'A');\n");
        await File.WriteAllBytesAsync(Path.Combine(copy.Directory, "db", "seeds", "02_bad.sql"),
            [.. "-- a name in Latin-1\nINSERT INTO users (email, display_name) VALUES ('b@example.com', 'Jos"u8, 0xE9, .. "');\n"u8]);

        var result = await copy.RunAsync(database, "seed");

        Assert.True(result.ExitCode != 0, result.ToString());
        Assert.Contains("02_bad.sql:2: byte offset 90 (0xE9) is not UTF-8", result.Stderr);
        Assert.DoesNotContain("   at ", result.Output);
        Assert.Equal(0L, await database.CountRowsAsync("public.users"));
    }

    [Fact]
    public async Task Generate_refuses_a_snapshot_that_is_not_utf8_naming_file_line_and_byte_offset()
    {
        using var copy = sample.CreateCopy();
        await copy.AddMigrationAsync("0000_first", "CREATE TABLE first (id int);\n");
        var snapshot = Path.Combine(copy.MigrationsDirectory, "0000_first", "snapshot.json");
        var bytes = await File.ReadAllBytesAsync(snapshot);
        var end = Array.LastIndexOf(bytes, (byte)'}');
        // A JSON member at the end whose value holds a Latin-1 byte.
        var bad = bytes[..end].Concat(",\n  \"note\": \"caf"u8.ToArray()).Append((byte)0xE9).Concat("\"\n}\n"u8.ToArray()).ToArray();
        await File.WriteAllBytesAsync(snapshot, bad);
        Assert.Equal(0, (await copy.RunAsync("hash")).ExitCode);
        var line = bad.AsSpan(0, Array.IndexOf(bad, (byte)0xE9)).Count((byte)'\n') + 1;

        var result = await copy.RunAsync("generate", "--custom", "--name", "next");

        Assert.True(result.ExitCode != 0, result.ToString());
        Assert.Contains($"0000_first/snapshot.json:{line}: byte offset {Array.IndexOf(bad, (byte)0xE9)} (0xE9) is not UTF-8", result.Stderr);
        Assert.DoesNotContain("   at ", result.Output);
        Assert.Equal(["0000_first"], copy.MigrationFolders());
    }

    [Fact]
    public async Task A_breakpoint_inside_a_function_body_is_refused_naming_the_line_and_nothing_is_applied()
    {
        using var copy = sample.CreateCopy();
        await copy.AddMigrationAsync("0000_first", "CREATE TABLE first (id int);\n");
        await copy.AddMigrationAsync("0001_function", """
            CREATE FUNCTION bump() RETURNS void LANGUAGE plpgsql AS $$
            BEGIN
              INSERT INTO first VALUES (1);
            --> statement-breakpoint
              INSERT INTO first VALUES (2);
            END $$;

            """);
        await using var database = await postgres.CreateDatabaseAsync("cli_file_dollar_breakpoint");

        var result = await copy.RunAsync(database, "migrate");

        Assert.True(result.ExitCode != 0, result.ToString());
        Assert.Contains("0001_function/up.sql:4:", result.Stderr);
        Assert.Contains("inside the dollar-quoted body $$ that opens on line 1", result.Stderr);
        Assert.DoesNotContain("   at ", result.Output);
        Assert.Empty(await database.TrackedIdsAsync());
    }

    [Fact]
    public async Task An_untouched_or_empty_custom_migration_is_refused_by_migrate_and_flagged_by_status()
    {
        using var copy = sample.CreateCopy();
        await copy.AddMigrationAsync("0000_first", "CREATE TABLE first (id int);\n");
        Assert.Equal(0, (await copy.RunAsync("generate", "--custom", "--name", "backfill")).ExitCode);
        await using var database = await postgres.CreateDatabaseAsync("cli_file_empty_custom");

        var status = await copy.RunAsync(database, "status");
        var migrate = await copy.RunAsync(database, "migrate");

        Assert.Contains("warning:", status.Stdout);
        Assert.Contains("0001_backfill/up.sql has no statements", status.Stdout);
        Assert.True(migrate.ExitCode == 1, migrate.ToString());
        Assert.Contains("0001_backfill/up.sql has no statements", migrate.Stderr);
        Assert.Contains("strata drop", migrate.Stderr);
        Assert.Empty(await database.TrackedIdsAsync());

        // Emptied by hand is the same; written, it applies.
        var up = Path.Combine(copy.MigrationsDirectory, "0001_backfill", "up.sql");
        await File.WriteAllTextAsync(up, "");
        Assert.Equal(0, (await copy.RunAsync("hash")).ExitCode);
        Assert.Contains("0001_backfill/up.sql has no statements", (await copy.RunAsync(database, "migrate")).Stderr);
        await File.WriteAllTextAsync(up, "INSERT INTO first VALUES (1);\n");
        Assert.Equal(0, (await copy.RunAsync("hash")).ExitCode);
        var written = await copy.RunAsync(database, "migrate");
        Assert.True(written.ExitCode == 0, written.ToString());
        Assert.Equal(["0000_first", "0001_backfill"], await database.TrackedIdsAsync());
    }

    private static readonly QualifiedName MarkerTable = new("public", "x--> statement-breakpoint");

    [Fact]
    public async Task A_table_named_with_the_breakpoint_marker_is_generated_migrated_checked_and_rolled_back()
    {
        using var copy = sample.CreateCopy();
        copy.EditSchema("""db.Table("users", t =>""", """
            db.Table("x--> statement-breakpoint", t =>
            {
                t.Column("id", Types.Integer).PrimaryKey();
                t.Column("y--> statement-breakpoint", Types.Text).Default("--> statement-breakpoint");
                t.Index("y--> statement-breakpoint");
            });
            db.Table("users", t =>
            """);
        await using var database = await postgres.CreateDatabaseAsync("cli_file_marker_table");

        var generate = await copy.RunAsync("generate", "--name", "init");
        var migrate = await copy.RunAsync(database, "migrate");
        var created = await database.TableExistsAsync(MarkerTable);
        var status = await copy.RunAsync(database, "status");
        var check = await copy.RunAsync("check");
        var rollback = await copy.RunAsync(database, "rollback", "--accept-data-loss");

        Assert.True(generate.ExitCode == 0, generate.ToString());
        Assert.True(migrate.ExitCode == 0, migrate.ToString());
        Assert.True(created);
        Assert.True(status.ExitCode == 0, status.ToString());
        Assert.True(check.ExitCode == 0, check.ToString());
        Assert.True(rollback.ExitCode == 0, rollback.ToString());
        Assert.False(await database.TableExistsAsync(MarkerTable));
    }

    private static readonly QualifiedName MarkerLineTable = new("a\n--> statement-breakpoint\nb", "t\n--> statement-breakpoint\nu");

    [Fact]
    public async Task Names_holding_the_breakpoint_marker_on_a_line_of_their_own_are_generated_migrated_checked_and_rolled_back()
    {
        using var copy = sample.CreateCopy();
        // The C# source spells each line break as \n: every name below holds "--> statement-breakpoint" as a line of its own.
        copy.EditSchema("""db.Table("users", t =>""", """
            var marked = db.Schema("a\n--> statement-breakpoint\nb");
            var mood = marked.Enum("mood\n--> statement-breakpoint", "happy\n--> statement-breakpoint\n", "sad");
            marked.Table("t\n--> statement-breakpoint\nu", t =>
            {
                t.Column("id\n--> statement-breakpoint", Types.Serial).PrimaryKey();
                t.Column("c\n--> statement-breakpoint\nd", Types.Text).Default("x\r\n--> statement-breakpoint\r\n").Comment("--> statement-breakpoint\n");
                t.Column("m", mood).Default("happy\n--> statement-breakpoint\n");
                t.Index("c\n--> statement-breakpoint\nd").Named("i\n--> statement-breakpoint\nj");
            });
            db.Table("users", t =>
            """);
        await using var database = await postgres.CreateDatabaseAsync("cli_file_marker_line");

        var generate = await copy.RunAsync("generate", "--name", "init");
        var migrate = await copy.RunAsync(database, "migrate");
        var columns = await database.QueryAsync("""
            SELECT a.attname, pg_get_expr(d.adbin, d.adrelid)
            FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
            LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
            WHERE n.nspname = E'a\n--> statement-breakpoint\nb' AND c.relname = E't\n--> statement-breakpoint\nu' AND a.attnum > 0
            ORDER BY a.attnum
            """);
        var status = await copy.RunAsync(database, "status");
        var check = await copy.RunAsync("check");
        var regenerate = await copy.RunAsync("generate", "--name", "again");
        var rollback = await copy.RunAsync(database, "rollback", "--accept-data-loss");

        Assert.True(generate.ExitCode == 0, generate.ToString());
        Assert.True(migrate.ExitCode == 0, migrate.ToString());
        Assert.Equal(["id\n--> statement-breakpoint", "c\n--> statement-breakpoint\nd", "m"], columns.Select(c => (string)c[0]!));
        Assert.Equal("'x\r\n--> statement-breakpoint\r\n'::text", columns[1][1]);
        Assert.True(status.ExitCode == 0, status.ToString());
        Assert.True(check.ExitCode == 0, check.ToString());
        Assert.True(regenerate.ExitCode == 0, regenerate.ToString());
        Assert.Contains("No changes:", regenerate.Output);
        Assert.True(rollback.ExitCode == 0, rollback.ToString());
        Assert.False(await database.TableExistsAsync(MarkerLineTable));
        Assert.DoesNotContain("   at ", generate.Output + migrate.Output + rollback.Output);
    }

    [Fact]
    public async Task A_view_and_a_check_whose_string_holds_the_breakpoint_marker_on_a_line_of_its_own_are_generated_and_migrated()
    {
        using var copy = sample.CreateCopy();
        // PostgreSQL prints the string over lines, as written: the file gets it in E'…\n…' form.
        copy.EditSchema("""db.Table("users", t =>""", """
            db.View("marked", "SELECT 'a\n--> statement-breakpoint\nb'::text AS one");
            db.Table("checked", t =>
            {
                t.Column("v", Types.Text);
                t.Check("v_check", "v <> 'c\n--> statement-breakpoint\nd'");
            });
            db.Table("users", t =>
            """);
        await using var database = await postgres.CreateDatabaseAsync("cli_file_marker_view");

        var generate = await copy.RunAsync("generate", "--name", "marked");
        var migrate = await copy.RunAsync(database, "migrate");
        var check = await copy.RunAsync("check");

        Assert.True(generate.ExitCode == 0, generate.ToString());
        Assert.True(migrate.ExitCode == 0, migrate.ToString());
        Assert.Equal("a\n--> statement-breakpoint\nb", await database.ScalarAsync<string>("SELECT one FROM marked"));
        await Assert.ThrowsAsync<Npgsql.PostgresException>(() => database.ExecuteAsync("INSERT INTO checked VALUES (E'c\\n--> statement-breakpoint\\nd')"));
        Assert.True(check.ExitCode == 0, check.ToString());
        Assert.DoesNotContain("Exception", generate.Output + migrate.Output);
    }

    [Fact]
    public async Task A_huge_failing_statement_is_quoted_by_a_few_lines_naming_file_line_and_sqlstate()
    {
        using var copy = sample.CreateCopy();
        // One INSERT of 300,000 rows over as many lines (about 4 MB), whose row 200,000 is not an integer.
        var rows = Enumerable.Range(1, 300_000).Select(i => i == 200_000 ? "('two hundred thousand')" : $"({i})");
        await copy.AddMigrationAsync("0000_numbers", "CREATE TABLE numbers (n int);\n--> statement-breakpoint\nINSERT INTO numbers VALUES\n" + string.Join(",\n", rows) + ";\n");
        await using var database = await postgres.CreateDatabaseAsync("cli_file_huge_statement");

        var result = await copy.RunAsync(database, "migrate");

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.True(result.Stderr.Length < 4000, $"stderr holds {result.Stderr.Length} characters:\n{result.Stderr[..Math.Min(result.Stderr.Length, 4000)]}");
        Assert.Contains("0000_numbers/up.sql:200003:", result.Stderr);
        Assert.Contains("22P02", result.Stderr);
        Assert.Contains("('two hundred thousand')", result.Stderr);
        Assert.Contains("more lines)", result.Stderr);
        Assert.Empty(await database.TrackedIdsAsync());
    }

    [Fact]
    public async Task A_script_of_many_statements_applies_every_one_and_records_the_checksum_strata_sum_has()
    {
        using var copy = sample.CreateCopy();
        var text = new StringBuilder("CREATE TABLE numbers (n int PRIMARY KEY, label text);\n");
        for (var i = 1; i <= 30_000; i++)
            text.Append("--> statement-breakpoint\r\nINSERT INTO numbers VALUES (").Append(i).Append(", 'n° ").Append(i).Append(" ; it''s $$ fine');\r\n");
        await copy.AddMigrationAsync("0000_numbers", text.ToString());
        await using var database = await postgres.CreateDatabaseAsync("cli_file_many_statements");

        var result = await copy.RunAsync(database, "migrate");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(30_000L, await database.ScalarAsync<long>("SELECT count(*) FROM numbers"));
        Assert.Equal("n° 30000 ; it's $$ fine", await database.ScalarAsync<string>("SELECT label FROM numbers WHERE n = 30000"));
        var sum = (await StrataSum.ReadAsync(copy.MigrationsDirectory))!;
        Assert.Equal(StrataSum.Hash(text.ToString()), sum.Files["0000_numbers/up.sql"]);
        Assert.Equal(sum.Files["0000_numbers/up.sql"], await database.ScalarAsync<string>("SELECT checksum FROM strata.__strata_migrations"));
    }
}
