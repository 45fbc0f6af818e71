using Strata.Model;
using Index = Strata.Model.Index;

namespace Strata.Diffing;

/// <summary>
/// One step of a migration. The changes of schemas, enums, sequences, tables, columns, constraints, indexes,
/// views and comments are below; another kind declares its own next to its part of the differ
/// (<c>DiffRun.&lt;Kind&gt;.cs</c>), and the SQL generator handles each. Names in a change are the names the object
/// has when the step runs (drops come before renames and use old names; everything after the renames uses new names).
/// </summary>
public abstract record SchemaChange;

/// <summary>
/// A user type (<see cref="ColumnType.IsUserType"/>) re-created under its name because PostgreSQL cannot alter it in place: the old
/// type steps aside as <see cref="TemporaryType"/>, the new one is created and the <see cref="Columns"/> of the old
/// are converted to it; a later <see cref="ITypeDrop"/> of the temporary type removes it.
/// </summary>
public interface ITypeRecreation
{
    /// <summary>The type created again, by its name in the new model.</summary>
    QualifiedName Type { get; }

    QualifiedName TemporaryType { get; }

    ValueList<EnumColumnUse> Columns { get; }
}

/// <summary>CREATE of a user type (<see cref="ColumnType.IsUserType"/>) of any kind, under its name in the new model.</summary>
public interface ITypeCreation
{
    QualifiedName Type { get; }
}

/// <summary>
/// A rename of a user type (<see cref="ColumnType.IsUserType"/>) and/or its move to another schema: the type namespace of pg_type,
/// in which <see cref="RenameOrder"/> orders chains and swaps and the differ plans each alike.
/// </summary>
public interface ITypeRename
{
    QualifiedName From { get; }

    QualifiedName To { get; }

    /// <summary>The same rename between other names (a swap goes through a temporary name).</summary>
    SchemaChange Between(QualifiedName from, QualifiedName to);
}

/// <summary>DROP of a user type (<see cref="ColumnType.IsUserType"/>), by its name when the drop runs.</summary>
public interface ITypeDrop
{
    QualifiedName Type { get; }
}

public sealed record CreateSchema(string Name) : SchemaChange;

public sealed record DropSchema(string Name) : SchemaChange;

public sealed record RenameSchema(string From, string To) : SchemaChange;

public sealed record CreateEnum(EnumType Enum) : SchemaChange, ITypeCreation
{
    QualifiedName ITypeCreation.Type => Enum.QualifiedName;
}

public sealed record DropEnum(EnumType Enum) : SchemaChange, ITypeDrop
{
    QualifiedName ITypeDrop.Type => Enum.QualifiedName;
}

/// <summary>Renames an enum type and/or moves it to another schema.</summary>
public sealed record RenameEnum(QualifiedName From, QualifiedName To) : SchemaChange, ITypeRename
{
    SchemaChange ITypeRename.Between(QualifiedName from, QualifiedName to) => this with { From = from, To = to };
}

/// <summary>ALTER TYPE … ADD VALUE, placed before or after an existing value (both null: appended at the end).</summary>
public sealed record AddEnumValue(QualifiedName Enum, string Value, string? Before = null, string? After = null) : SchemaChange;

/// <summary>A column whose user type is being re-created (<see cref="ITypeRecreation"/>), converted through text to the new type.</summary>
/// <param name="Type">The column's type (the enum itself or an array of it).</param>
/// <param name="OldDefault">The default to drop before the conversion, if any.</param>
/// <param name="NewDefault">The default to set after it, if any.</param>
public sealed record EnumColumnUse(QualifiedName Table, string Column, ColumnType Type, string? OldDefault, string? NewDefault);

/// <summary>
/// An enum whose values were removed or reordered: the old type is renamed to <see cref="TemporaryName"/>,
/// the new one created and every column in <see cref="Columns"/> converted; a later <see cref="DropEnum"/>
/// removes the temporary type.
/// </summary>
/// <param name="RemovedValues">Values the new type lacks: rows holding them make the conversion fail (nothing is lost silently).</param>
public sealed record RecreateEnum(EnumType From, EnumType To, string TemporaryName, ValueList<EnumColumnUse> Columns, ValueList<string> RemovedValues) : SchemaChange, ITypeRecreation
{
    QualifiedName ITypeRecreation.Type => To.QualifiedName;

    QualifiedName ITypeRecreation.TemporaryType => new(To.Schema, TemporaryName);
}

public sealed record CreateSequence(Sequence Sequence) : SchemaChange;

public sealed record DropSequence(Sequence Sequence) : SchemaChange;

public sealed record AlterSequence(Sequence From, Sequence To) : SchemaChange;

/// <summary>Renames a sequence and/or moves it to another schema (also the sequences identity and serial columns own).</summary>
public sealed record RenameSequence(QualifiedName From, QualifiedName To) : SchemaChange;

/// <summary>CREATE TABLE with its columns, primary key, unique and check constraints (foreign keys and indexes are separate changes).</summary>
public sealed record CreateTable(Table Table) : SchemaChange;

public sealed record DropTable(Table Table) : SchemaChange;

/// <summary>ALTER TABLE … SET UNLOGGED (or SET LOGGED, which writes the whole table to the WAL).</summary>
public sealed record SetTableLogging(QualifiedName Table, bool Unlogged) : SchemaChange;

