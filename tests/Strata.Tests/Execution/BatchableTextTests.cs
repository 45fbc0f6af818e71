using Strata.Postgres.Execution;

namespace Strata.Tests.Execution;

/// <summary>Which statements the executor may pipeline in a batch: a batch command must be exactly one statement.</summary>
public sealed class BatchableTextTests
{
    [Theory]
    [InlineData("CREATE TABLE a (id int);", "CREATE TABLE a (id int)")]
    [InlineData("CREATE TABLE a (id int)", "CREATE TABLE a (id int)")]
    [InlineData("INSERT INTO a VALUES (1);\n  \n", "INSERT INTO a VALUES (1)")]
    public void A_single_statement_is_sent_without_its_final_semicolon(string sql, string expected) =>
        Assert.Equal(expected, StatementExecutor.BatchableText(sql));

    [Theory]
    [InlineData("SELECT 1; SELECT 2;")]
    [InlineData("INSERT INTO a VALUES ('x;y');")]
    [InlineData("CREATE FUNCTION f() RETURNS int AS $$ SELECT 1; $$ LANGUAGE sql;")]
    [InlineData(";")]
    [InlineData("   ")]
    public void Text_that_may_hold_several_statements_or_none_runs_on_its_own(string sql) =>
        Assert.Null(StatementExecutor.BatchableText(sql));

    [Fact]
    public void A_statement_bigger_than_a_batch_goes_as_it_is_without_a_copy()
    {
        var sql = "INSERT INTO a VALUES ('" + new string('x', 300 * 1024) + "');";

        Assert.Same(sql, StatementExecutor.BatchableText(sql));
    }
}
