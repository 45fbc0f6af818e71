using System.Text;
using Strata.Dsl;
using Strata.Model;
using static Strata.CodeGeneration.CSharpLiterals;

// PostgreSQL composite types in the DSL, in one file: their declaration (db.Composite) and builder, their reference by
// name (Types.Composite), the validator's rules for one, and pull's C# for one (the DSL's inverse, in the code
// generator's namespace).
namespace Strata.Dsl
{
    public partial class SchemaScope
    {
        /// <summary>The composite types declared in this scope, in declaration order (null until the first).</summary>
        private List<CompositeBuilder>? _composites;

        /// <summary>
        /// Declares a composite type (CREATE TYPE … AS (…)); <paramref name="define"/> adds its fields in order:
        /// <c>db.Composite("address", c =&gt; c.Field("street", Types.Text).Field("city", Types.Text, collate: "C"))</c>.
        /// The returned type is what columns use.
        /// </summary>
        public ColumnType Composite(string name, Action<CompositeBuilder> define)
        {
            var composite = new CompositeBuilder(Name, name);
            if (_composites is null)
            {
                var declared = _composites = [];
                AddToModel(model => model with { Composites = model.Composites.Concat(declared.Select(c => c.Build())).ToValueList() });
            }
            _composites.Add(composite);
            define(composite);
            return new ColumnType(TypeKind.Composite, CompositeName: new QualifiedName(Name, name));
        }
    }

    public static partial class Types
    {
        /// <summary>A reference to a composite type by name (<c>address</c> or <c>schema.address</c>); <see cref="SchemaScope.Composite"/> returns the same.</summary>
        public static ColumnType Composite(string name) => new(TypeKind.Composite, CompositeName: QualifiedName.Parse(name));
    }

    /// <summary>The fields of a composite type, in order, and its comment; each method returns the builder, to chain them.</summary>
    public sealed class CompositeBuilder
    {
        private readonly string _schema;
        private readonly string _name;
        private readonly List<CompositeField> _fields = [];
        private string? _comment;

        internal CompositeBuilder(string schema, string name) => (_schema, _name) = (schema, name);

        /// <summary>A field of <paramref name="type"/>; <paramref name="collate"/> a collation other than the type's (<c>"C"</c>).</summary>
        public CompositeBuilder Field(string name, ColumnType type, string? collate = null)
        {
            _fields.Add(new CompositeField(name, type, collate));
            return this;
        }

        /// <summary>A field of <paramref name="type"/> with the collation <paramref name="collate"/> by its qualified name (one of another schema, as <c>db.Collation</c> returns it).</summary>
        public CompositeBuilder Field(string name, ColumnType type, QualifiedName collate)
        {
            _fields.Add(new CompositeField(name, type, collate.Name, CollationReference.SchemaOf(collate.Schema)));
            return this;
        }

        public CompositeBuilder Comment(string comment)
        {
            _comment = comment;
            return this;
        }

        internal CompositeType Build() => new(_schema, _name, _fields.ToValueList(), _comment);
    }

    internal static partial class SchemaValidator
    {
        // After the other user types (a field may be of one), before the tables that use them.
        internal static readonly KindRules CompositeRules = Register(new(Order: 13, ValidateComposites,
            UserType: TypeKind.Composite, TypeWord: "composite type", DeclaredWith: "db.Composite(name, c => c.Field(…))"));

        private static void ValidateComposites(DatabaseModel model, DeclaredTypes types, Action<string, string> add)
        {
            var declared = new HashSet<QualifiedName>();
            foreach (var composite in model.Composites)
            {
                var where = composite.QualifiedName.ToString();
                CheckName(where, "composite type", composite.Name, add);
                if (!declared.Add(composite.QualifiedName))
                    add(where, "composite type is declared twice");
                else if (types.OwnersOf(composite.QualifiedName).FirstOrDefault() is { } owner)
                    add(where, $"{owner} of the same name exists in schema {composite.Schema}; PostgreSQL's types share one namespace per schema");
                types.Declare(TypeKind.Composite, "a composite type", composite.QualifiedName);
            }
            foreach (var composite in model.Composites)
            {
                var where = composite.QualifiedName.ToString();
                var names = new HashSet<string>(StringComparer.Ordinal);
                foreach (var field in composite.Fields)
                {
                    var fieldWhere = $"{where}.{field.Name}";
                    CheckName(fieldWhere, "field", field.Name, add);
                    if (!names.Add(field.Name))
                        add(fieldWhere, "another field of this composite type has the same name");
                    if (field.Type.IsSerial || field.Type.Kind is TypeKind.SmallSerial or TypeKind.Serial or TypeKind.BigSerial)
                        add(fieldWhere, $"a field cannot be {field.Type}: serial is a column shorthand, not a type; use smallint, integer or bigint");
                    if (field.Type.CompositeName == composite.QualifiedName)
                        add(fieldWhere, "a composite type cannot have a field of its own type");
                    ValidateColumn(new Column(field.Name, field.Type), fieldWhere, types, add);
                    if (field.Collation is { } collation && string.IsNullOrWhiteSpace(collation))
                        add(fieldWhere, "the collation is empty");
                    else if (field.Collation is not null && field.Type.Kind is not (TypeKind.Text or TypeKind.Varchar or TypeKind.Char or TypeKind.Raw)
                        && (!field.Type.IsUserType || field.Type.Kind is TypeKind.Enum or TypeKind.Composite))
                        add(fieldWhere, $"a collation applies to text types only, not to {field.Type}; remove collate:");
                    else if (CollationReferenceProblem(model, field.CollationSchema, field.Collation) is { } problem)
                        add(fieldWhere, problem);
                }
            }
        }
    }
}

namespace Strata.CodeGeneration
{
    public sealed partial class CSharpSchemaWriter
    {
        // After the other user types, which a field may be of.
        internal static readonly KindCode CompositeDeclarations = Register(new(Order: 13,
            static (model, schema) => model.Composites.Where(c => c.Schema == schema).Select(CompositeCode)));

        private static string CompositeCode(CompositeType composite)
        {
            var code = new StringBuilder();
            foreach (var field in composite.Fields)
            {
                code.Append($".Field({String(field.Name)}, {TypeCode(field.Type)}");
                if (field.Collation is { } collation)
                    code.Append(field.CollationSchema is { } schema ? $", {QualifiedNameCode(new QualifiedName(schema, collation))}" : $", collate: {String(collation)}");
                code.Append(')');
            }
            if (composite.Comment is not null)
                code.Append($".Comment({String(composite.Comment, Statement)})");
            return $"{Statement}db.Composite({String(composite.Name)}, c => c{code});\n";
        }
    }
}
