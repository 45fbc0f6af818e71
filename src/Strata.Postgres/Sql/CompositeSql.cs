using System.Text;
using Strata.Diffing;
using Strata.Model;
using static Strata.Postgres.Sql.SqlIdentifier;

namespace Strata.Postgres.Sql;

// PostgreSQL composite types in SQL, in one file: CREATE TYPE … AS (…), ALTER TYPE … ADD/DROP/ALTER ATTRIBUTE, RENAME,
// re-creation and DROP TYPE, and a composite type's name as a column type. Its comment is a SetComment.
public static partial class PostgresSqlGenerator
{
    internal static readonly KindSql CompositeSql = Register(new KindSql()
        .NamesType(TypeKind.Composite, type => Quote(type.CompositeName ?? throw new ArgumentException("A composite column type has no type name.", nameof(type))))
        .Writes<CreateComposite>((c, output) => output.Add(new SqlStatement(CreateCompositeSql(c.Composite))), c => $"Composite type {c.Composite.QualifiedName}")
        .Writes<DropComposite>((c, output) => output.Add(new SqlStatement($"DROP TYPE {Quote(c.Composite.QualifiedName)};")))
        .Writes<RenameComposite>((c, output) => WriteMove("TYPE", c.From, c.To, output))
        .Writes<AlterComposite>(WriteAlterComposite, c => $"Composite type {c.To.QualifiedName}")
        .Writes<RecreateComposite>(WriteRecreateComposite, c => $"Composite type {c.To.QualifiedName}"));

    private static string CreateCompositeSql(CompositeType composite) =>
        $"CREATE TYPE {Quote(composite.QualifiedName)} AS ({string.Join(", ", composite.Fields.Select(FieldSql))});";

    private static string FieldSql(CompositeField field)
    {
        var sql = new StringBuilder($"{Quote(field.Name)} {TypeSql(field.Type)}");
        sql.Append(CollateSql(field.Collation, field.CollationSchema));
        return sql.ToString();
    }

    /// <summary>
    /// Fields dropped, added and retyped, in place (no table column uses the type: PostgreSQL refuses any of them then).
    /// DROP ATTRIBUTE loses that field of the values stored elsewhere (a function's variable), none in a table.
    /// </summary>
    private static void WriteAlterComposite(AlterComposite change, List<SqlStatement> output)
    {
        var alter = $"ALTER TYPE {Quote(change.To.QualifiedName)}";
        var kept = change.To.Fields.Select(f => f.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var field in change.From.Fields)
        {
            if (!kept.Contains(field.Name))
                output.Add(new SqlStatement($"{alter} DROP ATTRIBUTE {Quote(field.Name)};"));
        }
        foreach (var field in change.To.Fields)
        {
            var old = change.From.Fields.FirstOrDefault(f => f.Name == field.Name);
            if (old is null)
                output.Add(new SqlStatement($"{alter} ADD ATTRIBUTE {FieldSql(field)};"));
            else if (old != field)
                output.Add(new SqlStatement($"{alter} ALTER ATTRIBUTE {Quote(field.Name)} TYPE {FieldSql(field)[(Quote(field.Name).Length + 1)..]};"));
        }
    }

    /// <summary>
    /// A composite type used by table columns whose fields change: rename the old type aside, create the new one, and
    /// convert each column through text (a value whose text the new type does not read, such as one with a field
    /// fewer or more, fails the statement; nothing is changed then). A later DropComposite removes the old type.
    /// </summary>
    private static void WriteRecreateComposite(RecreateComposite change, List<SqlStatement> output)
    {
        output.Add(new SqlStatement($"ALTER TYPE {Quote(change.From.QualifiedName)} RENAME TO {Quote(change.TemporaryName)};"));
        output.Add(new SqlStatement(CreateCompositeSql(change.To)));
        WriteColumnConversions(change.Columns, null, output);
    }
}
