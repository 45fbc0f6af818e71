using Strata.Sql;

namespace Strata.Tests.Sql;

/// <summary>The lexemes of a SQL text (<see cref="SqlText.Lexemes"/>): what the differ's text fallbacks read instead of searching characters.</summary>
public sealed class SqlLexemeTests
{
    private static string Describe(string sql) =>
        string.Join(" ", SqlLexer.Tokenize(sql).Lexemes().Select(l => $"{l.Kind}:{l.Value}"));

    [Fact]
    public void Words_are_folded_quoted_names_unquoted_strings_read_and_comments_and_whitespace_left_out()
    {
        Assert.Equal(
            "Word:feeling Operator:<> Word:note Operator::: QuotedName:Mood Word:and Word:x Operator:= String:it's Word:or Word:y Operator:= String:a'b Word:or Word:z Operator:= String:sad",
            Describe(""""
                FEELING <> note::"Mood" /* ::mood */ AND x = 'it''s' -- enum_last(
                OR y = E'a\'b' OR z = $tag$sad$tag$
                """"));
    }

    [Fact]
    public void Numbers_parameters_casts_operators_and_punctuation_are_told_apart()
    {
        Assert.Equal(
            "Word:f Punctuation:( Number:$1 Punctuation:, Number:2.5e3 Punctuation:, Number:.5 Punctuation:) Operator::: Word:public Punctuation:. Word:mood Punctuation:[ Punctuation:] Operator:|| Word:t Punctuation:. Operator:* Operator:>= Word:a$b Punctuation:;",
            Describe("f($1, 2.5e3, .5)::public.mood[] || t.* >= a$b;"));
    }

    [Fact]
    public void A_string_or_name_the_text_ends_inside_is_no_lexeme()
    {
        Assert.Equal("Word:a Operator:=", Describe("a = 'open"));
        Assert.Equal("Word:a Operator:=", Describe("a = \"open"));
    }

    [Fact]
    public void Lexemes_know_where_they_stand()
    {
        var text = SqlLexer.Tokenize("x::\"T\"");
        Assert.Equal(["x", "::", "\"T\""], text.Lexemes().Select(l => text.Text[l.Start..l.End]));
        Assert.True(text.Lexemes()[1].Is("::"));
        Assert.True(text.Lexemes()[2].IsName);
    }
}
