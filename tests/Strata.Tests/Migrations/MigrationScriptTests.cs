using Strata.Postgres.Migrations;
using Strata.Postgres.Sql;

namespace Strata.Tests.Migrations;

public class MigrationScriptTests
{
    [Fact]
    public void Up_sql_separates_statements_with_breakpoint_lines_and_ends_with_a_newline()
    {
        var text = MigrationScript.RenderUp(
        [
            new SqlStatement("CREATE TABLE \"public\".\"users\" (\n\t\"id\" bigint NOT NULL\n);"),
            new SqlStatement("CREATE INDEX \"users_id_idx\" ON \"public\".\"users\" (\"id\");"),
        ]);

        Assert.Equal("""
            CREATE TABLE "public"."users" (
            	"id" bigint NOT NULL
            );
            --> statement-breakpoint
            CREATE INDEX "users_id_idx" ON "public"."users" ("id");

            """.ReplaceLineEndings("\n"), text);
    }

    [Fact]
    public void A_non_transactional_statement_puts_the_no_transaction_directive_in_the_header()
    {
        var text = MigrationScript.RenderUp(
        [
            new SqlStatement("CREATE INDEX CONCURRENTLY \"a_idx\" ON \"t\" (\"a\");", Transactional: false),
        ]);

        Assert.Equal("-- strata:no-transaction\n\nCREATE INDEX CONCURRENTLY \"a_idx\" ON \"t\" (\"a\");\n", text);
        Assert.False(MigrationScript.Parse(text, "up.sql").RunsInTransaction);
        Assert.True(MigrationScript.Parse("SELECT 1;\n", "up.sql").RunsInTransaction);
    }

    [Fact]
    public void Down_sql_names_irreversible_up_steps_and_its_own_data_loss_in_the_header_and_in_place()
    {
        IReadOnlyList<SqlStatement> up =
        [
            new SqlStatement("ALTER TABLE \"public\".\"users\" DROP COLUMN \"bio\";", DataLoss: "drops column public.users.bio and its data"),
            new SqlStatement("ALTER TABLE \"public\".\"users\" ADD COLUMN \"age\" integer;"),
        ];
        IReadOnlyList<SqlStatement> down =
        [
            new SqlStatement("ALTER TABLE \"public\".\"users\" DROP COLUMN \"age\";", DataLoss: "drops column public.users.age and its data"),
            new SqlStatement("ALTER TABLE \"public\".\"users\" ADD COLUMN \"bio\" text;"),
        ];

        var text = MigrationScript.RenderDown(up, down);

        Assert.Equal("""
            -- strata:irreversible up.sql drops column public.users.bio and its data; this script cannot give that data back
            -- strata:data-loss drops column public.users.age and its data

            -- data loss: drops column public.users.age and its data
            ALTER TABLE "public"."users" DROP COLUMN "age";
            --> statement-breakpoint
            ALTER TABLE "public"."users" ADD COLUMN "bio" text;

            """.ReplaceLineEndings("\n"), text);
        var parsed = MigrationScript.Parse(text, "down.sql");
        Assert.Equal([MigrationScript.Irreversible, MigrationScript.DataLoss], parsed.Directives.Select(d => d.Name));
        Assert.Equal([1, 2], parsed.Directives.Select(d => d.Line));
        Assert.Equal(down.Select(s => s.Sql), parsed.Statements.Select(s => s.Sql));
        Assert.Equal([5, 7], parsed.Statements.Select(s => s.Line));
    }

