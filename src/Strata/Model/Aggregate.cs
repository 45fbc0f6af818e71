namespace Strata.Model;

/// <summary>
/// A user-defined aggregate (CREATE AGGREGATE), kept as PostgreSQL prints it: <see cref="Arguments"/> as
/// pg_get_function_identity_arguments prints them (<c>double precision</c>, <c>text ORDER BY anyelement</c> for an
/// ordered-set one, <c>*</c> for none), <see cref="Definition"/> as the option list inside CREATE AGGREGATE's parentheses
/// in pg_dump's order and spelling (<c>SFUNC = float8mul, STYPE = double precision, INITCOND = '1'</c>): a definition
/// written otherwise is a change for <c>strata check</c>, and <c>strata pull</c> writes it as printed. An aggregate lives in
/// pg_proc beside the functions: its schema, name and argument types identify it (<see cref="Key"/>).
/// </summary>
public sealed record Aggregate(string Schema, string Name, string Arguments, string Definition, string? Comment = null)
{
    public QualifiedName QualifiedName => new(Schema, Name);

    /// <summary>The name with its arguments as DROP AGGREGATE names it: <c>product(double precision)</c>.</summary>
    public string Signature => $"{Name}({Arguments})";

    /// <summary>
    /// The key the model sorts and matches aggregates by, in the form of <see cref="Function.Key"/> (pg_proc's one
    /// namespace, which grants on functions name it by too): schema and the name with the argument types, direct and
    /// aggregated, joined by commas without VARIADIC (<c>pct(double precision,anyelement)</c>, <c>row_total()</c>).
    /// </summary>
    public QualifiedName Key => new(Schema, $"{Name}({string.Join(",", ArgumentTypes)})");

    /// <summary>The argument types in order (an ordered-set aggregate's direct ones, then its aggregated ones).</summary>
    private IEnumerable<string> ArgumentTypes => Arguments.Trim() is "*" or ""
        ? []
        : Arguments.Replace(" ORDER BY ", ", ", StringComparison.Ordinal).Split(',')
            .Select(a => a.Trim())
            .Select(a => a.StartsWith("ORDER BY ", StringComparison.Ordinal) ? a["ORDER BY ".Length..] : a)
            .Select(a => a.StartsWith("VARIADIC ", StringComparison.Ordinal) ? a["VARIADIC ".Length..] : a);

    /// <summary>Whether it is an ordered-set or hypothetical-set aggregate (<c>… ORDER BY …</c> arguments).</summary>
    public bool IsOrderedSet => Arguments.Contains(" ORDER BY ", StringComparison.Ordinal) || Arguments.StartsWith("ORDER BY ", StringComparison.Ordinal);

    /// <summary>No arguments, written <c>*</c> as CREATE and DROP AGGREGATE take it; line ends of the definition as <c>\n</c>.</summary>
    public Aggregate Normalize() => this with
    {
        Arguments = Arguments.Trim() is "" ? "*" : Arguments.Trim(),
        Definition = Definition.Trim().Replace("\r\n", "\n", StringComparison.Ordinal),
    };
}

/// <summary>The aggregates of a model.</summary>
public sealed partial record DatabaseModel
{
    /// <summary>The model's aggregates, by schema and signature once normalised.</summary>
    public ValueList<Aggregate> Aggregates { get; init; }

    // After the functions (47) they are built from, before the sequences (50).
    internal static readonly AggregateKind AggregatesKind = Register(new AggregateKind());

    internal sealed class AggregateKind() : ModelKind<Aggregate>(48, "aggregates", "aggregate", "aggregates")
    {
        protected override ValueList<Aggregate> Items(DatabaseModel model) => model.Aggregates;

        protected override DatabaseModel With(DatabaseModel model, ValueList<Aggregate> items) => model with { Aggregates = items };

        protected override QualifiedName NameOf(Aggregate item) => item.Key;

        protected override Aggregate Normalize(Aggregate item) => item.Normalize();
    }
}
