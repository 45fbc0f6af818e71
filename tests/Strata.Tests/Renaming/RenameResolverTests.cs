using Strata.Diffing;
using Strata.Dsl;
using Strata.Model;
using Strata.Renaming;

namespace Strata.Tests.Renaming;

/// <summary>How every possible rename is settled before generate writes or push plans: from the decisions given, else by asking, else refused.</summary>
public sealed class RenameResolverTests
{
    private static DatabaseModel Users(params string[] columns)
    {
        var builder = new SchemaBuilder();
        builder.Table("users", t =>
        {
            t.Column("id", Types.Integer).PrimaryKey();
            foreach (var column in columns)
                t.Column(column, Types.Text);
        });
        return builder.Build();
    }

    /// <summary>Answers from a script, one per question, and keeps what it was asked.</summary>
    private sealed class Scripted(params Func<RenameCandidate, IReadOnlyList<string>, string?>[] answers) : IRenameQuestions
    {
        public List<(RenameCandidate Candidate, IReadOnlyList<string> Open)> Asked { get; } = [];

        public string? Ask(RenameCandidate candidate, IReadOnlyList<string> open)
        {
            Asked.Add((candidate, open));
            return answers[Asked.Count - 1](candidate, open);
        }
    }

    [Fact]
    public void A_possible_rename_with_nobody_to_ask_is_refused_with_the_candidate()
    {
        var refused = Assert.Throws<UnresolvedRenamesException>(() => RenameResolver.Resolve(Users("name"), Users("full_name"), RenameDecisions.None, questions: null));

        var candidate = Assert.Single(refused.Candidates);
        Assert.Equal(ObjectKind.Column, candidate.Kind);
        Assert.Equal("public.users.name", candidate.Dropped);
    }

    [Fact]
    public void A_decision_given_up_front_settles_it_without_asking()
    {
        Assert.True(RenameDecisions.TryParse(["column:public.users.name=full_name"], out var given, out _));
        var questions = new Scripted();

        var (diff, decisions) = RenameResolver.Resolve(Users("name"), Users("full_name"), given, questions);

        Assert.Empty(questions.Asked);
        Assert.Same(given, decisions);
        Assert.Equal(new RenameColumn(new QualifiedName("public", "users"), "name", "full_name"), Assert.Single(diff.Changes));
    }

    [Fact]
    public void An_answer_becomes_a_decision_and_the_diff_is_taken_again_with_it()
    {
        var questions = new Scripted((_, open) => open.Single());

        var (diff, decisions) = RenameResolver.Resolve(Users("name"), Users("full_name"), RenameDecisions.None, questions);

        Assert.Empty(diff.Unresolved);
        Assert.Equal(new RenameColumn(new QualifiedName("public", "users"), "name", "full_name"), Assert.Single(diff.Changes));
        Assert.Equal([new Rename(ObjectKind.Column, "public.users.name", questions.Asked[0].Open.Single())], decisions.Renames);
    }

    [Fact]
    public void An_answer_of_no_rename_drops_and_adds()
    {
        var (diff, decisions) = RenameResolver.Resolve(Users("name"), Users("full_name"), RenameDecisions.None, new Scripted((_, _) => null));

        Assert.Empty(diff.Unresolved);
        Assert.Empty(decisions.Renames);
        Assert.Contains(diff.Changes, c => c is DropColumn);
        Assert.Contains(diff.Changes, c => c is AddColumn);
        Assert.Equal(["!column:public.users.name"], decisions.ToHints());
    }

    [Fact]
    public void A_name_one_answer_took_is_not_offered_to_the_next_question()
    {
        var questions = new Scripted((_, open) => open[0], (_, open) => open.Single());

        var (diff, _) = RenameResolver.Resolve(Users("a", "b"), Users("c", "d"), RenameDecisions.None, questions);

        Assert.Equal(2, questions.Asked.Count);
        Assert.Equal(2, questions.Asked[0].Open.Count);
        Assert.DoesNotContain(questions.Asked[0].Open[0], questions.Asked[1].Open);
        Assert.Equal(2, diff.Changes.OfType<RenameColumn>().Count());
    }

    [Fact]
    public void An_answer_that_names_no_added_object_is_refused()
    {
        Assert.Throws<ArgumentException>(() => RenameResolver.Resolve(Users("name"), Users("full_name"), RenameDecisions.None, new Scripted((_, _) => "public.users.other")));
    }
}
