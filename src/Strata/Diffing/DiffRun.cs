using Strata.Diffing.Planning;
using Strata.Model;
using Index = Strata.Model.Index;

namespace Strata.Diffing;

/// <summary>
/// One comparison of two normalized models. Each kind of object is matched (by name, through
/// schema renames and explicit rename decisions), the old side is translated into the new names,
/// and the typed changes are handed to the <see cref="ChangePlanner"/> with what each creates, drops
/// and needs; the planner orders them.
/// </summary>
/// <remarks>
/// Each kind's differ is a part of this class in its own file (DiffRun.Tables.cs, DiffRun.Views.cs, …):
/// it matches its objects, emits their changes with the facts each provides, needs and precedes, and
/// declares the ranks (tie-breaks on the <see cref="ChangeRank"/> scale) of its changes. Nothing else
/// lists the kinds or their order.
/// </remarks>
internal sealed partial class DiffRun
{
    // A dropped enum or sequence whose name is taken again (by a rename, a new object or a new
    // table's row type) steps aside here and is dropped under the temporary name at the end.
    private const int MoveAsideRank = ChangeRank.Renames + 200;
    private const int RenameTypeRank = ChangeRank.Renames + 300;
    private const int RenameRelationRank = ChangeRank.Renames + 400;
    private const int CommentRank = ChangeRank.Finishing + 500;

    private readonly DatabaseModel _old;
    private readonly DatabaseModel _new;
    private readonly RenameDecisions _decisions;
    private readonly ChangePlanner _plan = new();

    /// <summary>
    /// Renames in pg_type's namespace, which every kind of user type shares: ordered among themselves first
    /// (<see cref="RenameOrder"/>: chains, swaps through temporary names), then planned.
    /// </summary>
    private readonly List<SchemaChange> _typeRenames = [];
    // One list per RenameGroup, so that the groups come in order without sorting (int, change) tuples, generic
    // code over a value type that ReadyToRun cannot precompile and every diff would JIT-compile.
    private readonly List<SchemaChange>[] _relationRenames = new List<SchemaChange>[(int)RenameGroup.Constraints + 1];
    private readonly List<RenameCandidate> _unresolved = [];
    private readonly HashSet<(ObjectKind, string)> _notRenamed;

    /// <summary>The objects whose unknown reads a decision fell back to the text for (<see cref="SchemaDiff.DecidedFromText"/>).</summary>
    private readonly HashSet<TextDecision> _decidedFromText = [];

    private readonly Dictionary<string, string> _schemaMap = new(StringComparer.Ordinal);
    private readonly Dictionary<QualifiedName, QualifiedName> _tableMap = [];

    /// <summary>Every matched user type, of whatever kind: its old name → its name in the new model (pg_type names are unique across the kinds).</summary>
    private readonly Dictionary<QualifiedName, QualifiedName> _typeMap = [];
    private readonly Dictionary<QualifiedName, QualifiedName> _sequenceMap = [];
    private readonly Dictionary<QualifiedName, Dictionary<string, string>> _columnMaps = [];
    private readonly Dictionary<QualifiedName, Table> _oldTables;
    private List<Table> _droppedTables = [];
    private List<Table> _addedTables = [];

    /// <summary>Old names of tables that views cannot survive changes to (dropped, renamed, columns dropped, renamed or retyped).</summary>
    private readonly HashSet<QualifiedName> _viewBreakingTables = [];

    /// <summary>Old names of tables that gain a column.</summary>
    private readonly HashSet<QualifiedName> _widenedTables = [];

    /// <summary>New table name → new names of columns whose type changes (or is converted by an enum re-creation).</summary>
    private readonly Dictionary<QualifiedName, HashSet<string>> _retypedColumns = [];

    /// <summary>New table name → new names of columns dropped and added again (stored generated columns).</summary>
    private readonly Dictionary<QualifiedName, HashSet<string>> _recreatedColumns = [];

    /// <summary>Keys (new table, sorted columns) of primary keys and unique constraints or indexes that are dropped.</summary>
    private readonly HashSet<(QualifiedName, string)> _droppedKeys = [];

