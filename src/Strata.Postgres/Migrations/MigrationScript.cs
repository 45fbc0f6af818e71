using System.Text;
using Strata.Postgres.Sql;

namespace Strata.Postgres.Migrations;

/// <summary>A <c>-- strata:name argument</c> line in the header of a migration script.</summary>
public sealed record ScriptDirective(string Name, string? Argument, int Line);

/// <summary>One statement of a migration script and the 1-based line of the file it starts on.</summary>
public sealed record ScriptStatement(string Sql, int Line)
{
    /// <summary>The 1-based line of the file holding PostgreSQL's 1-based error <paramref name="position"/> in <see cref="Sql"/>; <see cref="Line"/> when there is none.</summary>
    public int LineAt(int position) =>
        position <= 0 || position > Sql.Length + 1 ? Line : Line + Sql.AsSpan(0, position - 1).Count('\n');

    private const int ExcerptLines = 10;
    private const int ExcerptLineCharacters = 200;

    /// <summary>
    /// The statement as an error quotes it, each line indented by <paramref name="indent"/>: its first lines, or
    /// for an error further down, its first two lines and the lines around <paramref name="errorLine"/> (a line of
    /// the file); never more than a few lines of a few hundred characters, so that a 50 MB statement is not
    /// echoed whole. What is left out is counted ("… (N more lines)").
    /// </summary>
    public string Excerpt(int errorLine, string indent = "    ")
    {
        var lines = new List<(int Line, int Start, int End)>();
        var totalLines = Sql.AsSpan().Count('\n') + 1;
        var errorIndex = Math.Clamp(errorLine - Line, 0, totalLines - 1);
        var shown = errorIndex < ExcerptLines - 2
            ? Enumerable.Range(0, Math.Min(ExcerptLines, totalLines)).ToHashSet()
            : new HashSet<int>([0, 1, .. Enumerable.Range(errorIndex - 3, 7).Where(i => i > 1 && i < totalLines)]);
        var text = new StringBuilder();
        var start = 0;
        var skipped = 0;
        for (var index = 0; index < totalLines && start <= Sql.Length; index++)
        {
            var end = Sql.IndexOf('\n', start);
            if (end < 0)
                end = Sql.Length;
            if (shown.Contains(index))
            {
                if (skipped > 0)
                    text.Append(indent).Append("… (").Append(skipped).Append(skipped == 1 ? " line)\n" : " lines)\n");
                skipped = 0;
                var length = end - start;
                text.Append(indent).Append(Sql, start, Math.Min(length, ExcerptLineCharacters));
                if (length > ExcerptLineCharacters)
                    text.Append(" … (").Append(length - ExcerptLineCharacters).Append(" more characters)");
                text.Append('\n');
            }
            else
            {
                skipped++;
            }
            if (index >= shown.Max() && index + 1 < totalLines)
            {
                var rest = totalLines - index - 1;
                text.Append(indent).Append("… (").Append(rest).Append(rest == 1 ? " more line)\n" : " more lines)\n");
                break;
            }
            start = end + 1;
        }
        return text.ToString().TrimEnd('\n');
    }
}

/// <summary>
/// The text format of <c>up.sql</c> and <c>down.sql</c>, generated and hand-written alike: an optional
/// header of <c>-- strata:</c> directives, then statements separated by <c>--> statement-breakpoint</c> lines.
/// </summary>
public sealed class MigrationScript
{
    public const string Breakpoint = Strata.Sql.SqlLexer.Breakpoint;
    public const string DirectivePrefix = Strata.Sql.SqlLexer.DirectivePrefix;

    /// <summary>The migration must run statement by statement outside a transaction (CREATE INDEX CONCURRENTLY).</summary>
    public const string NoTransaction = "no-transaction";

    /// <summary>In down.sql: a step of up.sql whose data this script cannot give back.</summary>
    public const string Irreversible = "irreversible";

    /// <summary>In down.sql: a statement of this script that destroys data.</summary>
    public const string DataLoss = "data-loss";

    /// <summary>
    /// <c>strata lint</c>'s rules (comma-separated ids) not to apply to the statement that follows the line. The one
    /// directive allowed between statements: it describes the statement below it, as a comment would.
    /// </summary>
    public const string LintIgnore = "lint-ignore";

    /// <summary>In the header: <c>strata lint</c>'s rules (comma-separated ids) not to apply anywhere in this file.</summary>
    public const string LintIgnoreFile = "lint-ignore-file";

    private const string DataLossComment = "-- data loss: ";

    private const string RewriteComment = "-- rewrite: ";

    private static readonly string[] KnownDirectives = [NoTransaction, Irreversible, DataLoss, LintIgnore, LintIgnoreFile];

    private MigrationScript(IReadOnlyList<ScriptDirective> directives, IReadOnlyList<ScriptStatement> statements)
    {
        Directives = directives;
        Statements = statements;
    }

