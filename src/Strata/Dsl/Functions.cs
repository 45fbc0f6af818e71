using System.Globalization;
using System.Text;
using Strata.Dsl;
using Strata.Model;
using static Strata.CodeGeneration.CSharpLiterals;

// PostgreSQL functions and procedures in the DSL, in one file: their declaration (db.Function, db.Procedure) and
// builder, the reference a declaration returns, the validator's rules for a routine, and pull's C# for one (the DSL's
// inverse, in the code generator's namespace).
namespace Strata.Dsl
{
    public partial class SchemaScope
    {
        /// <summary>The functions and procedures declared in this scope, in declaration order (null until the first).</summary>
        private List<FunctionBuilder>? _functions;

        /// <summary>
        /// Declares a function with a body in a string; <paramref name="define"/> gives its arguments, result, language,
        /// body and options: <c>db.Function("total", f =&gt; f.Argument("invoice", Types.BigInt).Returns(Types.Numeric())
        /// .Language("sql").Stable().Body("SELECT sum(amount) FROM lines WHERE invoice_id = invoice"))</c>. Overloads (the
        /// same name with other input types) are separate functions.
        /// </summary>
        public FunctionReference Function(string name, Action<FunctionBuilder> define) => Routine(name, RoutineKind.Function, define);

        /// <summary>Declares a procedure (run with CALL; no result, volatility or cost): <c>db.Procedure("archive", p =&gt; p.Argument("before", Types.Date).Language("plpgsql").Body("…"))</c>.</summary>
        public FunctionReference Procedure(string name, Action<FunctionBuilder> define) => Routine(name, RoutineKind.Procedure, define);

        private FunctionReference Routine(string name, RoutineKind kind, Action<FunctionBuilder> define)
        {
            ArgumentNullException.ThrowIfNull(define);
            var routine = new FunctionBuilder(Name, name, kind);
            if (_functions is null)
            {
                var declared = _functions = [];
                AddToModel(model => model with { Functions = model.Functions.Concat(declared.Select(f => f.Build())).ToValueList() });
            }
            _functions.Add(routine);
            define(routine);
            return new FunctionReference(Name, name);
        }
    }

    /// <summary>A declared function or procedure by its schema and name, to name it in SQL (a default, a check, a view).</summary>
    public sealed record FunctionReference(string Schema, string Name)
    {
        /// <summary>A call with the arguments given as SQL: <c>"billing"."total"(id)</c> (names quoted, as the generated SQL quotes them).</summary>
        public string Call(params string[] arguments) => $"{Sql(Schema)}.{Sql(Name)}({string.Join(", ", arguments)})";

        private static string Sql(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

        public override string ToString() => $"{Schema}.{Name}";
    }

    /// <summary>What a function or procedure has besides its name; each method returns the builder, to chain them.</summary>
    public sealed class FunctionBuilder
    {
        private readonly string _schema;
        private readonly string _name;
        private readonly RoutineKind _kind;
        private readonly List<FunctionArgument> _arguments = [];
        private readonly List<FunctionSetting> _settings = [];
        private ColumnType? _returns;
        private bool _returnsSet;
        private string _language = "sql";
        private string _body = "";
        private Volatility _volatility;
        private bool _strict;
        private bool _securityDefiner;
        private bool _leakproof;
        private ParallelSafety _parallel;
        private decimal? _cost;
        private decimal? _rows;
        private string? _comment;

        internal FunctionBuilder(string schema, string name, RoutineKind kind) => (_schema, _name, _kind) = (schema, name, kind);

        /// <summary>An IN argument; <paramref name="name"/> null for an unnamed one; <paramref name="defaultSql"/> its DEFAULT as SQL.</summary>
        public FunctionBuilder Argument(string? name, ColumnType type, string? defaultSql = null) => Add(name, type, ArgumentMode.In, defaultSql);

        /// <summary>An OUT argument: a column of the result.</summary>
        public FunctionBuilder Out(string? name, ColumnType type) => Add(name, type, ArgumentMode.Out, null);

        /// <summary>An INOUT argument: an input that is also a column of the result.</summary>
        public FunctionBuilder InOut(string? name, ColumnType type, string? defaultSql = null) => Add(name, type, ArgumentMode.InOut, defaultSql);

        /// <summary>A VARIADIC argument (the last input, an array type): the call passes its elements one by one.</summary>
        public FunctionBuilder Variadic(string? name, ColumnType arrayType, string? defaultSql = null) => Add(name, arrayType, ArgumentMode.Variadic, defaultSql);

