using Strata.Model;

namespace Strata.Postgres.Sql;

/// <summary>
/// What PostgreSQL 15 does when ALTER COLUMN … TYPE converts a column: whether it finds an
/// implicit or assignment cast on its own (otherwise USING is needed), and whether the conversion
/// can lose or reject values.
/// </summary>
internal static class TypeConversions
{
    private static readonly HashSet<TypeKind> Numbers =
        [TypeKind.SmallInt, TypeKind.Integer, TypeKind.BigInt, TypeKind.Numeric, TypeKind.Real, TypeKind.DoublePrecision];

    private static readonly HashSet<TypeKind> Strings = [TypeKind.Text, TypeKind.Varchar, TypeKind.Char];

    // pg_cast rows with castcontext 'i' or 'a' between the built-in types Strata names (PostgreSQL 15).
    private static readonly HashSet<(TypeKind From, TypeKind To)> AssignmentCasts =
    [
        (TypeKind.Date, TypeKind.Timestamp), (TypeKind.Date, TypeKind.TimestampTz),
        (TypeKind.Timestamp, TypeKind.TimestampTz), (TypeKind.TimestampTz, TypeKind.Timestamp),
        (TypeKind.Timestamp, TypeKind.Date), (TypeKind.TimestampTz, TypeKind.Date),
        (TypeKind.Timestamp, TypeKind.Time), (TypeKind.TimestampTz, TypeKind.Time), (TypeKind.TimestampTz, TypeKind.TimeTz),
        (TypeKind.Time, TypeKind.TimeTz), (TypeKind.TimeTz, TypeKind.Time),
        (TypeKind.Time, TypeKind.Interval), (TypeKind.Interval, TypeKind.Time),
        (TypeKind.Json, TypeKind.Jsonb), (TypeKind.Jsonb, TypeKind.Json),
        (TypeKind.Inet, TypeKind.Cidr), (TypeKind.Cidr, TypeKind.Inet),
    ];

    /// <summary>True when PostgreSQL has no implicit or assignment cast from one type to the other.</summary>
    public static bool NeedsUsing(ColumnType from, ColumnType to)
    {
        if (from.ArrayDimensions != to.ArrayDimensions)
            return true;
        var (f, t) = (from.Kind, to.Kind);
        if (f == t)
            return f switch
            {
                TypeKind.Raw => from.RawName != to.RawName,
                _ when from.IsUserType => from.UserTypeName != to.UserTypeName,
                _ => false,
            };
        // Into a type the schema declares: an explicit cast (PostgreSQL makes it through the type's base type, if any).
        if (f == TypeKind.Raw || t == TypeKind.Raw || to.IsUserType)
            return true;
        // Every type converts to a string type through its output function in assignment context.
        if (Strings.Contains(t))
            return false;
        // Out of a type the schema declares into another type: a cast Strata does not know here.
        if (from.IsUserType)
            return true;
        if (Numbers.Contains(f) && Numbers.Contains(t))
            return false;
        return !AssignmentCasts.Contains((f, t));
    }

    /// <summary>The USING expression: a plain cast, or through text where PostgreSQL has no direct cast from an enum.</summary>
    public static string UsingExpression(string column, ColumnType from, ColumnType to, string toSql)
    {
        var quoted = SqlIdentifier.Quote(column);
        if (from.Kind == TypeKind.Enum && !Strings.Contains(to.Kind))
            return $"{quoted}::text{Brackets(from.ArrayDimensions)}::{toSql}";
        return $"{quoted}::{toSql}";
    }

    private static string Brackets(int dimensions) => string.Concat(Enumerable.Repeat("[]", dimensions));

    /// <summary>True when every value of <paramref name="from"/> survives the conversion with its meaning (a widening).</summary>
    public static bool IsLossless(ColumnType from, ColumnType to)
    {
        if (from.ArrayDimensions != to.ArrayDimensions)
            return false;
        var (f, t) = (from.Kind, to.Kind);
        if (t == TypeKind.Text || (t == TypeKind.Varchar && to.Length is null))
            return true;
        if (t == TypeKind.Varchar)
            return f is TypeKind.Varchar or TypeKind.Char && from.Length is { } length && length <= to.Length;
        if (t == TypeKind.Char)
            return f == TypeKind.Char && (from.Length ?? 1) <= (to.Length ?? 1);
        if (IntegerRank(f) is { } fromRank)
        {
            if (IntegerRank(t) is { } toRank)
                return toRank >= fromRank;
            return t switch
            {
                TypeKind.Numeric => to.Precision is not { } precision || precision - (to.Scale ?? 0) >= IntegerDigits(f),
                TypeKind.DoublePrecision => f != TypeKind.BigInt,
                TypeKind.Real => f == TypeKind.SmallInt,
                _ => false,
            };
        }
        return (f, t) switch
        {
            (TypeKind.Real, TypeKind.Real or TypeKind.DoublePrecision) => true,
            (TypeKind.DoublePrecision, TypeKind.DoublePrecision) => true,
            (TypeKind.Numeric, TypeKind.Numeric) => to.Precision is not { } p2
                || (from.Precision is { } p1 && (to.Scale ?? 0) >= (from.Scale ?? 0) && p2 - (to.Scale ?? 0) >= p1 - (from.Scale ?? 0)),
            (TypeKind.Time, TypeKind.Time) or (TypeKind.TimeTz, TypeKind.TimeTz)
                or (TypeKind.Timestamp, TypeKind.Timestamp) or (TypeKind.TimestampTz, TypeKind.TimestampTz)
                or (TypeKind.Interval, TypeKind.Interval) => (to.Precision ?? 6) >= (from.Precision ?? 6),
            (TypeKind.Date, TypeKind.Date or TypeKind.Timestamp or TypeKind.TimestampTz) => true,
            (TypeKind.Json or TypeKind.Jsonb, TypeKind.Json or TypeKind.Jsonb) => true,
            (TypeKind.Cidr, TypeKind.Cidr or TypeKind.Inet) or (TypeKind.Inet, TypeKind.Inet) => true,
            (TypeKind.Raw, TypeKind.Raw) => from.RawName == to.RawName,
            _ when f == t && from.IsUserType => from.UserTypeName == to.UserTypeName,
            _ => f == t && from == to,
        };
    }

    /// <summary>
    /// Whether the conversion adds or removes a time zone (timestamp ↔ timestamptz, time ↔ timetz).
    /// PostgreSQL reads or writes the values in the session's TimeZone setting, so the instants they
    /// mean shift unless that zone is the one they were stored in. Strata does not emit
    /// <c>USING … AT TIME ZONE 'UTC'</c>: which zone naive values are in is the application's
    /// knowledge, and a guess would shift them just as silently; flagging the statement makes the user
    /// decide (set the session zone, or edit the USING clause).
    /// </summary>
    public static bool ChangesTimeZone(ColumnType from, ColumnType to) =>
        from.ArrayDimensions == to.ArrayDimensions && (from.Kind, to.Kind) is (TypeKind.Timestamp, TypeKind.TimestampTz)
            or (TypeKind.TimestampTz, TypeKind.Timestamp) or (TypeKind.Time, TypeKind.TimeTz) or (TypeKind.TimeTz, TypeKind.Time);

    private static int? IntegerRank(TypeKind kind) => kind switch
    {
        TypeKind.SmallInt => 1,
        TypeKind.Integer => 2,
        TypeKind.BigInt => 3,
        _ => null,
    };

    private static int IntegerDigits(TypeKind kind) => kind switch
    {
        TypeKind.SmallInt => 5,
        TypeKind.Integer => 10,
        _ => 19,
    };
}
