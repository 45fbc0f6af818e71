using Strata.Cli;
using Strata.Cli.Commands;
using Strata.Postgres.Configuration;

namespace Strata.Tests.Configuration;

public sealed class DotEnvFileTests
{
    [Fact]
    public void Keys_values_export_quotes_comments_and_empty_lines_are_read()
    {
        var variables = DotEnvFile.Parse("""
            # the database
            DATABASE_URL=postgres://app:pw@db:5432/app

            export DIRECT_URL = postgres://app:pw@db-direct:5432/app   # no pooler
            SINGLE='it is # not a comment'
            SINGLE_LITERAL='a\nb ${X}'
            DOUBLE="line one\nline \"two\" # still the value" # a comment
            EMPTY=
            HASH=abc#def
            """, "/repo/.env");

        Assert.Equal(
            [
                ("DATABASE_URL", "postgres://app:pw@db:5432/app", 2),
                ("DIRECT_URL", "postgres://app:pw@db-direct:5432/app", 4),
                ("SINGLE", "it is # not a comment", 5),
                ("SINGLE_LITERAL", "a\\nb ${X}", 6),
                ("DOUBLE", "line one\nline \"two\" # still the value", 7),
                ("EMPTY", "", 8),
                ("HASH", "abc#def", 9),
            ],
            variables.Select(v => (v.Key, v.Value, v.Line)));
    }

    [Fact]
    public void A_double_quoted_value_may_span_lines_like_a_certificate()
    {
        var variables = DotEnvFile.Parse("CA=\"-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\"\nNEXT=1\n", "/repo/.env");

        Assert.Equal("-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----", variables[0].Value);
        Assert.Equal(("NEXT", 4), (variables[1].Key, variables[1].Line));
    }

    [Theory]
    [InlineData("A=1\nthis is not a variable\n", 2, "expected KEY=value")]
    [InlineData("A=1\n=value\n", 2, "expected KEY=value")]
    [InlineData("1A=x\n", 1, "the name before '=' must be letters, digits and '_'")]
    [InlineData("MY-VAR=x\n", 1, "the name before '='")]
    [InlineData("A=1\nB=\"unclosed secret\nC=2\n", 2, "the double quote that starts the value of B is never closed")]
    [InlineData("B='unclosed secret\n", 1, "the single quote that starts the value of B is never closed")]
    [InlineData("B=\"secret\" trailing\n", 1, "only a # comment may follow the closing quote of B")]
    public void A_malformed_line_is_a_usage_error_naming_the_file_and_line_but_not_its_text(string text, int line, string problem)
    {
        var error = Assert.Throws<ConfigurationException>(() => DotEnvFile.Parse(text, "/repo/.env.production"));

        Assert.Equal(ExitCodes.UsageError, KnownErrors.Translate(error)?.ExitCode);
        Assert.StartsWith($"/repo/.env.production:{line}: {problem}", error.Message);
        Assert.DoesNotContain("secret", error.Message + error.Remedy);
    }
}
