using System.Globalization;
using Strata.Model;
using Strata.Sql;

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
        var text = SqlLexer.Tokenize(expression);
        var end = text.Tokens[0].End;
        if (!text.IsClosed(text.Tokens[0]) || !expression.AsSpan(end).StartsWith("::"))
            return expression;
        var literal = expression[..end];
        var castType = expression[(end + 2)..];
        var content = SqlLexer.StringValue(literal);
        // A negative number is a quoted literal cast to a number type: '-1'::integer, or '-0.5'::numeric in a float column.
        if (IsNumber(columnType) && !columnType.IsArray && NumberTypeNames.Contains(castType)
            && decimal.TryParse(content, NumberStyles.Float, CultureInfo.InvariantCulture, out _))
            return content;
        return castType == columnTypeName ? literal : expression;
    }

    private static readonly HashSet<string> NumberTypeNames =
        new(["smallint", "integer", "bigint", "numeric", "real", "double precision"], StringComparer.Ordinal);

    private static bool IsNumber(ColumnType type) => type.Kind is TypeKind.SmallInt or TypeKind.Integer or TypeKind.BigInt
        or TypeKind.Numeric or TypeKind.Real or TypeKind.DoublePrecision;
}
