using System.CommandLine;
using Spectre.Console;
using Strata.Cli.Output;
using Strata.Diffing;
using Strata.Model;

namespace Strata.Cli.Commands;

/// <summary>
/// Settles every drop + add that may be a rename before a migration is written: from hints, by asking on
/// a terminal, or by stopping with the exact flags to pass. A rename is never silently turned into data loss.
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

    /// <param name="nothingDone">How the refusal without a terminal ends: "nothing was written" (generate), "nothing was changed" (push).</param>
    public static (SchemaDiff Diff, RenameDecisions Decisions) Resolve(DatabaseModel from, DatabaseModel to, IReadOnlyList<string> hints, CliOutput output,
        string nothingDone = "nothing was written")
    {
        var decisions = Parse(hints);
        var answered = new List<string>(hints);
        var asked = new HashSet<(ObjectKind, string)>();
        while (true)
        {
            var diff = SchemaDiffer.Diff(from, to, decisions);
            if (diff.Unresolved.Count == 0)
                return (diff, decisions);
            if (!output.IsInteractive)
                throw Unresolved(diff.Unresolved, nothingDone);

            // Answers free or reveal other candidates (the columns of a renamed table), so the loop
            // diffs again until nothing is left; asking twice about one object would be a differ bug.
            var taken = new HashSet<(ObjectKind, string)>();
            foreach (var candidate in diff.Unresolved)
            {
                if (!asked.Add((candidate.Kind, candidate.Dropped)))
                    throw CliException.Failure($"{Kind(candidate.Kind)} {candidate.Dropped} is still ambiguous after it was decided; this is a bug in Strata's differ",
                        remedy: "Pass the decision with --rename instead and report the problem.");
                var hint = Ask(candidate, taken, output.Terminal);
                answered.Add(hint);
            }
            decisions = Parse(answered);
        }
    }

    /// <summary>Hints from <c>--rename</c> and a hints file (one per line, <c>#</c> starts a comment).</summary>
    public static async Task<List<string>> ReadHintsAsync(IEnumerable<string> flags, string? file, CancellationToken ct)
    {
        var hints = new List<string>(flags);
        if (file is null)
            return hints;
        if (!File.Exists(file))
            throw CliException.Usage($"the renames file {file} does not exist");
        foreach (var line in await File.ReadAllLinesAsync(file, ct))
        {
            var hint = line.Split('#', 2)[0].Trim();
            if (hint.Length > 0)
                hints.Add(hint);
        }
        return hints;
    }

    public static string Hint(Rename rename) => new RenameDecisions([rename], []).ToHints().Single();

    public static string NotRenamedHint(ObjectKind kind, string key) => new RenameDecisions([], [(kind, key)]).ToHints().Single();

    private static RenameDecisions Parse(IEnumerable<string> hints) =>
        RenameDecisions.TryParse(hints, out var decisions, out var error) ? decisions : throw CliException.Usage(error);

    private static string Ask(RenameCandidate candidate, HashSet<(ObjectKind, string)> taken, IAnsiConsole terminal)
    {
        var choices = candidate.Added
            .Where(added => !taken.Contains((candidate.Kind, added)))
            .Select(added => (Label: $"rename {candidate.Dropped} → {added}", Hint: Hint(new Rename(candidate.Kind, candidate.Dropped, added)), Added: (string?)added))
            .Append((Label: $"drop {candidate.Dropped} and create the new one{(candidate.Added.Count == 1 ? "" : "s")}", Hint: NotRenamedHint(candidate.Kind, candidate.Dropped), Added: null))
            .ToList();

        var choice = terminal.Prompt(new SelectionPrompt<(string Label, string Hint, string? Added)>()
            .Title($"{Kind(candidate.Kind)} [bold]{Markup.Escape(candidate.Dropped)}[/] is gone and {Markup.Escape(string.Join(", ", candidate.Added))} {(candidate.Added.Count == 1 ? "is" : "are")} new. Was it renamed?")
            .UseConverter(c => Markup.Escape(c.Label))
            .AddChoices(choices));
        if (choice.Added is not null)
            taken.Add((candidate.Kind, choice.Added));
        terminal.MarkupLine($"  {Markup.Escape(choice.Label)}  [grey](--rename '{Markup.Escape(choice.Hint)}')[/]");
        return choice.Hint;
    }

    private static CliException Unresolved(IReadOnlyList<RenameCandidate> candidates, string nothingDone)
    {
        var details = new List<string>();
        foreach (var candidate in candidates)
        {
            details.Add($"{Kind(candidate.Kind)} {candidate.Dropped} is gone and {string.Join(", ", candidate.Added)} {(candidate.Added.Count == 1 ? "is" : "are")} new:");
            foreach (var added in candidate.Added)
                details.Add($"  renamed to {added}:  --rename '{Hint(new Rename(candidate.Kind, candidate.Dropped, added))}'");
            details.Add($"  really dropped:  --rename '{NotRenamedHint(candidate.Kind, candidate.Dropped)}'");
        }
        return CliException.Usage(
            candidates.Count == 1
                ? $"an object was dropped while another was added, and Strata does not guess whether it was renamed (a wrong guess loses data); {nothingDone}"
                : $"{candidates.Count} objects were dropped while others were added, and Strata does not guess whether they were renamed (a wrong guess loses data); {nothingDone}",
            details,
            "Run the command again with one flag per object above (or on a terminal, to be asked), or put the hints one per line in a file passed with --renames-file.");
    }

    private static string Kind(ObjectKind kind) => kind.ToString().ToLowerInvariant();
}
