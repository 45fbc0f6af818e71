using Strata.Dsl;
using Strata.Model;

namespace Strata.IntegrationTests.Random;

// A mutable, deep-copyable description of a schema that the random generator grows and mutates.
// Expressions (checks, generated columns, partial and expression indexes, views) are kept as a
// template plus the columns they name, so that renaming or dropping a column updates or removes
// every expression that mentions it. The spec is replayed through the DSL, whose validation then
// proves that every generated schema is one a user could write.

internal sealed class SchemaSpec
{
    public List<string> Schemas { get; } = [];
    public List<EnumSpec> Enums { get; } = [];
    public List<SequenceSpec> Sequences { get; } = [];
    public List<TableSpec> Tables { get; } = [];
    public List<ViewSpec> Views { get; } = [];
    public List<DomainSpec> Domains { get; } = [];
    public List<FunctionSpec> Functions { get; } = [];
    public List<PartitionedSpec> Partitioned { get; } = [];
    public List<InheritanceSpec> Inherited { get; } = [];
    public List<AggregateSpec> Aggregates { get; } = [];
    public List<CollationSpec> Collations { get; } = [];

    public SchemaSpec Clone()
    {
        var copy = new SchemaSpec();
        copy.Schemas.AddRange(Schemas);
        copy.Enums.AddRange(Enums.Select(e => e with { Values = [.. e.Values] }));
        copy.Sequences.AddRange(Sequences);
        copy.Tables.AddRange(Tables.Select(t => t.Clone()));
        copy.Views.AddRange(Views.Select(v => v with { Columns = [.. v.Columns] }));
        copy.Domains.AddRange(Domains.Select(d => d with { Checks = [.. d.Checks] }));
        copy.Functions.AddRange(Functions);
        copy.Partitioned.AddRange(Partitioned.Select(p => p.Clone()));
        copy.Inherited.AddRange(Inherited.Select(i => i.Clone()));
        copy.Aggregates.AddRange(Aggregates);
        copy.Collations.AddRange(Collations);
        return copy;
    }

    public TableSpec? FindTable(QualifiedName name) => Tables.FirstOrDefault(t => t.QualifiedName == name);

    public ViewSpec? FindView(QualifiedName name) => Views.FirstOrDefault(v => v.QualifiedName == name);

    /// <summary>The column names of a table or view, for a view that reads it.</summary>
    public IReadOnlyList<string> ColumnsOf(QualifiedName relation) =>
        FindTable(relation)?.Columns.Select(c => c.Name).ToList() ?? FindView(relation)?.Columns ?? [];

    /// <summary>Builds the model through the DSL; a <see cref="SchemaValidationException"/> means the generator made a mistake.</summary>
    public DatabaseModel Build()
    {
        var db = new SchemaBuilder();
        foreach (var schema in Schemas)
            db.Schema(schema);
        foreach (var c in Collations)
            Scope(db, c.Schema).Collation(c.Name, c.Define);
        foreach (var e in Enums)
            Scope(db, e.Schema).Enum(e.Name, [.. e.Values]);
        foreach (var s in Sequences)
            Scope(db, s.Schema).Sequence(s.Name, s.Options);
        foreach (var d in Domains)
            Scope(db, d.Schema).Domain(d.Name, d.BaseType, builder =>
            {
                if (d.NotNull)
                    builder.NotNull();
                if (d.Default is { } defaultSql)
                    builder.DefaultSql(defaultSql);
                foreach (var (name, expression) in d.Checks)
                    builder.Check(expression, name);
                if (d.Comment is { } comment)
                    builder.Comment(comment);
            });
        foreach (var f in Functions)
            db.Function(f.Name, builder =>
            {
                builder.Argument("a", f.ArgumentType, f.Default).Returns(f.Result).Language(f.Language).Body(f.Body);
                if (f.Stable)
                    builder.Stable();
                if (f.Comment is { } comment)
                    builder.Comment(comment);
            });
        foreach (var aggregate in Aggregates)
        {
            var builder = db.Aggregate($"{aggregate.Name}(integer)", aggregate.Definition);
            if (aggregate.Comment is { } comment)
                builder.Comment(comment);
        }
        if (Tables.Any(t => t.Triggers.Count > 0))
            db.Function(TriggerSpec.Function, f => f.Returns(Types.Raw("trigger")).Language("plpgsql").Body(TriggerSpec.FunctionBody));
        foreach (var table in Tables)
            Scope(db, table.Schema).Table(table.Name, table.Define);
        foreach (var partitioned in Partitioned)
            partitioned.Declare(db);
        foreach (var family in Inherited)
            family.Declare(db);
        foreach (var view in Views)
        {
            var scope = Scope(db, view.Schema);
            var builder = view.Materialized ? scope.MaterializedView(view.Name, view.Definition) : scope.View(view.Name, view.Definition);
            if (view.Comment is { } comment)
                builder.Comment(comment);
        }
        return db.Build();
    }

