using System.Text;

namespace Strata.Sql;

/// <summary>What a run of characters of a SQL line is.</summary>
public enum SqlTokenKind
{
    /// <summary>Plain SQL: keywords, names, operators, whitespace.</summary>
    Code,

    /// <summary>
    /// A semicolon in plain SQL that ends a statement: not one between the statements of a SQL-standard routine body
    /// (<c>BEGIN ATOMIC … END</c>), which is plain code to its statement.
    /// </summary>
    Semicolon,

    /// <summary>A string literal, <c>'…'</c>, <c>E'…'</c> or <c>U&amp;'…'</c>, or the part of one on this line.</summary>
    String,

    /// <summary>A quoted identifier <c>"…"</c> or <c>U&amp;"…"</c>.</summary>
    QuotedIdentifier,

    /// <summary>A dollar-quoted string, <c>$$…$$</c> or <c>$tag$…$tag$</c> (a function body).</summary>
    DollarQuoted,

    /// <summary>A <c>--</c> comment, to the end of the line.</summary>
    LineComment,

    /// <summary>A <c>/* */</c> comment (they nest in PostgreSQL).</summary>
    BlockComment,
}

/// <summary>A run of one kind of characters in a line: <c>[Start, End)</c>.</summary>
/// <remarks>
/// A class, not a struct: a List of a Strata value type is CoreLib generic code that ReadyToRun cannot
/// precompile into Strata's image, so every command that reads SQL (a default, a migration file) JIT-compiled
/// some 15 methods of List&lt;SqlToken&gt;; over a reference type it is shared code, already compiled.
/// </remarks>
public sealed record SqlToken(SqlTokenKind Kind, int Start, int End);

/// <summary>
/// PostgreSQL's lexical structure, the one reader of SQL text in Strata: string literals (with E'' backslash
/// escapes and U&amp;'' Unicode escapes), quoted identifiers, dollar quotes, line comments and nested block
/// comments, and the lines that a migration file reads as a statement breakpoint or a directive. It reads a
/// script a line at a time (<see cref="ScanLine"/>) and carries what is open (a string, a function body, a
/// comment) from one line to the next, so a script of any size is read without holding it whole; the migration
/// file format (Strata.Postgres' MigrationScript) and the seed splitter read SQL that way. An expression, a
/// default or a view query is read whole with <see cref="Tokenize"/>.
/// <para>
/// An E'' string continued in a following '…' after a line break (<c>E'a\n'</c>, a new line, <c>'b\'c'</c>) is
/// one constant to PostgreSQL, and its backslashes are escapes in every part: the lexer reads the parts so.
/// Not modelled, as Strata neither writes nor reads them: strings written with standard_conforming_strings
/// off (where '…' takes backslash escapes too), and a UESCAPE clause after U&amp;'' (the string is read
/// exactly; only <see cref="StringValue"/> would take <c>\</c> as its escape character).
/// </para>
/// </summary>
public sealed class SqlLexer
{
    /// <summary>The line that separates the statements of a migration file (as drizzle-kit writes it).</summary>
    public const string Breakpoint = "--> statement-breakpoint";

    /// <summary>How a directive line in the header of a migration file starts.</summary>
    public const string DirectivePrefix = "-- strata:";

    private SqlTokenKind _open = SqlTokenKind.Code;
    private bool _backslashEscapes;
    private string? _dollarTag;
    private int _commentDepth;
    private int _line;
    // An E'' string closed on line _eStringClosedOnLine, with nothing but whitespace and line comments after it
    // so far: a '…' on a later line continues it, backslash escapes included (PostgreSQL's quotecontinue).
    private bool _eStringMayContinue;
    private int _eStringClosedOnLine;

