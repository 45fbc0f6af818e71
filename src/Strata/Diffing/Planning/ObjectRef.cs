namespace Strata.Diffing.Planning;

/// <summary>What a change can create, drop, alter or need: a database object or a name in one of PostgreSQL's namespaces.</summary>
internal enum DependencyKind
{
    Schema,
    /// <summary>A name in a schema's pg_class namespace (tables, views, sequences, indexes and the indexes of keys).</summary>
    RelationName,
    /// <summary>A name in a schema's pg_type namespace (enums, and the row types of tables and views).</summary>
    TypeName,
    Table,
    View,
    /// <summary>A user-defined type a column can have (an enum).</summary>
    Type,
    /// <summary>The columns of a table using a type, by the type's key in the old model: its drop waits until they let go.</summary>
    TypeUse,
    Sequence,
    /// <summary>A column's name within its table (<c>schema.table.column</c>, the table by its new name).</summary>
    Column,
    /// <summary>
    /// A table's columns as a whole, in their new form: what check, index and view expressions read until
    /// the columns they read are known (their dependencies read from PostgreSQL rather than the SQL text).
    /// </summary>
    Columns,
    /// <summary>A primary key, unique constraint or unique index a foreign key can reference: <c>schema.table(col,col)</c>, columns sorted.</summary>
    Key,
    /// <summary>A check or foreign key constraint's name within its table.</summary>
    Constraint,
}

/// <summary>An object or name a change acts on, e.g. (Table, "public.users").</summary>
internal readonly record struct ObjectRef(DependencyKind Kind, string Name)
{
    public override string ToString() => Kind switch
    {
        DependencyKind.RelationName => $"the relation name {Name}",
        DependencyKind.TypeName => $"the type name {Name}",
        DependencyKind.TypeUse => $"the columns of type {Name}",
        DependencyKind.Columns => $"the columns of {Name}",
        _ => $"{Kind.ToString().ToLowerInvariant()} {Name}",
    };
}

/// <summary>
/// What a change makes true: an object or name <see cref="Exists"/> (created, renamed to, or in a new form),
/// is <see cref="Gone"/> (dropped, renamed away, or its old form no longer there), or is
/// <see cref="Changed"/> in a way that what reads it cannot survive (a column dropped, renamed or retyped).
/// </summary>
internal enum FactState
{
    Exists,
    Gone,
    Changed,
}

internal readonly record struct Fact(FactState State, ObjectRef Object)
{
    public override string ToString() => State switch
    {
        FactState.Exists => $"{Object} exists",
        FactState.Gone => $"{Object} is gone",
        _ => $"{Object} changes",
    };
}
