using Strata.Model;

namespace Strata.Dsl;

/// <summary>The column types of the DSL, named as PostgreSQL names them.</summary>
public static partial class Types
{
    public static ColumnType SmallInt { get; } = new(TypeKind.SmallInt);
    public static ColumnType Integer { get; } = new(TypeKind.Integer);
    public static ColumnType BigInt { get; } = new(TypeKind.BigInt);
    public static ColumnType SmallSerial { get; } = new(TypeKind.SmallSerial);
    public static ColumnType Serial { get; } = new(TypeKind.Serial);
    public static ColumnType BigSerial { get; } = new(TypeKind.BigSerial);
    public static ColumnType Real { get; } = new(TypeKind.Real);
    public static ColumnType DoublePrecision { get; } = new(TypeKind.DoublePrecision);
    public static ColumnType Boolean { get; } = new(TypeKind.Boolean);
    public static ColumnType Text { get; } = new(TypeKind.Text);
    public static ColumnType Uuid { get; } = new(TypeKind.Uuid);
    public static ColumnType Date { get; } = new(TypeKind.Date);
    public static ColumnType Json { get; } = new(TypeKind.Json);
    public static ColumnType Jsonb { get; } = new(TypeKind.Jsonb);
    public static ColumnType Bytea { get; } = new(TypeKind.Bytea);
    public static ColumnType Inet { get; } = new(TypeKind.Inet);
    public static ColumnType Cidr { get; } = new(TypeKind.Cidr);
    public static ColumnType MacAddr { get; } = new(TypeKind.MacAddr);

    /// <summary>numeric, numeric(precision) or numeric(precision, scale).</summary>
    /// <remarks>numeric(p, 0) is numeric(p) to PostgreSQL, so a scale of 0 is stored as none.</remarks>
    public static ColumnType Numeric(int? precision = null, int? scale = null) =>
        new(TypeKind.Numeric, Precision: precision, Scale: scale == 0 ? null : scale);

    /// <summary>varchar(length); without a length, varchar of any length.</summary>
    public static ColumnType Varchar(int? length = null) => new(TypeKind.Varchar, Length: length);

    /// <summary>char(length); PostgreSQL's char without a length is char(1).</summary>
    public static ColumnType Char(int length = 1) => new(TypeKind.Char, Length: length);

    /// <summary>time [(precision)] without time zone.</summary>
    public static ColumnType Time(int? precision = null) => new(TypeKind.Time, Precision: precision);

    /// <summary>time [(precision)] with time zone.</summary>
    public static ColumnType TimeTz(int? precision = null) => new(TypeKind.TimeTz, Precision: precision);

    /// <summary>timestamp [(precision)] without time zone.</summary>
    public static ColumnType Timestamp(int? precision = null) => new(TypeKind.Timestamp, Precision: precision);

    /// <summary>timestamp [(precision)] with time zone (timestamptz).</summary>
    public static ColumnType TimestampTz(int? precision = null) => new(TypeKind.TimestampTz, Precision: precision);

    /// <summary>interval [(precision)].</summary>
    public static ColumnType Interval(int? precision = null) => new(TypeKind.Interval, Precision: precision);

    /// <summary>A reference to an enum type by name (<c>mood</c> or <c>schema.mood</c>); <see cref="SchemaScope.Enum(string, string[])"/> returns the same.</summary>
    public static ColumnType Enum(string name) => new(TypeKind.Enum, EnumName: QualifiedName.Parse(name));

    /// <summary>An array of <paramref name="element"/>, for example <c>Types.ArrayOf(Types.Text)</c> for text[].</summary>
    public static ColumnType ArrayOf(ColumnType element, int dimensions = 1) =>
        element with { ArrayDimensions = element.ArrayDimensions + dimensions };

    /// <summary>
    /// Any other type, written into the SQL verbatim: <c>Types.Raw("tsvector")</c>, <c>Types.Raw("geometry(Point,4326)")</c>.
    /// Strata cannot check such a type; write it as PostgreSQL's format_type prints it so that pull and check agree.
    /// </summary>
    public static ColumnType Raw(string sqlTypeName) => new(TypeKind.Raw, RawName: sqlTypeName);
}
