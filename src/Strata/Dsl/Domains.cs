using System.Text;
using Strata.Dsl;
using Strata.Model;
using static Strata.CodeGeneration.CSharpLiterals;

// PostgreSQL domains in the DSL, in one file: their declaration (db.Domain) and builder, their reference by name
// (Types.Domain), the validator's rules for a domain, and pull's C# for one (the DSL's inverse, in the code
// generator's namespace).
namespace Strata.Dsl
{
    public partial class SchemaScope
    {
        /// <summary>The domains declared in this scope, in declaration order (null until the first).</summary>
        private List<DomainBuilder>? _domains;

        /// <summary>
        /// Declares a domain over <paramref name="baseType"/> (a built-in type, an enum, an array or another
        /// domain); <paramref name="define"/> adds its NOT NULL, default, checks, collation and comment:
        /// <c>db.Domain("email", Types.Text, d =&gt; d.NotNull().Check("VALUE ~ '@'"))</c>. The returned type is what columns use.
        /// </summary>
        public ColumnType Domain(string name, ColumnType baseType, Action<DomainBuilder>? define = null)
        {
            var domain = new DomainBuilder(Name, name, baseType);
            if (_domains is null)
            {
                var declared = _domains = [];
                AddToModel(model => model with { Domains = model.Domains.Concat(declared.Select(d => d.Build())).ToValueList() });
            }
            _domains.Add(domain);
            define?.Invoke(domain);
            return new ColumnType(TypeKind.Domain, DomainName: new QualifiedName(Name, name));
        }
    }

    public static partial class NamingConvention
    {
        /// <summary>A domain check: <c>{domain}_check</c>, as PostgreSQL names an unnamed one.</summary>
        public static string DomainCheck(string domain) => $"{domain}_check";
    }

    public static partial class Types
    {
        /// <summary>A reference to a domain by name (<c>email</c> or <c>schema.email</c>); <see cref="SchemaScope.Domain"/> returns the same.</summary>
        public static ColumnType Domain(string name) => new(TypeKind.Domain, DomainName: QualifiedName.Parse(name));
    }

    /// <summary>What a domain has besides its base type; each method returns the builder, to chain them.</summary>
    public sealed partial class DomainBuilder
    {
        private readonly string _schema;
        private readonly string _name;
        private readonly ColumnType _baseType;
        private readonly List<CheckConstraint> _checks = [];
        private bool _notNull;
        private string? _default;
        private string? _collation;
        private string? _collationSchema;
        private string? _comment;

        internal DomainBuilder(string schema, string name, ColumnType baseType) => (_schema, _name, _baseType) = (schema, name, baseType);

        /// <summary>NOT NULL: no column of the domain can hold NULL.</summary>
        public DomainBuilder NotNull()
        {
            _notNull = true;
            return this;
        }

        /// <summary>The default of the domain's columns (a column's own default wins), as a C# value written as a SQL literal.</summary>
        public DomainBuilder Default(object value)
        {
            _default = SqlLiteral.From(value);
            return this;
        }

        /// <summary>The default as a SQL expression, written as it is (<c>now()</c>, <c>'a'::text</c>).</summary>
        public DomainBuilder DefaultSql(string expression)
        {
            _default = expression;
            return this;
        }

        /// <summary>
        /// A check on the value, named <paramref name="name"/> or, without one, <c>{domain}_check</c> as PostgreSQL
        /// names it; the expression reads the value as <c>VALUE</c> (<c>VALUE &gt; 0</c>).
        /// </summary>
        public DomainBuilder Check(string expression, string? name = null)
        {
            _checks.Add(new CheckConstraint(name ?? NamingConvention.DomainCheck(_name), expression));
            return this;
        }

        /// <summary>COLLATE: a collation other than the base type's (<c>"C"</c>).</summary>
        public DomainBuilder Collate(string collation)
        {
            _collation = collation;
            _collationSchema = null;
            return this;
        }

        public DomainBuilder Comment(string comment)
        {
            _comment = comment;
            return this;
        }

        internal Domain Build() => new(_schema, _name, _baseType, _notNull, _default, _checks.ToValueList(), _collation, _comment, CollationSchema: _collationSchema);
    }

    public sealed partial class DomainBuilder
    {
        /// <summary>COLLATE schema.name: a collation of <paramref name="schema"/> (one of db.Collation, or one created by other means).</summary>
        public DomainBuilder Collate(string schema, string name) => Collate(new QualifiedName(schema, name));

        /// <summary>COLLATE of a collation by its qualified name, as <c>db.Collation</c> returns it.</summary>
        public DomainBuilder Collate(QualifiedName collation)
        {
            _collation = collation.Name;
            _collationSchema = CollationReference.SchemaOf(collation.Schema);
            return this;
        }
    }

    internal static partial class SchemaValidator
    {
        // Domains are checked right after the enums, whose names they share, and before the tables that use them.
        internal static readonly KindRules DomainRules = Register(new(Order: 10, ValidateDomains,
            UserType: TypeKind.Domain, TypeWord: "domain", DeclaredWith: "db.Domain(name, baseType)"));

