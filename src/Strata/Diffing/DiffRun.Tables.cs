using Strata.Diffing.Planning;
using Strata.Model;
using Strata.Sql;
using Index = Strata.Model.Index;

namespace Strata.Diffing;

/// <summary>Tables and their columns: matched by name and rename decisions, created, dropped, renamed, columns added, dropped, renamed and altered.</summary>
internal sealed partial class DiffRun
{
    private const int DropTableRank = ChangeRank.Drops + 400;
    private const int DropColumnRank = ChangeRank.Drops + 500;
    private const int CreateTableRank = ChangeRank.Creates + 200;
    private const int ColumnRank = ChangeRank.Creates + 300;

    private List<(Table Old, Table New)> MatchTables()
    {
        var pairs = MatchByName(ObjectKind.Table, _old.Tables, _new.Tables, t => t.QualifiedName, _tableMap, out _droppedTables, out _addedTables);
        RecreateRepartitioned(pairs);
        ReinheritTables(pairs);
        pairs.Sort((a, b) => a.Item2.QualifiedName.CompareTo(b.Item2.QualifiedName));
        foreach (var table in _droppedTables)
            _viewBreakingTables.Add(table.QualifiedName);
        return pairs;
    }

    /// <summary>
    /// PostgreSQL cannot change a table's partition key, nor a partition's parent or bound, in place: such a table is
    /// dropped and created again (a DROP TABLE, so its rows are data loss that generate and push make explicit), and so
    /// are its partitions, which its DROP takes with it.
    /// </summary>
    private void RecreateRepartitioned(List<(Table Old, Table New)> pairs)
    {
        var recreated = new HashSet<QualifiedName>();
        bool changed;
        do
        {
            changed = false;
            foreach (var (old, target) in pairs)
            {
                if (recreated.Contains(target.QualifiedName))
                    continue;
                var oldPartitioning = old.Partitioning is { Parent: { } parent } partitioning ? partitioning with { Parent = MapTable(parent) } : old.Partitioning;
                if (oldPartitioning != target.Partitioning || target.PartitionOf is { } newParent && recreated.Contains(newParent))
                    changed |= recreated.Add(target.QualifiedName);
            }
        }
        while (changed);
        if (recreated.Count == 0)
            return;
        foreach (var pair in pairs.Where(p => recreated.Contains(p.New.QualifiedName)).ToList())
        {
            pairs.Remove(pair);
            _tableMap.Remove(pair.Old.QualifiedName);
            _droppedTables.Add(pair.Old);
            _addedTables.Add(pair.New);
        }
    }

    private void MatchColumns(List<(Table Old, Table New)> tablePairs)
    {
        var oldByNew = tablePairs.ToDictionary(p => p.New.QualifiedName, p => p.Old);
        var newByOld = tablePairs.ToDictionary(p => p.Old.QualifiedName, p => p.New);
        // Old table name → (old column → new column) from the decisions that apply.
        var decided = new Dictionary<QualifiedName, Dictionary<string, string>>();
        foreach (var rename in _decisions.Renames.Where(r => r.Kind == ObjectKind.Column))
        {
            var from = ObjectKey.Column(rename.From);
            var to = ObjectKey.Column(rename.To);
            if (ResolveColumnRename(from, to, oldByNew, newByOld) is not { } oldTable)
                continue;
            if (!decided.TryGetValue(oldTable, out var renames))
                decided[oldTable] = renames = new Dictionary<string, string>(StringComparer.Ordinal);
            renames.TryAdd(from.Column, to.Column);
        }
        foreach (var (oldTable, newTable) in tablePairs)
        {
            var newColumns = newTable.Columns.Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
            var map = new Dictionary<string, string>(StringComparer.Ordinal);
            var taken = new HashSet<string>(StringComparer.Ordinal);
            if (decided.TryGetValue(oldTable.QualifiedName, out var renames))
            {
                foreach (var column in oldTable.Columns)
                {
                    if (renames.TryGetValue(column.Name, out var to) && taken.Add(to))
                        map[column.Name] = to;
                }
            }
            var dropped = new List<string>();
            foreach (var column in oldTable.Columns)
            {
                if (map.ContainsKey(column.Name))
                    continue;
                if (newColumns.Contains(column.Name) && taken.Add(column.Name))
                    map[column.Name] = column.Name;
                else
                    dropped.Add(column.Name);
            }
            _columnMaps[oldTable.QualifiedName] = map;
            AddCandidates(ObjectKind.Column,
                dropped.Select(c => ObjectKey.Of(oldTable.QualifiedName, c)),
                newTable.Columns.Where(c => !taken.Contains(c.Name)).Select(c => ObjectKey.Of(newTable.QualifiedName, c.Name)));
        }
        // A partition's columns are its top parent's: its keys and indexes name them through that table's renames.
        foreach (var (oldTable, _) in tablePairs)
        {
            var root = oldTable;
            var seen = new HashSet<QualifiedName>();
            while (root.PartitionOf is { } parent && seen.Add(parent) && _oldTables.TryGetValue(parent, out var parentTable))
                root = parentTable;
            if (root != oldTable && _columnMaps.TryGetValue(root.QualifiedName, out var rootMap))
                _columnMaps[oldTable.QualifiedName] = rootMap;
        }
        MapInheritedColumns(tablePairs);
    }

