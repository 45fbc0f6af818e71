using Strata.Dsl;
using Strata.Postgres.Introspection;

namespace Strata.Tests.Sql;

/// <summary>The places that read a literal or an expression as PostgreSQL prints it, all through the one lexer.</summary>
public sealed class ExpressionReadingTests
{
    [Theory]
    [InlineData("'ok'", "ok")]
    [InlineData("  'it''s'::mood ", "it's")]
    [InlineData(@"E'a\nb\\'", "a\nb\\")]
    [InlineData(@"e'it\'s'", "it's")]
    [InlineData(@"E'\x41\101\u0041\t'", "AAA\t")]
    [InlineData(@"U&'\0041\+000042'", "AB")]
    public void A_default_that_is_a_string_literal_reads_as_its_text(string sql, string text) =>
        Assert.Equal(text, SqlLiteral.TryReadString(sql));

    [Theory]
    [InlineData("'a' || 'b'")]
    [InlineData("'open")]
    [InlineData(@"E'open\'")]
    [InlineData("now()")]
    [InlineData("'a' -- it's")]
    public void A_default_that_is_not_one_string_literal_reads_as_none(string sql) =>
        Assert.Null(SqlLiteral.TryReadString(sql));

    [Theory]
    [InlineData("(lower(name))", "lower(name)")]
    [InlineData("(a || ')')", "a || ')'")]
    [InlineData("(\"odd)\" || 'it''s)')", "\"odd)\" || 'it''s)'")]
    [InlineData("(a) || (b)", "(a) || (b)")]
    [InlineData("lower(name)", "lower(name)")]
    [InlineData("(x || $$)$$)", "x || $$)$$")]
    [InlineData(@"(a || E'\')')", @"a || E'\')'")]
    public void An_index_expression_loses_only_the_parentheses_around_all_of_it(string printed, string expression) =>
        Assert.Equal(expression, ModelReader.StripOuterParentheses(printed));

    [Theory]
    [InlineData("CHECK ((price > 0))", "(price > 0)")]
    [InlineData("CHECK ((note <> ')'::text)) NOT VALID", "(note <> ')'::text)")]
    [InlineData("CHECK ((note <> $$)$$))", "(note <> $$)$$)")]
    [InlineData(@"CHECK ((note <> E'\')'))", @"(note <> E'\')')")]
    [InlineData("UNIQUE (a)", "UNIQUE (a)")]
    public void A_check_constraint_reads_as_the_expression_inside_CHECK(string definition, string expression) =>
        Assert.Equal(expression, ModelReader.CheckExpression(definition));

    [Theory]
    [InlineData("'eu'::text", "text", "'eu'")]
    [InlineData("'it''s'::text", "text", "'it''s'")]
    [InlineData("'ok'::mood", "text", "'ok'::mood")]
    [InlineData("'-1'::integer", "integer", "-1")]
    [InlineData("'-0.5'::numeric", "integer", "-0.5")]
    [InlineData("'-3000000000'::bigint", "integer", "-3000000000")]
    // Written with a cast PostgreSQL would not add: kept, or the rebuilt default would print differently.
    [InlineData("'1'::bigint", "integer", "'1'::bigint")]
    [InlineData("'1'::numeric", "integer", "'1'::numeric")]
    [InlineData("'-1'::numeric", "integer", "'-1'::numeric")]
    [InlineData("'-100000'::bigint", "integer", "'-100000'::bigint")]
    [InlineData("now()", "text", "now()")]
    [InlineData("'open", "text", "'open")]
    public void A_catalog_default_loses_only_the_cast_PostgreSQL_itself_adds(string printed, string columnTypeName, string normal) =>
        Assert.Equal(normal, DefaultExpressions.Normalize(printed, columnTypeName, columnTypeName == "integer" ? Types.Integer : Types.Text));
}
