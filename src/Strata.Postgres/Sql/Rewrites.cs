using System.Text.RegularExpressions;
using Strata.Model;

namespace Strata.Postgres.Sql;

/// <summary>
/// The statements that rewrite a whole table under ACCESS EXCLUSIVE (every read and write of it waits until the rewrite
/// is done), and the expand/contract way round each: what <see cref="SqlStatement.Rewrite"/> says.
/// </summary>
internal static partial class Rewrites
{
    /// <summary>
    /// ALTER COLUMN … TYPE rewrites the table (and rebuilds its indexes) unless PostgreSQL can keep the stored values:
    /// a varchar made longer or text, a numeric given more precision at the same scale or no limit, a time type given
    /// more fractional digits, cidr to inet. Null when it does not.
    /// </summary>
    public static string? OfTypeChange(QualifiedName table, string column, ColumnType from, ColumnType to)
    {
        if (KeepsStoredValues(from, to))
            return null;
        return $"changing {table}.{column} from {from} to {to} rewrites the whole table and its indexes under ACCESS EXCLUSIVE. "
            + "On a large table, expand and contract instead: add a column of the new type, fill it in batches (and keep it filled by a trigger), "
            + "move the application to it, then drop the old column in a later migration.";
    }

    private static bool KeepsStoredValues(ColumnType from, ColumnType to)
    {
        if (from == to)
            return true;
        if (from.ArrayDimensions != to.ArrayDimensions)
            return false;
        return (from.Kind, to.Kind) switch
        {
            (TypeKind.Varchar or TypeKind.Text, TypeKind.Text) => true,
            (TypeKind.Text, TypeKind.Varchar) => to.Length is null,
            (TypeKind.Varchar, TypeKind.Varchar) => to.Length is null || (from.Length is { } length && to.Length >= length),
            (TypeKind.Numeric, TypeKind.Numeric) => to.Precision is null
                || (from.Precision is { } precision && to.Precision >= precision && (to.Scale ?? 0) == (from.Scale ?? 0)),
            (TypeKind.Time, TypeKind.Time) or (TypeKind.TimeTz, TypeKind.TimeTz) or (TypeKind.Timestamp, TypeKind.Timestamp)
                or (TypeKind.TimestampTz, TypeKind.TimestampTz) or (TypeKind.Interval, TypeKind.Interval) => (to.Precision ?? 6) >= (from.Precision ?? 6),
            (TypeKind.Cidr, TypeKind.Inet) => true,
            _ => false,
        };
    }

    /// <summary>
    /// A new column PostgreSQL must fill row by row: a volatile default (a value per row), an identity or serial column
    /// (a sequence value per row), a stored generated column. A constant or stable default (now()) is stored once in
    /// the catalog and costs nothing. Null for the rest.
    /// </summary>
    public static string? OfNewColumn(QualifiedName table, Column column)
    {
        string? why = column.GeneratedAs is not null ? "a stored generated column is computed for every existing row"
            : column.Identity is not null || column.Type.IsSerial ? "an identity or serial column takes a sequence value for every existing row"
            // The function's name, not the default's text, which could hold anything (the note becomes a comment line of up.sql).
            : column.Default is { } defaultSql && VolatileCall().Match(defaultSql) is { Success: true } call
                ? $"its default calls {call.Groups[1].Value.ToLowerInvariant()}(), which is volatile, so a value is computed for every existing row"
            : null;
        if (why is null)
            return null;
        return $"adding {table}.{column.Name} rewrites the whole table under ACCESS EXCLUSIVE: {why}. "
            + "On a large table, expand and contract instead: add the column without the default (or as a plain column), set the default "
            + "for new rows in the same migration, fill the existing rows in batches, then add NOT NULL or the constraint in a later migration.";
    }

    /// <summary>SET LOGGED and SET UNLOGGED copy the whole table.</summary>
    public static string OfLogging(QualifiedName table, bool unlogged) =>
        $"SET {(unlogged ? "UNLOGGED" : "LOGGED")} rewrites the whole table {table} under ACCESS EXCLUSIVE. On a large table, create the new table "
        + $"{(unlogged ? "UNLOGGED" : "logged")}, copy the rows in batches while the application writes to both, then swap the names.";

    // The volatile functions a default commonly calls (pg_proc.provolatile = 'v'); a stable one such as now() is not here.
    [GeneratedRegex(@"\b(random|gen_random_uuid|uuid_generate_v1|uuid_generate_v1mc|uuid_generate_v4|clock_timestamp|timeofday|nextval|txid_current|gen_random_bytes)\s*\(", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex VolatileCall();
}
