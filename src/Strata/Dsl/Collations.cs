using System.Text;
using Strata.Dsl;
using Strata.Model;
using static Strata.CodeGeneration.CSharpLiterals;

// PostgreSQL collations in the DSL, in one file: their declaration (db.Collation) and builder, the validator's rules for
// one and for the references to one, and pull's C# for one and for a COLLATE (the DSL's inverse, in the code
// generator's namespace).
namespace Strata.Dsl
{
    public partial class SchemaScope
    {
        /// <summary>The collations declared in this scope, in declaration order (null until the first).</summary>
        private List<CollationBuilder>? _collations;

        /// <summary>
        /// Declares a collation (CREATE COLLATION), named in this scope's schema or as <c>schema.name</c>; <paramref name="define"/>
        /// sets its provider and locale: <c>db.Collation("ascii_fold", c =&gt; c.Provider("icu").Locale("und-u-ks-level1").Deterministic(false))</c>,
        /// <c>db.Collation("c_posix", c =&gt; c.LcCollate("C").LcCtype("POSIX"))</c>. Without a provider it is libc's. The returned
        /// name is what <see cref="ColumnBuilder.Collate(QualifiedName)"/> and a user type's Collate take.
        /// </summary>
        public QualifiedName Collation(string name, Action<CollationBuilder>? define = null)
        {
            var dot = name.IndexOf('.');
            return dot < 0 ? Collation(Name, name, define) : Collation(name[..dot], name[(dot + 1)..], define);
        }

        /// <summary>Declares a collation of <paramref name="schema"/> (the form for a name with a dot in it: <c>"en_US.utf8"</c>).</summary>
        public QualifiedName Collation(string schema, string name, Action<CollationBuilder>? define = null)
        {
            var collation = new CollationBuilder(schema, name);
            if (_collations is null)
            {
                var declared = _collations = [];
                AddToModel(model => model with { Collations = model.Collations.Concat(declared.Select(c => c.Build())).ToValueList() });
            }
            _collations.Add(collation);
            define?.Invoke(collation);
            return collation.QualifiedName;
        }
    }

    /// <summary>A collation's provider, locale and determinism; each method returns the builder, to chain them.</summary>
    public sealed class CollationBuilder
    {
        private string _provider = Model.Collation.Libc;
        private string? _locale;
        private string? _lcCollate;
        private string? _lcCtype;
        private bool _deterministic = true;
        private string? _comment;

        internal CollationBuilder(string schema, string name) => QualifiedName = new QualifiedName(schema, name);

        internal QualifiedName QualifiedName { get; }

        /// <summary>PROVIDER: <c>"libc"</c> (the default) or <c>"icu"</c>.</summary>
        public CollationBuilder Provider(string provider)
        {
            _provider = provider;
            return this;
        }

        /// <summary>LOCALE: an ICU locale (<c>"und-u-ks-level2"</c>) or a libc one (<c>"C"</c>, <c>"en_US.utf8"</c>) for both LC_COLLATE and LC_CTYPE.</summary>
        public CollationBuilder Locale(string locale)
        {
            _locale = locale;
            return this;
        }

        /// <summary>LC_COLLATE of a libc collation whose LC_CTYPE differs (give both).</summary>
        public CollationBuilder LcCollate(string lcCollate)
        {
            _lcCollate = lcCollate;
            return this;
        }

        /// <summary>LC_CTYPE of a libc collation whose LC_COLLATE differs (give both).</summary>
        public CollationBuilder LcCtype(string lcCtype)
        {
            _lcCtype = lcCtype;
            return this;
        }

        /// <summary>DETERMINISTIC = false: strings that differ in bytes may compare equal (ICU only).</summary>
        public CollationBuilder Deterministic(bool deterministic = true)
        {
            _deterministic = deterministic;
            return this;
        }

        public CollationBuilder Comment(string comment)
        {
            _comment = comment;
            return this;
        }

        internal Collation Build() =>
            new(QualifiedName.Schema, QualifiedName.Name, _provider, _locale, _lcCollate, _lcCtype, _deterministic, _comment);
    }

    public sealed partial class ColumnBuilder
    {
        /// <summary>COLLATE schema.name: a collation of <paramref name="schema"/> (one of db.Collation, or one created by other means).</summary>
        public ColumnBuilder Collate(string schema, string name) => Collate(new QualifiedName(schema, name));

        /// <summary>COLLATE of a collation by its qualified name, as <c>db.Collation</c> returns it.</summary>
        public ColumnBuilder Collate(QualifiedName collation)
        {
            _collation = collation.Name;
            _collationSchema = CollationReference.SchemaOf(collation.Schema);
            return this;
        }
    }

    internal static partial class SchemaValidator
    {
        // After the extensions, before the user types and tables that use a collation.
        internal static readonly KindRules CollationRules = Register(new(Order: 4, ValidateCollations));