/// <summary>ALTER TABLE … INHERIT parent (<paramref name="Inherit"/>) or NO INHERIT parent: the table must already have the parent's columns.</summary>
public sealed record SetTableInheritance(QualifiedName Table, QualifiedName Parent, bool Inherit) : SchemaChange;

/// <summary>What <see cref="SetOptions"/> alters: the keyword after ALTER.</summary>
public enum OptionsOf
{
    Table,
    Index,
    View,
    MaterializedView,
}

/// <summary>
/// ALTER TABLE | INDEX | VIEW | MATERIALIZED VIEW … SET (<paramref name="Set"/>, each <c>name=value</c>) and RESET
/// (<paramref name="Reset"/>, names): storage parameters or view options changed in place, without a rebuild.
/// </summary>
public sealed record SetOptions(OptionsOf Kind, QualifiedName Relation, ValueList<string> Set, ValueList<string> Reset) : SchemaChange;

/// <summary>Renames a table and/or moves it to another schema (ALTER TABLE … SET SCHEMA).</summary>
public sealed record RenameTable(QualifiedName From, QualifiedName To) : SchemaChange;

public sealed record AddColumn(QualifiedName Table, Column Column) : SchemaChange;

public sealed record DropColumn(QualifiedName Table, Column Column) : SchemaChange;

public sealed record RenameColumn(QualifiedName Table, string From, string To) : SchemaChange;

/// <summary>What about a column changed; the generator emits one clause per flag.</summary>
[Flags]
public enum ColumnChanges
{
    None = 0,
    Type = 1,
    Nullability = 2,
    Default = 4,
    Identity = 8,
    Generated = 16,
    Comment = 32,
}

/// <summary>A column altered in place. <see cref="From"/> carries the new name already (renames run earlier).</summary>
public sealed record AlterColumn(QualifiedName Table, Column From, Column To, ColumnChanges Changes) : SchemaChange;

public sealed record AddPrimaryKey(QualifiedName Table, PrimaryKey PrimaryKey) : SchemaChange;

public sealed record DropPrimaryKey(QualifiedName Table, PrimaryKey PrimaryKey) : SchemaChange;

public sealed record AddUnique(QualifiedName Table, UniqueConstraint Unique) : SchemaChange;

public sealed record DropUnique(QualifiedName Table, UniqueConstraint Unique) : SchemaChange;

public sealed record AddCheck(QualifiedName Table, CheckConstraint Check) : SchemaChange;

public sealed record DropCheck(QualifiedName Table, CheckConstraint Check) : SchemaChange;

public sealed record AddForeignKey(QualifiedName Table, ForeignKey ForeignKey) : SchemaChange;

public sealed record DropForeignKey(QualifiedName Table, ForeignKey ForeignKey) : SchemaChange;

/// <summary>Renames a check or foreign key constraint whose definition did not change (keys are renamed as their index, <see cref="RenameIndex"/>).</summary>
public sealed record RenameConstraint(QualifiedName Table, string From, string To) : SchemaChange;

public sealed record CreateIndex(QualifiedName Table, Index Index) : SchemaChange;

public sealed record DropIndex(QualifiedName Table, Index Index) : SchemaChange;

/// <summary>
/// Renames an index whose definition did not change, or the index of a primary key or unique
/// constraint (PostgreSQL renames the constraint with it); <see cref="Table"/> gives its schema.
/// </summary>
public sealed record RenameIndex(QualifiedName Table, string From, string To) : SchemaChange;

public sealed record CreateView(View View) : SchemaChange;

public sealed record DropView(View View) : SchemaChange;

/// <summary>
/// What a <see cref="SetComment"/> is on: the kind by its name (<see cref="ToString"/>, as messages print it) and the
/// words of COMMENT ON that name it. A kind of object that takes comments declares its own target next to its
/// changes, in a partial part of this record.
/// </summary>
/// <param name="Keyword">What follows COMMENT ON, before the object's name: <c>TABLE</c>, <c>MATERIALIZED VIEW</c>.</param>
public sealed partial record CommentTarget(string Name, string Keyword)
{
    public static CommentTarget Table { get; } = new(nameof(Table), "TABLE");

    /// <summary>A column of <see cref="SetComment.Object"/>, named by <see cref="SetComment.Column"/>.</summary>
    public static CommentTarget Column { get; } = new(nameof(Column), "COLUMN");

    public static CommentTarget Enum { get; } = new(nameof(Enum), "TYPE");

    public static CommentTarget Sequence { get; } = new(nameof(Sequence), "SEQUENCE");

    public static CommentTarget View { get; } = new(nameof(View), "VIEW");

    public static CommentTarget MaterializedView { get; } = new(nameof(MaterializedView), "MATERIALIZED VIEW");

    /// <summary>A constraint of the table <see cref="SetComment.Object"/>, named by <see cref="SetComment.Column"/>: COMMENT ON CONSTRAINT c ON t.</summary>
    public static CommentTarget Constraint { get; } = new(nameof(Constraint), "CONSTRAINT");

    /// <summary>An index, <see cref="SetComment.Object"/> its schema-qualified name (a key's index is commented as its constraint).</summary>
    public static CommentTarget Index { get; } = new(nameof(Index), "INDEX");

    public override string ToString() => Name;
}

/// <summary>COMMENT ON … IS '…' (null removes it). <see cref="Column"/> is set only for a column's comment (the column) and a constraint's (the constraint).</summary>
public sealed record SetComment(CommentTarget Target, QualifiedName Object, string? Column, string? Comment) : SchemaChange;
