using Strata.Cli.Output;

namespace Strata.IntegrationTests.Cli;

public sealed class MarkupWriterTests
{
    [Fact]
    public void Without_colour_tags_disappear_and_escaped_brackets_come_back()
    {
        var text = MarkupWriter.Render($"[red]error:[/] {Spectre.Console.Markup.Escape("column [a] of t[0]")}", color: false);

        Assert.Equal("error: column [a] of t[0]", text);
    }

    [Fact]
    public void With_colour_each_tag_becomes_an_ansi_code_and_the_closing_tag_resets()
    {
        var text = MarkupWriter.Render("[green]ok[/] [bold]0000_init[/]", color: true);

        Assert.Equal("\u001b[32mok\u001b[0m \u001b[1m0000_init\u001b[0m", text);
    }
}
