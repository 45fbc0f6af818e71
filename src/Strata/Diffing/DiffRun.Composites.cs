using Strata.Diffing.Planning;
using Strata.Model;

namespace Strata.Diffing;

/// <summary>
/// Composite types: created after the types of their fields and before the columns that use them, renamed, their
/// fields added, dropped and retyped in place (ALTER TYPE … ADD/DROP/ALTER ATTRIBUTE) while no table column uses them
/// (PostgreSQL refuses all three then), else re-created with those columns converted, and dropped once nothing uses
/// them. The changes this part plans are declared at the end of the file.
/// </summary>
internal sealed partial class DiffRun
{
    // Matched, re-created over re-created types and compared after the other user types (order 13): they share pg_type's namespace.
    internal static readonly DiffPart MatchCompositesPart = Part(DiffPhase.MatchTypes, order: 13, static run => run.MatchComposites());
    internal static readonly DiffPart RecreateCompositesPart = Part(DiffPhase.TypesRecreated, order: 13, static run => run.RecreateCompositesOverRecreatedTypes());
    internal static readonly DiffPart DiffCompositesPart = Part(DiffPhase.DiffTypes, order: 13, static run => run.DiffComposites());
    internal static readonly UserTypePart CompositeTypes = TypePart(new(order: 13,
        static (model, names) => AddCompositeNames(model, names),
        static (_, _) => [],
        static (_, _) => []));

    // After the other user types (a field may be of one), before the tables; dropped with them.
    private const int CompositeRank = ChangeRank.Creates + 160;
    private const int DropCompositeRank = ChangeRank.Releases + 60;

    /// <summary>The matched composite types (old, new), from <see cref="MatchComposites"/> on.</summary>
    private List<(CompositeType Old, CompositeType New)> _compositePairs = [];

    private void MatchComposites()
    {
        var pairs = _compositePairs = MatchByName(ObjectKind.Composite, _old.Composites, _new.Composites, c => c.QualifiedName, _typeMap, out var dropped, out var added);
        foreach (var composite in dropped)
        {
            var name = MapSchema(composite.QualifiedName);
            if (NewTypeNames.Contains(name))
            {
                var aside = name with { Name = DroppedName(name.Name) };
                _typeRenames.Add(new RenameComposite(name, aside));
                name = aside;
            }
            PlanDropComposite(composite.QualifiedName, composite with { Schema = name.Schema, Name = name.Name });
        }
        foreach (var composite in added)
            PlanCreateComposite(composite);

        // The types whose values tables store: PostgreSQL alters none of their fields then.
        var stored = new HashSet<QualifiedName>();
        foreach (var table in _old.Tables)
        {
            foreach (var column in table.Columns)
            {
                if (MapType(column.Type).UserTypeName is { } type)
                    stored.Add(type);
            }
        }
        for (var grew = true; grew;)
        {
            grew = false;
            foreach (var composite in _old.Composites)
            {
                if (!stored.Contains(MapTypeName(composite.QualifiedName)))
                    continue;
                foreach (var field in composite.Fields)
                {
                    if (MapType(field.Type).UserTypeName is { } type && stored.Add(type))
                        grew = true;
                }
            }
        }
        foreach (var (old, composite) in pairs)
        {
            if (stored.Contains(composite.QualifiedName) && !TranslateComposite(old).Fields.SequenceEqual(composite.Fields))
                _recreatedEnums.Add(composite.QualifiedName);
        }
    }

    /// <summary>A composite type with a field of a re-created type is re-created too: the old type cannot be dropped while a field has it.</summary>
    private void RecreateCompositesOverRecreatedTypes()
    {
        for (var grew = true; grew;)
        {
            grew = false;
            foreach (var (_, composite) in _compositePairs)
            {
                if (!_recreatedEnums.Contains(composite.QualifiedName)
                    && composite.Fields.Any(f => f.Type.UserTypeName is { } type && _recreatedEnums.Contains(type)))
                {
                    _recreatedEnums.Add(composite.QualifiedName);
                    grew = true;
                }
            }
        }
    }