    /// <summary>
    /// The old table a column rename applies to. Keys name the old table in From and the new one in
    /// To; when the table is renamed too, a key written with one table name for both (the bare-name
    /// hint <c>column:public.users.name=full_name</c>, or its inversion for down.sql) is read with
    /// that name on the side where it exists with the columns.
    /// </summary>
    private QualifiedName? ResolveColumnRename((QualifiedName Table, string Column) from, (QualifiedName Table, string Column) to,
        Dictionary<QualifiedName, Table> oldByNew, Dictionary<QualifiedName, Table> newByOld)
    {
        bool Fits(Table oldTable, Table newTable) =>
            oldTable.FindColumn(from.Column) is not null && newTable.FindColumn(to.Column) is not null;

        if (newByOld.TryGetValue(from.Table, out var newTable) && (newTable.QualifiedName == to.Table || from.Table == to.Table)
            && Fits(_oldTables[from.Table], newTable))
            return from.Table;
        if (from.Table == to.Table && oldByNew.TryGetValue(to.Table, out var oldTable) && Fits(oldTable, newByOld[oldTable.QualifiedName]))
            return oldTable.QualifiedName;
        return null;
    }

    private void DropAndCreateTables()
    {
        var droppedNames = _droppedTables.Select(t => t.QualifiedName).ToHashSet();
        foreach (var table in _droppedTables)
        {
            // Foreign keys between dropped tables would make the order of the DROPs matter, and one to a
            // kept table holds on to that table's key, which may be dropped or retyped before DropTables.
            foreach (var foreignKey in table.ForeignKeys)
            {
                if (foreignKey.ReferencedTable != table.QualifiedName && (droppedNames.Contains(foreignKey.ReferencedTable) || _referencedKeysMayChange))
                    PlanDropForeignKey(table.QualifiedName, null, foreignKey, MapTable(foreignKey.ReferencedTable),
                        foreignKey.ReferencedColumns.Select(c => MapColumn(foreignKey.ReferencedTable, c)));
            }
            var drop = Add(DropTableRank, new DropTable(table));
            FreeName(drop, DependencyKind.Table, table.QualifiedName);
            // Its partitions go first: DROP TABLE of the parent would take them along and leave their DROPs failing.
            // So do the tables that inherit from it, which PostgreSQL refuses to leave without it.
            foreach (var partition in _droppedTables.Where(p => p.PartitionOf == table.QualifiedName || p.Inherits.Contains(table.QualifiedName)))
                drop.Need(FactState.Gone, DependencyKind.Table, partition.QualifiedName);
            FreeName(drop, DependencyKind.RelationName, table.QualifiedName);
            FreeName(drop, DependencyKind.TypeName, table.QualifiedName);
            // Its keys, indexes and owned sequences go with it, and free their names.
            foreach (var name in RelationNamesOf(table))
                FreeName(drop, DependencyKind.RelationName, new QualifiedName(table.Schema, name));
            LetsGoOfTypes(drop, table.Columns);
            UsesOldSchema(drop, table.Schema);
        }
        foreach (var table in _addedTables)
        {
            // CREATE TABLE merges a unique constraint into an identical key declared before it, so the
            // database would lack it: such constraints are added by a statement of their own.
            var keys = new HashSet<(string, bool)>();
            if (table.PrimaryKey is { } primaryKey)
                keys.Add((string.Join("\u0001", primaryKey.Columns), false));
            var inline = new List<UniqueConstraint>();
            var separate = new List<UniqueConstraint>();
            foreach (var unique in table.Uniques)
            {
                if (keys.Add((string.Join("\u0001", unique.Columns), unique.NullsNotDistinct)))
                    inline.Add(unique);
                else
                    separate.Add(unique);
            }
            var name = table.QualifiedName;
            var created = Add(CreateTableRank, new CreateTable(table with { Uniques = inline.ToValueList(), ForeignKeys = ValueList<ForeignKey>.Empty, Indexes = ValueList<Index>.Empty }));
            TakeName(created, DependencyKind.RelationName, name);
            TakeTypeName(created, name);
            created.Provide(FactState.Exists, DependencyKind.Table, name)
                .Provide(FactState.Exists, DependencyKind.Columns, name);
            if (table.PartitionOf is { } parent)
                created.Need(FactState.Exists, DependencyKind.Table, parent).Need(FactState.Exists, DependencyKind.Columns, parent);
            foreach (var inherited in table.Inherits)
            {
                created.Need(FactState.Exists, DependencyKind.Table, inherited).Need(FactState.Exists, DependencyKind.Columns, inherited);
                foreach (var check in NewTables.GetValueOrDefault(inherited)?.Checks ?? [])
                    created.Need(FactState.Exists, DependencyKind.Constraint, inherited, check.Name);
            }
            DeclaredAsWrittenUnderParents(table);
            foreach (var relation in RelationNamesOf(table with { Indexes = ValueList<Index>.Empty, Uniques = inline.ToValueList() }))
                TakeName(created, DependencyKind.RelationName, new QualifiedName(name.Schema, relation));
            if (table.PrimaryKey is { } key)
                created.Provide(FactState.Exists, KeyRef(name, key.Columns));
            foreach (var unique in inline)
                created.Provide(FactState.Exists, KeyRef(name, unique.Columns));
            UsesTypes(created, table.Columns);
            foreach (var column in table.Columns)
                CallsFunctions(created, FunctionsCalledBy(name, column));
            foreach (var check in table.Checks)
                CallsFunctions(created, CheckFunctionsCalled(ModelSide.New, name, check));
            foreach (var unique in separate)
                PlanAddUnique(name, unique);
            foreach (var index in table.Indexes)
                PlanCreateIndex(CreateIndexRank, name, index, DependencyKind.Table);
            foreach (var foreignKey in table.ForeignKeys)
                PlanAddForeignKey(name, foreignKey);
            if (table.Comment is not null)
                Comment(CommentTarget.Table, name, null, table.Comment, DependencyKind.Table);
            foreach (var column in table.Columns.Where(c => c.Comment is not null))
                Comment(CommentTarget.Column, name, column.Name, column.Comment, DependencyKind.Table);
        }
    }

