using Strata.Diffing;

namespace Strata.Tests.Diffing;

public class RenameDecisionsTests
{
    [Fact]
    public void Hints_parse_into_renames_with_full_keys_and_not_renamed_keys()
    {
        Assert.True(RenameDecisions.TryParse(
            ["table:public.users=public.accounts", "column:public.users.name=full_name", "schema:billing=accounting", "enum:public.mood=app.feeling", "!column:public.users.email"],
            out var decisions, out var error), error);

        Assert.Equal([
            new Rename(ObjectKind.Table, "public.users", "public.accounts"),
            new Rename(ObjectKind.Column, "public.users.name", "public.users.full_name"),
            new Rename(ObjectKind.Schema, "billing", "accounting"),
            new Rename(ObjectKind.Enum, "public.mood", "app.feeling"),
        ], decisions.Renames);
        Assert.Equal([(ObjectKind.Column, "public.users.email")], decisions.NotRenamed);
    }

    [Fact]
    public void A_bare_new_name_stays_in_the_old_container()
    {
        Assert.True(RenameDecisions.TryParse(["table:billing.users=accounts", "sequence:public.s=t"], out var decisions, out _));

        Assert.Equal(["billing.accounts", "public.t"], decisions.Renames.Select(r => r.To));
    }

    [Fact]
    public void ToHints_is_the_inverse_of_TryParse()
    {
        string[] hints = ["table:public.users=app.accounts", "column:public.users.name=full_name", "index:public.a_idx=b_idx", "!table:public.old"];
        Assert.True(RenameDecisions.TryParse(hints, out var decisions, out _));

        Assert.Equal(hints, decisions.ToHints());
        Assert.True(RenameDecisions.TryParse(decisions.ToHints(), out var again, out _));
        Assert.Equal(decisions.Renames, again.Renames);
    }

    [Fact]
    public void Names_with_dots_colons_or_equals_signs_are_quoted_as_postgresql_quotes_them_and_read_back()
    {
        string[] hints = ["column:public.users.\"special.column\"=\"a=b:c\"", "table:\"my.app\".users=\"my.app\".\"say \"\"hi\"\"\"", "!column:public.users.\"x.y\"", "schema:\"a.b\"=a_b"];
        Assert.True(RenameDecisions.TryParse(hints, out var decisions, out var error), error);

        Assert.Equal([
            new Rename(ObjectKind.Column, "public.users.\"special.column\"", "public.users.\"a=b:c\""),
            new Rename(ObjectKind.Table, "\"my.app\".users", "\"my.app\".\"say \"\"hi\"\"\""),
            new Rename(ObjectKind.Schema, "\"a.b\"", "a_b"),
        ], decisions.Renames);
        Assert.Equal([(ObjectKind.Column, "public.users.\"x.y\"")], decisions.NotRenamed);
        Assert.Equal(["column:public.users.\"special.column\"=\"a=b:c\"", "table:\"my.app\".users=\"say \"\"hi\"\"\"", "schema:\"a.b\"=a_b", "!column:public.users.\"x.y\""], decisions.ToHints());
        Assert.True(RenameDecisions.TryParse(decisions.ToHints(), out var again, out _));
        Assert.Equal(decisions.Renames, again.Renames);
        Assert.Equal(decisions.NotRenamed, again.NotRenamed);
    }

    [Fact]
    public void A_quoted_plain_name_is_the_plain_name_and_an_unclosed_quote_is_refused()
    {
        Assert.True(RenameDecisions.TryParse(["column:\"public\".\"users\".\"name\"=full_name"], out var decisions, out _));
        Assert.Equal(new Rename(ObjectKind.Column, "public.users.name", "public.users.full_name"), decisions.Renames.Single());

        Assert.False(RenameDecisions.TryParse(["column:public.users.\"special.column=x"], out _, out var error));
        Assert.Contains("is not closed", error);
        // Unquoted, the dots are ambiguous: refused, saying how to quote.
        Assert.False(RenameDecisions.TryParse(["column:public.users.special.column=x"], out _, out error));
        Assert.Contains("public.users.\"a.b\"", error);
    }

    [Fact]
    public void Keys_quote_only_the_parts_that_need_it()
    {
        Assert.Equal("public.users.email", ObjectKey.Of(new Strata.Model.QualifiedName("public", "users"), "email"));
        Assert.Equal("public.order items", ObjectKey.Of(new Strata.Model.QualifiedName("public", "order items")));
        Assert.Equal("public.\"a--b\".\" padded\"", ObjectKey.Of(new Strata.Model.QualifiedName("public", "a--b"), " padded"));
        Assert.Equal("\"a.b\".\"it's\"", ObjectKey.Of(new Strata.Model.QualifiedName("a.b", "it's")));
        Assert.Equal(["a.b", "it's"], ObjectKey.Parts("\"a.b\".\"it's\"", out _));
    }

    [Fact]
    public void Invert_turns_every_rename_around_for_the_down_migration()
    {
        var decisions = new RenameDecisions([new Rename(ObjectKind.Column, "public.t.a", "public.t.b")], [(ObjectKind.Table, "public.x")]);

        var inverted = decisions.Invert();

        Assert.Equal([new Rename(ObjectKind.Column, "public.t.b", "public.t.a")], inverted.Renames);
        Assert.Equal(decisions.NotRenamed, inverted.NotRenamed);
    }

    [Theory]
    [InlineData("users=accounts", "does not start with a kind")]
    [InlineData("thing:public.a=public.b", "\"thing\" is not a kind of object that can be renamed")]
    [InlineData("table:public.users", "has no '='")]
    [InlineData("table:users=accounts", "a table is named schema.name, got \"users\"")]
    [InlineData("column:public.users=name", "a column is named schema.table.column, got \"public.users\"")]
    [InlineData("schema:a.b=c", "a schema is named without dots")]
    [InlineData("table:public.a=public.a", "the same")]
    [InlineData("!table:public.a=public.b", "names only the object")]
    [InlineData("table:public.a=", "the new name")]
    public void Bad_hints_are_refused_with_the_hint_and_what_is_wrong(string hint, string expected)
    {
        Assert.False(RenameDecisions.TryParse([hint], out _, out var error));

        Assert.Contains(hint, error);
        Assert.Contains(expected, error);
        Assert.Contains("kind:old=new", error);
    }

    [Fact]
    public void Two_new_names_for_one_object_or_one_name_for_two_objects_are_refused()
    {
        Assert.False(RenameDecisions.TryParse(["table:public.a=public.b", "table:public.a=public.c"], out _, out var twice));
        Assert.Contains("already renamed to public.b", twice);
        Assert.False(RenameDecisions.TryParse(["table:public.a=public.c", "table:public.b=public.c"], out _, out var clash));
        Assert.Contains("cannot take the place of two", clash);
    }
}
