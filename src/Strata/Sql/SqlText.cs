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
        foreach (var token in Tokens)
        {
            if (token.Kind == SqlTokenKind.QuotedIdentifier && IsClosed(token))
            {
                yield return SqlLexer.IdentifierName(this[token]);
            }
            else if (token.Kind == SqlTokenKind.Code)
            {
                var i = token.Start;
                while (i < token.End)
                {
                    var c = Text[i];
                    if (!SqlLexer.IsIdentifierChar(c))
                    {
                        i++;
                        continue;
                    }
                    var start = i;
                    while (i < token.End && (SqlLexer.IsIdentifierChar(Text[i]) || Text[i] == '$'))
                        i++;
                    // A number (1, 2.5e3, 0x1F) or a parameter ($1) is no name.
                    if (char.IsAsciiDigit(c))
                        continue;
                    yield return FoldCase(Text.AsSpan(start, i - start));
                }
            }
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