    private void DiffTableBody(Table original, Table target)
    {
        var oldName = original.QualifiedName;
        var newName = target.QualifiedName;
        var old = Translate(original, newName);
        // Most tables of a large schema do not change: skip the column and constraint analysis.
        // (A table equal on both sides is still compared while routines are re-created: its expressions may call one.)
        if (original == target && old == target && !UsesRecreatedEnum(target) && !UsesRecreatedCollation(target) && _recreatedFunctions.Count == 0
            && !InheritsColumnChanges(original, target))
            return;
        var schemaMoved = MapSchema(oldName);
        // A renamed schema carries its tables along, and views keep reading them; an explicit rename
        // or move is treated like the other changes views cannot follow.
        if (schemaMoved != newName)
        {
            AddRename(RenameGroup.Tables, new RenameTable(schemaMoved, newName));
            _viewBreakingTables.Add(oldName);
        }

        var retyped = new HashSet<string>(StringComparer.Ordinal);
        var recreated = new HashSet<string>(StringComparer.Ordinal);
        _retypedColumns[newName] = retyped;
        _recreatedColumns[newName] = recreated;
        var newColumns = target.Columns.ToDictionary(c => c.Name, StringComparer.Ordinal);
        var oldColumns = old.Columns.ToDictionary(c => c.Name, StringComparer.Ordinal);
        var originalColumns = new Dictionary<string, Column>(StringComparer.Ordinal);
        for (var i = 0; i < original.Columns.Count; i++)
            originalColumns[old.Columns[i].Name] = original.Columns[i];

        // Columns: drops and renames first, then what changes in place.
        var drops = new List<DropColumn>();
        for (var i = 0; i < original.Columns.Count; i++)
        {
            var originalColumn = original.Columns[i];
            var translated = old.Columns[i];
            if (!newColumns.TryGetValue(translated.Name, out var newColumn))
            {
                drops.Add(new DropColumn(oldName, originalColumn));
                _viewBreakingTables.Add(oldName);
                continue;
            }
            if (originalColumn.Name != newColumn.Name && !InheritedOnBothSides(original, target, originalColumn.Name, newColumn.Name).Inherited)
            {
                AddRename(RenameGroup.Columns, new RenameColumn(newName, originalColumn.Name, newColumn.Name));
                _viewBreakingTables.Add(oldName);
            }
            // A serial column turned plain lets go of its sequence before the renames (below); one that keeps owning a
            // sequence keeps it under the new names.
            if (OwnsSequence(originalColumn) && OwnsSequence(newColumn))
            {
                var oldSequence = new QualifiedName(newName.Schema, OwnedSequence.Name(original.Name, originalColumn.Name));
                var newSequence = OwnedSequence.For(newName, newColumn.Name);
                if (oldSequence != newSequence)
                    AddRename(RenameGroup.OwnedSequences, new RenameSequence(oldSequence, newSequence));
            }
            // A column of a re-created enum is converted to the new type like a retyped one.
            if (OwnedSequence.StorageType(translated.Type) != OwnedSequence.StorageType(newColumn.Type)
                || newColumn.Type.UserTypeName is { } enumName && _recreatedEnums.Contains(enumName))
                retyped.Add(newColumn.Name);
        }

        // A stored generated column cannot change its expression in place (PostgreSQL 15), and one
        // whose inputs change type must be rebuilt too: drop it and add it again (derived data).
        // So must one that names a re-created type, and a default that does is set again: the old type
        // is dropped once they let go of it (by old column name).
        var oldTypesRead = new Dictionary<string, List<QualifiedName>>(StringComparer.Ordinal);
        // Likewise the re-created routines a generated column calls (by old column name).
        var oldFunctionsCalled = new Dictionary<string, List<QualifiedName>>(StringComparer.Ordinal);
        foreach (var newColumn in target.Columns)
        {
            if (newColumn.GeneratedAs is null || !oldColumns.TryGetValue(newColumn.Name, out var oldColumn))
                continue;
            if (oldColumn.GeneratedAs != newColumn.GeneratedAs
                || ReadsAnyColumn(Known(newColumn.Reads, oldColumn.Reads), newName, [newColumn.GeneratedAs], retyped.Where(r => r != newColumn.Name).ToHashSet(StringComparer.Ordinal),
                    new(ModelSide.Old, $"generated {oldName}.{originalColumns[newColumn.Name].Name}"), new(ModelSide.New, $"generated {newName}.{newColumn.Name}")))
                recreated.Add(newColumn.Name);
            var typesRead = RecreatedTypesRead(oldColumn.Reads, [oldColumn.GeneratedAs], newColumn.Reads, [newColumn.GeneratedAs],
                new(ModelSide.Old, $"generated {oldName}.{originalColumns[newColumn.Name].Name}"), new(ModelSide.New, $"generated {newName}.{newColumn.Name}"));
            if (typesRead.Count > 0)
            {
                recreated.Add(newColumn.Name);
                oldTypesRead[originalColumns[newColumn.Name].Name] = typesRead;
            }
            var functionsCalled = RecreatedFunctionsCalled(ModelSide.Old, oldColumn.Reads, [oldColumn.GeneratedAs],
                new TextDecision(ModelSide.Old, $"generated {oldName}.{originalColumns[newColumn.Name].Name}"));
            if (functionsCalled.Count > 0)
            {
                recreated.Add(newColumn.Name);
                oldFunctionsCalled[originalColumns[newColumn.Name].Name] = functionsCalled;
            }
        }

        var alters = new List<AlterColumn>();
        var adds = new List<SchemaChange>();
        foreach (var newColumn in target.Columns)
        {
            if (!oldColumns.TryGetValue(newColumn.Name, out var oldColumn))
            {
                adds.Add(new AddColumn(newName, newColumn));
                _widenedTables.Add(oldName);
                if (newColumn.Comment is not null)
                    Comment(CommentTarget.Column, newName, newColumn.Name, newColumn.Comment, DependencyKind.Table);
                continue;
            }
            if (recreated.Contains(newColumn.Name))
            {
                drops.Add(new DropColumn(oldName, originalColumns[newColumn.Name]));
                _viewBreakingTables.Add(oldName);
                adds.Add(new AddColumn(newName, newColumn));
                if (newColumn.Comment is not null)
                    Comment(CommentTarget.Column, newName, newColumn.Name, newColumn.Comment, DependencyKind.Table);
                continue;
            }
            if (originalColumns[newColumn.Name] is { Type.IsSerial: true } serial && !OwnsSequence(newColumn))
            {
                // A serial column turned plain drops its default and its sequence first, by the old names, freeing the
                // sequence's name: the new model may create a sequence of that name, which its new default then uses.
                var plain = serial with { Type = OwnedSequence.StorageType(serial.Type), Default = null };
                var release = Add(DropConstraintRank, new AlterColumn(oldName, serial, plain, ColumnChanges.Default))
                    .Precede(FactState.Gone, DependencyKind.Table, oldName);
                FreeName(release, DependencyKind.RelationName, new QualifiedName(oldName.Schema, OwnedSequence.Name(oldName.Name, serial.Name)));
                UsesOldSchema(release, oldName.Schema);
                oldColumn = oldColumn with { Type = OwnedSequence.StorageType(oldColumn.Type), Default = null };
            }
            var changes = ColumnChanges.None;
            // A new collation (or its own re-created) is ALTER COLUMN … TYPE (the same type) COLLATE: PostgreSQL rebuilds the column's indexes itself.
            if (OwnedSequence.StorageType(oldColumn.Type) != OwnedSequence.StorageType(newColumn.Type)
                || !KeepsCollation(oldColumn.CollationSchema, oldColumn.Collation, newColumn.CollationSchema, newColumn.Collation))
                changes |= ColumnChanges.Type;
            if (oldColumn.GeneratedAs is not null && newColumn.GeneratedAs is null)
                changes |= ColumnChanges.Generated;
            if (oldColumn.NotNull != newColumn.NotNull)
                changes |= ColumnChanges.Nullability;
            if (oldColumn.Default != newColumn.Default || oldColumn.Type.IsSerial != newColumn.Type.IsSerial)
                changes |= ColumnChanges.Default;
            if (oldColumn.Identity != newColumn.Identity)
                changes |= ColumnChanges.Identity;
            if (oldColumn.Comment != newColumn.Comment)
                changes |= ColumnChanges.Comment;
            if (newColumn.GeneratedAs is null && RecreatedTypesRead(oldColumn.Reads, [oldColumn.Default], newColumn.Reads, [newColumn.Default],
                    new(ModelSide.Old, $"default {oldName}.{originalColumns[newColumn.Name].Name}"), new(ModelSide.New, $"default {newName}.{newColumn.Name}")) is { Count: > 0 } defaultTypes)
            {
                changes |= ColumnChanges.Default;
                oldTypesRead[originalColumns[newColumn.Name].Name] = defaultTypes;
            }
            if (newColumn.GeneratedAs is null && oldColumn.Default is not null
                && RecreatedFunctionsCalled(ModelSide.Old, oldColumn.Reads, [oldColumn.Default],
                    new TextDecision(ModelSide.Old, $"default {oldName}.{originalColumns[newColumn.Name].Name}")) is { Count: > 0 } defaultFunctions)
            {
                // PostgreSQL refuses to drop a routine a default calls: the default goes first, by the old names,
                // and is set again once the routine is back.
                var originalColumn = originalColumns[newColumn.Name];
                var release = Add(DropConstraintRank, new AlterColumn(oldName, originalColumn, originalColumn with { Default = null }, ColumnChanges.Default))
                    .Precede(FactState.Gone, DependencyKind.Table, oldName);
                LetsGoOfFunctions(release, defaultFunctions);
                UsesOldSchema(release, oldName.Schema);
                oldColumn = oldColumn with { Default = null };
                if (newColumn.Default is not null)
                    changes |= ColumnChanges.Default;
                else
                    changes &= ~ColumnChanges.Default;
            }

            QualifiedName? inheritedFrom = null;
            if (InheritedOnBothSides(original, target, originalColumns[newColumn.Name].Name, newColumn.Name) is (true, { } parentTable))
            {
                // The parent's ALTER passes a new type on (and PostgreSQL refuses it on the child); its new default or
                // NOT NULL too, so the child's own are set again after it.
                inheritedFrom = parentTable;
                changes &= ~ColumnChanges.Type;
                if (AncestorColumnChanges(parentTable, newColumn.Name))
                {
                    changes |= ColumnChanges.Default | ColumnChanges.Nullability;
                    // The parent's SET DEFAULT gave the child its default: one the child does not have is dropped again.
                    if (ParentsNewDefault(parentTable, newColumn.Name) is { } passedOn)
                        oldColumn = oldColumn with { Default = passedOn };
                }
            }
            if (changes.HasFlag(ColumnChanges.Type))
                _viewBreakingTables.Add(oldName);
            else if (newColumn.Type.UserTypeName is { } enumName && _recreatedEnums.Contains(enumName))
            {
                // The enum's re-creation converts the column and sets its new default.
                retyped.Add(newColumn.Name);
                _viewBreakingTables.Add(oldName);
                if (!_enumUses.TryGetValue(enumName, out var uses))
                    _enumUses[enumName] = uses = [];
                uses.Add(new EnumColumnUse(newName, newColumn.Name, newColumn.Type, oldColumn.Default, newColumn.Default));
                changes &= ~ColumnChanges.Default;
            }
            if (changes != ColumnChanges.None)
            {
                alters.Add(new AlterColumn(newName, oldColumn, newColumn, changes));
                if (inheritedFrom is { } parentName)
                    _afterParent[alters[^1]] = parentName;
            }
        }
        // Generated columns go first: PostgreSQL refuses to drop a column another one is computed from.
        foreach (var drop in drops.OrderBy(d => d.Column.GeneratedAs is null ? 1 : 0))
        {
            var planned = Add(DropColumnRank, drop)
                .Provide(FactState.Gone, DependencyKind.Column, newName, drop.Column.Name)
                .Provide(FactState.Changed, DependencyKind.Table, newName)
                .Precede(FactState.Gone, DependencyKind.Table, oldName);
            if (OwnsSequence(drop.Column))
                FreeName(planned, DependencyKind.RelationName, new QualifiedName(oldName.Schema, OwnedSequence.Name(oldName.Name, drop.Column.Name)));
            LetsGoOfTypes(planned, [drop.Column]);
            LetsGoOfRecreatedTypes(planned, oldTypesRead.GetValueOrDefault(drop.Column.Name));
            LetsGoOfFunctions(planned, oldFunctionsCalled.GetValueOrDefault(drop.Column.Name));
            UsesOldSchema(planned, oldName.Schema);
            AfterParentsDrop(planned, original, drop.Column.Name);
        }

        // Generated columns turned plain let go of their inputs first, so those can change type;
        // alters come before adds, since an added generated column may read a retyped column.
        var ordered = alters.OrderBy(a => a.Changes.HasFlag(ColumnChanges.Generated) ? 0 : 1).Cast<SchemaChange>().Concat(adds);
        foreach (var change in ordered)
        {
            var planned = Add(ColumnRank, change)
                .Need(FactState.Exists, DependencyKind.Table, newName)
                .Provide(FactState.Exists, DependencyKind.Columns, newName);
            if (_afterParent.TryGetValue(change, out var parentOfColumn))
                planned.Need(FactState.Exists, DependencyKind.Columns, parentOfColumn);
            UsesNewSchema(planned, newName.Schema);
            if (change is AddColumn add)
            {
                planned.Need(FactState.Gone, DependencyKind.Column, newName, add.Column.Name)
                    .Provide(FactState.Exists, DependencyKind.Column, newName, add.Column.Name);
                UsesTypes(planned, [add.Column]);
                CallsFunctions(planned, FunctionsCalledBy(newName, add.Column));
                AfterChildrensAdd(planned, newName, add.Column.Name);
            }
            else if (change is AlterColumn { Changes: var flags } alter)
            {
                planned.Provide(FactState.Exists, DependencyKind.Column, newName, alter.To.Name);
                // A column turned serial creates its sequence: after one of that name is gone.
                if (alter.To.Type.IsSerial && !alter.From.Type.IsSerial)
                    TakeName(planned, DependencyKind.RelationName, OwnedSequence.For(newName, alter.To.Name));
                if (flags.HasFlag(ColumnChanges.Default))
                    CallsFunctions(planned, FunctionsCalledBy(newName, alter.To));
                // A default that names a re-created type is set again once the new type exists.
                if (flags.HasFlag(ColumnChanges.Default) && oldTypesRead.GetValueOrDefault(alter.From.Name) is { } defaultTypes)
                {
                    LetsGoOfRecreatedTypes(planned, defaultTypes);
                    foreach (var type in defaultTypes)
                        planned.Need(FactState.Exists, DependencyKind.Type, type);
                }
                if (!flags.HasFlag(ColumnChanges.Type))
                    continue;
                planned.Provide(FactState.Changed, DependencyKind.Table, newName);
                UsesTypes(planned, [alter.To]);
                LetsGoOfTypes(planned, [alter.From]);
            }
        }

        if (old.Comment != target.Comment)
            Comment(CommentTarget.Table, newName, null, target.Comment, DependencyKind.Table);
        if (old.Unlogged != target.Unlogged)
            PlanSetTableLogging(target);
        if (old.Options != target.Options)
            PlanSetOptions(OptionsOf.Table, newName, old.Options, target.Options).Need(FactState.Exists, DependencyKind.Table, newName);

        bool UsesRebuilt(IEnumerable<string> columns) => columns.Any(recreated.Contains);
        // An expression that reads a rebuilt column, or one an enum's re-creation converts, is rebuilt with it.
        var rebuiltInputs = recreated.Concat(retyped.Where(c => IsEnumConverted(target, c))).ToHashSet(StringComparer.Ordinal);
        // A check, an index expression or predicate is also rebuilt after ALTER COLUMN … TYPE of a column it reads: PostgreSQL
        // re-parses it from its printed form against the new type, which prints otherwise than the same one on a new table
        // (a varchar column turned text: ARRAY[('a'::character varying)::text] against ARRAY['a'::text]).
        var reparsedInputs = rebuiltInputs.Concat(retyped).ToHashSet(StringComparer.Ordinal);
        ExpressionReads NewReads<T>(IEnumerable<T> items, Func<T, string> nameOf, Func<T, ExpressionReads> readsOf, string name)
        {
            foreach (var item in items)
            {
                if (nameOf(item) == name)
                    return readsOf(item);
            }
            return ExpressionReads.Unknown;
        }

        // Primary keys and unique constraints are renamed through their index (ALTER INDEX renames the
        // constraint along): that names them by schema alone, so they need not wait for a table rename
        // and can free a name the table takes.
        DiffNamed<PrimaryKey>(
            old.PrimaryKey is { } oldPk ? [oldPk] : [],
            target.PrimaryKey is { } newPk ? [newPk] : [],
            pk => pk.Name,
            pk => pk with { Name = "", Comment = null },
            pk => UsesRebuilt(pk.Columns),
            pk => PlanDropKey(new DropPrimaryKey(oldName, pk), oldName, newName, pk.Name, pk.Columns),
            pk => PlanAddKey(AddPrimaryKeyRank, new AddPrimaryKey(newName, pk), newName, pk.Name, pk.Columns),
            (from, to) => AddRename(RenameGroup.Indexes, new RenameIndex(newName, from, to)),
            (o, n) => CommentOnConstraint(newName, o.Comment, n.Name, n.Comment),
            alterInPlace: (o, n) => AlterKeyIndexOptions(newName, n.Name, o.Options, n.Options, o with { Options = default } == n with { Options = default, Comment = o.Comment }));
        DiffNamed(
            old.Uniques, target.Uniques,
            u => u.Name,
            u => u with { Name = "", Comment = null },
            u => UsesRebuilt(u.Columns),
            u => PlanDropKey(new DropUnique(oldName, u), oldName, newName, u.Name, u.Columns),
            u => PlanAddUnique(newName, u),
            (from, to) => AddRename(RenameGroup.Indexes, new RenameIndex(newName, from, to)),
            (o, n) => CommentOnConstraint(newName, o.Comment, n.Name, n.Comment),
            alterInPlace: (o, n) => AlterKeyIndexOptions(newName, n.Name, o.Options, n.Options, o with { Options = default } == n with { Options = default, Comment = o.Comment }));
        List<QualifiedName> CheckTypesRead(CheckConstraint c) =>
            target.Checks.FirstOrDefault(n => n.Name == c.Name) is { } n
                ? RecreatedTypesRead(c.Reads, [c.Expression], n.Reads, [n.Expression], new(ModelSide.Old, $"check {oldName}.{c.Name}"), new(ModelSide.New, $"check {newName}.{c.Name}"))
                : RecreatedTypesRead(c.Reads, [c.Expression], ExpressionReads.Unknown, [], new TextDecision(ModelSide.Old, $"check {oldName}.{c.Name}"));
        List<QualifiedName> IndexTypesRead(Index i) =>
            !HasExpression(i) ? []
            : target.Indexes.FirstOrDefault(n => n.Name == i.Name) is { } n
                ? RecreatedTypesRead(i.Reads, IndexExpressions(i), n.Reads, IndexExpressions(n), new(ModelSide.Old, $"index {oldName}.{i.Name}"), new(ModelSide.New, $"index {newName}.{i.Name}"))
                : RecreatedTypesRead(i.Reads, IndexExpressions(i), ExpressionReads.Unknown, [], new TextDecision(ModelSide.Old, $"index {oldName}.{i.Name}"));
        DiffNamed(
            old.Checks, target.Checks,
            c => c.Name,
            c => c with { Name = "", Comment = null },
            c => ReadsAnyColumn(Known(c.Reads, NewReads(target.Checks, n => n.Name, n => n.Reads, c.Name)), newName, [c.Expression], reparsedInputs,
                [new(ModelSide.Old, $"check {oldName}.{c.Name}"), .. target.Checks.Any(n => n.Name == c.Name) ? [new TextDecision(ModelSide.New, $"check {newName}.{c.Name}")] : Array.Empty<TextDecision>()])
                || CheckTypesRead(c).Count > 0
                || CheckFunctionsCalled(ModelSide.Old, oldName, c).Count > 0,
            c =>
            {
                var drop = Add(DropConstraintRank, new DropCheck(oldName, c))
                    .Provide(FactState.Gone, DependencyKind.Constraint, newName, c.Name)
                    .Precede(FactState.Gone, DependencyKind.Table, oldName);
                LetsGoOfRecreatedTypes(drop, CheckTypesRead(c));
                LetsGoOfFunctions(drop, CheckFunctionsCalled(ModelSide.Old, oldName, c));
                UsesOldSchema(drop, oldName.Schema);
            },
            c =>
            {
                var add = Add(AddCheckRank, new AddCheck(newName, c))
                    .Need(FactState.Gone, DependencyKind.Constraint, newName, c.Name)
                    .Provide(FactState.Exists, DependencyKind.Constraint, newName, c.Name);
                ReadsColumns(add, newName, DependencyKind.Table, c.Reads.IsKnown ? c.Reads.ColumnsOf(newName) : null);
                CallsFunctions(add, CheckFunctionsCalled(ModelSide.New, newName, c));
            },
            (from, to) => AddRename(RenameGroup.Constraints, new RenameConstraint(newName, from, to)),
            (o, n) => CommentOnConstraint(newName, o.Comment, n.Name, n.Comment));
        DiffNamed(
            WithKeyCollationsMapped(old.Indexes), target.Indexes,
            i => i.Name,
            i => i with { Name = "", Concurrently = false, Comment = null },
            i => UsesRecreatedCollation(i.Elements)
                 || UsesRebuilt(i.Elements.Where(e => e.Column is not null).Select(e => e.Column!).Concat(i.Include))
                 || HasExpression(i) && ReadsAnyColumn(Known(i.Reads, NewReads(target.Indexes, n => n.Name, n => n.Reads, i.Name)), newName,
                     IndexExpressions(i), reparsedInputs,
                     [new(ModelSide.Old, $"index {oldName}.{i.Name}"), .. target.Indexes.Any(n => n.Name == i.Name) ? [new TextDecision(ModelSide.New, $"index {newName}.{i.Name}")] : Array.Empty<TextDecision>()])
                 || IndexTypesRead(i).Count > 0
                 || IndexFunctionsCalled(ModelSide.Old, oldName, i).Count > 0,
            i =>
            {
                var drop = PlanDropIndex(oldName, i, IsKey(i) ? KeyRef(newName, i.Elements.Select(e => e.Column!)) : null);
                LetsGoOfRecreatedTypes(drop, IndexTypesRead(i));
                LetsGoOfFunctions(drop, IndexFunctionsCalled(ModelSide.Old, oldName, i));
                if (IsKey(i))
                    _droppedKeys.Add(KeyOf(newName, i.Elements.Select(e => e.Column!)));
            },
            i => PlanCreateIndex(CreateIndexRank, newName, i, DependencyKind.Table),
            (from, to) => AddRename(RenameGroup.Indexes, new RenameIndex(newName, from, to)),
            kept: (o, n) => CommentOnIndex(newName, DependencyKind.Table, o.Comment, n.Name, n.Comment),
            alterInPlace: (o, n) => AlterIndexOptions(newName, o, n, DependencyKind.Table));
    }

