using Strata.Postgres.Comparison;
using Strata.Postgres.Migrations;
using Strata.Postgres.Sql;

namespace Strata.Tests.Comparison;

/// <summary>push's statements as --dry-run prints them, each numbered by the line of that output a failure names.</summary>
public sealed class PushScriptTests
{
    [Fact]
    public void The_transactional_statements_come_first_and_the_others_after_a_comment_each_with_the_line_it_starts_on()
    {
        var script = SchemaPush.Script(
        [
            new SqlStatement("ALTER TABLE \"public\".\"users\" ADD COLUMN \"nickname\" text;"),
            new SqlStatement("CREATE INDEX CONCURRENTLY \"users_nickname_idx\" ON \"public\".\"users\" (\"nickname\");", Transactional: false),
            new SqlStatement("CREATE VIEW \"public\".\"names\" AS\n  SELECT \"nickname\"\n  FROM \"public\".\"users\";"),
        ]);

        Assert.Equal("""
            ALTER TABLE "public"."users" ADD COLUMN "nickname" text;

            CREATE VIEW "public"."names" AS
              SELECT "nickname"
              FROM "public"."users";

            -- After the transaction, each on its own (PostgreSQL refuses them inside one):

            CREATE INDEX CONCURRENTLY "users_nickname_idx" ON "public"."users" ("nickname");

            """, script.Text);
        Assert.Equal([1, 3], script.InTransaction.Select(s => s.Line));
        Assert.Equal([9], script.Outside.Select(s => s.Line));
        var lines = script.Text.Split('\n');
        foreach (var statement in script.InTransaction.Concat(script.Outside))
            Assert.StartsWith(lines[statement.Line - 1], statement.Sql, StringComparison.Ordinal);
        Assert.Equal(3, script.Count);
    }

    [Fact]
    public void Without_statements_outside_the_transaction_there_is_no_comment()
    {
        var script = SchemaPush.Script([new SqlStatement("DROP TABLE \"public\".\"a\";"), new SqlStatement("DROP TABLE \"public\".\"b\";")]);

        Assert.Equal("DROP TABLE \"public\".\"a\";\n\nDROP TABLE \"public\".\"b\";\n", script.Text);
        Assert.Equal([new ScriptStatement("DROP TABLE \"public\".\"a\";", 1), new ScriptStatement("DROP TABLE \"public\".\"b\";", 3)], script.InTransaction);
        Assert.Empty(script.Outside);
    }
}
