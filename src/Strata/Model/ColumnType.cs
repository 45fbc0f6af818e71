using Strata.Snapshots;

namespace Strata.Model;

/// <summary>The built-in PostgreSQL types Strata knows by name, plus enums and a raw escape hatch.</summary>
public enum TypeKind
{
    [SnapshotName("smallint")]
    SmallInt,
    [SnapshotName("integer")]
    Integer,
    [SnapshotName("bigint")]
    BigInt,
    [SnapshotName("smallserial")]
    SmallSerial,
    [SnapshotName("serial")]
    Serial,
    [SnapshotName("bigserial")]
    BigSerial,
    [SnapshotName("numeric")]
    Numeric,
    [SnapshotName("real")]
    Real,
    [SnapshotName("double precision")]
    DoublePrecision,
    [SnapshotName("boolean")]
    Boolean,
    [SnapshotName("text")]
    Text,
    [SnapshotName("varchar")]
    Varchar,
    [SnapshotName("char")]
    Char,
    [SnapshotName("uuid")]
    Uuid,
    [SnapshotName("date")]
    Date,
    [SnapshotName("time")]
    Time,
    [SnapshotName("timetz")]
    TimeTz,
    [SnapshotName("timestamp")]
    Timestamp,
    [SnapshotName("timestamptz")]
    TimestampTz,
    [SnapshotName("interval")]
    Interval,
    [SnapshotName("json")]
    Json,
    [SnapshotName("jsonb")]
    Jsonb,
    [SnapshotName("bytea")]
    Bytea,
    [SnapshotName("inet")]
    Inet,
    [SnapshotName("cidr")]
    Cidr,
    [SnapshotName("macaddr")]
    MacAddr,
    /// <summary>A user enum type, named by <see cref="ColumnType.EnumName"/>.</summary>
    [SnapshotName("enum")]
    Enum,
    /// <summary>A user domain, named by <see cref="ColumnType.DomainName"/>.</summary>
    [SnapshotName("domain")]
    Domain,
    /// <summary>Any other type, written verbatim from <see cref="ColumnType.RawName"/> (for example <c>tsvector</c> or <c>geometry(Point,4326)</c>).</summary>
    [SnapshotName("raw")]
    Raw,
    /// <summary>A user composite type (CREATE TYPE … AS (…)), named by <see cref="ColumnType.CompositeName"/>.</summary>
    [SnapshotName("composite")]
    Composite,
}

