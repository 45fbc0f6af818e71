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
}

/// <summary>
/// The text format of <c>up.sql</c> and <c>down.sql</c>, generated and hand-written alike: an optional
/// header of <c>-- strata:</c> directives, then statements separated by <c>--> statement-breakpoint</c> lines.
/// </summary>
public sealed class MigrationScript
{
    public const string Breakpoint = "--> statement-breakpoint";
    public const string DirectivePrefix = "-- strata:";

    /// <summary>The migration must run statement by statement outside a transaction (CREATE INDEX CONCURRENTLY).</summary>
    public const string NoTransaction = "no-transaction";

    /// <summary>In down.sql: a step of up.sql whose data this script cannot give back.</summary>
    public const string Irreversible = "irreversible";

    /// <summary>In down.sql: a statement of this script that destroys data.</summary>
    public const string DataLoss = "data-loss";

    private const string DataLossComment = "-- data loss: ";

    private static readonly string[] KnownDirectives = [NoTransaction, Irreversible, DataLoss];

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
        return Render(header, statements.Select(s => s.Sql));
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
    /// <exception cref="MigrationFileException">An unknown directive, or a directive below the first statement.</exception>
    public static MigrationScript Parse(string text, string fileName)
    {
        var directives = new List<ScriptDirective>();
        var statements = new List<ScriptStatement>();
        var chunk = new List<(int Line, string Text)>();
        var inHeader = true;
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var lineNumber = i + 1;
            var line = lines[i].TrimEnd('\r');
            var trimmed = line.Trim();
            if (inHeader)
            {
                if (trimmed.Length == 0)
                    continue;
                if (trimmed.StartsWith(DirectivePrefix, StringComparison.Ordinal))
                {
                    directives.Add(ParseDirective(trimmed, fileName, lineNumber));
                    continue;
                }
                inHeader = false;
            }

            if (trimmed.StartsWith(DirectivePrefix, StringComparison.Ordinal))
            {
                throw new MigrationFileException(fileName, lineNumber,
                    $"\"{trimmed}\" is below the first statement; move -- strata: directives to the top of the file");
            }
            if (trimmed == Breakpoint)
            {
                Flush(chunk, statements);
                continue;
            }
            // drizzle-kit writes the breakpoint at the end of the statement's last line.
            if (trimmed.EndsWith(Breakpoint, StringComparison.Ordinal))
            {
                chunk.Add((lineNumber, line[..line.LastIndexOf(Breakpoint, StringComparison.Ordinal)]));
                Flush(chunk, statements);
                continue;
            }
            chunk.Add((lineNumber, line));
        }
        Flush(chunk, statements);
        return new MigrationScript(directives, statements);
    }

    private static ScriptDirective ParseDirective(string line, string fileName, int lineNumber)
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
        return new ScriptDirective(name, string.IsNullOrEmpty(argument) ? null : argument, lineNumber);
    }

    // Leading comments of a chunk describe the statement; leaving them out makes the reported line,
    // and PostgreSQL's error position, point into the statement itself.
    private static void Flush(List<(int Line, string Text)> chunk, List<ScriptStatement> statements)
    {
        var start = chunk.FindIndex(l => l.Text.Trim() is { Length: > 0 } t && !t.StartsWith("--", StringComparison.Ordinal));
        if (start >= 0)
        {
            var sql = string.Join("\n", chunk.Skip(start).Select(l => l.Text)).TrimEnd();
            statements.Add(new ScriptStatement(sql, chunk[start].Line));
        }
        chunk.Clear();
    }
}
