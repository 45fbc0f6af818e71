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
        var domains = scopes.SelectMany(s => s.DomainBuilders).Select(d => d.Build()).ToList();

        var knownRelations = tables.Select(t => t.QualifiedName).Concat(views.Select(v => v.QualifiedName)).ToList();
        var model = new DatabaseModel(
            _schemaOrder.ToValueList(),
            enums.ToValueList(),
            sequences.ToValueList(),
            tables.ToValueList(),
            views.Select(v => v.Build(knownRelations)).ToValueList(),
            domains.ToValueList());

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
public class SchemaScope
{
    internal SchemaScope(string name) => Name = name;

    /// <summary>The PostgreSQL schema this scope declares objects in.</summary>
    public string Name { get; }

    internal List<TableBuilder> Tables { get; } = [];
    internal List<EnumType> EnumDeclarations { get; } = [];
    internal List<Sequence> SequenceDeclarations { get; } = [];
    internal List<ViewBuilder> ViewBuilders { get; } = [];
    internal List<DomainBuilder> DomainBuilders { get; } = [];

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

    /// <summary>
    /// Declares a domain over <paramref name="baseType"/> (a built-in type, an enum, an array or another
    /// domain); <paramref name="define"/> adds its NOT NULL, default, checks, collation and comment:
    /// <c>db.Domain("email", Types.Text, d =&gt; d.NotNull().Check("VALUE ~ '@'"))</c>. The returned type is what columns use.
    /// </summary>
    public ColumnType Domain(string name, ColumnType baseType, Action<DomainBuilder>? define = null)
    {
        var domain = new DomainBuilder(Name, name, baseType);
        DomainBuilders.Add(domain);
        define?.Invoke(domain);
        return new ColumnType(TypeKind.Domain, DomainName: new QualifiedName(Name, name));
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

/// <summary>What a domain has besides its base type; each method returns the builder, to chain them.</summary>
public sealed class DomainBuilder
{
    private readonly string _schema;
    private readonly string _name;
    private readonly ColumnType _baseType;
    private readonly List<CheckConstraint> _checks = [];
    private bool _notNull;
    private string? _default;
    private string? _collation;
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
        return this;
    }

    public DomainBuilder Comment(string comment)
    {
        _comment = comment;
        return this;
    }

    internal Domain Build() => new(_schema, _name, _baseType, _notNull, _default, _checks.ToValueList(), _collation, _comment);
}
