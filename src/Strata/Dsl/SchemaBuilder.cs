using Strata.Model;

namespace Strata.Dsl;

/// <summary>
/// The entry point of the DSL. Objects declared directly on it live in the <c>public</c> schema;
/// <see cref="Schema"/> gives a scope for another one. <see cref="Build()"/> validates everything at once
/// and returns the model.
/// </summary>
public sealed class SchemaBuilder : SchemaScope
{
    private readonly Dictionary<string, SchemaScope> _scopes = new(StringComparer.Ordinal);
    private readonly List<string> _schemaOrder = [];

    public SchemaBuilder() : base(QualifiedName.DefaultSchema) => _scopes[QualifiedName.DefaultSchema] = this;

    /// <summary>Declares the schema (CREATE SCHEMA) and returns a scope whose objects live in it.</summary>
    public SchemaScope Schema(string name)
    {
        if (!_scopes.TryGetValue(name, out var scope))
        {
            scope = new SchemaScope(name);
            _scopes[name] = scope;
            _schemaOrder.Add(name);
        }
        return scope;
    }

    /// <summary>Builds and validates the model; every problem is reported at once in a <see cref="SchemaValidationException"/>.</summary>
    public DatabaseModel Build()
    {
        var scopes = _scopes.Values.ToList();
        var enums = scopes.SelectMany(s => s.EnumDeclarations).ToList();
        var sequences = scopes.SelectMany(s => s.SequenceDeclarations).ToList();
        var tables = scopes.SelectMany(s => s.Tables).Select(t => t.Build()).ToList();
        var views = scopes.SelectMany(s => s.ViewBuilders).ToList();

        var knownRelations = tables.Select(t => t.QualifiedName).Concat(views.Select(v => v.QualifiedName)).ToList();
        var model = scopes.Aggregate(new DatabaseModel(
            _schemaOrder.ToValueList(),
            enums.ToValueList(),
            sequences.ToValueList(),
            tables.ToValueList(),
            views.Select(v => v.Build(knownRelations)).ToValueList()), (built, scope) => scope.WithAdditions(built));

        var errors = SchemaValidator.Validate(model, scopes.SelectMany(s => s.Tables).SelectMany(t => t.DeclarationErrors));
        if (errors.Count > 0)
            throw new SchemaValidationException(errors);
        return model.Normalize();
    }

    /// <summary>Runs a schema definition and builds its model.</summary>
    public static DatabaseModel Build(ISchemaDefinition definition)
    {
        var builder = new SchemaBuilder();
        definition.Define(builder);
        return builder.Build();
    }
}

/// <summary>Declares objects in one PostgreSQL schema.</summary>
/// <remarks>
/// A kind of object other than tables, enums, sequences and views declares its method in its own file, a partial
/// part of this class next to the kind's builder and rules, and adds what it declared to the model through
/// <see cref="AddToModel"/>: this file names no such kind.
/// </remarks>
public partial class SchemaScope
{
    internal SchemaScope(string name) => Name = name;

    /// <summary>The PostgreSQL schema this scope declares objects in.</summary>
    public string Name { get; }

    internal List<TableBuilder> Tables { get; } = [];
    internal List<EnumType> EnumDeclarations { get; } = [];
    internal List<Sequence> SequenceDeclarations { get; } = [];
    internal List<ViewBuilder> ViewBuilders { get; } = [];
    private readonly List<Func<DatabaseModel, DatabaseModel>> _modelAdditions = [];

    /// <summary>Adds to the model what a declaration of another kind declared, when the model is built (in declaration order).</summary>
    private void AddToModel(Func<DatabaseModel, DatabaseModel> addition) => _modelAdditions.Add(addition);

    /// <summary><paramref name="model"/> with what the scope's declarations of other kinds add to it.</summary>
    internal DatabaseModel WithAdditions(DatabaseModel model) =>
        Tables.Aggregate(_modelAdditions.Aggregate(model, (built, add) => add(built)), (built, table) => table.WithAdditions(built));

    /// <summary>Declares a table; <paramref name="define"/> adds its columns, keys and indexes.</summary>
    public TableBuilder Table(string name, Action<TableBuilder> define)
    {
        var table = new TableBuilder(Name, name);
        Tables.Add(table);
        define(table);
        return table;
    }

    /// <summary>Declares an enum type; the returned type is what columns use. The order of values is the sort order.</summary>
    public ColumnType Enum(string name, params string[] values) => Enum(name, values, comment: null);

    public ColumnType Enum(string name, IEnumerable<string> values, string? comment)
    {
        EnumDeclarations.Add(new EnumType(Name, name, values.ToValueList(), comment));
        return new ColumnType(TypeKind.Enum, EnumName: new QualifiedName(Name, name));
    }

    /// <summary>Declares a stand-alone sequence (use an identity column for a table's own counter).</summary>
    public void Sequence(string name, SequenceOptions? options = null, string? comment = null) =>
        SequenceDeclarations.Add(new Sequence(Name, name, options ?? SequenceOptions.Default, comment));

    /// <summary>Declares a view over <paramref name="query"/>. Tables and views it names are found in the query; add others with <see cref="ViewBuilder.DependsOn(string)"/>.</summary>
    public ViewBuilder View(string name, string query)
    {
        var view = new ViewBuilder(Name, name, query, materialized: false);
        ViewBuilders.Add(view);
        return view;
    }

    /// <summary>Declares a materialized view over <paramref name="query"/>.</summary>
    public ViewBuilder MaterializedView(string name, string query)
    {
        var view = new ViewBuilder(Name, name, query, materialized: true);
        ViewBuilders.Add(view);
        return view;
    }

    /// <summary>
    /// Declares a materialized view over <paramref name="query"/>; <paramref name="define"/> adds its indexes
    /// (and dependencies or comment), as a table's lambda does: <c>v =&gt; v.Index("id").Unique()</c>.
    /// </summary>
    public ViewBuilder MaterializedView(string name, string query, Action<ViewBuilder> define)
    {
        var view = MaterializedView(name, query);
        define(view);
        return view;
    }
}
