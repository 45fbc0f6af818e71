using System.Text.Json;
using System.Text.Json.Nodes;
using Spectre.Console;

namespace Strata.Cli.Output;

/// <summary>
/// Where commands write: human-readable lines (Spectre.Console markup) on stdout and errors on stderr,
/// or, with <c>--json</c>, one JSON document on stdout and nothing else.
/// </summary>
public sealed class CliOutput
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    private readonly TextWriter _stdout;
    private readonly Lazy<IAnsiConsole> _out;
    private readonly Lazy<IAnsiConsole> _error;

    public CliOutput(bool json, bool verbose)
    {
        Json = json;
        Verbose = verbose;
        _stdout = Console.Out;
        // Created on first use: Spectre's terminal detection costs start-up time that `--json` runs never need.
        _out = new(() => CreateConsole(Console.Out, Console.IsOutputRedirected));
        _error = new(() => CreateConsole(Console.Error, Console.IsErrorRedirected));
    }

    public bool Json { get; }

    public bool Verbose { get; }

    /// <summary>True when the user can answer a question: a terminal on stdin and human output.</summary>
    public bool IsInteractive => !Json && !Console.IsInputRedirected && !Console.IsOutputRedirected;

    /// <summary>The stdout console, for prompts.</summary>
    public IAnsiConsole Terminal => _out.Value;

    /// <summary>A line of markup for humans; ignored with <c>--json</c>. Escape user text with <see cref="Markup.Escape"/>.</summary>
    public void Line(string markup = "")
    {
        if (!Json)
            _out.Value.MarkupLine(markup);
    }

    /// <summary>Text written verbatim to stdout (SQL, for instance): no markup, no wrapping.</summary>
    public Task RawAsync(string text) => Json ? Task.CompletedTask : _stdout.WriteAsync(text);

    /// <summary>Progress (a build, a server starting): on stderr, so that stdout stays clean for SQL and pipes.</summary>
    public void Status(string text)
    {
        if (!Json)
            _error.Value.MarkupLine($"[grey]{Markup.Escape(text)}[/]");
    }

    public void Warning(string text)
    {
        if (!Json)
            _out.Value.MarkupLine($"[yellow]warning:[/] {Markup.Escape(text)}");
    }

    /// <summary>Detail that only <c>--verbose</c> shows.</summary>
    public void Detail(string text)
    {
        if (Verbose && !Json)
            _error.Value.MarkupLine($"[grey]{Markup.Escape(text)}[/]");
    }

    /// <summary>The one JSON document of a <c>--json</c> run.</summary>
    public void JsonResult(JsonObject result)
    {
        if (Json)
            _stdout.WriteLine(result.ToJsonString(Indented));
    }

    public void Error(CliException error)
    {
        if (Json)
        {
            var document = new JsonObject
            {
                ["ok"] = false,
                ["exitCode"] = error.ExitCode,
                ["error"] = error.Message,
                ["details"] = new JsonArray(error.Details.Select(d => (JsonNode?)JsonValue.Create(d)).ToArray()),
            };
            if (error.Remedy is not null)
                document["remedy"] = error.Remedy;
            _stdout.WriteLine(document.ToJsonString(Indented));
            return;
        }

        var console = _error.Value;
        console.MarkupLine($"[red]error:[/] {Markup.Escape(error.Message)}");
        foreach (var detail in error.Details)
            console.MarkupLine("  " + Markup.Escape(detail));
        if (error.Remedy is not null)
            console.MarkupLine(Markup.Escape(error.Remedy));
        if (Verbose && error.InnerException is { } inner)
            console.WriteLine(inner.ToString());
    }

    public void Unexpected(Exception exception)
    {
        var error = new CliException(ExitCodes.Failure, $"{exception.GetType().Name}: {exception.Message}",
            remedy: Verbose ? null : "Run again with --verbose for the details.", inner: exception);
        Error(error);
    }

    private static IAnsiConsole CreateConsole(TextWriter writer, bool redirected)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(writer) });
        // Spectre wraps at the terminal width, and at 80 columns when redirected: that would cut
        // file paths and the --rename flags a script is meant to copy.
        if (redirected)
            console.Profile.Width = 10_000;
        return console;
    }
}