    public IReadOnlyList<ScriptDirective> Directives { get; }

    public IReadOnlyList<ScriptStatement> Statements { get; }

    /// <summary>False when the header says <c>-- strata:no-transaction</c>.</summary>
    public bool RunsInTransaction => !Directives.Any(d => d.Name == NoTransaction);

    /// <summary>The text of up.sql for <paramref name="statements"/>.</summary>
    public static string RenderUp(IReadOnlyList<SqlStatement> statements)
    {
        var header = statements.Any(s => !s.Transactional) ? [DirectivePrefix + NoTransaction] : new List<string>();
        return Render(header, statements.Select(s => s.Rewrite is null ? s.Sql : RewriteComment + OneLine(s.Rewrite) + "\n" + s.Sql));
    }

    /// <summary>
    /// The text of down.sql: <paramref name="down"/> undoes <paramref name="up"/>. The header names every
    /// step of up.sql that destroyed data (this script re-creates the object, not its contents) and
    /// every statement here that destroys data; a comment marks the latter in place too. The generator
    /// phrases <see cref="SqlStatement.DataLoss"/> as a verb phrase ("drops table public.users and all its rows").
    /// </summary>
    public static string RenderDown(IReadOnlyList<SqlStatement> up, IReadOnlyList<SqlStatement> down)
    {
        var header = new List<string>();
        if (down.Any(s => !s.Transactional))
            header.Add(DirectivePrefix + NoTransaction);
        header.AddRange(up.Where(s => s.DataLoss is not null)
            .Select(s => $"{DirectivePrefix}{Irreversible} up.sql {OneLine(s.DataLoss!)}; this script cannot give that data back"));
        header.AddRange(down.Where(s => s.DataLoss is not null)
            .Select(s => $"{DirectivePrefix}{DataLoss} {OneLine(s.DataLoss!)}"));
        return Render(header, down.Select(s => s.DataLoss is null ? s.Sql : DataLossComment + OneLine(s.DataLoss) + "\n" + s.Sql));
    }

    private static string Render(IReadOnlyList<string> header, IEnumerable<string> statements)
    {
        var text = new StringBuilder();
        foreach (var line in header)
            text.Append(line).Append('\n');
        var body = string.Join("\n" + Breakpoint + "\n", statements);
        if (body.Length > 0)
        {
            if (header.Count > 0)
                text.Append('\n');
            text.Append(body).Append('\n');
        }
        return text.ToString();
    }

    private static string OneLine(string text) => text.ReplaceLineEndings(" ");

    /// <summary>Parses a script; <paramref name="fileName"/> is only for error messages.</summary>
    /// <exception cref="MigrationFileException">An unknown directive, a directive below the first statement, or a breakpoint inside a string, dollar quote or comment.</exception>
    public static MigrationScript Parse(string text, string fileName)
    {
        var (directives, statements) = ScriptParser.ParseAll(text, fileName, splitAtSemicolons: false);
        return new MigrationScript(directives, statements);
    }

    /// <summary>Reads a whole script from <paramref name="source"/>.</summary>
    /// <exception cref="MigrationFileException">The same as <see cref="Parse"/>, and bytes that are not UTF-8.</exception>
    public static async Task<MigrationScript> ReadAsync(SourceText source, string fileName, CancellationToken ct = default)
    {
        var (directives, statements) = await ScriptParser.ReadAllAsync(source, fileName, splitAtSemicolons: false, ct);
        return new MigrationScript(directives, statements);
    }

    internal static ScriptDirective ParseDirective(string line, string fileName, int lineNumber)
    {
        var rest = line[DirectivePrefix.Length..];
        var space = rest.IndexOf(' ');
        var name = space < 0 ? rest : rest[..space];
        var argument = space < 0 ? null : rest[(space + 1)..].Trim();
        if (!KnownDirectives.Contains(name))
        {
            throw new MigrationFileException(fileName, lineNumber,
                $"unknown directive \"{DirectivePrefix}{name}\"; the directives are {string.Join(", ", KnownDirectives.Select(d => DirectivePrefix + d))}");
        }
        if (name == NoTransaction && !string.IsNullOrEmpty(argument))
            throw new MigrationFileException(fileName, lineNumber, $"\"{DirectivePrefix}{NoTransaction}\" takes no argument");
        if (name is LintIgnore or LintIgnoreFile && string.IsNullOrEmpty(argument))
            throw new MigrationFileException(fileName, lineNumber, $"\"{DirectivePrefix}{name}\" names no rule: write the rule ids after it, separated by commas ({DirectivePrefix}{name} index-not-concurrent)");
        return new ScriptDirective(name, string.IsNullOrEmpty(argument) ? null : argument, lineNumber);
    }
}
