using System.Text;
using Strata.Diffing;
using Strata.Model;
using static Strata.Postgres.Sql.SqlIdentifier;

namespace Strata.Postgres.Sql;

// PostgreSQL extensions in SQL, in one file: CREATE EXTENSION, ALTER EXTENSION … UPDATE / SET SCHEMA, COMMENT ON
// EXTENSION and DROP EXTENSION.
public static partial class PostgresSqlGenerator
{
    internal static readonly KindSql ExtensionSql = Register(new KindSql()
        .Writes<CreateExtension>((c, output) => output.Add(new SqlStatement(CreateExtensionSql(c.Extension))), c => $"Extension {c.Extension.Name}")
        .Writes<DropExtension>((c, output) => output.Add(new SqlStatement($"DROP EXTENSION {Quote(c.Extension.Name)};")))
        .Writes<UpdateExtension>((c, output) => output.Add(new SqlStatement(
            $"ALTER EXTENSION {Quote(c.Name)} UPDATE{(c.Version is { } version ? " TO " + Literal(version) : "")};")))
        .Writes<MoveExtension>((c, output) => output.Add(new SqlStatement($"ALTER EXTENSION {Quote(c.Name)} SET SCHEMA {Quote(c.Schema)};")))
        .Writes<CommentOnExtension>(WriteExtensionComment, c => $"Comment on extension {c.Name}"));

    /// <summary>
    /// IF NOT EXISTS: an extension is database-wide, and a database may have it already (another application's, or
    /// created by hand before the first migration); then the statement leaves it as it is.
    /// </summary>
    private static string CreateExtensionSql(Extension extension)
    {
        var sql = new StringBuilder($"CREATE EXTENSION IF NOT EXISTS {Quote(extension.Name)} WITH SCHEMA {Quote(extension.Schema)}");
        if (extension.Version is { } version)
            sql.Append(" VERSION ").Append(Literal(version));
        return sql.Append(';').ToString();
    }

    /// <summary>
    /// A comment of the model's, or, without one, the comment the extension's control file gives it (what CREATE
    /// EXTENSION sets, and what the model's null stands for), which only the server knows.
    /// </summary>
    private static void WriteExtensionComment(CommentOnExtension change, List<SqlStatement> output) => output.Add(new SqlStatement(change.Comment is { } comment
        ? $"COMMENT ON EXTENSION {Quote(change.Name)} IS {Literal(comment)};"
        : $"""
           DO $strata$ BEGIN EXECUTE pg_catalog.format('COMMENT ON EXTENSION %I IS %L', {Literal(change.Name)}, (SELECT a.comment FROM pg_catalog.pg_available_extensions a WHERE a.name = {Literal(change.Name)})); END $strata$;
           """));
}
