namespace Strata.Sql;

/// <summary>
/// A SQL text read whole by <see cref="SqlLexer"/> (<see cref="SqlLexer.Tokenize"/>): an expression, a view
/// query, a default, a statement. Its tokens cover it from start to end; a string, quoted identifier, dollar
/// quote or comment that runs over lines is one token, line breaks and all.
/// </summary>
public sealed class SqlText
{
    internal SqlText(string text, List<SqlToken> tokens, SqlTokenKind openAtEnd)
    {
        Text = text;
        Tokens = tokens;
        OpenAtEnd = openAtEnd;
    }

    public string Text { get; }

    public IReadOnlyList<SqlToken> Tokens { get; }

    /// <summary>What the text ends inside: <see cref="SqlTokenKind.Code"/>, or a string, quoted identifier, dollar quote or block comment left open.</summary>
    public SqlTokenKind OpenAtEnd { get; }

    public string this[SqlToken token] => Text[token.Start..token.End];

    /// <summary>Whether the token is complete: not a string, quoted identifier, dollar quote or comment that the text ends inside.</summary>
    public bool IsClosed(SqlToken token) => token.End < Text.Length || OpenAtEnd == SqlTokenKind.Code || token.Kind is SqlTokenKind.Code or SqlTokenKind.Semicolon or SqlTokenKind.LineComment;

    /// <summary>
    /// The values of the string constants, in order: <c>'it''s'</c>, <c>E'it\'s'</c> and <c>$$it's$$</c> are
    /// all <c>it's</c>. (Strings that PostgreSQL joins because only a line break stands between them are
    /// given one by one.)
    /// </summary>
    public IEnumerable<string> StringValues()
    {
        foreach (var token in Tokens)
        {
            if (token.Kind == SqlTokenKind.String && IsClosed(token))
                yield return SqlLexer.StringValue(this[token]);
            else if (token.Kind == SqlTokenKind.DollarQuoted && IsClosed(token))
                yield return DollarQuotedValue(token);
        }
    }

    private string DollarQuotedValue(SqlToken token)
    {
        var tagLength = Text.IndexOf('$', token.Start + 1) - token.Start + 1;
        return Text[(token.Start + tagLength)..(token.End - tagLength)];
    }

    /// <summary>
    /// The names in the text, and its keywords (the lexer does not tell them apart): a bare word folded to
    /// lower case as PostgreSQL folds it, a quoted identifier as it names the object. Words inside strings,
    /// comments and dollar quotes are not names.
    /// </summary>
    public IEnumerable<string> Names()
    {
        foreach (var lexeme in Lexemes())
        {
            if (lexeme.IsName)
                yield return lexeme.Value;
        }
    }

    /// <summary>
    /// The text as PostgreSQL's parser sees it, one lexeme at a time: names and keywords, string constants,
    /// numbers, operators and punctuation, without whitespace and comments (and without a string, name or
    /// comment the text ends inside). A word is folded to lower case as PostgreSQL folds it; a quoted identifier
    /// is the name it stands for; a string constant (<c>'…'</c>, <c>E'…'</c>, <c>U&amp;'…'</c>, <c>$$…$$</c>) is its value.
    /// </summary>
    public IReadOnlyList<SqlLexeme> Lexemes() => _lexemes ??= ReadLexemes();

    private List<SqlLexeme>? _lexemes;

    private List<SqlLexeme> ReadLexemes()
    {
        var lexemes = new List<SqlLexeme>();
        foreach (var token in Tokens)
        {
            if (!IsClosed(token))
                continue;
            switch (token.Kind)
            {
                case SqlTokenKind.QuotedIdentifier:
                    lexemes.Add(new SqlLexeme(SqlLexemeKind.QuotedName, token.Start, token.End, SqlLexer.IdentifierName(this[token])));
                    break;
                case SqlTokenKind.String:
                    lexemes.Add(new SqlLexeme(SqlLexemeKind.String, token.Start, token.End, SqlLexer.StringValue(this[token])));
                    break;
                case SqlTokenKind.DollarQuoted:
                    lexemes.Add(new SqlLexeme(SqlLexemeKind.String, token.Start, token.End, DollarQuotedValue(token)));
                    break;
                case SqlTokenKind.Semicolon:
                    lexemes.Add(new SqlLexeme(SqlLexemeKind.Punctuation, token.Start, token.End, ";"));
                    break;
                case SqlTokenKind.Code:
                    ReadCode(token, lexemes);
                    break;
            }
        }
        return lexemes;
    }

    // PostgreSQL's operator characters (https://www.postgresql.org/docs/current/sql-syntax-lexical.html#SQL-SYNTAX-OPERATORS).
    private const string OperatorChars = "+-*/<>=~!@#%^&|`?";

