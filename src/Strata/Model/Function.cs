using System.Text;
using Strata.Sql;

namespace Strata.Model;

/// <summary>Whether a routine is a function (called in an expression) or a procedure (run with CALL).</summary>
public enum RoutineKind
{
    Function,
    Procedure,
}

/// <summary>How an argument passes: IN, OUT, INOUT, VARIADIC, or a column of RETURNS TABLE.</summary>
public enum ArgumentMode
{
    In,
    Out,
    InOut,
    Variadic,
    /// <summary>A column of <c>RETURNS TABLE (…)</c>: PostgreSQL stores it as an output argument (proargmodes 't').</summary>
    Table,
}

/// <summary>What a function promises about its result for the same arguments: IMMUTABLE, STABLE or VOLATILE (the default).</summary>
public enum Volatility
{
    Volatile,
    Stable,
    Immutable,
}

/// <summary>PARALLEL UNSAFE (the default), RESTRICTED or SAFE.</summary>
public enum ParallelSafety
{
    Unsafe,
    Restricted,
    Safe,
}

/// <summary>One argument of a routine, in the order of its declaration (the order is its meaning).</summary>
/// <param name="Name">The argument's name; null for an unnamed one.</param>
/// <param name="Type">Its type, without a length, precision or second array dimension: PostgreSQL keeps none of them for an argument.</param>
/// <param name="Default">DEFAULT, as a SQL expression (input arguments only, trailing ones).</param>
public sealed record FunctionArgument(string? Name, ColumnType Type, ArgumentMode Mode = ArgumentMode.In, string? Default = null)
{
    /// <summary>Whether the argument is part of the call signature (IN, INOUT, VARIADIC), which identifies the routine.</summary>
    public bool IsInput => Mode is ArgumentMode.In or ArgumentMode.InOut or ArgumentMode.Variadic;

    /// <summary>Whether the argument is part of the result (OUT, INOUT, a RETURNS TABLE column).</summary>
    public bool IsOutput => Mode is ArgumentMode.Out or ArgumentMode.InOut or ArgumentMode.Table;
}

/// <summary>A <c>SET name = value</c> of a routine: the setting takes the value while the routine runs.</summary>
/// <param name="Value">The value as PostgreSQL stores it (pg_proc.proconfig, after the '='): <c>public, pg_temp</c>, <c>64MB</c>.</param>
public sealed record FunctionSetting(string Name, string Value);

