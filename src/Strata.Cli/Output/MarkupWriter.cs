using System.Text;

namespace Strata.Cli.Output;

/// <summary>
/// Writes lines in the small subset of Spectre.Console markup the commands use (<c>[bold]</c>, <c>[red]</c>,
/// <c>[green]</c>, <c>[yellow]</c>, <c>[grey]</c>, <c>[blue]</c>, <c>[/]</c>, and <c>[[</c> / <c>]]</c> for brackets, as
/// <see cref="Spectre.Console.Markup.Escape"/> produces): ANSI colours on a terminal, plain text elsewhere.
/// </summary>
/// <remarks>
/// Spectre's console costs about 60 ms of CPU to set up, more than a whole <c>strata generate</c> on a small
/// schema spends on its real work; it is kept for interactive prompts, where nobody waits on the CPU.
/// </remarks>
internal sealed class MarkupWriter(TextWriter writer, bool color)
{
    public static bool ColorFor(bool redirected) =>
        !redirected
        && Environment.GetEnvironmentVariable("NO_COLOR") is null or ""
        && Environment.GetEnvironmentVariable("TERM") != "dumb";

    public void WriteLine(string markup) => writer.WriteLine(Render(ToolInvocation.Apply(markup), color));

    public void WriteRawLine(string text) => writer.WriteLine(ToolInvocation.Apply(text));

    public static string Render(string markup, bool color)
    {
        var text = new StringBuilder(markup.Length + 16);
        var open = new Stack<string>();
        for (var i = 0; i < markup.Length; i++)
        {
            var c = markup[i];
            if ((c == '[' || c == ']') && i + 1 < markup.Length && markup[i + 1] == c)
            {
                text.Append(c);
                i++;
                continue;
            }
            if (c == '[' && markup.IndexOf(']', i) is var end and > 0)
            {
                var tag = markup[(i + 1)..end];
                if (tag == "/")
                {
                    if (open.Count > 0)
                        open.Pop();
                    if (color)
                        text.Append("\u001b[0m").Append(string.Concat(open.Reverse()));
                }
                else
                {
                    var code = Code(tag);
                    open.Push(code);
                    if (color)
                        text.Append(code);
                }
                i = end;
                continue;
            }
            text.Append(c);
        }
        return text.ToString();
    }

    private static string Code(string tag) => tag switch
    {
        "bold" => "\u001b[1m",
        "red" => "\u001b[31m",
        "green" => "\u001b[32m",
        "yellow" => "\u001b[33m",
        "grey" => "\u001b[90m",
        "blue" => "\u001b[34m",
        _ => throw new ArgumentException($"Markup tag [{tag}] is not one CliOutput renders.", nameof(tag)),
    };
}