    private void ReadCode(SqlToken token, List<SqlLexeme> lexemes)
    {
        var i = token.Start;
        while (i < token.End)
        {
            var c = Text[i];
            var start = i;
            if (char.IsWhiteSpace(c))
            {
                i++;
                continue;
            }
            if (SqlLexer.IsIdentifierChar(c) && !char.IsAsciiDigit(c))
            {
                while (i < token.End && (SqlLexer.IsIdentifierChar(Text[i]) || Text[i] == '$'))
                    i++;
                lexemes.Add(new SqlLexeme(SqlLexemeKind.Word, start, i, FoldCase(Text.AsSpan(start, i - start))));
                continue;
            }
            // A number (1, 2.5e3, 0x1F, .5) or a parameter ($1).
            if (char.IsAsciiDigit(c) || (c is '.' or '$' && i + 1 < token.End && char.IsAsciiDigit(Text[i + 1])))
            {
                i++;
                while (i < token.End && (SqlLexer.IsIdentifierChar(Text[i]) || Text[i] == '.'))
                    i++;
                lexemes.Add(new SqlLexeme(SqlLexemeKind.Number, start, i, Text[start..i]));
                continue;
            }
            if (c == ':' && i + 1 < token.End && Text[i + 1] == ':')
            {
                i += 2;
                lexemes.Add(new SqlLexeme(SqlLexemeKind.Operator, start, i, "::"));
                continue;
            }
            if (OperatorChars.Contains(c))
            {
                while (i < token.End && OperatorChars.Contains(Text[i]))
                    i++;
                lexemes.Add(new SqlLexeme(SqlLexemeKind.Operator, start, i, Text[start..i]));
                continue;
            }
            i++;
            lexemes.Add(new SqlLexeme(SqlLexemeKind.Punctuation, start, i, Text[start..i]));
        }
    }

    /// <summary>The index of the <c>)</c> that closes the <c>(</c> at <paramref name="open"/>, counting only parentheses in code; -1 if none does.</summary>
    public int ClosingParenthesis(int open)
    {
        var depth = 0;
        foreach (var token in Tokens)
        {
            if (token.Kind != SqlTokenKind.Code || token.End <= open)
                continue;
            for (var i = Math.Max(token.Start, open); i < token.End; i++)
            {
                if (Text[i] == '(')
                    depth++;
                else if (Text[i] == ')' && --depth == 0)
                    return i;
            }
        }
        return -1;
    }

    // PostgreSQL folds an unquoted name's ASCII letters only.
    private static string FoldCase(ReadOnlySpan<char> word)
    {
        Span<char> folded = word.Length <= 256 ? stackalloc char[word.Length] : new char[word.Length];
        for (var i = 0; i < word.Length; i++)
            folded[i] = char.IsAsciiLetterUpper(word[i]) ? (char)(word[i] + ('a' - 'A')) : word[i];
        return folded.ToString();
    }
}

/// <summary>What a lexeme of <see cref="SqlText.Lexemes"/> is.</summary>
public enum SqlLexemeKind
{
    /// <summary>A bare word: a name or a keyword, folded to lower case as PostgreSQL folds it.</summary>
    Word,

    /// <summary>A quoted identifier: the name it stands for (<c>"a""b"</c> is <c>a"b</c>).</summary>
    QuotedName,

    /// <summary>A string constant, <c>'…'</c>, <c>E'…'</c>, <c>U&amp;'…'</c> or dollar-quoted: its value.</summary>
    String,

    /// <summary>A number (<c>1</c>, <c>2.5e3</c>) or a parameter (<c>$1</c>).</summary>
    Number,

    /// <summary>An operator: <c>::</c>, <c>&lt;&gt;</c>, <c>||</c>, <c>=</c>…</summary>
    Operator,

    /// <summary>Anything else, one character: <c>(</c>, <c>)</c>, <c>[</c>, <c>]</c>, <c>,</c>, <c>.</c>, <c>;</c>, <c>:</c>.</summary>
    Punctuation,
}

/// <summary>One lexeme of a SQL text: its kind, where it stands (<c>[Start, End)</c>) and its value (see <see cref="SqlLexemeKind"/>).</summary>
/// <remarks>A class, not a struct, for the reason <see cref="SqlToken"/> gives.</remarks>
public sealed record SqlLexeme(SqlLexemeKind Kind, int Start, int End, string Value)
{
    /// <summary>A name or keyword, bare or quoted.</summary>
    public bool IsName => Kind is SqlLexemeKind.Word or SqlLexemeKind.QuotedName;

    /// <summary>Whether it is the punctuation or operator <paramref name="text"/>.</summary>
    public bool Is(string text) => Kind is SqlLexemeKind.Punctuation or SqlLexemeKind.Operator && Value == text;
}
