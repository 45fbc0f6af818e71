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
        // PostgreSQL prints a negative number as a quoted literal cast to the type it gives the literal, whatever the
        // column's number type: DEFAULT -1 as '-1'::integer, -0.5 in a real column as '-0.5'::numeric. Only that form
        // is the bare number; '1'::numeric, or '-1'::numeric in an integer column, was written so and stays.
        if (IsNumber(columnType) && !columnType.IsArray && content.StartsWith('-') && castType == LiteralType(content[1..]))
            return content;
        return castType == columnTypeName ? literal : expression;
    }

    /// <summary>The type PostgreSQL gives a number literal: integer, bigint or numeric by its size; null for no number.</summary>
    private static string? LiteralType(string digits)
    {
        if (digits.Length > 0 && digits.All(char.IsAsciiDigit))
        {
            return long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var value)
                ? value <= int.MaxValue + 1L ? "integer" : "bigint"
                : "numeric";
        }
        return decimal.TryParse(digits, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out _) ? "numeric" : null;
    }

    private static bool IsNumber(ColumnType type) => type.Kind is TypeKind.SmallInt or TypeKind.Integer or TypeKind.BigInt
        or TypeKind.Numeric or TypeKind.Real or TypeKind.DoublePrecision;
}
