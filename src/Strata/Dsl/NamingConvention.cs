namespace Strata.Dsl;

/// <summary>
/// The one rule that names constraints and indexes the schema does not name itself. It is
/// PostgreSQL's own rule (so a database created by hand reads back with the same names), minus its
/// silent truncation: a derived name over 63 bytes is a schema error that asks for an explicit name.
/// It never changes between runs or versions, because a changed name would be a migration.
/// </summary>
/// <remarks>
/// <list type="table">
/// <item><term>primary key</term><description><c>{table}_pkey</c></description></item>
/// <item><term>unique constraint</term><description><c>{table}_{column}_{column}…_key</c></description></item>
/// <item><term>foreign key</term><description><c>{table}_{column}_{column}…_fkey</c></description></item>
/// <item><term>column check</term><description><c>{table}_{column}_check</c> (table checks are always named)</description></item>
/// <item><term>index</term><description><c>{table}_{key}_{key}…_idx</c>, where an expression key counts as <c>expr</c></description></item>
/// </list>
/// A kind declared in a file of its own names its constraints there, in a partial part of this class.
/// </remarks>
public static partial class NamingConvention
{
    public static string PrimaryKey(string table) => $"{table}_pkey";

    public static string Unique(string table, IEnumerable<string> columns) => $"{table}_{string.Join("_", columns)}_key";

    public static string ForeignKey(string table, IEnumerable<string> columns) => $"{table}_{string.Join("_", columns)}_fkey";

    public static string ColumnCheck(string table, string column) => $"{table}_{column}_check";

    /// <param name="keys">Column names, with null for an expression key.</param>
    public static string Index(string table, IEnumerable<string?> keys) => $"{table}_{string.Join("_", keys.Select(k => k ?? "expr"))}_idx";
}
