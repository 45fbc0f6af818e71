using System.Text;
using Spectre.Console;
using Strata.Cli.Commands;
using Strata.Postgres.Linting;

namespace Strata.Cli.Output;

/// <summary>strata lint's findings as text for humans or as GitHub Actions annotations (lint's and check's).</summary>
internal static class LintView
{
    /// <summary>Each finding as <c>file:line: level rule: message</c>, then why it hurts and the safe form.</summary>
    public static void Write(CliOutput output, IReadOnlyList<LintFinding> findings)
    {
        foreach (var finding in findings)
        {
            var colour = finding.Level == LintLevel.Error ? "red" : "yellow";
            output.Line($"{Markup.Escape(Location(finding))}: [{colour}]{finding.Level.Name()}[/] [bold]{Markup.Escape(finding.Rule.Id)}[/]: {Markup.Escape(finding.Message)}");
            output.Line($"    why:  {Markup.Escape(finding.Rule.Why)}");
            output.Line($"    safe: {Markup.Escape(finding.Rule.SafeForm)}");
        }
    }

    /// <summary>The count line: "2 errors, 1 warning in 3 migrations".</summary>
    public static string Summary(IReadOnlyList<LintFinding> findings, int migrations)
    {
        var errors = findings.Count(f => f.Level == LintLevel.Error);
        var warnings = findings.Count - errors;
        var scope = $"{migrations} migration{(migrations == 1 ? "" : "s")}";
        return findings.Count == 0
            ? $"no findings in {scope}"
            : $"{errors} error{(errors == 1 ? "" : "s")}, {warnings} warning{(warnings == 1 ? "" : "s")} in {scope}";
    }

    /// <summary>
    /// GitHub Actions workflow commands (<c>::error file=…,line=…,title=…::message</c>), which the run shows on the
    /// lines of the pull request's diff; the message carries why and the safe form on lines of their own.
    /// </summary>
    public static string GitHub(IReadOnlyList<LintFinding> findings)
    {
        var text = new StringBuilder();
        foreach (var finding in findings)
        {
            var command = finding.Level == LintLevel.Error ? "error" : "warning";
            var file = CommandContext.Display(finding.File).Replace('\\', '/');
            var message = $"{finding.Message}\nWhy: {finding.Rule.Why}\nSafe form: {finding.Rule.SafeForm}";
            text.Append("::").Append(command)
                .Append(" file=").Append(Property(file))
                .Append(",line=").Append(finding.Line)
                .Append(",title=").Append(Property($"strata lint: {finding.Rule.Id}"))
                .Append("::").Append(Data(message)).Append('\n');
        }
        return text.ToString();
    }

    private static string Location(LintFinding finding) => $"{CommandContext.Display(finding.File)}:{finding.Line}";

    // https://github.com/actions/toolkit/blob/main/packages/core/src/command.ts: escapeData and escapeProperty.
    private static string Data(string text) => text.Replace("%", "%25").Replace("\r", "%0D").Replace("\n", "%0A");

    private static string Property(string text) => Data(text).Replace(":", "%3A").Replace(",", "%2C");
}