        private static void ValidateCollations(DatabaseModel model, DeclaredTypes types, Action<string, string> add)
        {
            var names = new HashSet<QualifiedName>();
            foreach (var collation in model.Collations)
            {
                var where = "collation " + collation.QualifiedName;
                CheckName(where, "collation", collation.Name, add);
                if (!names.Add(collation.QualifiedName))
                    add(where, "collation is declared twice");
                ValidateCollation(collation, where, add);
            }
            foreach (var table in model.Tables)
            {
                foreach (var column in table.Columns)
                {
                    if (CollationReferenceProblem(model, column.CollationSchema, column.Collation) is { } problem)
                        add($"{table.QualifiedName}.{column.Name}", problem);
                }
                foreach (var index in table.Indexes)
                    ValidateKeyCollations(model, $"index {table.Schema}.{index.Name}", index.Elements, add);
            }
            foreach (var view in model.Views)
            {
                foreach (var index in view.Indexes)
                    ValidateKeyCollations(model, $"index {view.Schema}.{index.Name}", index.Elements, add);
            }
            foreach (var exclusions in model.Exclusions)
            {
                foreach (var exclusion in exclusions.Constraints)
                    ValidateKeyCollations(model, $"exclusion constraint {exclusions.TableName}.{exclusion.Name}", exclusion.Elements.Select(e => e.Key), add);
            }
        }

        /// <summary>An index key's COLLATE, as a column's: one of a managed schema must be declared.</summary>
        private static void ValidateKeyCollations(DatabaseModel model, string where, IEnumerable<IndexElement> keys, Action<string, string> add)
        {
            foreach (var key in keys)
            {
                if (CollationReferenceProblem(model, key.CollationSchema, key.Collation) is { } problem)
                    add(where, $"key {key.Column ?? "(" + key.Expression + ")"} {problem}");
            }
        }

        /// <summary>
        /// What is wrong with a COLLATE (<paramref name="schema"/>, <paramref name="name"/>), or null: a collation of a
        /// schema this model manages must be one it declares, or CREATE fails (one without a schema may be pg_catalog's,
        /// which no model declares); and <c>Collate("schema.name")</c> names one collation with a dot in its name, not a
        /// schema's, which is said when that schema declares it.
        /// </summary>
        internal static string? CollationReferenceProblem(DatabaseModel model, string? schema, string? name)
        {
            if (name is null)
                return null;
            if (schema is null)
            {
                return name.IndexOf('.') is > 0 and var dot && model.FindCollation(new QualifiedName(name[..dot], name[(dot + 1)..])) is not null
                        && model.FindCollation(CollationReference.KeyOf(null, name)) is null
                    ? $"uses collation \"{name}\" (one name with a dot in it); for collation {name[(dot + 1)..]} of schema {name[..dot]} write Collate(\"{name[..dot]}\", \"{name[(dot + 1)..]}\")"
                    : null;
            }
            return model.Schemas.Contains(schema) && model.FindCollation(new QualifiedName(schema, name)) is null
                ? $"uses collation {schema}.{name}, which is not declared; declare it with db.Collation(\"{schema}.{name}\", c => …)"
                : null;
        }

        /// <summary>What CREATE COLLATION refuses: an unknown provider, no locale, a nondeterministic libc collation.</summary>
        private static void ValidateCollation(Collation collation, string where, Action<string, string> add)
        {
            if (collation.Provider is not (Collation.Libc or Collation.Icu))
            {
                add(where, $"provider \"{collation.Provider}\" is not one PostgreSQL knows; use Provider(\"libc\") or Provider(\"icu\")");
                return;
            }
            if (collation.Provider == Collation.Icu)
            {
                if (string.IsNullOrWhiteSpace(collation.Locale))
                    add(where, "an ICU collation needs a locale; add Locale(\"und\") or another ICU locale");
                if (collation.LcCollate is not null || collation.LcCtype is not null)
                    add(where, "LcCollate and LcCtype are libc settings; an ICU collation takes Locale(…) alone");
                return;
            }
            if (!collation.Deterministic)
                add(where, "nondeterministic collations are not supported by provider libc; use Provider(\"icu\") or remove Deterministic(false)");
            if (collation.Locale is not null && (collation.LcCollate is not null || collation.LcCtype is not null))
                add(where, "give either Locale(…) or LcCollate(…) with LcCtype(…), not both");
            else if (collation.Locale is null && (collation.LcCollate is null || collation.LcCtype is null))
                add(where, "a libc collation needs Locale(…), or both LcCollate(…) and LcCtype(…)");
        }
    }
}

namespace Strata.CodeGeneration
{
    public sealed partial class CSharpSchemaWriter
    {
        // After the extensions, before the enums and the other user types: in the file of the collation's schema.
        internal static readonly KindCode CollationDeclarations = Register(new(Order: 4,
            static (model, schema) => model.Collations.Where(c => c.Schema == schema).Select(CollationCode)));

        private static string CollationCode(Collation collation)
        {
            var code = new StringBuilder();
            if (collation.Provider != Collation.Libc)
                code.Append($".Provider({String(collation.Provider)})");
            if (collation.Locale is { } locale)
                code.Append($".Locale({String(locale)})");
            if (collation.LcCollate is { } lcCollate)
                code.Append($".LcCollate({String(lcCollate)})");
            if (collation.LcCtype is { } lcCtype)
                code.Append($".LcCtype({String(lcCtype)})");
            if (!collation.Deterministic)
                code.Append(".Deterministic(false)");
            if (collation.Comment is { } comment)
                code.Append($".Comment({String(comment, Statement)})");
            var define = code.Length > 0 ? $", c => c{code}" : "";
            var name = collation.Name.Contains('.') ? $"{String(collation.Schema)}, {String(collation.Name)}" : String(collation.Name);
            return $"{Statement}db.Collation({name}{define});\n";
        }

        /// <summary>A column's or user type's COLLATE: by name, or by schema and name for one outside the search path.</summary>
        internal static string CollateCode(string collation, string? schema) =>
            schema is null ? $".Collate({String(collation)})" : $".Collate({String(schema)}, {String(collation)})";
    }
}
