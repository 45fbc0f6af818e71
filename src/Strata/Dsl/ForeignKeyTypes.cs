using Strata.Model;

namespace Strata.Dsl;

/// <summary>
/// Which column types a foreign key may join, as PostgreSQL decides it (ATAddForeignKeyConstraint): the referenced
/// key's index has an operator family, and the key is accepted when that family has an equality operator between the
/// two types, or when the referencing type casts implicitly to the index's input type. The built-in btree families and
/// implicit casts are mirrored here, so the validator refuses only what PostgreSQL refuses.
/// </summary>
internal static class ForeignKeyTypes
{
    public const string Remedy =
        "PostgreSQL needs an equality operator between the two types (the same type, or comparable ones such as smallint and " +
        "integer, varchar and text, date and timestamp); change one of the columns' types";

    /// <summary>
    /// Whether a key column of type <paramref name="referencing"/> may reference one of type <paramref name="referenced"/>,
    /// both already seen as the types whose operators compare them (<see cref="DatabaseModel.ComparedAs"/>).
    /// </summary>
    public static bool Comparable(ColumnType referencing, ColumnType referenced)
    {
        if (referencing.ArrayDimensions != referenced.ArrayDimensions)
            return false;
        // An array's operators (array_ops) compare arrays of one element type; user and unknown types compare only with themselves.
        if (referencing.IsArray || Identity(referencing) is not null || Identity(referenced) is not null)
            return Identity(referencing) == Identity(referenced) && Family(referencing.Kind) == Family(referenced.Kind);
        return Family(referencing.Kind) == Family(referenced.Kind) || CastsImplicitly(Scalar(referencing.Kind), Scalar(referenced.Kind));
    }

    /// <summary>What names a type beyond its kind (a user type's name, a raw type's text), or null for a built-in kind.</summary>
    private static string? Identity(ColumnType type) =>
        type.IsUserType ? type.Kind + " " + type.UserTypeName : type.Kind == TypeKind.Raw ? "raw " + type.RawName : null;

    private static TypeKind Scalar(TypeKind kind) => kind switch
    {
        TypeKind.SmallSerial => TypeKind.SmallInt,
        TypeKind.Serial => TypeKind.Integer,
        TypeKind.BigSerial => TypeKind.BigInt,
        _ => kind,
    };

    /// <summary>The btree operator family of a kind's default operator class, where one family holds several types.</summary>
    private static string Family(TypeKind kind) => Scalar(kind) switch
    {
        TypeKind.SmallInt or TypeKind.Integer or TypeKind.BigInt => "integer_ops",
        TypeKind.Real or TypeKind.DoublePrecision => "float_ops",
        // varchar has no operator class of its own (text_ops), and text and char cast implicitly into each other.
        TypeKind.Text or TypeKind.Varchar or TypeKind.Char => "text_ops",
        TypeKind.Date or TypeKind.Timestamp or TypeKind.TimestampTz => "datetime_ops",
        // cidr uses inet's operator class.
        TypeKind.Inet or TypeKind.Cidr => "network_ops",
        var other => other.ToString(),
    };

    /// <summary>pg_cast's implicit casts between the built-in kinds that are not already in one family.</summary>
    private static bool CastsImplicitly(TypeKind from, TypeKind to) => (from, to) switch
    {
        (TypeKind.SmallInt or TypeKind.Integer or TypeKind.BigInt, TypeKind.Numeric or TypeKind.Real or TypeKind.DoublePrecision) => true,
        (TypeKind.Numeric, TypeKind.Real or TypeKind.DoublePrecision) => true,
        (TypeKind.Time, TypeKind.TimeTz or TypeKind.Interval) => true,
        _ => false,
    };
}
