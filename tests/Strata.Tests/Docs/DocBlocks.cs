using System.Text;
using System.Text.RegularExpressions;

namespace Strata.Tests.Docs;

/// <summary>A fenced code block of a Markdown file, with the HTML comment written right before it (if any).</summary>
/// <param name="File">The file, relative to the repository root.</param>
/// <param name="Line">The 1-based line of the opening fence.</param>
/// <param name="Language">The info string's first word ("bash", "console", "" when none).</param>
/// <param name="Lines">The lines between the fences.</param>
/// <param name="Comment">The text of an HTML comment that ends on the last non-blank line before the fence.</param>
public sealed record DocBlock(string File, int Line, string Language, IReadOnlyList<string> Lines, string? Comment)
{
    private static readonly HashSet<string> ShellLanguages = new(StringComparer.OrdinalIgnoreCase) { "bash", "sh", "shell", "console", "" };

    public bool IsShell => ShellLanguages.Contains(Language);

    /// <summary>A console block shows "$ command" lines followed by what they print.</summary>
    public bool HasPrompts => Lines.Any(l => l.StartsWith("$ ", StringComparison.Ordinal));

    /// <summary>The reason given by <c>&lt;!-- not-run: reason --&gt;</c> before the block, or null.</summary>
    public string? NotRunReason => Comment is { } c && c.StartsWith("not-run:", StringComparison.Ordinal) ? c["not-run:".Length..].Trim() : null;

    /// <summary>The hidden command of <c>&lt;!-- run: command --&gt;</c> before the block (what a test does that the reader does by hand).</summary>
    public string? HiddenRun => Comment is { } c && c.StartsWith("run:", StringComparison.Ordinal) ? c["run:".Length..].Trim() : null;

    public string Where => $"{File}:{Line}";
}

/// <summary>One command line of a shell block: what it runs, the exit code its comment promises, the output shown after it.</summary>
/// <param name="ExpectedExit">From a trailing comment "# exit N" (default 0).</param>
/// <param name="Output">The lines a console block shows after a "$" line, up to the next one.</param>
public sealed record DocCommand(DocBlock Block, int Line, string Text, int ExpectedExit, IReadOnlyList<string> Output)
{
    public string Where => $"{Block.File}:{Line}";
}

/// <summary>Reads the documentation's Markdown: fenced blocks, their command lines, and the strata invocations in them.</summary>
public static partial class DocFiles
{
    /// <summary>The documents whose commands are checked: README.md, DATABASE.md, docs/*.md and samples/**/README.md.</summary>
    public static IReadOnlyList<string> All(string repositoryRoot)
    {
        var files = new List<string>();
        foreach (var name in new[] { "README.md", "DATABASE.md" })
        {
            if (File.Exists(Path.Combine(repositoryRoot, name)))
                files.Add(name);
        }
        var docs = Path.Combine(repositoryRoot, "docs");
        if (Directory.Exists(docs))
            files.AddRange(Directory.GetFiles(docs, "*.md").Select(f => Path.GetRelativePath(repositoryRoot, f)));
        var samples = Path.Combine(repositoryRoot, "samples");
        if (Directory.Exists(samples))
        {
            files.AddRange(Directory.GetFiles(samples, "README.md", SearchOption.AllDirectories)
                .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}node_modules{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                         && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                         && !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
                .Select(f => Path.GetRelativePath(repositoryRoot, f)));
        }
        return files.Select(f => f.Replace('\\', '/')).Order(StringComparer.Ordinal).ToList();
    }

    public static IReadOnlyList<DocBlock> Blocks(string repositoryRoot, string file) =>
        Blocks(file, File.ReadAllLines(Path.Combine(repositoryRoot, file)));