    /// <summary>
    /// ALTER INDEX … SET / RESET when an index differs from its new form in its storage parameters alone (and not in
    /// CONCURRENTLY, which is how it is built, not what it is, nor in its comment, set apart); false when it must be built again.
    /// </summary>
    private bool AlterIndexOptions(QualifiedName relation, Index old, Index target, DependencyKind on)
    {
        if (old with { Concurrently = false, Options = default, Comment = null } != target with { Concurrently = false, Options = default, Comment = null })
            return false;
        if (old.Options != target.Options)
            PlanSetOptions(OptionsOf.Index, new QualifiedName(relation.Schema, target.Name), old.Options, target.Options).Need(FactState.Exists, on, relation);
        return true;
    }

    /// <summary>
    /// ALTER INDEX … SET / RESET on the index behind a primary key or unique constraint (named as the constraint) when the
    /// key differs from its new form in its storage parameters alone (<paramref name="sameOtherwise"/>); false when it
    /// must be added again.
    /// </summary>
    private bool AlterKeyIndexOptions(QualifiedName table, string name, ValueList<string> old, ValueList<string> target, bool sameOtherwise)
    {
        if (!sameOtherwise)
            return false;
        if (old != target)
            PlanSetOptions(OptionsOf.Index, new QualifiedName(table.Schema, name), old, target).Need(FactState.Exists, DependencyKind.Table, table);
        return true;
    }