    private void PlanCreateComposite(CompositeType composite)
    {
        var name = composite.QualifiedName;
        var created = Add(CompositeRank, new CreateComposite(composite));
        TakeTypeName(created, name);
        created.Provide(FactState.Exists, DependencyKind.Type, name);
        UsesNewSchema(created, name.Schema);
        UsesFieldTypes(created, composite);
        if (composite.Comment is not null)
            Comment(CommentTarget.Composite, name, null, composite.Comment, DependencyKind.Type);
    }

    /// <summary>A composite type is created once the user types of its fields exist.</summary>
    private static void UsesFieldTypes(PlannedChange planned, CompositeType composite)
    {
        foreach (var field in composite.Fields)
        {
            if (field.Type.UserTypeName is { } type)
                planned.Need(FactState.Exists, DependencyKind.Type, type);
        }
    }

    /// <summary>DROP TYPE once no column, field or other type uses it; then the types of its fields are free of it.</summary>
    private void PlanDropComposite(QualifiedName oldKey, CompositeType asNamed)
    {
        var name = asNamed.QualifiedName;
        var drop = Add(DropCompositeRank, new DropComposite(asNamed))
            .Need(FactState.Exists, DependencyKind.TypeName, name)
            .Need(FactState.Gone, DependencyKind.TypeUse, oldKey)
            .Provide(FactState.Gone, DependencyKind.TypeName, name)
            .Provide(FactState.Gone, DependencyKind.Type, name);
        foreach (var field in asNamed.Fields)
        {
            if (field.Type.UserTypeName is not { } type)
                continue;
            drop.Provide(FactState.Gone, DependencyKind.TypeUse, type);
            if (MapType(field.Type).UserTypeName is { } newType && _recreatedEnums.Contains(newType))
                drop.Provide(FactState.Gone, DependencyKind.TypeUse, TemporaryTypeName(newType));
        }
        UsesNewSchema(drop, name.Schema);
        if (MapSchema(oldKey.Schema) == oldKey.Schema && !_new.Schemas.Contains(oldKey.Schema))
            drop.Precede(FactState.Gone, ObjectRef.Schema(oldKey.Schema));
    }

    private void DiffComposites()
    {
        foreach (var (oldComposite, composite) in _compositePairs)
        {
            var name = composite.QualifiedName;
            var moved = MapSchema(oldComposite.QualifiedName);
            if (moved != name)
                _typeRenames.Add(new RenameComposite(moved, name));
            var old = TranslateComposite(oldComposite);
            if (_recreatedEnums.Contains(name))
            {
                PlanRecreateComposite(old, composite);
                continue;
            }
            if (!old.Fields.SequenceEqual(composite.Fields))
            {
                var alter = Add(CompositeRank, new AlterComposite(old, composite)).Need(FactState.Exists, DependencyKind.Type, name);
                UsesNewSchema(alter, name.Schema);
                UsesFieldTypes(alter, composite);
                // A field that lets go of a type (dropped or retyped) frees it for its drop, by the type's old name.
                for (var i = 0; i < old.Fields.Count; i++)
                {
                    if (!composite.Fields.Contains(old.Fields[i]) && oldComposite.Fields[i].Type.UserTypeName is { } type)
                        alter.Provide(FactState.Gone, DependencyKind.TypeUse, type);
                }
            }
            if (old.Comment != composite.Comment)
                Comment(CommentTarget.Composite, name, null, composite.Comment, DependencyKind.Type);
        }
    }

    /// <summary>An old composite type as it reads in the new model: its name and its fields' types renamed.</summary>
    private CompositeType TranslateComposite(CompositeType old)
    {
        var name = MapTypeName(old.QualifiedName);
        return old with
        {
            Schema = name.Schema,
            Name = name.Name,
            Fields = old.Fields.Select(TranslateField).ToValueList(),
        };
    }

