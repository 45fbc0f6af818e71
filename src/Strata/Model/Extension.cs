namespace Strata.Model;

/// <summary>
/// A PostgreSQL extension (CREATE EXTENSION): database-wide, named without a schema, its objects (types such as
/// citext, functions, operators) put in <see cref="Schema"/>. The extension's own objects are never modelled: they
/// come and go with it.
/// </summary>
/// <param name="Schema">Where the extension puts its objects (WITH SCHEMA).</param>
/// <param name="Version">A version other than the default one of the extension's control file; null for the default (what CREATE EXTENSION without VERSION installs).</param>
/// <param name="Comment">A comment other than the one the extension's control file gives it; null for that one.</param>
public sealed record Extension(string Name, string Schema = QualifiedName.DefaultSchema, string? Version = null, string? Comment = null)
{
    /// <summary>The name in the model's order and the schema filter: (schema, name). Extension names are unique in a database.</summary>
    public QualifiedName QualifiedName => new(Schema, Name);
}

/// <summary>The extensions of a model.</summary>
public sealed partial record DatabaseModel
{
    /// <summary>The model's extensions, by schema and name once normalised.</summary>
    public ValueList<Extension> Extensions { get; init; }

    public Extension? FindExtension(string name) => Extensions.FirstOrDefault(e => e.Name == name);

    /// <summary>
    /// The model with only the extensions <paramref name="declared"/> has too: an extension a live database has and the
    /// schema does not declare (one the server comes with, another application's) is not the schema's to drop, so push
    /// and the drift check leave it out. (generate compares snapshots: an extension removed from the schema is dropped.)
    /// </summary>
    public DatabaseModel WithExtensionsDeclaredIn(DatabaseModel declared) =>
        Extensions.All(e => declared.FindExtension(e.Name) is not null)
            ? this
            : this with { Extensions = Extensions.Where(e => declared.FindExtension(e.Name) is not null).ToValueList() };

    // First in pull's summary: the other objects may use what an extension provides.
    internal static readonly ExtensionKind ExtensionsKind = Register(new ExtensionKind());

    internal sealed class ExtensionKind() : ModelKind<Extension>(5, "extensions", "extension", "extensions")
    {
        protected override ValueList<Extension> Items(DatabaseModel model) => model.Extensions;

        protected override DatabaseModel With(DatabaseModel model, ValueList<Extension> items) => model with { Extensions = items };

        protected override QualifiedName NameOf(Extension item) => item.QualifiedName;
    }
}
