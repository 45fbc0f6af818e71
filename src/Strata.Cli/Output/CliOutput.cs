using System.Text.Json;
using Spectre.Console;

namespace Strata.Cli.Output;

/// <summary>
/// Where commands write: human-readable lines (Spectre.Console markup) on stdout and errors on stderr,
/// or, with <c>--json</c>, one JSON document on stdout and nothing else.
/// </summary>
public sealed class CliOutput
{
    private readonly TextWriter _stdout;
    private readonly MarkupWriter _out;
    private readonly MarkupWriter _error;
    private readonly Lazy<IAnsiConsole> _terminal;

    public CliOutput(bool json, bool verbose)
    {
        Json = json;
        Verbose = verbose;
        _stdout = Console.Out;
        _out = new MarkupWriter(Console.Out, MarkupWriter.ColorFor(Console.IsOutputRedirected));
        _error = new MarkupWriter(Console.Error, MarkupWriter.ColorFor(Console.IsErrorRedirected));
        // Only a prompt needs Spectre's console, and its set-up is costly: created on first use.
        _terminal = new(() => AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Out) }));
    }

    public bool Json { get; }

    public bool Verbose { get; }

    /// <summary>True when the user can answer a question: a terminal on stdin and human output.</summary>
    public bool IsInteractive => !Json && !Console.IsInputRedirected && !Console.IsOutputRedirected;

    /// <summary>True when stdout is a terminal and the output is for humans: live progress displays are worth drawing.</summary>
    public bool IsTerminal => !Json && !Console.IsOutputRedirected;

    /// <summary>The stdout console, for prompts.</summary>
    public IAnsiConsole Terminal => _terminal.Value;

    /// <summary>A line of markup for humans; ignored with <c>--json</c>. Escape user text with <see cref="Markup.Escape"/>.</summary>
    public void Line(string markup = "")
    {
        if (!Json)
            _out.WriteLine(markup);
    }

    /// <summary>Text written verbatim to stdout (SQL, for instance): no markup, no wrapping.</summary>
    public Task RawAsync(string text) => Json ? Task.CompletedTask : _stdout.WriteAsync(text);

    /// <summary>Progress (a build, a server starting): on stderr, so that stdout stays clean for SQL and pipes.</summary>
    public void Status(string text)
    {
        if (!Json)
            _error.WriteLine($"[grey]{Markup.Escape(text)}[/]");
    }

    public void Warning(string text)
    {
        if (!Json)
            _out.WriteLine($"[yellow]warning:[/] {Markup.Escape(text)}");
    }

    /// <summary>Detail that only <c>--verbose</c> shows.</summary>
    public void Detail(string text)
    {
        if (Verbose && !Json)
            _error.WriteLine($"[grey]{Markup.Escape(text)}[/]");
    }

    /// <summary>The one JSON document of a <c>--json</c> run.</summary>
    public void JsonResult(CommandResult result)
    {
        if (Json)
            _stdout.WriteLine(Serialize(result));
    }

    /// <summary>One of the documents of a <c>--json</c> run that prints one per event (a watch's saves): on one line, so that a reader can take them a line at a time.</summary>
    public void JsonLine(CommandResult result)
    {
        if (Json)
            _stdout.WriteLine(JsonSerializer.Serialize(result, result.GetType(), SingleLine.Value));
    }

    private static readonly Lazy<CliJsonContext> SingleLine = new(() => new CliJsonContext(new JsonSerializerOptions(CliJsonContext.Default.Options) { WriteIndented = false }));

    /// <summary>A result or an error as <c>--json</c> prints it: by its own type, through the source-generated <see cref="CliJsonContext"/>.</summary>
    internal static string Serialize(object document) => JsonSerializer.Serialize(document, document.GetType(), CliJsonContext.Default);

    public void Error(CliException error)
    {
        if (Json)
        {
            _stdout.WriteLine(Serialize(Document(error)));
            return;
        }

        _error.WriteLine($"[red]error:[/] {Markup.Escape(error.Message)}");
        foreach (var detail in error.Details)
            _error.WriteRawLine("  " + detail);
        if (error.Remedy is not null)
            _error.WriteRawLine(error.Remedy);
        if (Verbose && error.InnerException is { } inner)
            _error.WriteRawLine(inner.ToString());
    }

    /// <summary>The error's JSON document: its structured fields (when it has any) and the message, details and remedy.</summary>
    internal static ErrorJson Document(CliException error) => (error.Fields ?? new ErrorJson()) with
    {
        Ok = false,
        ExitCode = error.ExitCode,
        Error = error.Message,
        Details = error.Details,
        Remedy = error.Remedy,
    };

    public void Unexpected(Exception exception)
    {
        var error = new CliException(ExitCodes.Failure, $"{exception.GetType().Name}: {exception.Message}",
            remedy: Verbose ? null : "Run again with --verbose for the details.", inner: exception);
        Error(error);
    }
}