    /// <summary>
    /// ALTER TABLE | INDEX | VIEW … SET (the options added or changed) RESET (those gone): storage parameters and view
    /// options change in place, after the renames (the statement names the relation by its new name).
    /// </summary>
    private PlannedChange PlanSetOptions(OptionsOf kind, QualifiedName relation, ValueList<string> old, ValueList<string> target)
    {
        static string NameOf(string option) => option.IndexOf('=') is var at and > 0 ? option[..at] : option;
        var set = target.Where(o => !old.Contains(o)).ToValueList();
        var targetNames = target.Select(NameOf).ToHashSet(StringComparer.Ordinal);
        var reset = old.Select(NameOf).Where(n => !targetNames.Contains(n)).Distinct().ToValueList();
        return Add(ChangeRank.Creates + 760, new SetOptions(kind, relation, set, reset));
    }

    /// <summary>The re-created routines a new model's column default or generation expression calls.</summary>
    private List<QualifiedName> FunctionsCalledBy(QualifiedName table, Column column) =>
        (column.GeneratedAs ?? column.Default) is { } expression
            ? RecreatedFunctionsCalled(ModelSide.New, column.Reads, [expression],
                new TextDecision(ModelSide.New, $"{(column.GeneratedAs is null ? "default" : "generated")} {table}.{column.Name}"))
            : [];