    private static SchemaScope Scope(SchemaBuilder db, string schema) => schema == QualifiedName.DefaultSchema ? db : db.Schema(schema);

    public static string Quote(string name) => "\"" + name.Replace("\"", "\"\"") + "\"";

    public static string Quote(QualifiedName name) => Quote(name.Schema) + "." + Quote(name.Name);

    /// <summary>Fills <c>{0}</c>, <c>{1}</c>… of a template with the quoted column names.</summary>
    public static string Expand(string template, IReadOnlyList<string> columns) =>
        string.Format(System.Globalization.CultureInfo.InvariantCulture, template, columns.Select(Quote).ToArray<object>());
}

internal sealed record EnumSpec(string Schema, string Name, List<string> Values)
{
    public QualifiedName QualifiedName => new(Schema, Name);
}

/// <summary>A domain; its checks are (name, expression over VALUE).</summary>
/// <summary>A function of one argument in schema public (a sql or plpgsql body); overloads differ by <see cref="ArgumentType"/>.</summary>
internal sealed record FunctionSpec(string Name, ColumnType ArgumentType, ColumnType Result, string Language, string Body, bool Stable, string? Default, string? Comment);

internal sealed record DomainSpec(string Schema, string Name, ColumnType BaseType, bool NotNull, string? Default, List<(string Name, string Expression)> Checks, string? Comment)
{
    public QualifiedName QualifiedName => new(Schema, Name);

    public ColumnType Type => new(TypeKind.Domain, DomainName: QualifiedName);
}

internal sealed record SequenceSpec(string Schema, string Name, SequenceOptions Options);

/// <summary>An expression over some columns: <see cref="Template"/> with <c>{0}</c>… standing for them.</summary>
internal sealed record Expression(string Template, List<string> Columns)
{
    public string Sql => SchemaSpec.Expand(Template, Columns);

    public Expression Copy() => this with { Columns = [.. Columns] };
}

internal sealed class ColumnSpec
{
    public required string Name { get; set; }
    public required ColumnType Type { get; set; }
    public bool NotNull { get; set; }
    public string? Default { get; set; }
    public Identity? Identity { get; set; }
    public Expression? Generated { get; set; }
    public string? Comment { get; set; }
    public string? Collation { get; set; }
    /// <summary>The schema of a declared collation (<see cref="SchemaSpec.Collations"/>); null for pg_catalog's and public's.</summary>
    public string? CollationSchema { get; set; }

    public ColumnSpec Clone() => new()
    {
        Name = Name, Type = Type, NotNull = NotNull, Default = Default, Identity = Identity, Generated = Generated?.Copy(), Comment = Comment,
        Collation = Collation, CollationSchema = CollationSchema,
    };
}

internal sealed record KeySpec(string Name, List<string> Columns, bool NullsNotDistinct = false)
{
    /// <summary>Storage parameters of the key's index, <c>name=value</c> (<see cref="RandomIndexKeys"/>).</summary>
    public List<string> Options { get; init; } = [];

    public KeySpec Copy() => this with { Columns = [.. Columns], Options = [.. Options] };
}

internal sealed record ForeignKeySpec(
    string Name,
    List<string> Columns,
    QualifiedName Target,
    List<string> TargetColumns,
    ReferentialAction OnDelete,
    ReferentialAction OnUpdate,
    bool Deferrable,
    bool InitiallyDeferred)
{
    public ForeignKeySpec Copy() => this with { Columns = [.. Columns], TargetColumns = [.. TargetColumns] };
}

/// <summary>One index key: a column, or an expression over columns.</summary>
internal sealed record IndexKeySpec(string? Column, Expression? Expression, bool Descending, NullsOrder Nulls)
{
    /// <summary>The key's own COLLATE and its schema (<see cref="RandomIndexKeys"/>).</summary>
    public (string Name, string? Schema)? Collation { get; init; }

    public IEnumerable<string> Columns => Column is not null ? [Column] : Expression!.Columns;

    public IndexKeySpec Copy() => this with { Expression = Expression?.Copy() };
}

internal sealed record IndexSpec(
    string Name,
    List<IndexKeySpec> Keys,
    bool Unique,
    string Method,
    List<string> Include,
    Expression? Where,
    bool Concurrently)
{
    public IEnumerable<string> Columns => Keys.SelectMany(k => k.Columns).Concat(Include).Concat(Where?.Columns ?? []);

    /// <summary>Storage parameters, <c>name=value</c>; replaced as a whole, never changed in place.</summary>
    public List<string> Options { get; init; } = [];

    public IndexSpec Copy() => this with { Keys = Keys.Select(k => k.Copy()).ToList(), Include = [.. Include], Where = Where?.Copy(), Options = [.. Options] };
}