    /// <summary>An old field as it reads in the new model: its type and collation renamed.</summary>
    private CompositeField TranslateField(CompositeField field)
    {
        var translated = field with { Type = MapType(field.Type) };
        if (field.Collation is not { } collation)
            return translated;
        var (schema, name) = MapCollation(field.CollationSchema, collation);
        return translated with { Collation = name, CollationSchema = schema };
    }

    /// <summary>The old type steps aside to a temporary name, the new one takes the name, the columns are converted, and the old one is dropped once unused.</summary>
    private void PlanRecreateComposite(CompositeType old, CompositeType composite)
    {
        var name = composite.QualifiedName;
        var temporary = TemporaryTypeName(name);
        var uses = _enumUses.TryGetValue(name, out var list) ? list : [];
        var recreate = Add(CompositeRank, new RecreateComposite(old, composite, temporary.Name, uses.ToValueList()))
            .Need(FactState.Exists, DependencyKind.TypeName, name)
            .Provide(FactState.Exists, DependencyKind.TypeName, temporary)
            .Provide(FactState.Exists, DependencyKind.Type, name);
        UsesNewSchema(recreate, name.Schema);
        UsesFieldTypes(recreate, composite);
        ConvertsColumns(recreate, uses);
        // A field's type re-created as well stands aside under its temporary name by then.
        var oldFields = old.Fields.Select(f => f.Type.UserTypeName is { } type && _recreatedEnums.Contains(type)
            ? f with { Type = f.Type.WithUserTypeName(TemporaryTypeName(type)) }
            : f).ToValueList();
        PlanDropComposite(temporary, old with { Name = temporary.Name, Fields = oldFields });
        if (composite.Comment is not null)
            Comment(CommentTarget.Composite, name, null, composite.Comment, DependencyKind.Type);
    }

    /// <summary>The names composite types take in pg_type's namespace.</summary>
    private static void AddCompositeNames(DatabaseModel model, HashSet<QualifiedName> names)
    {
        foreach (var composite in model.Composites)
            names.Add(composite.QualifiedName);
    }
}

/// <summary>CREATE TYPE … AS (fields).</summary>
public sealed record CreateComposite(CompositeType Composite) : SchemaChange, ITypeCreation
{
    QualifiedName ITypeCreation.Type => Composite.QualifiedName;
}

public sealed record DropComposite(CompositeType Composite) : SchemaChange, ITypeDrop
{
    QualifiedName ITypeDrop.Type => Composite.QualifiedName;
}

/// <summary>Renames a composite type and/or moves it to another schema.</summary>
public sealed record RenameComposite(QualifiedName From, QualifiedName To) : SchemaChange, ITypeRename
{
    SchemaChange ITypeRename.Between(QualifiedName from, QualifiedName to) => this with { From = from, To = to };
}

/// <summary>Fields dropped, added and retyped in place (no table column uses the type). <see cref="From"/> carries the new name already.</summary>
public sealed record AlterComposite(CompositeType From, CompositeType To) : SchemaChange;

/// <summary>
/// A composite type whose fields change while table columns use it (PostgreSQL alters none of them then): the old type
/// is renamed to <see cref="TemporaryName"/>, the new one created and every column in <see cref="Columns"/> converted to
/// it through text; a later <see cref="DropComposite"/> removes the temporary one.
/// </summary>
public sealed record RecreateComposite(CompositeType From, CompositeType To, string TemporaryName, ValueList<EnumColumnUse> Columns) : SchemaChange, ITypeRecreation
{
    QualifiedName ITypeRecreation.Type => To.QualifiedName;

    QualifiedName ITypeRecreation.TemporaryType => new(To.Schema, TemporaryName);
}

public sealed partial record CommentTarget
{
    public static CommentTarget Composite { get; } = new(nameof(Composite), "TYPE");
}

public sealed partial class ObjectKind
{
    /// <summary>A composite type, named schema.name: its renames are decided, as the data of its columns is at stake.</summary>
    public static readonly ObjectKind Composite = Declare(new(nameof(Composite), "composite", order: 8));
}