    /// <param name="table">The check's table as named on <paramref name="side"/>.</param>
    private List<QualifiedName> CheckFunctionsCalled(ModelSide side, QualifiedName table, CheckConstraint check) =>
        RecreatedFunctionsCalled(side, check.Reads, [check.Expression], new TextDecision(side, $"check {table}.{check.Name}"));

    /// <param name="table">The index's table or materialized view as named on <paramref name="side"/>.</param>
    private List<QualifiedName> IndexFunctionsCalled(ModelSide side, QualifiedName table, Index index) =>
        HasExpression(index) ? RecreatedFunctionsCalled(side, index.Reads, IndexExpressions(index), new TextDecision(side, $"index {table}.{index.Name}")) : [];

    /// <summary>The pg_class names a table's keys, unique constraints, indexes and owned sequences hold in its schema.</summary>
    private static IEnumerable<string> RelationNamesOf(Table table) =>
        (table.PrimaryKey is { } pk ? [pk.Name] : Enumerable.Empty<string>())
            .Concat(table.Uniques.Select(u => u.Name))
            .Concat(table.Indexes.Select(i => i.Name))
            .Concat(table.Columns.Where(OwnsSequence).Select(c => OwnedSequence.Name(table.Name, c.Name)));

    private static bool OwnsSequence(Column column) => column.Identity is not null || column.Type.IsSerial;