    /// <summary>New names of user types (of any kind) re-created rather than altered, and the columns each re-creation converts.</summary>
    private readonly HashSet<QualifiedName> _recreatedEnums = [];
    private readonly Dictionary<QualifiedName, List<EnumColumnUse>> _enumUses = [];

    /// <summary>Whether any key or column a foreign key may reference is dropped, retyped or rebuilt.</summary>
    private bool _referencedKeysMayChange;

    public DiffRun(DatabaseModel from, DatabaseModel to, RenameDecisions decisions)
    {
        _old = from;
        _new = to;
        _decisions = decisions;
        _notRenamed = [.. decisions.NotRenamed];
        _oldTables = from.Tables.ToDictionary(t => t.QualifiedName);
    }

    public SchemaDiff Run()
    {
        DiffSchemas();
        var enumPairs = MatchEnums();
        RunParts(DiffPhase.MatchTypes);
        var sequencePairs = MatchSequences();
        var tablePairs = MatchTables();
        MatchColumns(tablePairs);
        RecreateEnumsWhoseNewValuesMayBeUsed(enumPairs, tablePairs);
        RunParts(DiffPhase.TypesRecreated);

        foreach (var (oldTable, newTable) in tablePairs)
            DiffTableBody(oldTable, newTable);
        _referencedKeysMayChange = _droppedKeys.Count > 0
            || _retypedColumns.Values.Any(r => r.Count > 0) || _recreatedColumns.Values.Any(r => r.Count > 0);
        foreach (var (oldTable, newTable) in tablePairs)
            DiffForeignKeys(oldTable, newTable);
        DropAndCreateTables();

        DiffEnums(enumPairs);
        RunParts(DiffPhase.DiffTypes);
        RunParts(DiffPhase.TableBound);
        DiffSequences(sequencePairs);
        RunParts(DiffPhase.Objects);
        DiffViews();
        RunParts(DiffPhase.AfterViews);
        RunParts(DiffPhase.Privileges);
        DiffClusterOn();

        // Sequences, tables, indexes and the indexes behind primary keys and unique constraints share
        // one namespace per schema (pg_class), so their renames are ordered together.
        // Column renames join them because they follow their table's rename (RenameOrder keeps each
        // rename that names a table by its new name after that table's rename).
        foreach (var rename in RenameOrder.Sort(_typeRenames))
            PlanRename(RenameTypeRank, rename);
        var relationRenames = new List<SchemaChange>();
        foreach (var group in _relationRenames)
            relationRenames.AddRange(group ?? []);
        foreach (var rename in RenameOrder.Sort(relationRenames))
            PlanRename(RenameRelationRank, rename);
        return new SchemaDiff(_plan.Order().ToValueList(), _unresolved.ToValueList()) { DecidedFromText = _decidedFromText.Order().ToValueList() };
    }

    /// <summary>A decision needs what these objects read and their models do not know it: it is taken from their text.</summary>
    private void DecideFromText(params ReadOnlySpan<TextDecision> objects)
    {
        foreach (var needed in objects)
            _decidedFromText.Add(needed);
    }

    private PlannedChange Add(int rank, SchemaChange change) => _plan.Add(change, rank);

    /// <summary>The order in which kinds of rename are handed to <see cref="RenameOrder"/>, which keeps it where names do not decide.</summary>
    private enum RenameGroup { Sequences, Tables, Columns, OwnedSequences, Indexes, Constraints }

    private void AddRename(RenameGroup group, SchemaChange rename) => (_relationRenames[(int)group] ??= []).Add(rename);

