using Strata.Postgres.Execution;

namespace Strata.Tests.Execution;

/// <summary>Which statements run outside a transaction and without lock_timeout, and the names a resumed run checks.</summary>
public sealed class ConcurrentIndexStatementTests
{
    [Theory]
    [InlineData("CREATE INDEX CONCURRENTLY \"users_email_idx\" ON \"public\".\"users\" (\"email\");")]
    [InlineData("create unique index concurrently if not exists i on only t (a)")]
    [InlineData("DROP INDEX CONCURRENTLY IF EXISTS \"public\".\"i\";")]
    [InlineData("  DROP INDEX CONCURRENTLY i")]
    public void A_concurrent_index_statement_is_recognised(string sql) =>
        Assert.True(ConcurrentIndexStatement.IsConcurrent(sql));

    // A regex anchored at the statement's first word and requiring white space between the words missed these.
    [Theory]
    [InlineData("-- rebuilt online\nCREATE INDEX CONCURRENTLY i ON t (a);")]
    [InlineData("/* retry */ CREATE INDEX CONCURRENTLY i ON t (a);")]
    [InlineData("CREATE INDEX /* online */ CONCURRENTLY i ON t (a);")]
    [InlineData("CREATE INDEX CONCURRENTLY i ON /* the */ billing.t (a);")]
    [InlineData("CREATE INDEX CONCURRENTLY ON t (a);")]
    [InlineData("DROP INDEX CONCURRENTLY i; -- done")]
    [InlineData("DROP INDEX CONCURRENTLY i RESTRICT;")]
    public void A_concurrent_index_statement_with_comments_between_its_words_or_no_index_name_is_recognised(string sql) =>
        Assert.True(ConcurrentIndexStatement.IsConcurrent(sql));

    [Theory]
    [InlineData("CREATE INDEX i ON t (a);")]
    [InlineData("CREATE INDEX \"concurrently\" ON t (a);")]
    [InlineData("SELECT 'CREATE INDEX CONCURRENTLY i ON t (a)';")]
    [InlineData("DO $$ BEGIN EXECUTE 'CREATE INDEX CONCURRENTLY i ON t (a)'; END $$;")]
    [InlineData("-- CREATE INDEX CONCURRENTLY i ON t (a)\nCREATE INDEX i ON t (a);")]
    [InlineData("/* DROP INDEX CONCURRENTLY i */ DROP INDEX i;")]
    [InlineData("REINDEX INDEX CONCURRENTLY i;")]
    public void Any_other_statement_is_not_concurrent_even_with_the_words_in_a_string_or_comment(string sql) =>
        Assert.False(ConcurrentIndexStatement.IsConcurrent(sql));

    [Fact]
    public void A_create_gives_its_index_and_table_as_PostgreSQL_reads_them()
    {
        var statement = ConcurrentIndexStatement.Read("CREATE UNIQUE INDEX CONCURRENTLY \"Email.Idx\" ON ONLY \"My.Schema\" /* x */ . Users (email);");

        Assert.NotNull(statement);
        Assert.True(statement.Creates);
        Assert.Equal(new ConcurrentIndexStatement.ObjectName(null, "Email.Idx"), statement.Index);
        Assert.Equal(new ConcurrentIndexStatement.ObjectName("My.Schema", "users"), statement.Table);
        Assert.Equal("\"My.Schema\".\"users\"", statement.Table!.Quoted);
    }

    [Fact]
    public void A_create_without_an_index_name_gives_its_table_only()
    {
        var statement = ConcurrentIndexStatement.Read("CREATE INDEX CONCURRENTLY ON t (a)");

        Assert.Equal(new ConcurrentIndexStatement.Statement(true, null, new ConcurrentIndexStatement.ObjectName(null, "t")), statement);
    }

    [Theory]
    [InlineData("CREATE INDEX CONCURRENTLY if ON t (a)", "if")]
    [InlineData("CREATE INDEX CONCURRENTLY IF NOT EXISTS if ON t (a)", "if")]
    [InlineData("CREATE INDEX CONCURRENTLY \"on\" ON t (a)", "on")]
    public void An_index_named_like_a_keyword_keeps_its_name(string sql, string name) =>
        Assert.Equal(new ConcurrentIndexStatement.ObjectName(null, name), ConcurrentIndexStatement.Read(sql)!.Index);

    [Theory]
    [InlineData("DROP INDEX CONCURRENTLY IF EXISTS \"Billing\".\"Old Idx\";", "Billing", "Old Idx")]
    [InlineData("drop index concurrently BILLING.old_idx -- gone\n", "billing", "old_idx")]
    [InlineData("DROP INDEX CONCURRENTLY if", null, "if")]
    public void A_drop_gives_its_index(string sql, string? schema, string name)
    {
        var statement = ConcurrentIndexStatement.Read(sql);

        Assert.Equal(new ConcurrentIndexStatement.Statement(false, new ConcurrentIndexStatement.ObjectName(schema, name), null), statement);
    }
}