internal sealed class TableSpec
{
    public required string Schema { get; set; }
    public required string Name { get; set; }
    public List<ColumnSpec> Columns { get; init; } = [];
    public KeySpec? PrimaryKey { get; set; }
    public List<KeySpec> Uniques { get; init; } = [];
    public List<(string Name, Expression Expression)> Checks { get; init; } = [];
    public List<ForeignKeySpec> ForeignKeys { get; init; } = [];
    public List<IndexSpec> Indexes { get; init; } = [];
    public string? Comment { get; set; }
    public bool RowSecurity { get; set; }
    public bool ForceRowSecurity { get; set; }
    public List<PolicySpec> Policies { get; init; } = [];
    public List<ExclusionSpec> Exclusions { get; init; } = [];
    public List<TriggerSpec> Triggers { get; init; } = [];
    /// <summary>Storage parameters, <c>name=value</c>.</summary>
    public List<string> Options { get; set; } = [];

    public QualifiedName QualifiedName => new(Schema, Name);

    public ColumnSpec? Find(string column) => Columns.FirstOrDefault(c => c.Name == column);

    public TableSpec Clone() => new()
    {
        Schema = Schema,
        Name = Name,
        Columns = Columns.Select(c => c.Clone()).ToList(),
        PrimaryKey = PrimaryKey?.Copy(),
        Uniques = Uniques.Select(u => u.Copy()).ToList(),
        Checks = Checks.Select(c => (c.Name, c.Expression.Copy())).ToList(),
        ForeignKeys = ForeignKeys.Select(f => f.Copy()).ToList(),
        Indexes = Indexes.Select(i => i.Copy()).ToList(),
        Comment = Comment,
        RowSecurity = RowSecurity,
        ForceRowSecurity = ForceRowSecurity,
        Policies = [.. Policies],
        Exclusions = [.. Exclusions],
        Triggers = [.. Triggers],
        Options = [.. Options],
    };

    public void Define(TableBuilder t)
    {
        foreach (var column in Columns)
        {
            var c = t.Column(column.Name, column.Type);
            if (column.NotNull)
                c.NotNull();
            if (column.Default is { } value)
                c.DefaultSql(value);
            if (column.Identity is { } identity)
                c.Identity(identity.Generation, identity.Options);
            if (column.Generated is { } generated)
                c.GeneratedAs(generated.Sql);
            if (column.Comment is { } comment)
                c.Comment(comment);
            if (column.Collation is { } collation)
            {
                if (column.CollationSchema is { } collationSchema)
                    c.Collate(collationSchema, collation);
                else
                    c.Collate(collation);
            }
        }
        if (PrimaryKey is { } pk)
            t.PrimaryKeyNamed(pk.Name, [.. pk.Columns]);
        foreach (var option in PrimaryKey?.Options ?? [])
            t.PrimaryKeyWith(option[..option.IndexOf('=')], option[(option.IndexOf('=') + 1)..]);
        foreach (var unique in Uniques)
        {
            var u = t.Unique([.. unique.Columns]).Named(unique.Name);
            if (unique.NullsNotDistinct)
                u.NullsNotDistinct();
            foreach (var option in unique.Options)
                u.With(option[..option.IndexOf('=')], option[(option.IndexOf('=') + 1)..]);
        }
        foreach (var (name, expression) in Checks)
            t.Check(name, expression.Sql);
        foreach (var fk in ForeignKeys)
        {
            var f = t.ForeignKey([.. fk.Columns]).References(fk.Target, [.. fk.TargetColumns]).Named(fk.Name).OnDelete(fk.OnDelete).OnUpdate(fk.OnUpdate);
            if (fk.Deferrable)
                f.Deferrable(fk.InitiallyDeferred);
        }
        foreach (var index in Indexes)
        {
            var keys = index.Keys.Select(k =>
            {
                var key = k.Column is not null ? IndexKey.Column(k.Column) : IndexKey.Expression(k.Expression!.Sql);
                if (k.Descending)
                    key.Desc();
                if (k.Nulls == NullsOrder.First)
                    key.NullsFirst();
                else if (k.Nulls == NullsOrder.Last)
                    key.NullsLast();
                if (k.Collation is { } keyCollation)
                    key.Collate(new QualifiedName(keyCollation.Schema ?? QualifiedName.DefaultSchema, keyCollation.Name));
                return key;
            }).ToArray();
            var i = t.Index(keys).Named(index.Name).Using(index.Method);
            if (index.Unique)
                i.Unique();
            if (index.Include.Count > 0)
                i.Include([.. index.Include]);
            if (index.Where is { } where)
                i.Where(where.Sql);
            if (index.Concurrently)
                i.Concurrently();
            foreach (var option in index.Options)
                i.With(option[..option.IndexOf('=')], option[(option.IndexOf('=') + 1)..]);
        }
        foreach (var option in Options)
            t.With(option[..option.IndexOf('=')], option[(option.IndexOf('=') + 1)..]);
        foreach (var exclusion in Exclusions)
        {
            var x = t.Exclude("btree", e => e.Column(exclusion.Column, "=")).Named(exclusion.Name);
            if (exclusion.Deferrable)
                x.Deferrable();
        }
        if (RowSecurity || ForceRowSecurity)
            t.RowLevelSecurity(ForceRowSecurity, RowSecurity);
        foreach (var policy in Policies)
        {
            t.Policy(policy.Name, p =>
            {
                p.For(policy.Command);
                if (policy.Using is { } usingSql)
                    p.Using(usingSql);
                if (policy.WithCheck is { } check)
                    p.WithCheck(check);
                if (!policy.Permissive)
                    p.Restrictive();
                if (policy.Comment is { } comment)
                    p.Comment(comment);
            });
        }
        foreach (var trigger in Triggers)
        {
            t.Trigger(trigger.Name, tr =>
            {
                if (trigger.Before)
                    tr.Before();
                foreach (var triggerEvent in trigger.Events)
                {
                    _ = triggerEvent switch
                    {
                        TriggerEvent.Insert => tr.OnInsert(),
                        TriggerEvent.Update => tr.OnUpdate(),
                        TriggerEvent.Delete => tr.OnDelete(),
                        _ => tr.OnTruncate(),
                    };
                }
                if (trigger.ForEachRow)
                    tr.ForEachRow();
                tr.Execute(new FunctionReference(QualifiedName.DefaultSchema, TriggerSpec.Function), [.. trigger.Arguments]).Enabled(trigger.Enabled);
                if (trigger.Comment is { } comment)
                    tr.Comment(comment);
            });
        }
        if (Comment is { } tableComment)
            t.Comment(tableComment);
    }
}