    /// <summary>A rename frees its old name and takes its new one, which must be free first (unless it is a fresh temporary name).</summary>
    private void PlanRename(int rank, SchemaChange rename)
    {
        var planned = Add(rank, rename);
        switch (rename)
        {
            case ITypeRename r:
                NameMove(planned, DependencyKind.TypeName, r.From, r.To);
                planned.Provide(FactState.Exists, DependencyKind.Type, r.To);
                UsesNewSchema(planned, r.To.Schema);
                break;
            case RenameSequence r:
                NameMove(planned, DependencyKind.RelationName, r.From, r.To);
                planned.Provide(FactState.Exists, DependencyKind.Sequence, r.To);
                UsesNewSchema(planned, r.To.Schema);
                break;
            case RenameTable r:
                NameMove(planned, DependencyKind.RelationName, r.From, r.To);
                NameMove(planned, DependencyKind.TypeName, r.From, r.To);
                planned.Provide(FactState.Gone, DependencyKind.Table, r.From)
                    .Provide(FactState.Exists, DependencyKind.Table, r.To)
                    .Provide(FactState.Changed, DependencyKind.Table, r.To);
                UsesNewSchema(planned, r.To.Schema);
                break;
            case RenameColumn r:
                NameMove(planned, DependencyKind.Column, r.Table, r.From, r.To);
                planned.Need(FactState.Exists, DependencyKind.Table, r.Table)
                    .Provide(FactState.Changed, DependencyKind.Table, r.Table)
                    .Provide(FactState.Exists, DependencyKind.Columns, r.Table);
                break;
            case RenameIndex r:
                NameMove(planned, DependencyKind.RelationName, new QualifiedName(r.Table.Schema, r.From), new QualifiedName(r.Table.Schema, r.To));
                break;
            case RenameConstraint r:
                NameMove(planned, DependencyKind.Constraint, r.Table, r.From, r.To);
                planned.Need(FactState.Exists, DependencyKind.Table, r.Table);
                break;
            default:
                throw new ArgumentException($"{rename.GetType().Name} is not a rename.", nameof(rename));
        }
    }

    private static void NameMove(PlannedChange planned, DependencyKind kind, QualifiedName from, QualifiedName to)
    {
        planned.Provide(FactState.Gone, kind, from).Provide(FactState.Exists, kind, to);
        if (!RenameOrder.IsTemporary(to.Name) && !IsSteppedAside(to.Name))
            planned.Need(FactState.Gone, kind, to);
    }

    /// <summary>The same for a member of a table (a column or constraint).</summary>
    private static void NameMove(PlannedChange planned, DependencyKind kind, QualifiedName table, string from, string to)
    {
        planned.Provide(FactState.Gone, kind, table, from).Provide(FactState.Exists, kind, table, to);
        if (!RenameOrder.IsTemporary(to) && !IsSteppedAside(to))
            planned.Need(FactState.Gone, kind, table, to);
    }

    /// <summary>The change names an object by its schema's new name: it runs once the schema exists (created or renamed to).</summary>
    private static void UsesNewSchema(PlannedChange planned, string schema) => planned.Need(FactState.Exists, ObjectRef.Schema(schema));

    /// <summary>The change names an object by its schema's old name: it runs before the schema is renamed or dropped.</summary>
    private static void UsesOldSchema(PlannedChange planned, string schema) => planned.Precede(FactState.Gone, ObjectRef.Schema(schema));

    private string MapSchema(string schema) => _schemaMap.TryGetValue(schema, out var renamed) ? renamed : schema;

    private QualifiedName MapSchema(QualifiedName name) => new(MapSchema(name.Schema), name.Name);

    private List<(T Old, T New)> MatchByName<T>(ObjectKind kind, IEnumerable<T> oldItems, IEnumerable<T> newItems,
        Func<T, QualifiedName> nameOf, Dictionary<QualifiedName, QualifiedName> map, out List<T> dropped, out List<T> added)
    {
        var oldByName = oldItems.ToDictionary(nameOf);
        var newByName = newItems.ToDictionary(nameOf);
        var explicitRenames = new Dictionary<QualifiedName, QualifiedName>();
        var taken = new HashSet<QualifiedName>();
        foreach (var rename in _decisions.Renames.Where(r => r.Kind == kind))
        {
            var from = ObjectKey.Name(rename.From);
            var to = ObjectKey.Name(rename.To);
            if (oldByName.ContainsKey(from) && newByName.ContainsKey(to) && !explicitRenames.ContainsKey(from) && taken.Add(to))
                explicitRenames[from] = to;
        }
        var pairs = new List<(T, T)>();
        dropped = [];
        foreach (var (name, item) in oldByName)
        {
            if (!explicitRenames.TryGetValue(name, out var target))
            {
                target = MapSchema(name);
                if (!newByName.ContainsKey(target) || !taken.Add(target))
                {
                    dropped.Add(item);
                    continue;
                }
            }
            map[name] = target;
            pairs.Add((item, newByName[target]));
        }
        added = newByName.Where(kv => !taken.Contains(kv.Key)).Select(kv => kv.Value).ToList();
        AddCandidates(kind, dropped.Select(d => ObjectKey.Of(nameOf(d))), added.Select(a => ObjectKey.Of(nameOf(a))));
        return pairs;
    }