        private FunctionBuilder Add(string? name, ColumnType type, ArgumentMode mode, string? defaultSql)
        {
            _arguments.Add(new FunctionArgument(name, type, mode, defaultSql));
            return this;
        }

        /// <summary>RETURNS: the result type (<c>Types.Integer</c>, <c>Types.Raw("trigger")</c>, <c>Types.Raw("void")</c>).</summary>
        public FunctionBuilder Returns(ColumnType type)
        {
            _returns = type;
            return this;
        }

        /// <summary>RETURNS SETOF: rows of <paramref name="type"/>.</summary>
        public FunctionBuilder ReturnsSetOf(ColumnType type)
        {
            _returns = type;
            _returnsSet = true;
            return this;
        }

        /// <summary>RETURNS TABLE (…): one call per column, in order.</summary>
        public FunctionBuilder ReturnsTable(params (string Name, ColumnType Type)[] columns)
        {
            foreach (var (name, type) in columns)
                _arguments.Add(new FunctionArgument(name, type, ArgumentMode.Table));
            _returnsSet = true;
            return this;
        }

        /// <summary>LANGUAGE: <c>sql</c> (the default), <c>plpgsql</c>, or a procedural language an extension installs.</summary>
        public FunctionBuilder Language(string language)
        {
            _language = language;
            return this;
        }

        /// <summary>The body, kept verbatim (PostgreSQL does not reformat it); Strata writes it between dollar quotes.</summary>
        public FunctionBuilder Body(string body)
        {
            _body = body;
            return this;
        }

        public FunctionBuilder Immutable() => WithVolatility(Volatility.Immutable);

        public FunctionBuilder Stable() => WithVolatility(Volatility.Stable);

        private FunctionBuilder WithVolatility(Volatility volatility)
        {
            _volatility = volatility;
            return this;
        }

        /// <summary>STRICT (RETURNS NULL ON NULL INPUT): NULL without running when any argument is NULL.</summary>
        public FunctionBuilder Strict()
        {
            _strict = true;
            return this;
        }

        /// <summary>SECURITY DEFINER: runs with its owner's rights (give it a <c>Set("search_path", …)</c>).</summary>
        public FunctionBuilder SecurityDefiner()
        {
            _securityDefiner = true;
            return this;
        }

        /// <summary>LEAKPROOF (only a superuser may set it).</summary>
        public FunctionBuilder Leakproof()
        {
            _leakproof = true;
            return this;
        }

        public FunctionBuilder ParallelSafe() => WithParallel(ParallelSafety.Safe);

        public FunctionBuilder ParallelRestricted() => WithParallel(ParallelSafety.Restricted);

        private FunctionBuilder WithParallel(ParallelSafety parallel)
        {
            _parallel = parallel;
            return this;
        }

        /// <summary>COST: the planner's estimate in units of cpu_operator_cost (100 when not given).</summary>
        public FunctionBuilder Cost(decimal cost)
        {
            _cost = cost;
            return this;
        }

        /// <summary>ROWS: the planner's estimate of a set-returning function's rows (1000 when not given).</summary>
        public FunctionBuilder Rows(decimal rows)
        {
            _rows = rows;
            return this;
        }

        /// <summary>SET <paramref name="name"/> = <paramref name="value"/> while the routine runs (<c>Set("search_path", "billing, pg_temp")</c>).</summary>
        public FunctionBuilder Set(string name, string value)
        {
            _settings.Add(new FunctionSetting(name, value));
            return this;
        }

        public FunctionBuilder Comment(string comment)
        {
            _comment = comment;
            return this;
        }

        internal Function Build() => new(
            _schema, _name, _arguments.ToValueList(), _kind == RoutineKind.Procedure ? _returns : _returns ?? ResultOfOutputs(_arguments),
            _language, _body, _kind, _returnsSet, _volatility, _strict, _securityDefiner, _leakproof, _parallel, _cost,
            _rows, _settings.ToValueList(), _comment);

        /// <summary>The result type PostgreSQL gives a function whose result is its output arguments: the one's type, or record.</summary>
        private static ColumnType? ResultOfOutputs(List<FunctionArgument> arguments)
        {
            var outputs = arguments.Where(a => a.IsOutput).ToList();
            return outputs.Count switch
            {
                0 => null,
                1 when outputs[0].Mode != ArgumentMode.Table => outputs[0].Type,
                _ => Types.Raw("record"),
            };
        }
    }

    internal static partial class SchemaValidator
    {
        // After the user types (an argument may be of one) and before the tables, whose defaults may call a function.
        internal static readonly KindRules FunctionRules = Register(new(Order: 20, ValidateFunctions));

