using System.Text;
using Strata.Dsl;
using Strata.Model;
using static Strata.CodeGeneration.CSharpLiterals;

// Exclusion constraints in the DSL, in one file: a table's t.Exclude(…) with its builders, the name PostgreSQL gives an
// unnamed one, the validator's rules for them (what PostgreSQL refuses), and pull's C# for them (the DSL's inverse, in
// the code generator's namespace).
namespace Strata.Dsl
{
    public sealed partial class TableBuilder
    {
        private List<ExclusionBuilder>? _exclusions;

        /// <summary>
        /// An exclusion constraint (EXCLUDE USING <paramref name="method"/>): no two rows may have every key compare true
        /// with its operator, <c>t.Exclude("gist", e =&gt; e.Column("room", "=").Column("during", "&amp;&amp;"))</c> (no
        /// two bookings of a room overlap; <c>=</c> on a scalar under gist needs <c>db.Extension("btree_gist")</c>).
        /// Named <c>{table}_{key}_…_excl</c> unless <see cref="ExclusionBuilder.Named"/> says otherwise.
        /// </summary>
        public ExclusionBuilder Exclude(string method, Action<ExclusionKeys> keys)
        {
            if (_exclusions is null)
            {
                _exclusions = [];
                AddToModel(model => model with
                {
                    Exclusions = model.Exclusions.Append(new TableExclusions(Schema, Name,
                        _exclusions.Select(e => e.Build(Name)).ToValueList())).ToValueList(),
                });
            }
            var elements = new ExclusionKeys();
            keys(elements);
            var exclusion = new ExclusionBuilder(method, elements.Elements);
            _exclusions.Add(exclusion);
            return exclusion;
        }
    }

    /// <summary>The keys of an exclusion constraint, each with its operator; each method returns the builder, to chain them.</summary>
    public sealed class ExclusionKeys
    {
        internal List<ExclusionElement> Elements { get; } = [];

        /// <summary><c>column WITH operator</c>.</summary>
        public ExclusionKeys Column(string column, string @operator) => Key(IndexKey.Column(column), @operator);

        /// <summary><c>(expression) WITH operator</c>; Strata adds the parentheses.</summary>
        public ExclusionKeys Expression(string sql, string @operator) => Key(IndexKey.Expression(sql), @operator);

        /// <summary>A key with an operator class, order or NULLS placement (<see cref="IndexKey"/>) and its operator.</summary>
        public ExclusionKeys Key(IndexKey key, string @operator)
        {
            Elements.Add(new ExclusionElement(key.Element, @operator));
            return this;
        }
    }

    /// <summary>The name, INCLUDE, storage parameters, predicate and timing of an exclusion constraint.</summary>
    public sealed class ExclusionBuilder
    {
        private readonly string _method;
        private readonly List<ExclusionElement> _elements;
        private string? _name;
        private string[] _include = [];
        private string[] _storage = [];
        private string? _where;
        private bool _deferrable;
        private bool _initiallyDeferred;

        internal ExclusionBuilder(string method, List<ExclusionElement> elements) => (_method, _elements) = (method, elements);

        public ExclusionBuilder Named(string name)
        {
            _name = name;
            return this;
        }

        /// <summary>INCLUDE: columns stored in the constraint's index that take no part in the comparison.</summary>
        public ExclusionBuilder Include(params string[] columns)
        {
            _include = columns;
            return this;
        }

        /// <summary>WITH (…): the index's storage parameters, each as PostgreSQL keeps it, <c>"fillfactor=70"</c>.</summary>
        public ExclusionBuilder WithStorage(params string[] parameters)
        {
            _storage = parameters;
            return this;
        }

        /// <summary>WHERE: only the rows the predicate holds for are compared (a boolean SQL expression).</summary>
        public ExclusionBuilder Where(string predicate)
        {
            _where = predicate;
            return this;
        }

        /// <summary>DEFERRABLE: checked at the end of the statement, or with <paramref name="initiallyDeferred"/> at commit.</summary>
        public ExclusionBuilder Deferrable(bool initiallyDeferred = false)
        {
            _deferrable = true;
            _initiallyDeferred = initiallyDeferred;
            return this;
        }

        internal ExclusionConstraint Build(string table) => new(
            _name ?? NamingConvention.Exclusion(table, _elements.Select(e => e.Key.Column)),
            _elements.ToValueList(),
            _method,
            _include.ToValueList(),
            _storage.ToValueList(),
            _where,
            _deferrable,
            _initiallyDeferred);
    }

    public static partial class NamingConvention
    {
        /// <summary>An exclusion constraint's: <c>{table}_{key}_{key}…_excl</c>, where an expression key counts as <c>expr</c>.</summary>
        public static string Exclusion(string table, IEnumerable<string?> keys) => $"{table}_{string.Join("_", keys.Select(k => k ?? "expr"))}_excl";
    }

    internal static partial class SchemaValidator
    {
        // With the policies, after the other kinds' rules: an exclusion constraint belongs to a declared table.
        internal static readonly KindRules ExclusionRules = Register(new(Order: 37, static (model, _, add) => ValidateExclusions(model, add)));

        /// <summary>The methods whose indexes can enforce an exclusion constraint (amgettuple): brin and gin cannot.</summary>
        private static readonly string[] ExclusionMethods = ["gist", "spgist", "btree", "hash"];