    // psql's rule (psqlscan.l) for the semicolons inside a SQL-standard body: in a statement that starts CREATE [OR
    // REPLACE] FUNCTION|PROCEDURE, each BEGIN (and, inside one, each CASE) opens a level that END closes, and a
    // semicolon ends the statement only at level 0. _leadingWords holds the first letters of the statement's first
    // four words when they are among CREATE, OR, REPLACE, FUNCTION, PROCEDURE.
    private int _wordsInStatement;
    private readonly char[] _leadingWords = new char[4];
    private int _bodyDepth;

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
    public void ScanLine(ReadOnlySpan<char> line, int lineNumber, List<SqlToken> tokens)
    {
        tokens.Clear();
        _line = lineNumber;
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
                ';' when _bodyDepth == 0 => SqlTokenKind.Semicolon,
                _ => null,
            };
            if (opens is not { } kind)
            {
                if (!char.IsWhiteSpace(c))
                    _eStringMayContinue = false;
                if (IsIdentifierChar(c) && !char.IsAsciiDigit(c) && (i == 0 || !IsIdentifierChar(line[i - 1]) && line[i - 1] != '$'))
                {
                    var end = i + 1;
                    while (end < line.Length && (IsIdentifierChar(line[end]) || line[end] == '$'))
                        end++;
                    Word(line[i..end]);
                    i = end;
                    continue;
                }
                i++;
                continue;
            }
            if (kind == SqlTokenKind.Semicolon)
            {
                _wordsInStatement = 0;
                Array.Clear(_leadingWords);
            }
            // An E'' string's E, and the U& of a U&'' string or U&"" identifier, are part of the token.
            var ePrefix = kind == SqlTokenKind.String && IsPrefix(line, i, "E");
            var escapes = ePrefix || (kind == SqlTokenKind.String && _eStringMayContinue && lineNumber > _eStringClosedOnLine);
            if (kind != SqlTokenKind.LineComment)
                _eStringMayContinue = false;
            var start = ePrefix ? i - 1
                : kind is SqlTokenKind.String or SqlTokenKind.QuotedIdentifier && IsPrefix(line, i, "U&") ? i - 2
                : i;
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
                    _backslashEscapes = escapes;
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

    /// <summary>A word of plain SQL: counted towards psql's rule for SQL-standard bodies (see <see cref="_bodyDepth"/>).</summary>
    private void Word(ReadOnlySpan<char> word)
    {
        if (_wordsInStatement < _leadingWords.Length)
        {
            _leadingWords[_wordsInStatement] = word.Equals("create", StringComparison.OrdinalIgnoreCase) || word.Equals("or", StringComparison.OrdinalIgnoreCase)
                || word.Equals("replace", StringComparison.OrdinalIgnoreCase) || word.Equals("function", StringComparison.OrdinalIgnoreCase)
                || word.Equals("procedure", StringComparison.OrdinalIgnoreCase)
                    ? char.ToLowerInvariant(word[0])
                    : '\0';
        }
        _wordsInStatement++;
        var routine = _leadingWords[0] == 'c' && (_leadingWords[1] is 'f' or 'p'
            || _wordsInStatement > 3 && _leadingWords[1] == 'o' && _leadingWords[2] == 'r' && _leadingWords[3] is 'f' or 'p');
        if (!routine)
            return;
        if (word.Equals("begin", StringComparison.OrdinalIgnoreCase))
            _bodyDepth++;
        else if (word.Equals("case", StringComparison.OrdinalIgnoreCase) && _bodyDepth > 0)
            _bodyDepth++;
        else if (word.Equals("end", StringComparison.OrdinalIgnoreCase) && _bodyDepth > 0)
            _bodyDepth--;
    }

    /// <summary>
    /// Reads a whole text (an expression, a default, a view query, a statement; any number of lines). Its
    /// tokens cover it from start to end, and a string, quoted identifier, dollar quote or block comment that
    /// runs over lines is one token, its line breaks included.
    /// </summary>
    public static SqlText Tokenize(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var lexer = new SqlLexer();
        var tokens = new List<SqlToken>();
        var lineTokens = new List<SqlToken>();
        var start = 0;
        for (var number = 1; ; number++)
        {
            var lineBreak = text.IndexOf('\n', start);
            var end = lineBreak < 0 ? text.Length : lineBreak;
            var continues = lexer.Open != SqlTokenKind.Code;
            lexer.ScanLine(text.AsSpan(start, end - start), number, lineTokens);
            foreach (var token in lineTokens)
            {
                // What the previous line left open goes on in this line's first token; code runs on over line breaks.
                Append(tokens, token with { Start = start + token.Start, End = start + token.End }, continues);
                continues = false;
            }
            if (lineBreak < 0)
                return new SqlText(text, tokens, lexer.Open);
            Append(tokens, new SqlToken(lexer.Open, lineBreak, lineBreak + 1), continues: lexer.Open != SqlTokenKind.Code);
            start = lineBreak + 1;
        }

        static void Append(List<SqlToken> tokens, SqlToken token, bool continues)
        {
            if (tokens.Count > 0 && tokens[^1] is var last && last.End == token.Start && last.Kind == token.Kind
                && (continues || token.Kind == SqlTokenKind.Code))
                tokens[^1] = last with { End = token.End };
            else
                tokens.Add(token);
        }
    }