/// <summary>
/// A column's data type. Modifiers are set only where the kind takes them: <see cref="Length"/> for
/// varchar and char, <see cref="Precision"/> and <see cref="Scale"/> for numeric, <see cref="Precision"/>
/// as fractional-second digits for time, timestamp and interval.
/// </summary>
public sealed record ColumnType(
    TypeKind Kind,
    int? Length = null,
    int? Precision = null,
    int? Scale = null,
    QualifiedName? EnumName = null,
    string? RawName = null,
    int ArrayDimensions = 0,
    QualifiedName? DomainName = null,
    QualifiedName? CompositeName = null)
{
    /// <summary>The user-defined type (enum or domain) the type is or is an array of, else null: what must exist before a column can have it.</summary>
    public QualifiedName? UserTypeName => EnumName ?? DomainName ?? CompositeName;

    /// <summary>
    /// A type the schema declares (an enum or a domain): PostgreSQL has no implicit or assignment cast into it, and
    /// out of it only the casts of its output (to a string type) or of its base type, which Strata does not know here.
    /// </summary>
    public bool IsUserType => Kind is TypeKind.Enum or TypeKind.Domain or TypeKind.Composite;

    /// <summary>A column type of the user type <paramref name="name"/> of <paramref name="kind"/> (<see cref="IsUserType"/>), its name in that kind's field.</summary>
    public static ColumnType UserType(TypeKind kind, QualifiedName name) => kind switch
    {
        TypeKind.Enum => new(kind, EnumName: name),
        TypeKind.Domain => new(kind, DomainName: name),
        TypeKind.Composite => new(kind, CompositeName: name),
        _ => throw new ArgumentException($"{kind} is not a user type.", nameof(kind)),
    };

    /// <summary>The same user type (or array of it, <see cref="IsUserType"/>) under another name, in its kind's field.</summary>
    internal ColumnType WithUserTypeName(QualifiedName name) => Kind switch
    {
        TypeKind.Enum => this with { EnumName = name },
        TypeKind.Domain => this with { DomainName = name },
        TypeKind.Composite => this with { CompositeName = name },
        _ => throw new InvalidOperationException($"{this} is not a user type."),
    };

    public bool IsArray => ArrayDimensions > 0;

    /// <summary>The element type of an array type (the type itself when it is not an array).</summary>
    public ColumnType ElementType => this with { ArrayDimensions = 0 };

    /// <summary>serial, bigserial and smallserial: an integer column whose default draws from a sequence the column owns.</summary>
    public bool IsSerial => Kind is TypeKind.SmallSerial or TypeKind.Serial or TypeKind.BigSerial && !IsArray;

    /// <summary>The same type as an array (one more dimension).</summary>
    public ColumnType Array() => this with { ArrayDimensions = ArrayDimensions + 1 };

    /// <summary>
    /// The type as PostgreSQL's SQL names it, unquoted (for messages and as a stable text form):
    /// <c>numeric(10,2)</c>, <c>varchar(20)[]</c>, <c>public.mood</c>. The SQL generator quotes enum and domain names itself.
    /// </summary>
    public override string ToString()
    {
        var text = Kind switch
        {
            TypeKind.SmallInt => "smallint",
            TypeKind.Integer => "integer",
            TypeKind.BigInt => "bigint",
            TypeKind.SmallSerial => "smallserial",
            TypeKind.Serial => "serial",
            TypeKind.BigSerial => "bigserial",
            TypeKind.Numeric => Precision is { } p ? Scale is { } s ? $"numeric({p},{s})" : $"numeric({p})" : "numeric",
            TypeKind.Real => "real",
            TypeKind.DoublePrecision => "double precision",
            TypeKind.Boolean => "boolean",
            TypeKind.Text => "text",
            TypeKind.Varchar => Length is { } l ? $"varchar({l})" : "varchar",
            TypeKind.Char => Length is { } c ? $"char({c})" : "char",
            TypeKind.Uuid => "uuid",
            TypeKind.Date => "date",
            TypeKind.Time => Precision is { } t ? $"time({t})" : "time",
            TypeKind.TimeTz => Precision is { } tz ? $"time({tz}) with time zone" : "time with time zone",
            TypeKind.Timestamp => Precision is { } ts ? $"timestamp({ts})" : "timestamp",
            TypeKind.TimestampTz => Precision is { } tstz ? $"timestamp({tstz}) with time zone" : "timestamp with time zone",
            TypeKind.Interval => Precision is { } i ? $"interval({i})" : "interval",
            TypeKind.Json => "json",
            TypeKind.Jsonb => "jsonb",
            TypeKind.Bytea => "bytea",
            TypeKind.Inet => "inet",
            TypeKind.Cidr => "cidr",
            TypeKind.MacAddr => "macaddr",
            TypeKind.Enum => EnumName?.ToString() ?? "?",
            TypeKind.Domain => DomainName?.ToString() ?? "?",
            TypeKind.Composite => CompositeName?.ToString() ?? "?",
            TypeKind.Raw => RawName ?? "?",
            _ => throw new InvalidOperationException($"Unknown type kind {Kind}."),
        };
        for (var i = 0; i < ArrayDimensions; i++)
            text += "[]";
        return text;
    }
}

/// <summary>
/// A PostgreSQL domain: a base type (built-in, enum, array or another domain) with a NOT NULL, a
/// default, named checks (their expressions read the value as <c>VALUE</c>) and a collation. Columns use
/// it as their type (<see cref="TypeKind.Domain"/>).
/// </summary>
/// <param name="Default">The default as a SQL expression, as after DEFAULT (a literal is already quoted).</param>
/// <param name="Collation">A collation other than the base type's, by name (<c>C</c>, <c>en_US</c>).</param>
/// <param name="DefaultReads">What <paramref name="Default"/> reads, as PostgreSQL recorded it (not part of equality); unknown without a default.</param>
/// <param name="CollationSchema">The schema of <paramref name="Collation"/>; null for one found on the search path (pg_catalog's, public's).</param>
public sealed record Domain(
    string Schema,
    string Name,
    ColumnType BaseType,
    bool NotNull = false,
    string? Default = null,
    ValueList<CheckConstraint> Checks = default,
    string? Collation = null,
    string? Comment = null,
    ExpressionReads DefaultReads = default,
    string? CollationSchema = null)
{
    public QualifiedName QualifiedName => new(Schema, Name);

    /// <summary>Canonical order: checks by name.</summary>
    public Domain Normalize() => this with { Checks = Checks.OrderBy(c => c.Name, StringComparer.Ordinal).ToValueList() };
}

