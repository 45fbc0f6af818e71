using System.CommandLine;
using Spectre.Console;
using Strata.Cli.Output;
using Strata.Diffing;
using Strata.Model;
using Strata.Renaming;

namespace Strata.Cli.Commands;

/// <summary>
/// The rename options of generate and push, and how the CLI settles a drop + add that may be a rename
/// (<see cref="RenameResolver"/>): from hints, by asking on a terminal, or by stopping with the exact flags to
/// pass. A rename is never silently turned into data loss.
/// </summary>
internal static class RenameResolution
{
    /// <summary>The <c>--rename</c> and <c>--renames-file</c> options of generate and push.</summary>
    public static (Option<string[]> Rename, Option<string?> RenamesFile) CreateOptions() => (
        new Option<string[]>("--rename")
        {
            Description = "A rename decision: kind:old=new (column:public.users.name=full_name) or !kind:old for a real drop and add",
            HelpName = "hint",
            Arity = ArgumentArity.ZeroOrMore,
        },
        new Option<string?>("--renames-file") { Description = "A file of rename decisions, one per line", HelpName = "path" });

    /// <summary>The decisions <paramref name="hints"/> give, or a usage error naming the hint that does not read.</summary>
    public static RenameDecisions Parse(IEnumerable<string> hints) =>
        RenameDecisions.TryParse(hints, out var decisions, out var error) ? decisions : throw CliException.Usage(error);

    /// <summary>
    /// Who is asked about a possible rename: the user at a terminal, or nobody without one (the command then stops
    /// with the flags to pass, see <see cref="Unresolved"/>).
    /// </summary>
    public static IRenameQuestions? Questions(CliOutput output) => output.IsInteractive ? new TerminalQuestions(output.Terminal) : null;

    /// <summary><see cref="RenameResolver.Resolve"/>, with the decisions of <paramref name="hints"/> and the terminal's answers; what is left undecided as a usage error.</summary>
    /// <param name="nothingDone">How the refusal without a terminal ends: "nothing was written" (generate), "nothing was changed" (push).</param>
    public static (SchemaDiff Diff, RenameDecisions Decisions) Resolve(DatabaseModel from, DatabaseModel to, IReadOnlyList<string> hints, CliOutput output,
        string nothingDone = "nothing was written")
    {
        try
        {
            return RenameResolver.Resolve(from, to, Parse(hints), Questions(output));
        }
        catch (Exception e) when (Translate(e, nothingDone) is { } known)
        {
            throw known;
        }
    }

    /// <summary>The resolver's refusals as the CLI's errors: the flags that decide each candidate, or the differ's defect.</summary>
    public static CliException? Translate(Exception e, string nothingDone) => e switch
    {
        UnresolvedRenamesException unresolved => Unresolved(unresolved.Candidates, nothingDone),
        RenameStillAmbiguousException ambiguous => CliException.Failure(ambiguous.Message, remedy: "Pass the decision with --rename instead and report the problem."),
        _ => null,
    };

    /// <summary>Asks at the terminal, one prompt per candidate, and prints the flag that gives the same answer next time.</summary>
    private sealed class TerminalQuestions(IAnsiConsole terminal) : IRenameQuestions
    {
        public string? Ask(RenameCandidate candidate, IReadOnlyList<string> open)
        {
            var choices = open
                .Select(added => (Label: $"rename {candidate.Dropped} → {added}", Hint: RenameResolver.Hint(new Rename(candidate.Kind, candidate.Dropped, added)), Added: (string?)added))
                .Append((Label: $"drop {candidate.Dropped} and create the new one{(candidate.Added.Count == 1 ? "" : "s")}", Hint: RenameResolver.NotRenamedHint(candidate.Kind, candidate.Dropped), Added: null))
                .ToList();

            var choice = terminal.Prompt(new SelectionPrompt<(string Label, string Hint, string? Added)>()
                .Title($"{RenameResolver.KindWord(candidate.Kind)} [bold]{Markup.Escape(candidate.Dropped)}[/] is gone and {Markup.Escape(string.Join(", ", candidate.Added))} {(candidate.Added.Count == 1 ? "is" : "are")} new. Was it renamed?")
                .UseConverter(c => Markup.Escape(c.Label))
                .AddChoices(choices));
            terminal.MarkupLine($"  {Markup.Escape(choice.Label)}  [grey](--rename {Markup.Escape(ShellWord(choice.Hint))})[/]");
            return choice.Added;
        }
    }

    /// <summary>The hint in single quotes for a POSIX shell, a single quote in a name written '\'' so that the flag can be pasted as printed.</summary>
    private static string ShellWord(string hint) => "'" + hint.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    public static CliException Unresolved(IReadOnlyList<RenameCandidate> candidates, string nothingDone)
    {
        var details = new List<string>();
        foreach (var candidate in candidates)
        {
            details.Add($"{RenameResolver.KindWord(candidate.Kind)} {candidate.Dropped} is gone and {string.Join(", ", candidate.Added)} {(candidate.Added.Count == 1 ? "is" : "are")} new:");
            foreach (var added in candidate.Added)
                details.Add($"  renamed to {added}:  --rename {ShellWord(RenameResolver.Hint(new Rename(candidate.Kind, candidate.Dropped, added)))}");
            details.Add($"  really dropped:  --rename {ShellWord(RenameResolver.NotRenamedHint(candidate.Kind, candidate.Dropped))}");
        }
        return CliException.Usage(
            candidates.Count == 1
                ? $"an object was dropped while another was added, and Strata does not guess whether it was renamed (a wrong guess loses data); {nothingDone}"
                : $"{candidates.Count} objects were dropped while others were added, and Strata does not guess whether they were renamed (a wrong guess loses data); {nothingDone}",
            details,
            "Run the command again with one flag per object above (or on a terminal, to be asked), or put the hints one per line in a file passed with --renames-file.");
    }
}
