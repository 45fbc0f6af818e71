using System.Text;
using Strata.Sql;

namespace Strata.Postgres.Migrations;

/// <summary>
/// The parser of the script format (<see cref="MigrationScript"/>), fed a line at a time so that a script of
/// any size is read without holding it whole: a header of <c>-- strata:</c> directives, then statements
/// separated by breakpoint comments. Quotes, dollar quotes and comments are read by <see cref="SqlLexer"/>, so a
/// breakpoint is only a breakpoint in plain SQL; a breakpoint line inside a string, dollar quote or comment is
/// refused rather than guessed at. Seed files are also split at the semicolons that end statements.
/// </summary>
internal sealed class ScriptParser(string fileName, bool splitAtSemicolons, bool keepText)
{
    private readonly SqlLexer _lexer = new();
    private readonly List<SqlToken> _tokens = [];
    private readonly List<ScriptDirective> _directives = [];
    private readonly StringBuilder _statement = new();
    private int _statementLine;
    private int _lineNumber;
    private bool _inHeader = true;

    public IReadOnlyList<ScriptDirective> Directives => _directives;

    /// <summary>The statements complete so far and not yet taken.</summary>
    public Queue<ScriptStatement> Ready { get; } = new();

    /// <summary>How many statements the script has had so far.</summary>
    public int StatementCount { get; private set; }

    /// <summary>The next line of the script, without its line break.</summary>
    public void Line(string line)
    {
        var number = ++_lineNumber;
        var startsInCode = _lexer.Open == SqlTokenKind.Code;
        _lexer.ScanLine(line, number, _tokens);
        var trimmed = line.AsSpan().Trim();
        if (startsInCode && trimmed.StartsWith(MigrationScript.DirectivePrefix, StringComparison.Ordinal))
        {
            var directive = MigrationScript.ParseDirective(trimmed.ToString(), fileName, number);
            // A lint-ignore line stands before the statement it is about, anywhere in the file: between statements it
            // is left out as any comment there is; inside one it stays in the statement's text, a comment to PostgreSQL.
            if (directive.Name == MigrationScript.LintIgnore)
            {
                _directives.Add(directive);
                if (_statementLine == 0)
                    return;
            }
            else if (!_inHeader)
            {
                throw new MigrationFileException(fileName, number,
                    $"\"{trimmed}\" is below the first statement; move -- strata: directives to the top of the file");
            }
            else
            {
                _directives.Add(directive);
                return;
            }
        }
        if (_inHeader)
        {
            if (trimmed.IsEmpty)
                return;
            _inHeader = false;
        }

        if (_statementLine != 0)
            Append("\n");
        var last = _tokens.FindLastIndex(t => t.Kind != SqlTokenKind.Code || !line.AsSpan(t.Start, t.End - t.Start).IsWhiteSpace());
        // A breakpoint is a comment of its own, on its own line or (as drizzle-kit writes it) at the end of the statement's last line.
        if (last >= 0 && _tokens[last] is { Kind: SqlTokenKind.LineComment } comment
            && line.AsSpan(comment.Start, comment.End - comment.Start).Trim().SequenceEqual(MigrationScript.Breakpoint))
        {
            Add(line, number, comment.Start);
            Flush();
            return;
        }
        if (trimmed.EndsWith(MigrationScript.Breakpoint, StringComparison.Ordinal))
            throw BreakpointInside(line, number, _tokens[last]);
        Add(line, number, line.Length);
    }

    /// <summary>The end of the script.</summary>
    public void End() => Flush();

    /// <summary>Every statement of <paramref name="text"/>.</summary>
    public static (IReadOnlyList<ScriptDirective> Directives, List<ScriptStatement> Statements) ParseAll(string text, string fileName, bool splitAtSemicolons)
    {
        var parser = new ScriptParser(fileName, splitAtSemicolons, keepText: true);
        foreach (var line in text.Split('\n'))
            parser.Line(line.TrimEnd('\r'));
        parser.End();
        return (parser.Directives, [.. parser.Ready]);
    }

    /// <summary>Every statement of <paramref name="source"/>, read to its end.</summary>
    public static async Task<(IReadOnlyList<ScriptDirective> Directives, List<ScriptStatement> Statements)> ReadAllAsync(
        SourceText source, string fileName, bool splitAtSemicolons, CancellationToken ct)
    {
        var reader = new ScriptReader(source, new ScriptParser(fileName, splitAtSemicolons, keepText: true));
        var statements = new List<ScriptStatement>();
        while (await reader.NextAsync(ct) is { } statement)
            statements.Add(statement);
        return (reader.Parser.Directives, statements);
    }

