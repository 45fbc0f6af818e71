using Strata.Dsl;
using Strata.Model;
using static Strata.CodeGeneration.CSharpLiterals;

// PostgreSQL extensions in the DSL, in one file: their declaration (db.Extension), the validator's rules for one, and
// pull's C# for one (the DSL's inverse, in the code generator's namespace).
namespace Strata.Dsl
{
    public partial class SchemaScope
    {
        /// <summary>The extensions declared in this scope, in declaration order (null until the first).</summary>
        private List<Extension>? _extensions;

        /// <summary>
        /// Declares an extension (CREATE EXTENSION), created before everything that may use its types and functions
        /// and dropped after them: <c>db.Extension("citext")</c>. Its objects go in <paramref name="schema"/> (this
        /// scope's schema without one); <paramref name="version"/> pins a version other than the default one, and
        /// <paramref name="comment"/> replaces the comment the extension comes with. Columns use its types by name
        /// (<c>Types.Raw("citext")</c>).
        /// </summary>
        public void Extension(string name, string? schema = null, string? version = null, string? comment = null)
        {
            if (_extensions is null)
            {
                var declared = _extensions = [];
                AddToModel(model => model with { Extensions = model.Extensions.Concat(declared).ToValueList() });
            }
            _extensions.Add(new Extension(name, schema ?? Name, version, comment));
        }
    }

    internal static partial class SchemaValidator
    {
        // Before every other kind's rules: an extension is declared with nothing another kind declares.
        internal static readonly KindRules ExtensionRules = Register(new(Order: 3, ValidateExtensions));

        private static void ValidateExtensions(DatabaseModel model, DeclaredTypes types, Action<string, string> add)
        {
            var names = new HashSet<string>(StringComparer.Ordinal);
            foreach (var extension in model.Extensions)
            {
                var where = "extension " + extension.Name;
                CheckName(where, "extension", extension.Name, add);
                if (!names.Add(extension.Name))
                    add(where, "extension is declared twice; an extension is installed once per database, in one schema");
                if (extension.Version is { } version && string.IsNullOrWhiteSpace(version))
                    add(where, "the version is empty; leave it out for the extension's default version");
            }
        }
    }
}

namespace Strata.CodeGeneration
{
    public sealed partial class CSharpSchemaWriter
    {
        // First among the kinds' declarations, in the file of the schema the extension puts its objects in (its scope names it).
        internal static readonly KindCode ExtensionDeclarations = Register(new(Order: 3,
            static (model, schema) => model.Extensions.Where(e => e.Schema == schema).Select(ExtensionCode)));

        private static string ExtensionCode(Extension extension)
        {
            var arguments = String(extension.Name);
            if (extension.Version is { } version)
                arguments += $", version: {String(version)}";
            if (extension.Comment is { } comment)
                arguments += $", comment: {String(comment, Statement)}";
            return $"{Statement}db.Extension({arguments});\n";
        }
    }
}
