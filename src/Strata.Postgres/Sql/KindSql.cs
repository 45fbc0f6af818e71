using Strata.Diffing;
using Strata.Model;

namespace Strata.Postgres.Sql;

/// <summary>
/// What a kind of object declared in its own file writes in SQL: a statement writer per change record of the kind,
/// and, for a kind that columns use as a type, how DDL names such a type. The kind's file registers one in a partial
/// part of <see cref="PostgresSqlGenerator"/>: <c>internal static readonly KindSql XSql = Register(new KindSql().Writes&lt;CreateX&gt;(…)…);</c>.
/// </summary>
internal sealed class KindSql
{
    private readonly List<ChangeWriter> _writers = [];

    /// <summary>The writers of the kind's change records, in the order they were added.</summary>
    internal IReadOnlyList<ChangeWriter> Writers => _writers;

    /// <summary>How DDL names a column type of the kind, when columns use the kind as a type.</summary>
    internal UserTypeSql? TypeName { get; private set; }

    /// <summary>
    /// Adds the statements of change record <typeparamref name="T"/>; <paramref name="describe"/> names the change in an
    /// error about its SQL (its kind and name; without it the error names the record's type).
    /// </summary>
    public KindSql Writes<T>(Action<T, List<SqlStatement>> write, Func<T, string>? describe = null) where T : SchemaChange
    {
        _writers.Add(new ChangeWriter(typeof(T), (change, output) => write((T)change, output),
            describe is null ? null : change => describe((T)change)));
        return this;
    }

    /// <summary>Columns use the kind as the type <paramref name="kind"/>; <paramref name="name"/> writes one's name (quoted, qualified, without array brackets).</summary>
    public KindSql NamesType(TypeKind kind, Func<ColumnType, string> name)
    {
        if (TypeName is not null)
            throw new InvalidOperationException($"A kind's SQL names one type kind; it already names {TypeName.Kind}.");
        TypeName = new UserTypeSql(kind, name);
        return this;
    }
}

/// <summary>The statements of one change record type (<paramref name="Change"/>) and how an error names such a change.</summary>
internal sealed record ChangeWriter(Type Change, Action<SchemaChange, List<SqlStatement>> Write, Func<SchemaChange, string>? Describe);

/// <summary>How DDL names a column type of <paramref name="Kind"/>.</summary>
internal sealed record UserTypeSql(TypeKind Kind, Func<ColumnType, string> Name);

/// <summary>The registered kinds' SQL: their change writers by the change record's type, and their type names.</summary>
internal sealed class KindSqlRegistry
{
    // Keyed by the record's exact type: change records are sealed, so no lookup walks a hierarchy.
    private readonly Dictionary<Type, ChangeWriter> _writers = [];
    private readonly UserTypeSql[] _typeNames;

    public KindSqlRegistry(IEnumerable<KindSql> kinds)
    {
        var typeNames = new List<UserTypeSql>();
        foreach (var kind in kinds)
        {
            foreach (var writer in kind.Writers)
            {
                if (!_writers.TryAdd(writer.Change, writer))
                    throw new InvalidOperationException($"Two kinds' SQL write the change {writer.Change.Name}.");
            }
            if (kind.TypeName is { } typeName)
            {
                if (typeNames.Exists(t => t.Kind == typeName.Kind))
                    throw new InvalidOperationException($"Two kinds' SQL name the type kind {typeName.Kind}.");
                typeNames.Add(typeName);
            }
        }
        _typeNames = [.. typeNames];
    }

    /// <summary>The writer of <paramref name="change"/>'s record type, or null when no registered kind writes it.</summary>
    public ChangeWriter? WriterOf(SchemaChange change) => _writers.TryGetValue(change.GetType(), out var writer) ? writer : null;

    /// <summary>The name in DDL of <paramref name="type"/> (no array brackets), or null when no registered kind names its kind.</summary>
    public string? TypeName(ColumnType type)
    {
        foreach (var typeName in _typeNames)
        {
            if (typeName.Kind == type.Kind)
                return typeName.Name(type);
        }
        return null;
    }
}