        private static void ValidateExclusions(DatabaseModel model, Action<string, string> add)
        {
            var seen = new HashSet<QualifiedName>();
            foreach (var exclusions in model.Exclusions)
            {
                var where = exclusions.TableName.ToString();
                var table = model.FindTable(exclusions.TableName);
                if (table is null)
                {
                    add(where, "has exclusion constraints but no such table is declared; declare them in the table's db.Table(…, t => …)");
                    continue;
                }
                if (!seen.Add(exclusions.TableName))
                    add(where, "exclusion constraints are declared twice for this table");
                // Constraint names are unique per table, and the constraint's index takes its name among the schema's relations.
                var taken = new HashSet<string>(StringComparer.Ordinal);
                taken.UnionWith(table.Uniques.Select(u => u.Name).Concat(table.Checks.Select(c => c.Name)).Concat(table.ForeignKeys.Select(f => f.Name)));
                if (table.PrimaryKey is { } key)
                    taken.Add(key.Name);
                var relations = model.Tables.Select(t => t.QualifiedName)
                    .Concat(model.Views.Select(v => v.QualifiedName))
                    .Concat(model.Sequences.Select(s => s.QualifiedName))
                    .Concat(model.Tables.SelectMany(t => t.Indexes.Select(i => new QualifiedName(t.Schema, i.Name))))
                    .ToHashSet();
                foreach (var exclusion in exclusions.Constraints)
                {
                    CheckName(where, "exclusion constraint", exclusion.Name, add);
                    if (!taken.Add(exclusion.Name))
                        add(where, $"exclusion constraint \"{exclusion.Name}\": another constraint of this table has the same name");
                    if (relations.Contains(new QualifiedName(table.Schema, exclusion.Name)))
                        add(where, $"exclusion constraint \"{exclusion.Name}\": its index takes that name, which a table, view, sequence or index of schema {table.Schema} already has; name it with .Named(…)");
                    ValidateExclusion(table, exclusion, $"{where} exclusion constraint {exclusion.Name}", add);
                }
            }
        }

        private static void ValidateExclusion(Table table, ExclusionConstraint exclusion, string where, Action<string, string> add)
        {
            if (!ExclusionMethods.Contains(exclusion.Method))
                add(where, $"uses method \"{exclusion.Method}\"; an exclusion constraint needs an index method that can check each row: gist, spgist, btree or hash");
            if (exclusion.Elements.Count == 0)
                add(where, "has no keys; give at least one, e => e.Column(\"during\", \"&&\")");
            foreach (var element in exclusion.Elements)
            {
                if (element.Key.Column is { } column && table.FindColumn(column) is null)
                    add(where, $"names column \"{column}\", which the table does not have");
                if (element.Key.Column is null && string.IsNullOrWhiteSpace(element.Key.Expression))
                    add(where, "has a key with neither a column nor an expression");
                if (string.IsNullOrWhiteSpace(element.Operator))
                    add(where, "has a key without an operator; name the operator that must not hold between two rows, such as && or =");
            }
            foreach (var column in exclusion.Include)
                if (table.FindColumn(column) is null)
                    add(where, $"includes column \"{column}\", which the table does not have");
            if (exclusion.Where is { } predicate && string.IsNullOrWhiteSpace(predicate))
                add(where, "the WHERE predicate is empty");
            foreach (var parameter in exclusion.StorageParameters)
                if (parameter.IndexOf('=', StringComparison.Ordinal) <= 0)
                    add(where, $"storage parameter \"{parameter}\" is not name=value, as in \"fillfactor=70\"");
        }
    }
}

namespace Strata.CodeGeneration
{
    public sealed partial class CSharpSchemaWriter
    {
        internal static readonly KindCode ExclusionCalls = Register(new(Order: 37,
            static (_, _) => [],
            static (model, table) => model.FindExclusions(table.QualifiedName) is { } exclusions
                ? exclusions.Constraints.Select(c => ExclusionCode(table.Name, c))
                : []));

        private static string ExclusionCode(string table, ExclusionConstraint exclusion)
        {
            var keys = new StringBuilder("e => e");
            foreach (var element in exclusion.Elements)
            {
                var key = element.Key;
                if (key is { Direction: SortDirection.Ascending, Nulls: NullsOrder.Default, OperatorClass: null, Collation: null })
                {
                    keys.Append(key.Column is { } column
                        ? $".Column({String(column)}, {String(element.Operator)})"
                        : $".Expression({String(key.Expression ?? "", InTable)}, {String(element.Operator)})");
                }
                else
                    keys.Append($".Key({IndexKeyCode(key)}, {String(element.Operator)})");
            }
            var code = new StringBuilder($"t.Exclude({String(exclusion.Method)}, {keys})");
            if (exclusion.Name != NamingConvention.Exclusion(table, exclusion.Elements.Select(e => e.Key.Column)))
                code.Append($".Named({String(exclusion.Name)})");
            if (exclusion.Include.Count > 0)
                code.Append($".Include({string.Join(", ", exclusion.Include.Select(c => String(c)))})");
            if (exclusion.StorageParameters.Count > 0)
                code.Append($".WithStorage({string.Join(", ", exclusion.StorageParameters.Select(p => String(p)))})");
            if (exclusion.Where is { } where)
                code.Append($".Where({String(where, InTable)})");
            if (exclusion.Deferrable)
                code.Append(exclusion.InitiallyDeferred ? ".Deferrable(initiallyDeferred: true)" : ".Deferrable()");
            return code.ToString();
        }
    }
}
