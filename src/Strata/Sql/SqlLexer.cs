namespace Strata.Sql;

/// <summary>What a run of characters of a SQL line is.</summary>
public enum SqlTokenKind
{
    /// <summary>Plain SQL: keywords, names, operators, whitespace.</summary>
    Code,

    /// <summary>A semicolon in plain SQL: the end of a statement.</summary>
    Semicolon,

    /// <summary>A string literal, <c>'…'</c> or <c>E'…'</c>, or the part of one on this line.</summary>
    String,

    /// <summary>A quoted identifier <c>"…"</c>.</summary>
    QuotedIdentifier,

    /// <summary>A dollar-quoted string, <c>$$…$$</c> or <c>$tag$…$tag$</c> (a function body).</summary>
    DollarQuoted,

    /// <summary>A <c>--</c> comment, to the end of the line.</summary>
    LineComment,

    /// <summary>A <c>/* */</c> comment (they nest in PostgreSQL).</summary>
    BlockComment,
}

/// <summary>A run of one kind of characters in a line: <c>[Start, End)</c>.</summary>
public readonly record struct SqlToken(SqlTokenKind Kind, int Start, int End);

/// <summary>
/// PostgreSQL's lexical structure, as far as a script needs it to find where statements end: string
/// literals (with E'' backslash escapes), quoted identifiers, dollar quotes, line comments and nested block
/// comments. It reads a script a line at a time and carries what is open (a string, a function body, a
/// comment) from one line to the next, so a script of any size is read without holding it whole. The
/// migration file format (Strata.Postgres' MigrationScript: directives and breakpoints) and the seed
/// splitter both read SQL through it.
/// </summary>
public sealed class SqlLexer
{
    private SqlTokenKind _open = SqlTokenKind.Code;
    private bool _backslashEscapes;
    private string? _dollarTag;
    private int _commentDepth;

    /// <summary>What the next line starts inside: <see cref="SqlTokenKind.Code"/>, or a string, quoted identifier, dollar quote or block comment left open.</summary>
    public SqlTokenKind Open => _open;

    /// <summary>The 1-based line where what is <see cref="Open"/> was opened; 0 in plain code.</summary>
    public int OpenedOnLine { get; private set; }

    /// <summary>The dollar quote's tag (<c>$body$</c>) while one is open.</summary>
    public string? DollarTag => _dollarTag;

    /// <summary>
    /// Splits one line (without its line break) into tokens that cover it from start to end, and moves the
    /// state on to the next line. <paramref name="lineNumber"/> is remembered where something opens.
    /// </summary>
    public void ScanLine(string line, int lineNumber, List<SqlToken> tokens)
    {
        tokens.Clear();
        var i = 0;
        var codeStart = 0;
        // The token left open by the previous line goes on first.
        if (_open != SqlTokenKind.Code)
        {
            var kind = _open;
            i = Continue(line, 0);
            tokens.Add(new SqlToken(kind, 0, i));
            codeStart = i;
        }
        while (i < line.Length)
        {
            var c = line[i];
            SqlTokenKind? opens = c switch
            {
                '-' when At(line, i + 1, '-') => SqlTokenKind.LineComment,
                '/' when At(line, i + 1, '*') => SqlTokenKind.BlockComment,
                '\'' => SqlTokenKind.String,
                '"' => SqlTokenKind.QuotedIdentifier,
                '$' when DollarTagAt(line, i) is not null => SqlTokenKind.DollarQuoted,
                ';' => SqlTokenKind.Semicolon,
                _ => null,
            };
            if (opens is not { } kind)
            {
                i++;
                continue;
            }
            // An E'' string's E is part of the string token.
            var start = kind == SqlTokenKind.String && IsEscapeStringPrefix(line, i) ? i - 1 : i;
            if (start > codeStart)
                tokens.Add(new SqlToken(SqlTokenKind.Code, codeStart, start));
            switch (kind)
            {
                case SqlTokenKind.LineComment:
                    i = line.Length;
                    break;
                case SqlTokenKind.Semicolon:
                    i++;
                    break;
                case SqlTokenKind.BlockComment:
                    _open = kind;
                    _commentDepth = 0;
                    OpenedOnLine = lineNumber;
                    i = Continue(line, i);
                    break;
                case SqlTokenKind.DollarQuoted:
                    _open = kind;
                    _dollarTag = DollarTagAt(line, i);
                    OpenedOnLine = lineNumber;
                    i = Continue(line, i + _dollarTag!.Length);
                    break;
                default:
                    _open = kind;
                    _backslashEscapes = start < i;
                    OpenedOnLine = lineNumber;
                    i = Continue(line, i + 1);
                    break;
            }
            tokens.Add(new SqlToken(kind, start, i));
            codeStart = i;
        }
        if (line.Length > codeStart)
            tokens.Add(new SqlToken(SqlTokenKind.Code, codeStart, line.Length));
    }

    /// <summary>Moves through what is open from <paramref name="i"/>; returns where it closes (and opens code again), or the line's end.</summary>
    private int Continue(string line, int i)
    {
        switch (_open)
        {
            case SqlTokenKind.BlockComment:
                while (i < line.Length)
                {
                    if (line[i] == '/' && At(line, i + 1, '*'))
                    {
                        _commentDepth++;
                        i += 2;
                    }
                    else if (line[i] == '*' && At(line, i + 1, '/'))
                    {
                        i += 2;
                        if (--_commentDepth == 0)
                            return Close(i);
                    }
                    else
                    {
                        i++;
                    }
                }
                return i;
            case SqlTokenKind.DollarQuoted:
                var close = line.IndexOf(_dollarTag!, i, StringComparison.Ordinal);
                return close < 0 ? line.Length : Close(close + _dollarTag!.Length);
            default:
                var quote = _open == SqlTokenKind.String ? '\'' : '"';
                while (i < line.Length)
                {
                    if (_backslashEscapes && line[i] == '\\')
                        i += 2;
                    else if (line[i] == quote && At(line, i + 1, quote))
                        i += 2;
                    else if (line[i] == quote)
                        return Close(i + 1);
                    else
                        i++;
                }
                // A backslash at the end of the line escapes the line break itself.
                return line.Length;
        }
    }

    private int Close(int end)
    {
        _open = SqlTokenKind.Code;
        _dollarTag = null;
        OpenedOnLine = 0;
        return end;
    }

    private static bool At(string line, int index, char c) => index < line.Length && line[index] == c;

    private static bool IsIdentifierChar(char c) => char.IsLetterOrDigit(c) || c == '_';

    // E'…' (or e'…'), where the E is not the end of a longer name (name'…' is no string prefix in PostgreSQL anyway).
    private static bool IsEscapeStringPrefix(string line, int quote) =>
        quote > 0 && line[quote - 1] is 'E' or 'e' && (quote < 2 || !(IsIdentifierChar(line[quote - 2]) || line[quote - 2] == '$'));

    /// <summary>$$ or $tag$ at <paramref name="i"/>, where the tag is an identifier; $1 (a parameter) and a$b (a name) are not dollar quotes.</summary>
    private static string? DollarTagAt(string line, int i)
    {
        if (i > 0 && (IsIdentifierChar(line[i - 1]) || line[i - 1] == '$'))
            return null;
        var j = i + 1;
        while (j < line.Length && IsIdentifierChar(line[j]))
            j++;
        if (j >= line.Length || line[j] != '$' || (j > i + 1 && char.IsDigit(line[i + 1])))
            return null;
        return line[i..(j + 1)];
    }
}
