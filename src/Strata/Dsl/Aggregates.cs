using Strata.Dsl;
using Strata.Model;
using Strata.Sql;
using static Strata.CodeGeneration.CSharpLiterals;

// PostgreSQL aggregates in the DSL, in one file: their declaration (db.Aggregate) and builder, the validator's rules for
// one, and pull's C# for one (the DSL's inverse, in the code generator's namespace).
namespace Strata.Dsl
{
    public partial class SchemaScope
    {
        /// <summary>The aggregates declared in this scope, in declaration order (null until the first).</summary>
        private List<AggregateBuilder>? _aggregates;

        /// <summary>
        /// Declares an aggregate (CREATE AGGREGATE) by its signature and its definition as PostgreSQL prints them:
        /// <c>db.Aggregate("product(double precision)", "SFUNC = float8mul, STYPE = double precision, INITCOND = '1'")</c>,
        /// an ordered-set one as <c>"pct(double precision ORDER BY anyelement)"</c>, one without arguments as <c>"name(*)"</c>;
        /// <c>"billing.name(…)"</c> puts it in another schema. Write the definition in pg_dump's order and spelling (SFUNC,
        /// STYPE, SSPACE, FINALFUNC, FINALFUNC_EXTRA, FINALFUNC_MODIFY, COMBINEFUNC, SERIALFUNC, DESERIALFUNC, INITCOND, the
        /// moving-aggregate options, SORTOP = OPERATOR(pg_catalog.&gt;), PARALLEL, HYPOTHETICAL; functions and types named
        /// as PostgreSQL prints them), as <c>strata pull</c> writes it, so that <c>strata check</c> stays quiet. A changed
        /// definition replaces the aggregate (CREATE OR REPLACE AGGREGATE) where PostgreSQL can, else drops it and creates it
        /// again with the views that use it.
        /// </summary>
        public AggregateBuilder Aggregate(string signature, string definition)
        {
            ArgumentNullException.ThrowIfNull(signature);
            ArgumentNullException.ThrowIfNull(definition);
            var open = signature.IndexOf('(');
            var name = open < 0 ? signature.Trim() : signature[..open].Trim();
            var arguments = open < 0 ? "" : signature[(open + 1)..].TrimEnd().TrimEnd(')');
            var qualified = name.Contains('.') ? QualifiedName.Parse(name) : new QualifiedName(Name, name);
            var aggregate = new AggregateBuilder(qualified.Schema, qualified.Name, arguments, definition);
            if (_aggregates is null)
            {
                var declared = _aggregates = [];
                AddToModel(model => model with { Aggregates = model.Aggregates.Concat(declared.Select(a => a.Build())).ToValueList() });
            }
            _aggregates.Add(aggregate);
            return aggregate;
        }
    }

    /// <summary>What an aggregate has besides its signature and definition.</summary>
    public sealed class AggregateBuilder
    {
        private readonly string _schema;
        private readonly string _name;
        private readonly string _arguments;
        private readonly string _definition;
        private string? _comment;

        internal AggregateBuilder(string schema, string name, string arguments, string definition)
        {
            _schema = schema;
            _name = name;
            _arguments = arguments;
            _definition = definition;
        }

        /// <summary>COMMENT ON AGGREGATE, set in place when it changes.</summary>
        public AggregateBuilder Comment(string comment)
        {
            _comment = comment;
            return this;
        }

        internal Aggregate Build() => new Aggregate(_schema, _name, _arguments, _definition, _comment).Normalize();
    }

    internal static partial class SchemaValidator
    {
        // After the functions (20) that an aggregate is built from.
        internal static readonly KindRules AggregateRules = Register(new(Order: 22, static (model, _, add) => ValidateAggregates(model, add)));

        /// <summary>What PostgreSQL refuses in CREATE AGGREGATE that the model can tell: no SFUNC or STYPE, a signature taken twice.</summary>
        private static void ValidateAggregates(DatabaseModel model, Action<string, string> add)
        {
            var signatures = new HashSet<QualifiedName>();
            var functions = model.Functions.Select(f => f.Key).ToHashSet();
            foreach (var aggregate in model.Aggregates)
            {
                var where = $"aggregate {aggregate.Schema}.{aggregate.Signature}";
                CheckName(where, "aggregate", aggregate.Name, add);
                if (!signatures.Add(aggregate.Key))
                    add(where, "is declared twice (the name and argument types identify an aggregate)");
                if (functions.Contains(aggregate.Key))
                    add(where, "has the name and argument types of a declared function, and PostgreSQL keeps both in one namespace; rename one of them");
                var words = SqlLexer.Tokenize(aggregate.Definition).Lexemes()
                    .Where(l => l.Kind == SqlLexemeKind.Word).Select(l => l.Value).ToHashSet(StringComparer.OrdinalIgnoreCase);
                if (!words.Contains("sfunc"))
                    add(where, "has no SFUNC; PostgreSQL needs the state transition function: start the definition with \"SFUNC = …, STYPE = …\"");
                if (!words.Contains("stype"))
                    add(where, "has no STYPE; PostgreSQL needs the state value's type: \"SFUNC = …, STYPE = …\"");
                if (words.Contains("hypothetical") && !aggregate.IsOrderedSet)
                    add(where, "is HYPOTHETICAL without ORDER BY arguments; PostgreSQL allows it only for an ordered-set aggregate: \"name(direct args ORDER BY aggregated args)\"");
            }
        }
    }
}

namespace Strata.CodeGeneration
{
    public sealed partial class CSharpSchemaWriter
    {
        // After the functions (20) an aggregate is built from.
        internal static readonly KindCode AggregateDeclarations = Register(new(Order: 22,
            static (model, schema) => model.Aggregates.Where(a => a.Schema == schema).Select(AggregateCode)));

        private static string AggregateCode(Aggregate aggregate)
        {
            var code = $"{Statement}db.Aggregate({String(aggregate.Signature)}, {String(aggregate.Definition, Statement)})";
            if (aggregate.Comment is not null)
                code += $".Comment({String(aggregate.Comment, Statement)})";
            return code + ";\n";
        }
    }
}