    [Fact]
    public void Rendering_then_parsing_gives_the_statements_back_with_the_line_each_starts_on()
    {
        IReadOnlyList<SqlStatement> statements =
        [
            new SqlStatement("CREATE TYPE \"mood\" AS ENUM ('sad', 'ok');"),
            new SqlStatement("CREATE TABLE \"t\" (\n  \"a\" integer,\n  \"b\" text\n);"),
            new SqlStatement("CREATE INDEX CONCURRENTLY \"t_a_idx\" ON \"t\" (\"a\");", Transactional: false),
            new SqlStatement("COMMENT ON TABLE \"t\" IS 'it''s -- not a comment';"),
        ];

        var parsed = MigrationScript.Parse(MigrationScript.RenderUp(statements), "up.sql");

        Assert.Equal(statements.Select(s => s.Sql), parsed.Statements.Select(s => s.Sql));
        Assert.Equal([3, 5, 10, 12], parsed.Statements.Select(s => s.Line));
        Assert.Equal(MigrationScript.NoTransaction, Assert.Single(parsed.Directives).Name);
    }

    [Fact]
    public void A_hand_written_script_with_comments_blank_lines_and_crlf_parses_with_correct_lines()
    {
        var text = "-- strata:no-transaction\r\n\r\n-- Backfill the new column.\r\nUPDATE users\r\n   SET age = 0;\r\n\r\n--> statement-breakpoint\r\n\r\nCREATE INDEX CONCURRENTLY users_age_idx ON users (age);\r\n";

        var parsed = MigrationScript.Parse(text, "up.sql");

        Assert.Equal(["UPDATE users\n   SET age = 0;", "CREATE INDEX CONCURRENTLY users_age_idx ON users (age);"], parsed.Statements.Select(s => s.Sql));
        Assert.Equal([4, 9], parsed.Statements.Select(s => s.Line));
        Assert.False(parsed.RunsInTransaction);
    }

    [Fact]
    public void A_drizzle_style_breakpoint_at_the_end_of_a_line_also_separates_statements()
    {
        var parsed = MigrationScript.Parse("CREATE TABLE a (x int);--> statement-breakpoint\nCREATE TABLE b (y int);", "0000_x.sql");

        Assert.Equal(["CREATE TABLE a (x int);", "CREATE TABLE b (y int);"], parsed.Statements.Select(s => s.Sql));
        Assert.Equal([1, 2], parsed.Statements.Select(s => s.Line));
    }

    [Fact]
    public void An_empty_or_comment_only_script_has_no_statements()
    {
        Assert.Empty(MigrationScript.Parse("", "up.sql").Statements);
        Assert.Empty(MigrationScript.Parse("-- Write the migration here.\n\n", "up.sql").Statements);
        Assert.Equal("", MigrationScript.RenderUp([]));
    }

    [Fact]
    public void An_unknown_directive_is_an_error_with_file_and_line()
    {
        var error = Assert.Throws<MigrationFileException>(() =>
            MigrationScript.Parse("\n-- strata:no-transactions\nSELECT 1;\n", "db/migrations/0001_x/up.sql"));

        Assert.Equal("db/migrations/0001_x/up.sql", error.File);
        Assert.Equal(2, error.Line);
        Assert.StartsWith("db/migrations/0001_x/up.sql:2: unknown directive \"-- strata:no-transactions\"", error.Message);
        Assert.Contains("-- strata:no-transaction,", error.Message);
    }

    [Fact]
    public void A_directive_below_the_first_statement_is_an_error_rather_than_ignored()
    {
        var error = Assert.Throws<MigrationFileException>(() =>
            MigrationScript.Parse("SELECT 1;\n--> statement-breakpoint\n-- strata:no-transaction\nSELECT 2;\n", "up.sql"));

        Assert.Equal(3, error.Line);
        Assert.Contains("move -- strata: directives to the top", error.Message);
    }

    [Fact]
    public void A_breakpoint_inside_a_dollar_quoted_function_body_is_refused_naming_its_line_and_where_the_body_opens()
    {
        const string script = """
            CREATE FUNCTION f() RETURNS void LANGUAGE plpgsql AS $fn$
            BEGIN
              PERFORM 1;
            --> statement-breakpoint
              PERFORM 2;
            END $fn$;
            """;

        var error = Assert.Throws<MigrationFileException>(() => MigrationScript.Parse(script, "db/migrations/0001_f/up.sql"));

        Assert.Equal(4, error.Line);
        Assert.StartsWith("db/migrations/0001_f/up.sql:4: ", error.Message);
        Assert.Contains("inside the dollar-quoted body $fn$ that opens on line 1", error.Message);
    }