    public static IReadOnlyList<DocBlock> Blocks(string file, IReadOnlyList<string> lines)
    {
        var blocks = new List<DocBlock>();
        for (var i = 0; i < lines.Count; i++)
        {
            var open = FenceRegex().Match(lines[i]);
            if (!open.Success)
                continue;
            var fence = open.Groups["fence"].Value;
            var indent = open.Groups["indent"].Value.Length;
            var body = new List<string>();
            var j = i + 1;
            for (; j < lines.Count; j++)
            {
                var trimmed = lines[j].TrimStart();
                if (trimmed.StartsWith(fence, StringComparison.Ordinal) && trimmed.Trim().Trim(fence[0]).Length == 0)
                    break;
                body.Add(lines[j].Length >= indent && lines[j][..indent].Trim().Length == 0 ? lines[j][indent..] : lines[j].TrimStart());
            }
            blocks.Add(new DocBlock(file, i + 1, open.Groups["lang"].Value, body, CommentBefore(lines, i)));
            i = j;
        }
        return blocks;
    }

    /// <summary>The command lines of a shell block: "$" lines of a console block, else every line that is not a comment.</summary>
    public static IReadOnlyList<DocCommand> Commands(DocBlock block)
    {
        var commands = new List<DocCommand>();
        if (!block.IsShell)
            return commands;
        var prompts = block.HasPrompts;
        for (var i = 0; i < block.Lines.Count; i++)
        {
            var line = block.Lines[i];
            string text;
            if (prompts)
            {
                if (!line.StartsWith("$ ", StringComparison.Ordinal))
                    continue;
                text = line[2..];
            }
            else
            {
                text = line;
                if (text.Trim().Length == 0 || text.TrimStart().StartsWith('#'))
                    continue;
                // A block without a language is often a listing or an output: only strata lines count there.
                if (block.Language.Length == 0 && Invocations(text).Count == 0)
                    continue;
            }
            var output = new List<string>();
            if (prompts)
            {
                for (var k = i + 1; k < block.Lines.Count && !block.Lines[k].StartsWith("$ ", StringComparison.Ordinal); k++)
                    output.Add(block.Lines[k]);
            }
            var comment = TrailingComment(text);
            var exit = comment is not null && ExitRegex().Match(comment) is { Success: true } m ? int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) : 0;
            commands.Add(new DocCommand(block, block.Line + 1 + i, text, exit, output));
        }
        return commands;
    }

    /// <summary>The arguments of each strata invocation in a shell line (<c>strata …</c>, <c>dotnet strata …</c>, also inside <c>$( )</c>).</summary>
    public static IReadOnlyList<IReadOnlyList<string>> Invocations(string line)
    {
        var invocations = new List<IReadOnlyList<string>>();
        var tokens = Tokenize(StripComment(line));
        var atCommandStart = true;
        for (var i = 0; i < tokens.Count; i++)
        {
            var token = tokens[i];
            if (token.IsOperator)
            {
                atCommandStart = token.Text is not ")";
                continue;
            }
            if (atCommandStart && token.Text == "dotnet" && i + 1 < tokens.Count && tokens[i + 1] is { IsOperator: false, Text: "strata" })
                i++;
            if (atCommandStart && tokens[i].Text == "strata")
            {
                var args = new List<string>();
                for (i++; i < tokens.Count && !tokens[i].IsOperator; i++)
                    args.Add(tokens[i].Text);
                invocations.Add(args);
                i--;
                atCommandStart = false;
                continue;
            }
            atCommandStart = IsAssignment(token.Text) && atCommandStart;
        }
        return invocations;
    }

    /// <summary>A synopsis shows the shape of a command ("[--steps n | --to id]", "…") rather than one to run.</summary>
    public static bool IsSynopsis(IReadOnlyList<string> args) =>
        args.Any(a => a.StartsWith('[') || a.EndsWith(']') || a.Contains('…', StringComparison.Ordinal) || a == "..." || a.Contains('|', StringComparison.Ordinal));

    private static bool IsAssignment(string token) => AssignmentRegex().IsMatch(token);

    private static string? CommentBefore(IReadOnlyList<string> lines, int fenceIndex)
    {
        var end = fenceIndex - 1;
        while (end >= 0 && lines[end].Trim().Length == 0)
            end--;
        if (end < 0 || !lines[end].TrimEnd().EndsWith("-->", StringComparison.Ordinal))
            return null;
        var start = end;
        while (start >= 0 && !lines[start].Contains("<!--", StringComparison.Ordinal))
            start--;
        if (start < 0)
            return null;
        var text = string.Join('\n', lines.Skip(start).Take(end - start + 1)).Trim();
        return text["<!--".Length..^"-->".Length].Trim();
    }

    private static string? TrailingComment(string line)
    {
        var stripped = StripComment(line);
        return stripped.Length < line.Length ? line[stripped.Length..].TrimStart('#', ' ') : null;
    }

    /// <summary>The line up to a "#" that starts a shell comment (outside quotes, after a blank).</summary>
    private static string StripComment(string line)
    {
        char? quote = null;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quote is not null)
            {
                if (c == quote)
                    quote = null;
                else if (c == '\\' && quote == '"')
                    i++;
            }
            else if (c is '"' or '\'')
                quote = c;
            else if (c == '#' && (i == 0 || char.IsWhiteSpace(line[i - 1])))
                return line[..i].TrimEnd();
        }
        return line;
    }

    private readonly record struct Token(string Text, bool IsOperator);

    /// <summary>Shell words with quotes removed; <c>&amp;&amp; || ; | ( ) $( &gt; &lt;</c> as operators (a redirection's target is dropped).</summary>
    private static List<Token> Tokenize(string line)
    {
        var tokens = new List<Token>();
        var word = new StringBuilder();
        var inWord = false;
        var dropNext = false;
        var brackets = 0;
        void EndWord()
        {
            if (inWord && !dropNext)
                tokens.Add(new Token(word.ToString(), false));
            else if (inWord)
                dropNext = false;
            word.Clear();
            inWord = false;
        }
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (c is '"' or '\'')
            {
                var close = line.IndexOf(c, i + 1);
                if (close < 0)
                    close = line.Length;
                word.Append(line.AsSpan(i + 1, close - i - 1));
                inWord = true;
                i = close;
            }
            else if (c == '\\' && i + 1 < line.Length)
            {
                word.Append(line[++i]);
                inWord = true;
            }
            else if (char.IsWhiteSpace(c))
                EndWord();
            else if (c == '$' && i + 1 < line.Length && line[i + 1] == '(')
            {
                EndWord();
                tokens.Add(new Token("$(", true));
                i++;
            }
            else if (c == '|' && brackets > 0)
            {
                // "[--steps n | --to id]": alternatives of a synopsis, not a pipe.
                EndWord();
                tokens.Add(new Token("|", false));
            }
            else if (c is '&' or '|' or ';' or '(' or ')')
            {
                EndWord();
                var op = i + 1 < line.Length && line[i + 1] == c && c is '&' or '|' ? new string(c, 2) : c.ToString();
                tokens.Add(new Token(op, true));
                i += op.Length - 1;
            }
            else if (c == '<' && PlaceholderRegex().Match(line, i) is { Success: true } placeholder && placeholder.Index == i)
            {
                // "<path>" in a command is a placeholder for the reader to fill in, not a redirection.
                word.Append(placeholder.Value);
                inWord = true;
                i += placeholder.Length - 1;
            }
            else if (c is '>' or '<' && (!inWord || word.ToString() is "1" or "2"))
            {
                if (inWord)
                {
                    word.Clear();
                    inWord = false;
                }
                EndWord();
                if (i + 1 < line.Length && line[i + 1] is '>' or '&')
                    i++;
                dropNext = true;
            }
            else
            {
                brackets += c == '[' ? 1 : c == ']' ? -1 : 0;
                word.Append(c);
                inWord = true;
            }
        }
        EndWord();
        return tokens;
    }

    [GeneratedRegex(@"^(?<indent>\s*)(?<fence>`{3,}|~{3,})\s*(?<lang>[\w+-]*)")]
    private static partial Regex FenceRegex();

    [GeneratedRegex(@"<[^\s<>]+>")]
    private static partial Regex PlaceholderRegex();

    [GeneratedRegex(@"\bexits?\s+(\d+)\b")]
    private static partial Regex ExitRegex();

    [GeneratedRegex(@"^[A-Za-z_][A-Za-z0-9_]*=")]
    private static partial Regex AssignmentRegex();
}