/// <summary>
/// A PostgreSQL function or procedure with a body in a string (<c>AS $$ … $$</c>), in any language but C and internal,
/// or in <c>LANGUAGE sql</c> with a SQL-standard body (<c>RETURN …</c>, <c>BEGIN ATOMIC … END</c>; see <see cref="HasStandardBody"/>).
/// PostgreSQL identifies one by its schema, name and input argument types (<see cref="Signature"/>): overloads are
/// separate objects.
/// </summary>
/// <param name="Returns">The result type (<c>void</c>, <c>trigger</c>, <c>record</c> for several OUT arguments or RETURNS
/// TABLE); null for a procedure.</param>
/// <param name="Body">The body as written, verbatim (PostgreSQL does not reformat a string body; line ends as <c>\n</c>); a
/// SQL-standard body whole, from its RETURN or BEGIN ATOMIC (PostgreSQL parses and prints that one again).</param>
/// <param name="ReturnsSet">RETURNS SETOF (and RETURNS TABLE).</param>
/// <param name="Cost">COST, when not PostgreSQL's default (100).</param>
/// <param name="Rows">ROWS of a set-returning function, when not PostgreSQL's default (1000).</param>
/// <param name="Settings">SET clauses, by name once normalised.</param>
public sealed record Function(
    string Schema,
    string Name,
    ValueList<FunctionArgument> Arguments,
    ColumnType? Returns,
    string Language,
    string Body,
    RoutineKind Kind = RoutineKind.Function,
    bool ReturnsSet = false,
    Volatility Volatility = Volatility.Volatile,
    bool Strict = false,
    bool SecurityDefiner = false,
    bool Leakproof = false,
    ParallelSafety Parallel = ParallelSafety.Unsafe,
    decimal? Cost = null,
    decimal? Rows = null,
    ValueList<FunctionSetting> Settings = default,
    string? Comment = null)
{
    public QualifiedName QualifiedName => new(Schema, Name);

    /// <summary>
    /// Whether the body is SQL-standard (PostgreSQL 14+): <c>LANGUAGE sql</c> and a body that starts with RETURN or BEGIN
    /// ATOMIC, which no string body of a sql function can (neither is a SQL statement). PostgreSQL parses such a body at
    /// CREATE, so what it reads must exist by then, and records what it reads.
    /// </summary>
    public bool HasStandardBody
    {
        get
        {
            if (!string.Equals(Language, "sql", StringComparison.OrdinalIgnoreCase))
                return false;
            var lexemes = SqlLexer.Tokenize(Body).Lexemes();
            return lexemes.Count > 0 && lexemes[0] is { Kind: SqlLexemeKind.Word } first
                && (first.Value == "return" || first.Value == "begin" && lexemes.Count > 1 && lexemes[1] is { Kind: SqlLexemeKind.Word, Value: "atomic" });
        }
    }

    /// <summary>The name with the input argument types, as PostgreSQL identifies the routine: <c>total(bigint,text)</c>.</summary>
    public string Signature
    {
        get
        {
            var signature = new StringBuilder(Name).Append('(');
            var first = true;
            foreach (var argument in Arguments)
            {
                if (!argument.IsInput)
                    continue;
                if (!first)
                    signature.Append(',');
                signature.Append(argument.Type);
                first = false;
            }
            return signature.Append(')').ToString();
        }
    }

    /// <summary>The key the model sorts and matches routines by: schema and <see cref="Signature"/> (overloads share a name).</summary>
    public QualifiedName Key => new(Schema, Signature);

    /// <summary>
    /// Canonical form: argument and result types as PostgreSQL keeps them (no length, precision or scale, at most one
    /// array dimension), settings by name, line ends of the body as <c>\n</c>.
    /// </summary>
    public Function Normalize() => this with
    {
        Arguments = Arguments.Select(a => a with { Type = AsKept(a.Type) }).ToValueList(),
        Returns = Returns is { } returns ? AsKept(returns) : null,
        Body = Body.Replace("\r\n", "\n", StringComparison.Ordinal),
        Settings = Settings.OrderBy(s => s.Name, StringComparer.Ordinal).ToValueList(),
        // PostgreSQL's defaults, spelled out, are the defaults.
        Cost = Cost == 100 ? null : Cost,
        Rows = Rows == (ReturnsSet ? 1000 : 0) ? null : Rows,
    };

    /// <summary>A routine's argument or result type as pg_proc keeps it: the type alone, without modifiers or declared dimensions.</summary>
    public static ColumnType AsKept(ColumnType type) =>
        type with { Length = null, Precision = null, Scale = null, ArrayDimensions = Math.Min(type.ArrayDimensions, 1) };
}

/// <summary>The functions and procedures of a model.</summary>
public sealed partial record DatabaseModel
{
    /// <summary>The model's functions and procedures, by schema and signature once normalised.</summary>
    public ValueList<Function> Functions { get; init; }

    // After the user types (40), before the sequences (50): where pull's summary lists them.
    internal static readonly FunctionKind FunctionsKind = Register(new FunctionKind());

    internal sealed class FunctionKind() : ModelKind<Function>(47, "functions", "function", "functions")
    {
        protected override ValueList<Function> Items(DatabaseModel model) => model.Functions;

        protected override DatabaseModel With(DatabaseModel model, ValueList<Function> items) => model with { Functions = items };

        protected override QualifiedName NameOf(Function item) => item.Key;

        protected override Function Normalize(Function item) => item.Normalize();
    }
}