    /// <summary>
    /// Whether a line of the text, in a migration file, would be read as a statement breakpoint or a
    /// <c>-- strata:</c> directive (the file parser trims each line and splits on a line that ends with the
    /// breakpoint), wherever it stands: in code, a string, a name, a comment or a body.
    /// </summary>
    public static bool HasDirectiveLine(string text)
    {
        foreach (var line in text.Split('\n'))
        {
            var trimmed = line.Trim();
            if (trimmed.StartsWith(DirectivePrefix, StringComparison.Ordinal) || trimmed.EndsWith(Breakpoint, StringComparison.Ordinal))
                return true;
        }
        return false;
    }

    /// <summary>
    /// The value of a whole string literal token: <c>'it''s'</c>, <c>E'it\'s'</c> (with PostgreSQL's
    /// backslash escapes: <c>\n</c>, <c>\x41</c>, <c>\101</c>, <c>\u0041</c>…) or <c>U&amp;'\0041'</c>.
    /// </summary>
    public static string StringValue(ReadOnlySpan<char> token)
    {
        if (token.Length > 0 && token[0] is 'E' or 'e')
            return Unescape(token[2..^1]);
        return token.Length > 1 && token[1] == '&' ? UnescapeUnicode(token[3..^1], '\'') : Undouble(token[1..^1], '\'');
    }

    /// <summary>The name a whole quoted identifier token stands for: <c>"a""b"</c> is <c>a"b</c>, <c>U&amp;"a\000Ab"</c> holds a line break.</summary>
    public static string IdentifierName(ReadOnlySpan<char> token) =>
        token.Length > 0 && token[0] is 'U' or 'u' ? UnescapeUnicode(token[3..^1], '"') : Undouble(token[1..^1], '"');

    private static string Undouble(ReadOnlySpan<char> body, char quote)
    {
        var text = new StringBuilder(body.Length);
        for (var i = 0; i < body.Length; i++)
        {
            text.Append(body[i]);
            if (body[i] == quote && i + 1 < body.Length && body[i + 1] == quote)
                i++;
        }
        return text.ToString();
    }

    // The escapes of an E'' string: https://www.postgresql.org/docs/current/sql-syntax-lexical.html#SQL-SYNTAX-STRINGS-ESCAPE
    private static string Unescape(ReadOnlySpan<char> body)
    {
        var text = new StringBuilder(body.Length);
        var i = 0;
        while (i < body.Length)
        {
            var c = body[i++];
            if (c == '\'' && i < body.Length && body[i] == '\'')
            {
                text.Append('\'');
                i++;
            }
            else if (c != '\\' || i == body.Length)
            {
                text.Append(c);
            }
            else
            {
                var escaped = body[i++];
                switch (escaped)
                {
                    case 'b': text.Append('\b'); break;
                    case 'f': text.Append('\f'); break;
                    case 'n': text.Append('\n'); break;
                    case 'r': text.Append('\r'); break;
                    case 't': text.Append('\t'); break;
                    case >= '0' and <= '7':
                        i--;
                        AppendCode(text, body, ref i, 3, 8);
                        break;
                    case 'x' when i < body.Length && char.IsAsciiHexDigit(body[i]):
                        AppendCode(text, body, ref i, 2, 16);
                        break;
                    case 'u' when HexDigits(body, i, 4):
                        AppendCode(text, body, ref i, 4, 16);
                        break;
                    case 'U' when HexDigits(body, i, 8):
                        AppendCode(text, body, ref i, 8, 16);
                        break;
                    default: text.Append(escaped); break;
                }
            }
        }
        return text.ToString();
    }