    /// <summary>Adds <c>line[..end]</c> to the statement, split at semicolons for a seed file.</summary>
    private void Add(string line, int number, int end)
    {
        var from = 0;
        if (splitAtSemicolons)
        {
            foreach (var token in _tokens)
            {
                if (token.Kind != SqlTokenKind.Semicolon || token.End > end)
                    continue;
                AddPiece(line, number, from, token.End);
                Flush();
                from = token.End;
            }
        }
        AddPiece(line, number, from, end);
    }

    private void AddPiece(string line, int number, int from, int end)
    {
        if (from >= end)
            return;
        if (_statementLine == 0)
        {
            // Blanks and comments before a statement describe it and belong to no statement: the reported line
            // (and PostgreSQL's error position) point into the statement itself. A migration statement keeps its
            // lines whole, as they always were: its text is what a resumed migration's progress hash covers.
            if (splitAtSemicolons)
            {
                from = FirstSignificant(line, from, end);
                if (from < 0)
                    return;
            }
            else if (line.AsSpan(from, end - from).Trim() is var piece && (piece.IsEmpty || piece.StartsWith("--", StringComparison.Ordinal)))
            {
                return;
            }
            _statementLine = number;
        }
        Append(line.AsSpan(from, end - from));
    }

    private int FirstSignificant(string line, int from, int end)
    {
        foreach (var token in _tokens)
        {
            if (token.End <= from || token.Start >= end || token.Kind is SqlTokenKind.LineComment or SqlTokenKind.BlockComment)
                continue;
            var start = Math.Max(token.Start, from);
            if (token.Kind != SqlTokenKind.Code)
                return start;
            for (var i = start; i < Math.Min(token.End, end); i++)
            {
                if (!char.IsWhiteSpace(line[i]))
                    return i;
            }
        }
        return -1;
    }

    private void Append(ReadOnlySpan<char> text)
    {
        if (_statementLine != 0 && keepText)
            _statement.Append(text);
    }

    private void Flush()
    {
        if (_statementLine == 0)
            return;
        var length = _statement.Length;
        while (length > 0 && char.IsWhiteSpace(_statement[length - 1]))
            length--;
        var sql = keepText ? _statement.ToString(0, length) : "";
        if (!(splitAtSemicolons && sql == ";"))
        {
            Ready.Enqueue(new ScriptStatement(sql, _statementLine));
            StatementCount++;
        }
        _statement.Clear();
        _statementLine = 0;
    }

    private MigrationFileException BreakpointInside(string line, int number, SqlToken token)
    {
        var opened = _lexer.OpenedOnLine;
        var (what, remedy) = token.Kind switch
        {
            SqlTokenKind.DollarQuoted => ($"inside the dollar-quoted body {_lexer.DollarTag} that opens on line {opened} (a function or DO body)",
                $"close the body ({_lexer.DollarTag}) before the breakpoint; a breakpoint cannot split a body"),
            SqlTokenKind.String => ($"inside a string literal that opens on line {opened}", "close the string before the breakpoint, or write the text on one line as E'…\\n…'"),
            SqlTokenKind.QuotedIdentifier => ($"inside a quoted identifier that opens on line {opened}", "close the identifier before the breakpoint"),
            SqlTokenKind.BlockComment => ($"inside a /* */ comment that opens on line {opened}", "close the comment before the breakpoint"),
            _ => ("at the end of a comment", $"put \"{MigrationScript.Breakpoint}\" on a line of its own"),
        };
        return new MigrationFileException(fileName, number,
            $"\"{line.Trim()}\": the statement breakpoint is {what}, so it does not split the script there. "
            + $"Move it: {remedy}; or, if the text belongs there, reword the line so that it does not end with \"{MigrationScript.Breakpoint}\"");
    }
}

/// <summary>A <see cref="ScriptParser"/> over a <see cref="SourceText"/>: the script's statements one at a time.</summary>
internal sealed class ScriptReader(SourceText source, ScriptParser parser)
{
    private bool _ended;

    public ScriptParser Parser => parser;

    /// <summary>The next statement, or null after the last (and then <see cref="SourceText.Checksum"/> is known).</summary>
    public async ValueTask<ScriptStatement?> NextAsync(CancellationToken ct)
    {
        while (parser.Ready.Count == 0)
        {
            if (_ended)
                return null;
            if (await source.ReadLineAsync(ct) is { } line)
            {
                parser.Line(line);
            }
            else
            {
                parser.End();
                _ended = true;
            }
        }
        return parser.Ready.Dequeue();
    }
}
