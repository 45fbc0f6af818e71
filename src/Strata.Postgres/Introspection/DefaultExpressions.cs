using System.Globalization;
using Strata.Model;

namespace Strata.Postgres.Introspection;

/// <summary>
/// Brings a default read from the catalog to the form the DSL writes. PostgreSQL prints a literal default
/// with a cast to the column's own type (<c>'eu'::text</c>, <c>'ok'::mood</c>, and negative numbers as
/// <c>'-1'::integer</c>); that cast changes nothing, since a default is converted to the column's type
/// anyway, so the model holds the bare literal (<c>'eu'</c>, <c>'ok'</c>, <c>-1</c>). Casts to any other
/// type are meaningful and stay (numbers aside: a number converts to any number type alike).
/// </summary>
internal static class DefaultExpressions
{
    /// <param name="columnTypeName">format_type of the column's type without modifiers, as PostgreSQL prints it in a cast.</param>
    public static string Normalize(string expression, string columnTypeName, ColumnType columnType)
    {
        if (expression.Length < 2 || expression[0] != '\'')
            return expression;
        var end = LiteralEnd(expression);
        if (end < 0 || !expression.AsSpan(end + 1).StartsWith("::"))
            return expression;
        var literal = expression[..(end + 1)];
        var castType = expression[(end + 3)..];
        var content = literal[1..^1];
        // A negative number is a quoted literal cast to a number type: '-1'::integer, or '-0.5'::numeric in a float column.
        if (IsNumber(columnType) && !columnType.IsArray && NumberTypeNames.Contains(castType)
            && decimal.TryParse(content, NumberStyles.Float, CultureInfo.InvariantCulture, out _))
            return content;
        return castType == columnTypeName ? literal : expression;
    }

    private static readonly HashSet<string> NumberTypeNames =
        new(["smallint", "integer", "bigint", "numeric", "real", "double precision"], StringComparer.Ordinal);

    /// <summary>The index of the quote that closes the literal opening at 0 (doubled quotes are part of it), or -1.</summary>
    private static int LiteralEnd(string text)
    {
        for (var i = 1; i < text.Length; i++)
        {
            if (text[i] != '\'')
                continue;
            if (i + 1 < text.Length && text[i + 1] == '\'')
            {
                i++;
                continue;
            }
            return i;
        }
        return -1;
    }

    private static bool IsNumber(ColumnType type) => type.Kind is TypeKind.SmallInt or TypeKind.Integer or TypeKind.BigInt
        or TypeKind.Numeric or TypeKind.Real or TypeKind.DoublePrecision;
}