    // U&'' and U&"": \XXXX, \+XXXXXX and \\ (the default escape character); the quote is doubled.
    private static string UnescapeUnicode(ReadOnlySpan<char> body, char quote)
    {
        var text = new StringBuilder(body.Length);
        var i = 0;
        while (i < body.Length)
        {
            var c = body[i++];
            if (c == quote && i < body.Length && body[i] == quote)
            {
                text.Append(quote);
                i++;
            }
            else if (c == '\\' && i < body.Length && body[i] == '\\')
            {
                text.Append('\\');
                i++;
            }
            else if (c == '\\' && HexDigits(body, i, 4))
            {
                AppendCode(text, body, ref i, 4, 16);
            }
            else if (c == '\\' && i < body.Length && body[i] == '+' && HexDigits(body, i + 1, 6))
            {
                i++;
                AppendCode(text, body, ref i, 6, 16);
            }
            else
            {
                text.Append(c);
            }
        }
        return text.ToString();
    }

    private static bool HexDigits(ReadOnlySpan<char> body, int at, int count) =>
        at + count <= body.Length && !body.Slice(at, count).ContainsAnyExcept("0123456789abcdefABCDEF");

    /// <summary>Reads up to <paramref name="digits"/> digits of the base at <paramref name="i"/> and appends the character they code.</summary>
    private static void AppendCode(StringBuilder text, ReadOnlySpan<char> body, ref int i, int digits, int numberBase)
    {
        var code = 0;
        for (var end = Math.Min(body.Length, i + digits); i < end && DigitValue(body[i]) < numberBase; i++)
            code = code * numberBase + DigitValue(body[i]);
        if (code is >= 0 and <= 0x10FFFF and not (>= 0xD800 and <= 0xDFFF))
            text.Append(char.ConvertFromUtf32(code));
        else
            text.Append((char)code); // half of a surrogate pair written as two \u escapes
    }

    private static int DigitValue(char c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        >= 'a' and <= 'f' => c - 'a' + 10,
        >= 'A' and <= 'F' => c - 'A' + 10,
        _ => int.MaxValue,
    };

    /// <summary>Moves through what is open from <paramref name="i"/>; returns where it closes (and opens code again), or the line's end.</summary>
    private int Continue(ReadOnlySpan<char> line, int i)
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
                var close = line[i..].IndexOf(_dollarTag, StringComparison.Ordinal);
                return close < 0 ? line.Length : Close(i + close + _dollarTag!.Length);
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
        if (_open == SqlTokenKind.String && _backslashEscapes)
        {
            _eStringMayContinue = true;
            _eStringClosedOnLine = _line;
        }
        _open = SqlTokenKind.Code;
        _dollarTag = null;
        OpenedOnLine = 0;
        return end;
    }

    private static bool At(ReadOnlySpan<char> line, int index, char c) => index < line.Length && line[index] == c;

    internal static bool IsIdentifierChar(char c) => char.IsLetterOrDigit(c) || c == '_';

    // E'…' (or e'…'), U&'…' and U&"…", where the prefix is not the end of a longer name (name'…' is no string prefix in PostgreSQL anyway).
    private static bool IsPrefix(ReadOnlySpan<char> line, int quote, string prefix)
    {
        var at = quote - prefix.Length;
        return at >= 0 && line.Slice(at, prefix.Length).Equals(prefix, StringComparison.OrdinalIgnoreCase)
            && (at == 0 || !(IsIdentifierChar(line[at - 1]) || line[at - 1] == '$'));
    }

    /// <summary>$$ or $tag$ at <paramref name="i"/>, where the tag is an identifier; $1 (a parameter) and a$b (a name) are not dollar quotes.</summary>
    private static string? DollarTagAt(ReadOnlySpan<char> line, int i)
    {
        if (i > 0 && (IsIdentifierChar(line[i - 1]) || line[i - 1] == '$'))
            return null;
        var j = i + 1;
        while (j < line.Length && IsIdentifierChar(line[j]))
            j++;
        if (j >= line.Length || line[j] != '$' || (j > i + 1 && char.IsDigit(line[i + 1])))
            return null;
        return line[i..(j + 1)].ToString();
    }
}
