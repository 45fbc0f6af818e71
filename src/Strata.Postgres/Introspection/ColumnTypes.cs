using Strata.Model;

namespace Strata.Postgres.Introspection;

/// <summary>Maps a column's catalog type (pg_type plus atttypmod) back to the model's <see cref="ColumnType"/>.</summary>
/// <remarks>
/// A kind of user type declared in its own file maps its pg_type.typtype there, in a partial part of this class that
/// registers a <see cref="UserTypeKind"/> (see <c>Model/KindRegistry.cs</c>).
/// </remarks>
internal static partial class ColumnTypes
{
    // atttypmod of varchar and char carries the 4-byte varlena header on top of the length.
    private const int VarHeaderSize = 4;

    /// <param name="isArray">The column's type is an array (typcategory 'A'); the other type arguments describe its element.</param>
    /// <param name="declaredDimensions">attndims: what the DDL wrote (int[][] gives 2), not enforced by PostgreSQL.</param>
    /// <param name="typeModifier">atttypmod, -1 when the type has none.</param>
    /// <param name="typeKind">typtype of the element: 'b' base, 'e' enum, or a registered kind's (<see cref="UserTypeKinds"/>)…</param>
    /// <param name="formattedType">format_type(element, atttypmod), the fallback for types the model has no kind for.</param>
    public static ColumnType FromCatalog(bool isArray, int declaredDimensions, int typeModifier, string typeName, string typeSchema,
        string typeKind, string formattedType)
    {
        var element = Element(typeModifier, typeName, typeSchema, typeKind, formattedType);
        return isArray ? element with { ArrayDimensions = Math.Max(1, declaredDimensions) } : element;
    }

    private static ColumnType Element(int typeModifier, string typeName, string typeSchema, string typeKind, string formattedType)
    {
        if (typeKind == "e")
            return new ColumnType(TypeKind.Enum, EnumName: new QualifiedName(typeSchema, typeName));
        foreach (var kind in UserTypeKinds)
        {
            if (kind.TypType == typeKind)
                return kind.Named(new QualifiedName(typeSchema, typeName));
        }
        if (typeSchema != "pg_catalog")
            return Raw(formattedType);
        int? modifier = typeModifier < 0 ? null : typeModifier;
        return typeName switch
        {
            "int2" => new ColumnType(TypeKind.SmallInt),
            "int4" => new ColumnType(TypeKind.Integer),
            "int8" => new ColumnType(TypeKind.BigInt),
            "numeric" => Numeric(modifier),
            "float4" => new ColumnType(TypeKind.Real),
            "float8" => new ColumnType(TypeKind.DoublePrecision),
            "bool" => new ColumnType(TypeKind.Boolean),
            "text" => new ColumnType(TypeKind.Text),
            "varchar" => new ColumnType(TypeKind.Varchar, Length: modifier - VarHeaderSize),
            "bpchar" => new ColumnType(TypeKind.Char, Length: modifier - VarHeaderSize),
            "uuid" => new ColumnType(TypeKind.Uuid),
            "date" => new ColumnType(TypeKind.Date),
            "time" => new ColumnType(TypeKind.Time, Precision: modifier),
            "timetz" => new ColumnType(TypeKind.TimeTz, Precision: modifier),
            "timestamp" => new ColumnType(TypeKind.Timestamp, Precision: modifier),
            "timestamptz" => new ColumnType(TypeKind.TimestampTz, Precision: modifier),
            "interval" => Interval(modifier, formattedType),
            "json" => new ColumnType(TypeKind.Json),
            "jsonb" => new ColumnType(TypeKind.Jsonb),
            "bytea" => new ColumnType(TypeKind.Bytea),
            "inet" => new ColumnType(TypeKind.Inet),
            "cidr" => new ColumnType(TypeKind.Cidr),
            "macaddr" => new ColumnType(TypeKind.MacAddr),
            _ => Raw(formattedType),
        };
    }

    /// <summary>
    /// numeric's typmod is ((precision &lt;&lt; 16) | scale) + 4, the scale an 11-bit signed number since
    /// PostgreSQL 15. numeric(p) is stored as numeric(p,0); the model writes it without the scale.
    /// </summary>
    private static ColumnType Numeric(int? modifier)
    {
        if (modifier is not { } m)
            return new ColumnType(TypeKind.Numeric);
        var packed = m - VarHeaderSize;
        var precision = (packed >> 16) & 0xFFFF;
        var scale = ((packed & 0x7FF) ^ 1024) - 1024;
        return new ColumnType(TypeKind.Numeric, Precision: precision, Scale: scale == 0 ? null : scale);
    }

    /// <summary>
    /// interval's typmod packs a field restriction (YEAR TO MONTH…) above a precision; the model has no
    /// field restriction, so such a column is kept as a raw type.
    /// </summary>
    private static ColumnType Interval(int? modifier, string formattedType)
    {
        if (modifier is not { } m)
            return new ColumnType(TypeKind.Interval);
        const int fullRange = 0x7FFF;
        const int fullPrecision = 0xFFFF;
        var range = (m >> 16) & 0x7FFF;
        var precision = m & 0xFFFF;
        if (range != fullRange)
            return Raw(formattedType);
        return new ColumnType(TypeKind.Interval, Precision: precision == fullPrecision ? null : precision);
    }

    private static ColumnType Raw(string formattedType) => new(TypeKind.Raw, RawName: formattedType);

    // The kinds of user type whose mapping lives in their own files. No initializer: the partial parts' initializers,
    // which add to it, run in an unspecified order, and one here could run after them.
    private static KindRegistry<UserTypeKind>? _userTypeKinds;

    private static UserTypeKind Register(UserTypeKind kind)
    {
        if (_userTypeKinds?.InOrder.Any(k => k.TypType == kind.TypType) == true)
            throw new InvalidOperationException($"Two kinds of user type have the typtype '{kind.TypType}'.");
        return (_userTypeKinds ??= new()).Add(kind);
    }

    /// <summary>The registered kinds of user type, in their order.</summary>
    internal static UserTypeKind[] UserTypeKinds => _userTypeKinds?.InOrder ?? [];
}

/// <summary>A kind of user type that columns use, by its pg_type.typtype (<paramref name="TypType"/>, unique among the kinds).</summary>
/// <param name="Named">The column type of the kind's type of that (schema, name), not an array.</param>
/// <param name="Is">
/// Where the typtype is shared with types the kind does not model (a table's row type is a composite type too): the SQL
/// condition on a pg_type row (its alias given) that it is one of the kind's; a type of the typtype that is not reads as
/// a raw type.
/// </param>
internal sealed record UserTypeKind(int Order, string TypType, Func<QualifiedName, ColumnType> Named, Func<string, string>? Is = null) : IKindPart;