    [Theory]
    [InlineData("SELECT 'first\n--> statement-breakpoint\nsecond';", "string literal that opens on line 1")]
    [InlineData("/* a comment\n--> statement-breakpoint\n*/ SELECT 1;", "/* */ comment that opens on line 1")]
    [InlineData("SELECT 1; -- see --> statement-breakpoint", "at the end of a comment")]
    public void A_breakpoint_inside_a_string_or_comment_is_refused(string script, string where)
    {
        var error = Assert.Throws<MigrationFileException>(() => MigrationScript.Parse(script, "up.sql"));

        Assert.Contains(where, error.Message);
    }

    [Fact]
    public void Breakpoint_markers_inside_quoted_identifiers_and_mid_line_strings_are_text_not_breakpoints()
    {
        var script = MigrationScript.RenderUp(
        [
            new SqlStatement("CREATE TABLE \"public\".\"x--> statement-breakpoint\" (\n\t\"id\" integer\n);", true),
            new SqlStatement("ALTER TABLE \"public\".\"x--> statement-breakpoint\" ADD CONSTRAINT \"x--> statement-breakpoint_pkey\" PRIMARY KEY (\"id\");", true),
            new SqlStatement("DROP TABLE \"public\".\"x--> statement-breakpoint\"", true),
        ]);

        var parsed = MigrationScript.Parse(script, "up.sql");

        Assert.Equal(3, parsed.Statements.Count);
        Assert.EndsWith("\"x--> statement-breakpoint\"", parsed.Statements[2].Sql);
    }

    [Fact]
    public void A_failing_statement_is_quoted_by_its_first_lines_and_the_lines_around_the_error_never_whole()
    {
        var statement = new ScriptStatement("INSERT INTO t VALUES\n" + string.Join(",\n", Enumerable.Range(1, 100_000).Select(i => $"({i})")) + ";", 7);

        var excerpt = statement.Excerpt(errorLine: 7 + 50_000);

        Assert.True(excerpt.Length < 2000, excerpt);
        Assert.StartsWith("    INSERT INTO t VALUES\n    (1),\n    … (", excerpt);
        Assert.Contains("    (50000),", excerpt);
        Assert.EndsWith("more lines)", excerpt);

        var oneLine = new ScriptStatement("SELECT '" + new string('x', 1_000_000) + "';", 1).Excerpt(1);
        Assert.True(oneLine.Length < 400, oneLine);
        Assert.Contains("more characters)", oneLine);
    }

    [Fact]
    public void A_lint_ignore_line_between_statements_is_a_directive_and_leaves_the_statements_as_they_were()
    {
        var script = MigrationScript.Parse("""
            -- strata:lint-ignore-file char-type
            SELECT 1;
            --> statement-breakpoint
            -- strata:lint-ignore drop-column, rename
            SELECT 2;
            """.ReplaceLineEndings("\n"), "up.sql");

        Assert.Equal(["SELECT 1;", "SELECT 2;"], script.Statements.Select(s => s.Sql));
        Assert.Equal([5], script.Statements.Skip(1).Select(s => s.Line));
        Assert.Equal([("lint-ignore-file", "char-type", 1), ("lint-ignore", "drop-column, rename", 4)],
            script.Directives.Select(d => (d.Name, d.Argument, d.Line)));
    }

    [Fact]
    public void Other_directives_below_the_first_statement_and_a_lint_ignore_without_rules_are_refused()
    {
        var below = Assert.Throws<MigrationFileException>(() => MigrationScript.Parse("SELECT 1;\n-- strata:no-transaction\n", "up.sql"));
        Assert.Contains("below the first statement", below.Message);
        var empty = Assert.Throws<MigrationFileException>(() => MigrationScript.Parse("-- strata:lint-ignore\nSELECT 1;\n", "up.sql"));
        Assert.Contains("names no rule", empty.Message);
    }
}
