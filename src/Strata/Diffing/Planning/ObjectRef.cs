using Strata.Model;

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
    /// <summary>A column within its table (the table by its new name): its name, and its new form once added, renamed or altered.</summary>
    Column,
    /// <summary>
    /// A table's columns as a whole, in their new form: what a check, index or view expression needs when the
    /// columns it reads are not known (a model built from the DSL, whose reads PostgreSQL has not recorded);
    /// one whose reads are known needs each <see cref="Column"/> it reads.
    /// </summary>
    Columns,
    /// <summary>A primary key, unique constraint or unique index a foreign key can reference: the table and its columns, sorted (<c>schema.table(col,col)</c>).</summary>
    Key,
    /// <summary>A check or foreign key constraint's name within its table.</summary>
    Constraint,
    /// <summary>A row-level security policy's name within its table (the table by its new name).</summary>
    Policy,
    /// <summary>A function or procedure by its schema and signature (<c>name(type,type)</c>).</summary>
    Function,
    /// <summary>A trigger's name within its table or view (the relation by its new name).</summary>
    Trigger,
    Role,
    /// <summary>A collation by its schema and name (a name in pg_collation's namespace).</summary>
    Collation,
}

/// <summary>
/// An object or name a change acts on, e.g. (Table, public.users) or (Column, public.users, "email"): a
/// schema-qualified name and, for what lives inside a table (columns, constraints, keys), the member's
/// name. Kept as the parts rather than one built string: a large diff states tens of thousands of these.
/// </summary>
internal readonly record struct ObjectRef(DependencyKind Kind, QualifiedName Object, string? Member = null)
{
    /// <summary>A schema by name (its <see cref="QualifiedName.Name"/> left empty).</summary>
    public static ObjectRef Schema(string schema) => new(DependencyKind.Schema, new QualifiedName(schema, ""));

    /// <summary>The name as messages show it: <c>public</c>, <c>public.users</c>, <c>public.users.email</c>, <c>public.orders(id)</c>.</summary>
    public string Name => Kind switch
    {
        DependencyKind.Schema => Object.Schema,
        DependencyKind.Key => $"{Object}({Member})",
        _ => Member is null ? Object.ToString() : $"{Object}.{Member}",
    };

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
