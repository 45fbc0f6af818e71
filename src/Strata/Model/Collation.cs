namespace Strata.Model;

/// <summary>
/// A PostgreSQL collation of the schema's own (CREATE COLLATION): a provider and its locale, and whether equal-comparing
/// strings that differ in bytes compare equal. Columns and user types use it by name (<see cref="Column.CollationSchema"/>).
/// Not modelled: <c>FROM existing</c> (it copies the settings, which is what the model holds anyway) and the provider's
/// version (<c>collversion</c>), which PostgreSQL records itself when the collation is created.
/// </summary>
/// <param name="Provider">"libc" (the operating system's locales) or "icu".</param>
/// <param name="Locale">The ICU locale, or the libc locale when LC_COLLATE and LC_CTYPE are the same.</param>
/// <param name="LcCollate">A libc LC_COLLATE other than LC_CTYPE (both set, <see cref="Locale"/> null).</param>
/// <param name="LcCtype">A libc LC_CTYPE other than LC_COLLATE.</param>
/// <param name="Deterministic">false: strings that are not byte-wise equal may compare equal (ICU only).</param>
public sealed record Collation(
    string Schema,
    string Name,
    string Provider = Collation.Libc,
    string? Locale = null,
    string? LcCollate = null,
    string? LcCtype = null,
    bool Deterministic = true,
    string? Comment = null)
{
    public const string Libc = "libc";

    public const string Icu = "icu";

    public QualifiedName QualifiedName => new(Schema, Name);

    /// <summary>
    /// One form for one definition: a libc collation whose LC_COLLATE and LC_CTYPE are equal is that LOCALE, which is
    /// how PostgreSQL stores <c>LOCALE = 'x'</c> too.
    /// </summary>
    public Collation Normalize() =>
        Provider == Libc && Locale is null && LcCollate is not null && LcCollate == LcCtype
            ? this with { Locale = LcCollate, LcCollate = null, LcCtype = null }
            : this;

    /// <summary>Equal but for the name and comment: a rename, not a re-creation.</summary>
    public bool SameDefinition(Collation other) =>
        Provider == other.Provider && Locale == other.Locale && LcCollate == other.LcCollate && LcCtype == other.LcCtype && Deterministic == other.Deterministic;
}

/// <summary>The collations of a model.</summary>
public sealed partial record DatabaseModel
{
    /// <summary>The model's collations, by schema and name once normalised.</summary>
    public ValueList<Collation> Collations { get; init; }

    public Collation? FindCollation(QualifiedName name) => Collations.FirstOrDefault(c => c.QualifiedName == name);

    // Between the enums (30) and the other user types (40) in pull's summary: those and columns use them.
    internal static readonly CollationKind CollationsKind = Register(new CollationKind());

    internal sealed class CollationKind() : ModelKind<Collation>(35, "collations", "collation", "collations")
    {
        protected override ValueList<Collation> Items(DatabaseModel model) => model.Collations;

        protected override DatabaseModel With(DatabaseModel model, ValueList<Collation> items) => model with { Collations = items };

        protected override QualifiedName NameOf(Collation item) => item.QualifiedName;

        protected override Collation Normalize(Collation item) => item.Normalize();
    }
}

/// <summary>How a column or user type names its collation: by name alone when it is found on the search path.</summary>
public static class CollationReference
{
    /// <summary>
    /// The schema a reference keeps: none for pg_catalog's and public's collations, which the search path finds and
    /// which the catalog queries read unqualified, so that a declared and a pulled model name them alike.
    /// </summary>
    public static string? SchemaOf(string? schema) => schema is null or "pg_catalog" or QualifiedName.DefaultSchema ? null : schema;

    /// <summary>The collation's key in the model: a reference without a schema is to public's (or pg_catalog's, which no model declares).</summary>
    public static QualifiedName KeyOf(string? schema, string name) => new(schema ?? QualifiedName.DefaultSchema, name);
}