    private void AddCandidates(ObjectKind kind, IEnumerable<string> droppedKeys, IEnumerable<string> addedKeys)
    {
        var added = addedKeys.Where(k => !_notRenamed.Contains((kind, k))).Order(StringComparer.Ordinal).ToValueList();
        if (added.Count == 0)
            return;
        foreach (var dropped in droppedKeys.Order(StringComparer.Ordinal))
        {
            if (!_notRenamed.Contains((kind, dropped)))
                _unresolved.Add(new RenameCandidate(kind, dropped, added));
        }
    }

    /// <summary>The temporary name of a dropped object that steps aside (distinct from a re-created enum's <c>__strata_old</c>).</summary>
    private static string DroppedName(string name) => OwnedSequence.ClipToBytes(name, Identifiers.MaxBytes - 13) + SteppedAsideSuffix;

    private const string SteppedAsideSuffix = "__strata_drop";

    private static bool IsSteppedAside(string name) => name.EndsWith(SteppedAsideSuffix, StringComparison.Ordinal);

    /// <summary>A change that creates an object under a name: the name must be free first (its old holder dropped, renamed or moved aside).</summary>
    private static void TakeName(PlannedChange planned, DependencyKind kind, QualifiedName name)
    {
        planned.Need(FactState.Gone, kind, name).Provide(FactState.Exists, kind, name);
        UsesNewSchema(planned, name.Schema);
    }

    private static void TakeTypeName(PlannedChange planned, QualifiedName name) => TakeName(planned, DependencyKind.TypeName, name);

    /// <summary>A dropped object frees its name and is gone.</summary>
    private static PlannedChange FreeName(PlannedChange planned, DependencyKind kind, QualifiedName name) =>
        planned.Provide(FactState.Gone, kind, name);

    private void Comment(CommentTarget target, QualifiedName name, string? column, string? comment, DependencyKind on) =>
        Add(CommentRank, new SetComment(target, name, column, comment)).Need(FactState.Exists, on, name);

    private QualifiedName MapTable(QualifiedName oldName) => _tableMap.TryGetValue(oldName, out var mapped) ? mapped : oldName;

    /// <summary>
    /// The new name of an old column. A dropped column of a kept table gets a name no column can
    /// have, so that it never passes for a new column that took its name.
    /// </summary>
    private string MapColumn(QualifiedName oldTable, string column)
    {
        if (!_columnMaps.TryGetValue(oldTable, out var map))
            return column;
        return map.TryGetValue(column, out var mapped) ? mapped : DroppedColumnPrefix + column;
    }

    private const string DroppedColumnPrefix = "\0dropped:";

    /// <summary>An old column type as named in the new model: a user type (or an array of one) by its new name; other types unchanged.</summary>
    private ColumnType MapType(ColumnType type) =>
        type.IsUserType && type.UserTypeName is { } name && _typeMap.TryGetValue(name, out var mapped) ? type.WithUserTypeName(mapped) : type;

    /// <summary>A user type's old name as named in the new model (renamed, or moved with its schema); other names unchanged.</summary>
    private QualifiedName MapTypeName(QualifiedName name) => _typeMap.TryGetValue(name, out var mapped) ? mapped : name;

    /// <summary>What an old expression reads with the user types named as in the new model.</summary>
    private ExpressionReads MapTypeReads(ExpressionReads reads) => reads.Map(r => r.Kind == ReadKind.Type ? r with { Name = MapTypeName(r.Name) } : r);