        private static void ValidateDomains(DatabaseModel model, DeclaredTypes types, Action<string, string> add)
        {
            var domains = new Dictionary<QualifiedName, Domain>();
            foreach (var domain in model.Domains)
            {
                var where = domain.QualifiedName.ToString();
                CheckName(where, "domain", domain.Name, add);
                if (!domains.TryAdd(domain.QualifiedName, domain))
                    add(where, "domain is declared twice");
                types.Declare(TypeKind.Domain, "a domain", domain.QualifiedName);
                if (types.Enums.ContainsKey(domain.QualifiedName))
                    add(where, $"an enum of the same name exists in schema {domain.Schema}; enums and domains share one namespace of types");
            }
            foreach (var domain in model.Domains)
                ValidateDomain(model, domain, types, domains, add);
        }

        /// <summary>
        /// Why PostgreSQL refuses a foreign key whose key column is of <paramref name="type"/> when that is a domain over an
        /// enum (directly or through other domains), else null. PostgreSQL compares the key with enum_ops, whose input type
        /// is anyenum, and does not take a domain over an enum for one ("Key columns … are of incompatible types: d and d"),
        /// not even against the same domain. A domain over an array of an enum is accepted (array_ops looks through it).
        /// </summary>
        internal static string? EnumDomainKeyProblem(DatabaseModel model, ColumnType type) =>
            type is { Kind: TypeKind.Domain, IsArray: false } && model.ComparedAs(type) is { Kind: TypeKind.Enum, IsArray: false }
                ? "PostgreSQL joins no foreign key on a domain over an enum, not even to the same domain (the enum's operator class " +
                  "takes enums, and a domain over one does not match it); give the key columns on both sides the enum type itself"
                : null;

        /// <summary>A domain: its base type as a column's would be checked, its checks, and no cycle through other domains.</summary>
        private static void ValidateDomain(DatabaseModel model, Domain domain, DeclaredTypes types, Dictionary<QualifiedName, Domain> domains, Action<string, string> add)
        {
            var where = domain.QualifiedName.ToString();
            if (domain.BaseType.IsSerial || domain.BaseType.Kind is TypeKind.SmallSerial or TypeKind.Serial or TypeKind.BigSerial)
                add(where, $"a domain cannot be based on {domain.BaseType}: serial is a column shorthand, not a type; use smallint, integer or bigint");
            ValidateColumn(new Column("VALUE", domain.BaseType, domain.NotNull, domain.Default), where, types, add);
            var names = new HashSet<string>(StringComparer.Ordinal);
            foreach (var check in domain.Checks)
            {
                CheckName(where, "check constraint", check.Name, add);
                if (!names.Add(check.Name))
                    add(where, $"check constraint \"{check.Name}\": another check of this domain has the same name");
                if (string.IsNullOrWhiteSpace(check.Expression))
                    add(where, $"check constraint \"{check.Name}\" has an empty expression");
            }
            if (CollationReferenceProblem(model, domain.CollationSchema, domain.Collation) is { } collationProblem)
                add(where, collationProblem);
            if (domain.Collation is { } collation && string.IsNullOrWhiteSpace(collation))
                add(where, "the collation is empty");
            else if (domain.Collation is not null && domain.BaseType.Kind is not (TypeKind.Text or TypeKind.Varchar or TypeKind.Char or TypeKind.Domain or TypeKind.Raw))
                add(where, $"a collation applies to text types only, not to {domain.BaseType}; remove Collate(…)");
            // A domain over itself, directly or through others, could never be created.
            var seen = new List<QualifiedName> { domain.QualifiedName };
            for (var next = domain.BaseType.DomainName; next is { } name && domains.TryGetValue(name, out var inner); next = inner.BaseType.DomainName)
            {
                if (seen.Contains(name))
                {
                    seen.Add(name);
                    add(where, $"the domain is based on itself through {string.Join(" → ", seen)}");
                    break;
                }
                seen.Add(name);
            }
        }
    }
}

namespace Strata.CodeGeneration
{
    public sealed partial class CSharpSchemaWriter
    {
        // After the enums (a domain may be over one) and the sequences (its default may draw from one).
        internal static readonly KindCode DomainDeclarations = Register(new(Order: 10,
            static (model, schema) => model.Domains.Where(d => d.Schema == schema).Select(DomainCode)));

        private static string DomainCode(Domain domain)
        {
            var code = new StringBuilder();
            if (domain.NotNull)
                code.Append(".NotNull()");
            if (domain.Default is { } defaultSql)
                code.Append(DefaultCode(defaultSql));
            foreach (var check in domain.Checks)
            {
                code.Append(check.Name == NamingConvention.DomainCheck(domain.Name)
                    ? $".Check({String(check.Expression, Statement)})"
                    : $".Check({String(check.Expression, Statement)}, {String(check.Name)})");
            }
            if (domain.Collation is { } collation)
                code.Append(CollateCode(collation, domain.CollationSchema));
            if (domain.Comment is not null)
                code.Append($".Comment({String(domain.Comment, Statement)})");
            var define = code.Length > 0 ? $", d => d{code}" : "";
            return $"{Statement}db.Domain({String(domain.Name)}, {TypeCode(domain.BaseType)}{define});\n";
        }
    }
}