/// <summary>The domains of a model: a column type kind, so its model lives beside <see cref="ColumnType"/>.</summary>
public sealed partial record DatabaseModel
{
    /// <summary>The model's domains, by qualified name once normalised.</summary>
    public ValueList<Domain> Domains { get; init; }

    public Domain? FindDomain(QualifiedName name) => Domains.FirstOrDefault(d => d.QualifiedName == name);

    /// <summary>
    /// The type whose operators compare values of <paramref name="type"/>: a domain's base type (through domains over
    /// domains; a domain declared in no model stays itself), else the type. A domain array is an array of the domain,
    /// not of its base type, so only a scalar is looked through.
    /// </summary>
    public ColumnType ComparedAs(ColumnType type)
    {
        for (var depth = 0; type is { Kind: TypeKind.Domain, IsArray: false, DomainName: { } name } && FindDomain(name) is { } domain && depth < 32; depth++)
            type = domain.BaseType;
        return type;
    }

    // Between the enums, whose names they share, and the sequences: where pull's summary lists them.
    internal static readonly DomainKind DomainsKind = Register(new DomainKind());

    internal sealed class DomainKind() : ModelKind<Domain>(40, "domains", "domain", "domains")
    {
        protected override ValueList<Domain> Items(DatabaseModel model) => model.Domains;

        protected override DatabaseModel With(DatabaseModel model, ValueList<Domain> items) => model with { Domains = items };

        protected override QualifiedName NameOf(Domain item) => item.QualifiedName;

        protected override Domain Normalize(Domain item) => item.Normalize();

        protected override bool KnowsReads(Domain item) => item.DefaultReads.IsKnown || item.Checks.Any(c => c.Reads.IsKnown);

        protected override Domain WithReads(Domain target, Domain source) => target with
        {
            Checks = ModelReads.WithReads(target.Checks, source.Checks),
            DefaultReads = ModelReads.Keep(target.DefaultReads, source.DefaultReads),
        };
    }
}

/// <summary>
/// A PostgreSQL composite type (CREATE TYPE … AS (…)): named fields, each of a type and a collation. Columns use it as
/// their type (<see cref="TypeKind.Composite"/>); a table's own row type is not one.
/// </summary>
public sealed record CompositeType(string Schema, string Name, ValueList<CompositeField> Fields, string? Comment = null)
{
    public QualifiedName QualifiedName => new(Schema, Name);
}

/// <summary>A field (attribute) of a <see cref="CompositeType"/>, in the type's order.</summary>
/// <param name="Collation">A collation other than the type's default, by name (<c>C</c>).</param>
/// <param name="CollationSchema">The schema of <paramref name="Collation"/>; null for one found on the search path (pg_catalog's, public's).</param>
public sealed record CompositeField(string Name, ColumnType Type, string? Collation = null, string? CollationSchema = null);

/// <summary>The composite types of a model: a column type kind, so its model lives beside <see cref="ColumnType"/>.</summary>
public sealed partial record DatabaseModel
{
    /// <summary>The model's composite types, by qualified name once normalised.</summary>
    public ValueList<CompositeType> Composites { get; init; }

    public CompositeType? FindComposite(QualifiedName name) => Composites.FirstOrDefault(c => c.QualifiedName == name);

    // After the domains, whose namespace they share: where pull's summary lists them.
    internal static readonly CompositeKind CompositesKind = Register(new CompositeKind());

    internal sealed class CompositeKind() : ModelKind<CompositeType>(43, "composites", "composite type", "composite types")
    {
        protected override ValueList<CompositeType> Items(DatabaseModel model) => model.Composites;

        protected override DatabaseModel With(DatabaseModel model, ValueList<CompositeType> items) => model with { Composites = items };

        protected override QualifiedName NameOf(CompositeType item) => item.QualifiedName;
    }
}
