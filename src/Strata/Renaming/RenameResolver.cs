using Strata.Diffing;
using Strata.Model;

namespace Strata.Renaming;

/// <summary>
/// Asks whoever runs a comparison whether a dropped object was renamed: a person at a terminal, a test. The
/// differ never guesses, since a wrong guess loses data.
/// </summary>
public interface IRenameQuestions
{
    /// <summary>Whether <paramref name="candidate"/>'s dropped object was renamed, and to which of <paramref name="open"/>.</summary>
    /// <param name="open">The added objects it may have been renamed to: <see cref="RenameCandidate.Added"/> less those an earlier answer of the same round took.</param>
    /// <returns>The name it was renamed to (one of <paramref name="open"/>), or null when it was really dropped.</returns>
    string? Ask(RenameCandidate candidate, IReadOnlyList<string> open);
}

/// <summary>Objects were dropped while others were added, and nobody could be asked whether they were renamed; nothing was done.</summary>
public sealed class UnresolvedRenamesException(IReadOnlyList<RenameCandidate> candidates)
    : Exception($"{candidates.Count} dropped object(s) may have been renamed, and no decision was given: {string.Join(", ", candidates.Select(c => c.Dropped))}")
{
    /// <summary>Each undecided object, with what it may have been renamed to.</summary>
    public IReadOnlyList<RenameCandidate> Candidates { get; } = candidates;
}

/// <summary>An object was still ambiguous after its rename was decided: a defect of the differ, which would otherwise ask forever.</summary>
public sealed class RenameStillAmbiguousException(RenameCandidate candidate)
    : Exception($"{RenameResolver.KindWord(candidate.Kind)} {candidate.Dropped} is still ambiguous after it was decided; this is a bug in Strata's differ")
{
    public RenameCandidate Candidate { get; } = candidate;
}

/// <summary>
/// Settles every drop + add that may be a rename before a migration is written or a push is planned: from the
/// decisions given (hints), else by asking (<see cref="IRenameQuestions"/>), diffing again after each round
/// (an answer frees or reveals other candidates, such as the columns of a renamed table), until none is left.
/// </summary>
public static class RenameResolver
{
    /// <summary>The diff of <paramref name="from"/> to <paramref name="to"/> with every rename decided, and the decisions taken.</summary>
    /// <param name="questions">Who is asked about what <paramref name="decisions"/> leaves open; null when nobody can be.</param>
    /// <exception cref="UnresolvedRenamesException">A candidate is left and <paramref name="questions"/> is null.</exception>
    /// <exception cref="RenameStillAmbiguousException">An answered candidate came back (a defect of the differ).</exception>
    public static (SchemaDiff Diff, RenameDecisions Decisions) Resolve(DatabaseModel from, DatabaseModel to, RenameDecisions decisions, IRenameQuestions? questions)
    {
        ArgumentNullException.ThrowIfNull(decisions);
        var answered = decisions.ToHints().ToList();
        var asked = new HashSet<(ObjectKind, string)>();
        while (true)
        {
            var diff = SchemaDiffer.Diff(from, to, decisions);
            if (diff.Unresolved.Count == 0)
                return (diff, decisions);
            if (questions is null)
                throw new UnresolvedRenamesException(diff.Unresolved);

            var taken = new HashSet<(ObjectKind, string)>();
            foreach (var candidate in diff.Unresolved)
            {
                if (!asked.Add((candidate.Kind, candidate.Dropped)))
                    throw new RenameStillAmbiguousException(candidate);
                var open = candidate.Added.Where(added => !taken.Contains((candidate.Kind, added))).ToList();
                var renamedTo = questions.Ask(candidate, open);
                if (renamedTo is not null && !open.Contains(renamedTo, StringComparer.Ordinal))
                    throw new ArgumentException($"the answer for {candidate.Dropped} names {renamedTo}, which is not one of the objects it may have been renamed to", nameof(questions));
                if (renamedTo is not null)
                    taken.Add((candidate.Kind, renamedTo));
                answered.Add(renamedTo is null ? NotRenamedHint(candidate.Kind, candidate.Dropped) : Hint(new Rename(candidate.Kind, candidate.Dropped, renamedTo)));
            }
            decisions = RenameDecisions.TryParse(answered, out var next, out var error)
                ? next
                : throw new InvalidOperationException($"the rename decisions taken do not read back: {error}");
        }
    }

    /// <summary>The hint that decides <paramref name="rename"/> (<c>--rename</c>'s syntax).</summary>
    public static string Hint(Rename rename) => new RenameDecisions([rename], []).ToHints().Single();

    /// <summary>The hint that decides the object was really dropped, not renamed.</summary>
    public static string NotRenamedHint(ObjectKind kind, string key) => new RenameDecisions([], [(kind, key)]).ToHints().Single();

    /// <summary>The kind as messages name it: "column", "table".</summary>
    public static string KindWord(ObjectKind kind) => kind.ToString().ToLowerInvariant();
}
