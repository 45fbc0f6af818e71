using Strata.Postgres.Migrations;

namespace Strata.Postgres.Seeding;

/// <summary>
/// Splits a hand-written seed file into its statements: at breakpoints, as a migration script, and also at
/// the semicolons that end statements, so that each runs as its own command and a failure names its own
/// line. Semicolons inside quotes ('…', E'…', "…"), dollar quotes ($$…$$, $tag$…$tag$) and comments (--,
/// nested /* */) do not split: <see cref="Strata.Sql.SqlLexer"/> reads them, as it does for migration scripts.
/// </summary>
public static class SqlScriptSplitter
{
    /// <summary>The statements of <paramref name="text"/>; <paramref name="fileName"/> is for messages.</summary>
    /// <exception cref="MigrationFileException">A misplaced or unknown <c>-- strata:</c> line, or a breakpoint inside a string, dollar quote or comment.</exception>
    public static IReadOnlyList<ScriptStatement> Split(string text, string fileName) =>
        ScriptParser.ParseAll(text, fileName, splitAtSemicolons: true).Statements;

    /// <summary>Reads and splits the seed file at <paramref name="path"/>.</summary>
    /// <exception cref="MigrationFileException">As <see cref="Split"/>, and bytes that are not UTF-8 (naming the line and byte offset).</exception>
    public static async Task<IReadOnlyList<ScriptStatement>> ReadFileAsync(string path, CancellationToken ct = default)
    {
        using var source = SourceText.OpenFile(path);
        return (await ScriptParser.ReadAllAsync(source, path, splitAtSemicolons: true, ct)).Statements;
    }
}