/// <summary>An exclusion constraint <c>EXCLUDE USING btree (column WITH =)</c>, a unique key by another name, which needs no extension.</summary>
internal sealed record ExclusionSpec(string Name, string Column, bool Deferrable);

/// <summary>A collation of the schema's own: libc (<see cref="Locale"/>, or LC_COLLATE C with LC_CTYPE POSIX) or ICU, deterministic or not.</summary>
internal sealed record CollationSpec(string Schema, string Name, bool Icu, string? Locale, bool Deterministic)
{
    public QualifiedName QualifiedName => new(Schema, Name);

    public void Define(CollationBuilder c)
    {
        if (Icu)
            c.Provider("icu").Locale(Locale!).Deterministic(Deterministic);
        else if (Locale is { } locale)
            c.Locale(locale);
        else
            c.LcCollate("C").LcCtype("POSIX");
    }
}
/// <summary>
/// A trigger running the schema's one random trigger function; it reads no column (no UPDATE OF, no WHEN), so column
/// changes never touch it. TRUNCATE only for each statement, as PostgreSQL requires.
/// </summary>
internal sealed record TriggerSpec(string Name, bool Before, List<TriggerEvent> Events, bool ForEachRow, List<string> Arguments, TriggerEnabled Enabled, string? Comment)
{
    public const string Function = "random_trigger";

    public const string FunctionBody = "BEGIN\n  IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;\n  RETURN NEW;\nEND";
}

/// <summary>A row-level security policy for every role; its expressions read no column, so column changes never touch it.</summary>
internal sealed record PolicySpec(string Name, PolicyCommand Command, bool Permissive, string? Using, string? WithCheck, string? Comment);

/// <summary>A view that selects some columns of one table or view.</summary>
internal sealed record ViewSpec(string Schema, string Name, bool Materialized, QualifiedName Source, List<string> Columns, string? Filter, string? Comment)
{
    public QualifiedName QualifiedName => new(Schema, Name);

    public string Definition =>
        $"SELECT {string.Join(", ", Columns.Select(SchemaSpec.Quote))} FROM {SchemaSpec.Quote(Source)}"
        + (Filter is { } column && Columns.Contains(column) ? $" WHERE {SchemaSpec.Quote(column)} IS NOT NULL" : "");
}

/// <summary>An aggregate over integers built from built-in functions, its definition as PostgreSQL prints it.</summary>
internal sealed record AggregateSpec(string Name, string Definition, string? Comment);