    /// <summary>
    /// Whether expressions of a table read one of <paramref name="columns"/>: from what PostgreSQL recorded they read
    /// (<paramref name="reads"/>; an index's include its plain keys), else, for a model that does not know (built from
    /// the DSL, or a snapshot written before Strata recorded reads), from their text.
    /// </summary>
    /// <param name="owners">The expressions' objects on each side, listed in <see cref="SchemaDiff.DecidedFromText"/> when the text decides.</param>
    private bool ReadsAnyColumn(ExpressionReads reads, QualifiedName table, IEnumerable<string?> expressions, HashSet<string> columns, params ReadOnlySpan<TextDecision> owners)
    {
        if (columns.Count == 0)
            return false;
        if (reads.IsKnown)
            return reads.ColumnsOf(table).Any(columns.Contains);
        DecideFromText(owners);
        foreach (var expression in expressions)
        {
            if (expression is not null && SqlLexer.Tokenize(expression) is var sql && columns.Any(c => MentionsColumn(sql, c)))
                return true;
        }
        return false;
    }

    /// <summary>The reads one side of a pair knows (the new model's first): the same expression reads the same.</summary>
    private static ExpressionReads Known(ExpressionReads first, ExpressionReads second) => first.IsKnown ? first : second;

    private static IEnumerable<string?> IndexExpressions(Index index) => index.Elements.Select(e => e.Expression).Append(index.Where);

