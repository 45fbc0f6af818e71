using System.Text;
using Strata.Diffing;
using Strata.Model;
using static Strata.Postgres.Sql.SqlIdentifier;

namespace Strata.Postgres.Sql;

// PostgreSQL collations in SQL, in one file: CREATE COLLATION, ALTER COLLATION … RENAME TO / SET SCHEMA and DROP COLLATION (comments
// are SetComment's, through CommentTarget.Collation).
public static partial class PostgresSqlGenerator
{
    internal static readonly KindSql CollationSql = Register(new KindSql()
        .Writes<CreateCollation>((c, output) => output.Add(new SqlStatement(CreateCollationSql(c.Collation))), c => $"Collation {c.Collation.QualifiedName}")
        .Writes<RenameCollation>((c, output) => output.Add(new SqlStatement($"ALTER COLLATION {Quote(c.From)} RENAME TO {Quote(c.To)};")))
        .Writes<MoveCollation>((c, output) => output.Add(new SqlStatement($"ALTER COLLATION {Quote(c.From)} SET SCHEMA {Quote(c.Schema)};")))
        .Writes<DropCollation>((c, output) => output.Add(new SqlStatement($"DROP COLLATION {Quote(c.Collation.QualifiedName)};"))));

    /// <summary>The settings PostgreSQL stores: a libc collation's LOCALE when LC_COLLATE and LC_CTYPE are equal, else both.</summary>
    private static string CreateCollationSql(Collation collation)
    {
        var settings = new List<string> { "provider = " + collation.Provider };
        if (collation.Locale is { } locale)
            settings.Add("locale = " + Literal(locale));
        if (collation.LcCollate is { } lcCollate)
            settings.Add("lc_collate = " + Literal(lcCollate));
        if (collation.LcCtype is { } lcCtype)
            settings.Add("lc_ctype = " + Literal(lcCtype));
        if (!collation.Deterministic)
            settings.Add("deterministic = false");
        return new StringBuilder($"CREATE COLLATION {Quote(collation.QualifiedName)} (").AppendJoin(", ", settings).Append(");").ToString();
    }
}