        private static void ValidateFunctions(DatabaseModel model, DeclaredTypes types, Action<string, string> add)
        {
            var signatures = new HashSet<QualifiedName>();
            foreach (var function in model.Functions)
            {
                var where = $"{(function.Kind == RoutineKind.Procedure ? "procedure" : "function")} {function.Schema}.{function.Signature}";
                CheckName(where, function.Kind == RoutineKind.Procedure ? "procedure" : "function", function.Name, add);
                if (!signatures.Add(function.Key))
                    add(where, "is declared twice (functions and procedures share one namespace: the name and input argument types identify one)");
                ValidateFunction(function, where, types, add);
            }
        }

        /// <summary>What PostgreSQL refuses in CREATE FUNCTION or CREATE PROCEDURE, and what Strata cannot carry.</summary>
        private static void ValidateFunction(Function function, string where, DeclaredTypes types, Action<string, string> add)
        {
            var isProcedure = function.Kind == RoutineKind.Procedure;
            if (string.IsNullOrWhiteSpace(function.Language))
                add(where, "has no language; add .Language(\"sql\") or .Language(\"plpgsql\")");
            else if (function.Language.ToLowerInvariant() is "c" or "internal")
                add(where, $"LANGUAGE {function.Language} needs a compiled library; Strata carries functions with a body (sql, plpgsql, another procedural language)");
            if (string.IsNullOrWhiteSpace(function.Body))
                add(where, "has an empty body; give it with .Body(\"…\")");
            var inputNames = new HashSet<string>(StringComparer.Ordinal);
            var outputNames = new HashSet<string>(StringComparer.Ordinal);
            var sawDefault = false;
            var sawVariadic = false;
            var number = 0;
            foreach (var argument in function.Arguments)
            {
                number++;
                var what = argument.Name is { } name ? $"argument {name}" : $"argument {number}";
                if (argument.Name is { } argumentName)
                {
                    if (argumentName.Length == 0)
                        add(where, $"{what} has an empty name; pass null for an unnamed argument");
                    else if ((argument.IsInput && !inputNames.Add(argumentName)) || (argument.IsOutput && !outputNames.Add(argumentName)))
                        add(where, $"{what}: the name is used more than once");
                }
                var type = argument.Type;
                if (type.Kind is TypeKind.SmallSerial or TypeKind.Serial or TypeKind.BigSerial)
                    add(where, $"{what}: {type} is a column shorthand, not a type; use smallint, integer or bigint");
                else
                    ValidateColumn(new Column(argument.Name ?? $"${number}", type), $"{where} {what}", types, add);
                if (argument.Mode == ArgumentMode.Table && isProcedure)
                    add(where, "a procedure cannot return a table");
                if (argument.Mode == ArgumentMode.Table && function.Arguments.Any(a => a.Mode is ArgumentMode.Out or ArgumentMode.InOut))
                    add(where, $"{what}: OUT and INOUT arguments are not allowed with ReturnsTable");
                if (argument.Default is { } defaultSql)
                {
                    if (!argument.IsInput)
                        add(where, $"{what}: only input arguments can have a default");
                    else if (string.IsNullOrWhiteSpace(defaultSql))
                        add(where, $"{what}: the default is empty");
                    sawDefault = true;
                }
                else if (sawDefault && argument.IsInput)
                    add(where, $"{what}: input arguments after one with a default must also have defaults");
                if (sawVariadic && argument.IsInput)
                    add(where, $"{what}: the VARIADIC argument must be the last input argument");
                if (argument.Mode == ArgumentMode.Variadic)
                {
                    sawVariadic = true;
                    if (!type.IsArray)
                        add(where, $"{what}: a VARIADIC argument must be an array type (Types.Text.Array())");
                }
            }
            if (isProcedure)
            {
                if (function.Returns is not null || function.ReturnsSet)
                    add(where, "a procedure has no result; declare a function, or use Out(…) arguments");
                if (function.Volatility != Volatility.Volatile || function.Strict || function.Leakproof || function.Parallel != ParallelSafety.Unsafe
                    || function.Cost is not null || function.Rows is not null)
                    add(where, "a procedure takes no volatility, Strict, Leakproof, parallel safety, Cost or Rows");
            }
            else
            {
                if (function.Returns is not { } returns)
                    add(where, "has no result type; add .Returns(type) (Types.Raw(\"void\") for none)");
                else
                {
                    var outputs = function.Arguments.Where(a => a.Mode is ArgumentMode.Out or ArgumentMode.InOut).ToList();
                    var required = outputs.Count == 1 ? outputs[0].Type : Types.Raw("record");
                    if (outputs.Count > 0 && Function.AsKept(returns) != Function.AsKept(required))
                        add(where, $"the result type must be {required} because of the OUT arguments; leave out .Returns(…)");
                    if (returns.IsSerial || returns.Kind is TypeKind.SmallSerial or TypeKind.Serial or TypeKind.BigSerial)
                        add(where, $"returns {returns}, a column shorthand, not a type; use smallint, integer or bigint");
                    else if (outputs.Count == 0)
                        ValidateColumn(new Column("result", returns), $"{where} result", types, add);
                }
                if (function.Cost is <= 0)
                    add(where, "COST must be positive");
                if (function.Rows is { } rows)
                {
                    if (rows <= 0)
                        add(where, "ROWS must be positive");
                    if (!function.ReturnsSet)
                        add(where, "ROWS applies only to a function that returns a set (ReturnsSetOf, ReturnsTable)");
                }
            }
            foreach (var setting in function.Settings)
            {
                if (string.IsNullOrWhiteSpace(setting.Name) || !setting.Name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '.'))
                    add(where, $"setting \"{setting.Name}\" is not a setting's name");
            }
            if (function.Settings.GroupBy(s => s.Name.ToLowerInvariant()).Any(g => g.Count() > 1))
                add(where, "sets a setting twice");
        }
    }
}