    private static bool HasExpression(Index index) => index.Where is not null || index.Elements.Any(e => e.Expression is not null);

    /// <summary>
    /// Whether a SQL expression names the column (or a type, for a re-created one it may read): as a name, bare or
    /// quoted, in any case, or as a word of a string constant, which a cast to <c>regclass</c> or <c>regtype</c> reads
    /// as a name (<c>'public.mood'::regtype</c>); not in a comment. Errs towards yes. Only for expressions whose reads
    /// are not known (<see cref="ReadsAnyColumn"/>).
    /// </summary>
    internal static bool MentionsColumn(string expression, string column) => MentionsColumn(SqlLexer.Tokenize(expression), column);

    private static bool MentionsColumn(SqlText expression, string column)
    {
        foreach (var lexeme in expression.Lexemes())
        {
            if (lexeme.IsName && string.Equals(lexeme.Value, column, StringComparison.OrdinalIgnoreCase)
                || lexeme.Kind == SqlLexemeKind.String && lexeme.Value.Contains(column, StringComparison.OrdinalIgnoreCase) && MentionsColumn(lexeme.Value, column))
                return true;
        }
        return false;
    }

    // What a table's SET LOGGED / SET UNLOGGED provides: a member no constraint can be named.
    private const string LoggingMember = "\0logging";

    /// <summary>
    /// ALTER TABLE … SET LOGGED / UNLOGGED. PostgreSQL lets only an unlogged table reference an unlogged one, so a table
    /// turns unlogged after the tables that reference it, and logged after the tables it references.
    /// </summary>
    private void PlanSetTableLogging(Table target)
    {
        var name = target.QualifiedName;
        var planned = Add(ChangeRank.Creates + 750, new SetTableLogging(name, target.Unlogged))
            .Need(FactState.Exists, DependencyKind.Table, name)
            .Provide(FactState.Exists, DependencyKind.Constraint, name, LoggingMember);
        var before = target.Unlogged
            ? _new.Tables.Where(t => t.QualifiedName != name && t.ForeignKeys.Any(f => f.ReferencedTable == name)).Select(t => t.QualifiedName)
            : target.ForeignKeys.Select(f => f.ReferencedTable).Where(r => r != name);
        foreach (var other in before.Distinct())
            planned.Need(FactState.Exists, DependencyKind.Constraint, other, LoggingMember);
    }
}