    /// <summary>
    /// The expressions of a side's objects other than tables and views (the defaults and checks of the kinds of
    /// <see cref="UserTypeParts"/>), each with its object and what it reads; the old side's named as in the new model.
    /// </summary>
    private IEnumerable<(string Key, string Text, ExpressionReads Reads)> TypeExpressions(ModelSide side)
    {
        foreach (var part in UserTypeParts)
        {
            foreach (var expression in part.Expressions(this, side))
                yield return expression;
        }
    }

    /// <summary>The names of the new model's types whose values are the type's own (based on it): a cast to one is a cast to it.</summary>
    private IEnumerable<string> TypesOver(QualifiedName type)
    {
        foreach (var part in UserTypeParts)
        {
            foreach (var name in part.TypesOver(_new, type))
                yield return name;
        }
    }

    /// <summary>
    /// The names taken in the new model's pg_type namespace: the user types of every kind and the row types of tables
    /// and views. A dropped type whose name one of them takes steps aside under a temporary name first.
    /// </summary>
    private HashSet<QualifiedName> NewTypeNames => _newTypeNames ??= TypeNamesOf(_new);

    private HashSet<QualifiedName>? _newTypeNames;

    // Loops rather than LINQ to QualifiedName: generic code over a value type, which ReadyToRun cannot precompile.
    private static HashSet<QualifiedName> TypeNamesOf(DatabaseModel model)
    {
        var names = new HashSet<QualifiedName>();
        foreach (var enumType in model.Enums)
            names.Add(enumType.QualifiedName);
        foreach (var part in UserTypeParts)
            part.AddNames(model, names);
        foreach (var table in model.Tables)
            names.Add(table.QualifiedName);
        foreach (var view in model.Views)
            names.Add(view.QualifiedName);
        return names;
    }

    private readonly Dictionary<QualifiedName, Table> _translated = [];

    /// <summary>The old table as it reads after the renames: new table, column, enum and referenced names.</summary>
    private Table Translate(Table old, QualifiedName newName)
    {
        if (!_translated.TryGetValue(old.QualifiedName, out var translated))
            _translated[old.QualifiedName] = translated = TranslateUncached(old, newName);
        return translated;
    }

    private Table TranslateUncached(Table old, QualifiedName newName)
    {
        var table = old.QualifiedName;
        ValueList<string> Columns(ValueList<string> names) => names.Select(n => MapColumn(table, n)).ToValueList();
        ExpressionReads Reads(ExpressionReads reads) => reads.Map(r => TranslateRead(table, newName, r));
        return old with
        {
            Schema = newName.Schema,
            Name = newName.Name,
            Columns = old.Columns.Select(c => c with { Name = MapColumn(table, c.Name), Type = MapType(c.Type), Reads = Reads(c.Reads) }).ToValueList(),
            PrimaryKey = old.PrimaryKey is { } pk ? pk with { Columns = Columns(pk.Columns) } : null,
            Uniques = old.Uniques.Select(u => u with { Columns = Columns(u.Columns) }).ToValueList(),
            ForeignKeys = old.ForeignKeys.Select(f => f with
            {
                Columns = Columns(f.Columns),
                ReferencedTable = MapTable(f.ReferencedTable),
                ReferencedColumns = f.ReferencedColumns.Select(c => MapColumn(f.ReferencedTable, c)).ToValueList(),
            }).ToValueList(),
            Checks = old.Checks.Any(c => c.Reads.IsKnown) ? old.Checks.Select(c => c with { Reads = Reads(c.Reads) }).ToValueList() : old.Checks,
            Indexes = old.Indexes.Select(i => i with
            {
                Elements = i.Elements.Select(e => e.Column is { } c ? e with { Column = MapColumn(table, c) } : e).ToValueList(),
                Include = Columns(i.Include),
                Reads = Reads(i.Reads),
            }).ToValueList(),
        };
    }

    /// <summary>What an old table's expression reads, named as in the new model: its own columns and the user types it reads by their new names.</summary>
    private ReadObject TranslateRead(QualifiedName oldTable, QualifiedName newTable, ReadObject read) => read.Kind switch
    {
        ReadKind.Column when read.Name == oldTable => read with { Name = newTable, Column = MapColumn(oldTable, read.Column!) },
        ReadKind.Type => read with { Name = MapTypeName(read.Name) },
        _ => read,
    };
}