namespace Strata.CodeGeneration
{
    public sealed partial class CSharpSchemaWriter
    {
        // After the user types (an argument may be of one), before the tables, whose defaults may call a function.
        internal static readonly KindCode FunctionDeclarations = Register(new(Order: 20,
            static (model, schema) => model.Functions.Where(f => f.Schema == schema).Select(FunctionCode)));

        private static string FunctionCode(Function function)
        {
            var code = new StringBuilder();
            var lead = $"{Statement}    ";
            void Line(string call) => code.Append('\n').Append(lead).Append('.').Append(call);
            foreach (var argument in function.Arguments)
            {
                var name = argument.Name is { } n ? String(n) : "null";
                var defaultCode = argument.Default is { } d ? $", {String(d, lead)}" : "";
                switch (argument.Mode)
                {
                    case ArgumentMode.In: Line($"Argument({name}, {TypeCode(argument.Type)}{defaultCode})"); break;
                    case ArgumentMode.Out: Line($"Out({name}, {TypeCode(argument.Type)})"); break;
                    case ArgumentMode.InOut: Line($"InOut({name}, {TypeCode(argument.Type)}{defaultCode})"); break;
                    case ArgumentMode.Variadic: Line($"Variadic({name}, {TypeCode(argument.Type)}{defaultCode})"); break;
                }
            }
            var table = function.Arguments.Where(a => a.Mode == ArgumentMode.Table).ToList();
            if (table.Count > 0)
                Line($"ReturnsTable({string.Join(", ", table.Select(c => $"({String(c.Name ?? "")}, {TypeCode(c.Type)})"))})");
            else if (function.Kind == RoutineKind.Function && function.Returns is { } returns
                && !(function.Arguments.Any(a => a.Mode is ArgumentMode.Out or ArgumentMode.InOut) && !function.ReturnsSet))
                Line(function.ReturnsSet ? $"ReturnsSetOf({TypeCode(returns)})" : $"Returns({TypeCode(returns)})");
            else if (function.ReturnsSet)
                Line($"ReturnsSetOf({TypeCode(function.Returns!)})");
            Line($"Language({String(function.Language)})");
            if (function.Volatility == Volatility.Immutable)
                Line("Immutable()");
            else if (function.Volatility == Volatility.Stable)
                Line("Stable()");
            if (function.Strict)
                Line("Strict()");
            if (function.SecurityDefiner)
                Line("SecurityDefiner()");
            if (function.Leakproof)
                Line("Leakproof()");
            if (function.Parallel == ParallelSafety.Safe)
                Line("ParallelSafe()");
            else if (function.Parallel == ParallelSafety.Restricted)
                Line("ParallelRestricted()");
            if (function.Cost is { } cost)
                Line($"Cost({cost.ToString(CultureInfo.InvariantCulture)}m)");
            if (function.Rows is { } rows)
                Line($"Rows({rows.ToString(CultureInfo.InvariantCulture)}m)");
            foreach (var setting in function.Settings)
                Line($"Set({String(setting.Name)}, {String(setting.Value)})");
            if (function.Comment is not null)
                Line($"Comment({String(function.Comment, lead)})");
            Line($"Body({String(function.Body, lead)})");
            var method = function.Kind == RoutineKind.Procedure ? "Procedure" : "Function";
            return $"{Statement}db.{method}({String(function.Name)}, f => f{code});\n";
        }
    }
}
