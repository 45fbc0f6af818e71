using Strata.Postgres.Migrations;
using Strata.Postgres.Seeding;

namespace Strata.Tests.Seeding;

public sealed class SqlScriptSplitterTests
{
    private static IReadOnlyList<ScriptStatement> Split(string sql, int line = 1) =>
        SqlScriptSplitter.Split(new string('\n', line - 1) + sql, "seed.sql");

    [Fact]
    public void Statements_split_at_their_semicolons_and_each_keeps_the_line_it_starts_on()
    {
        var statements = Split("INSERT INTO a VALUES (1);\n-- the second\n\nINSERT INTO b\n  VALUES (2);\nSELECT 3", line: 10);

        Assert.Equal(["INSERT INTO a VALUES (1);", "INSERT INTO b\n  VALUES (2);", "SELECT 3"], statements.Select(s => s.Sql));
        Assert.Equal([10, 13, 15], statements.Select(s => s.Line));
    }

    [Fact]
    public void Semicolons_in_quotes_dollar_quotes_and_comments_do_not_split()
    {
        const string sql = """
            INSERT INTO t VALUES ('a;b', 'it''s; fine', E'back\'slash;', "odd;name");
            CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $body$ SELECT 1; SELECT 2; $body$;
            DO $$ BEGIN PERFORM 1; END $$;
            /* a; /* nested; */ still comment; */ SELECT $1::int; -- trailing; comment
            """;

        var statements = Split(sql);

        Assert.Equal(4, statements.Count);
        Assert.StartsWith("CREATE FUNCTION", statements[1].Sql);
        Assert.EndsWith("$body$;", statements[1].Sql);
        Assert.Equal("SELECT $1::int;", statements[3].Sql);
        Assert.Equal(4, statements[3].Line);
    }

    [Fact]
    public void The_semicolons_of_a_sql_standard_body_do_not_split_its_create_as_psql_reads_them()
    {
        const string sql = """
            CREATE OR REPLACE FUNCTION f(a int) RETURNS int LANGUAGE sql
            BEGIN ATOMIC
              INSERT INTO t VALUES (a);
              SELECT CASE WHEN a > 0 THEN a ELSE -a END;
            END;
            CREATE PROCEDURE p() LANGUAGE sql BEGIN ATOMIC DELETE FROM t; END;
            CREATE FUNCTION g(a int) RETURNS int LANGUAGE sql RETURN CASE WHEN a > 0 THEN 1 END;
            BEGIN;
            SELECT 1;
            END;
            """;

        var statements = Split(sql);

        Assert.Equal(6, statements.Count);
        Assert.EndsWith("ELSE -a END;\nEND;", statements[0].Sql);
        Assert.Equal("CREATE PROCEDURE p() LANGUAGE sql BEGIN ATOMIC DELETE FROM t; END;", statements[1].Sql);
        Assert.Equal(["BEGIN;", "SELECT 1;", "END;"], statements.Skip(3).Select(s => s.Sql));
        Assert.Equal([1, 6, 7, 8, 9, 10], statements.Select(s => s.Line));
    }

    [Fact]
    public void Blank_and_comment_only_pieces_are_no_statements()
    {
        Assert.Empty(Split("  ;\n-- nothing here;\n/* nor here */ ;"));
    }

    [Fact]
    public void An_error_position_maps_to_the_line_inside_the_statement()
    {
        var statement = Split("SELECT 1;\nINSERT INTO t\n  VALUES (oops);")[1];

        Assert.Equal(3, statement.LineAt(statement.Sql.IndexOf("oops", StringComparison.Ordinal) + 1));
        Assert.Equal(2, statement.LineAt(0));
    }

    [Fact]
    public void Breakpoints_also_split_and_a_breakpoint_inside_a_function_body_is_refused_with_its_line()
    {
        Assert.Equal(["SELECT 1", "SELECT 2;"], Split("-- strata:no-transaction\nSELECT 1\n--> statement-breakpoint\nSELECT 2;").Select(s => s.Sql));

        var error = Assert.Throws<MigrationFileException>(() => Split("DO $$\nBEGIN\n--> statement-breakpoint\nEND $$;"));
        Assert.Equal(3, error.Line);
        Assert.Contains("dollar-quoted body $$ that opens on line 1", error.Message);
    }
}
