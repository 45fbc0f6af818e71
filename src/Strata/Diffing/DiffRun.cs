using System.Text.RegularExpressions;
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
internal sealed partial class DiffRun
{
    // Ranks (a tie-break; the dependencies each change states decide what must come first), on the
    // scale of ChangeRank. Each kind's section below declares its own.
    private const int DropViewRank = ChangeRank.Drops;
    private const int DropForeignKeyRank = ChangeRank.Drops + 100;
    private const int DropIndexRank = ChangeRank.Drops + 200;
    private const int DropConstraintRank = ChangeRank.Drops + 300;
    private const int DropTableRank = ChangeRank.Drops + 400;
    private const int DropColumnRank = ChangeRank.Drops + 500;
    private const int RenameSchemaRank = ChangeRank.Renames;
    // A new schema may take the old name of a renamed one, and tables may move into a new schema.
    private const int CreateSchemaRank = ChangeRank.Renames + 100;
    // A dropped enum or sequence whose name is taken again (by a rename, a new object or a new
    // table's row type) steps aside here and is dropped under the temporary name at the end.
    private const int MoveAsideRank = ChangeRank.Renames + 200;
    private const int RenameEnumRank = ChangeRank.Renames + 300;
    private const int RenameRelationRank = ChangeRank.Renames + 400;
    private const int EnumRank = ChangeRank.Creates;
    private const int SequenceRank = ChangeRank.Creates + 100;
    private const int CreateTableRank = ChangeRank.Creates + 200;
    private const int ColumnRank = ChangeRank.Creates + 300;
    private const int AddPrimaryKeyRank = ChangeRank.Creates + 400;
    private const int AddUniqueRank = ChangeRank.Creates + 500;
    private const int AddCheckRank = ChangeRank.Creates + 600;
    private const int CreateIndexRank = ChangeRank.Creates + 700;
    private const int AddForeignKeyRank = ChangeRank.Creates + 800;
    private const int DropEnumRank = ChangeRank.Releases;
    private const int DropSequenceRank = ChangeRank.Releases + 100;
    private const int DropSchemaRank = ChangeRank.Releases + 200;
    private const int CreateViewRank = ChangeRank.Finishing;
    private const int CommentRank = ChangeRank.Finishing + 500;

    private readonly DatabaseModel _old;
    private readonly DatabaseModel _new;
    private readonly RenameDecisions _decisions;
    private readonly ChangePlanner _plan = new();

    /// <summary>Renames are ordered among themselves first (<see cref="RenameOrder"/>: chains, swaps through temporary names), then planned.</summary>
    private readonly List<SchemaChange> _enumRenames = [];
    private readonly List<(int Order, SchemaChange Rename)> _relationRenames = [];
    private readonly List<RenameCandidate> _unresolved = [];
    private readonly HashSet<(ObjectKind, string)> _notRenamed;

    private readonly Dictionary<string, string> _schemaMap = new(StringComparer.Ordinal);
    private readonly Dictionary<QualifiedName, QualifiedName> _tableMap = [];
    private readonly Dictionary<QualifiedName, QualifiedName> _enumMap = [];
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

    /// <summary>New names of enums re-created rather than altered, and the columns each re-creation converts.</summary>
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
        var sequencePairs = MatchSequences();
        var tablePairs = MatchTables();
        MatchColumns(tablePairs);

        foreach (var (oldTable, newTable) in tablePairs)
            DiffTableBody(oldTable, newTable);
        _referencedKeysMayChange = _droppedKeys.Count > 0
            || _retypedColumns.Values.Any(r => r.Count > 0) || _recreatedColumns.Values.Any(r => r.Count > 0);
        foreach (var (oldTable, newTable) in tablePairs)
            DiffForeignKeys(oldTable, newTable);
        DropAndCreateTables();

        DiffEnums(enumPairs);
        DiffSequences(sequencePairs);
        DiffViews();

        // Sequences, tables, indexes and the indexes behind primary keys and unique constraints share
        // one namespace per schema (pg_class), so their renames are ordered together.
        // Column renames join them because they follow their table's rename (RenameOrder keeps each
        // rename that names a table by its new name after that table's rename).
        foreach (var rename in RenameOrder.Sort(_enumRenames))
            PlanRename(RenameEnumRank, rename);
        foreach (var rename in RenameOrder.Sort(_relationRenames.OrderBy(r => r.Order).Select(r => r.Rename).ToList()))
            PlanRename(RenameRelationRank, rename);
        return new SchemaDiff(_plan.Order().ToValueList(), _unresolved.ToValueList());
    }

    private PlannedChange Add(int rank, SchemaChange change) => _plan.Add(change, rank);

    /// <summary>The order in which kinds of rename are handed to <see cref="RenameOrder"/>, which keeps it where names do not decide.</summary>
    private enum RenameGroup { Sequences, Tables, Columns, OwnedSequences, Indexes, Constraints }

    private void AddRename(RenameGroup group, SchemaChange rename) => _relationRenames.Add(((int)group, rename));

    /// <summary>A rename frees its old name and takes its new one, which must be free first (unless it is a fresh temporary name).</summary>
    private void PlanRename(int rank, SchemaChange rename)
    {
        var planned = Add(rank, rename);
        switch (rename)
        {
            case RenameEnum r:
                NameMove(planned, DependencyKind.TypeName, r.From.ToString(), r.To.ToString());
                planned.Provide(FactState.Exists, DependencyKind.Type, r.To.ToString());
                UsesNewSchema(planned, r.To.Schema);
                break;
            case RenameSequence r:
                NameMove(planned, DependencyKind.RelationName, r.From.ToString(), r.To.ToString());
                planned.Provide(FactState.Exists, DependencyKind.Sequence, r.To.ToString());
                UsesNewSchema(planned, r.To.Schema);
                break;
            case RenameTable r:
                NameMove(planned, DependencyKind.RelationName, r.From.ToString(), r.To.ToString());
                NameMove(planned, DependencyKind.TypeName, r.From.ToString(), r.To.ToString());
                planned.Provide(FactState.Gone, DependencyKind.Table, r.From.ToString())
                    .Provide(FactState.Exists, DependencyKind.Table, r.To.ToString())
                    .Provide(FactState.Changed, DependencyKind.Table, r.To.ToString());
                UsesNewSchema(planned, r.To.Schema);
                break;
            case RenameColumn r:
                NameMove(planned, DependencyKind.Column, $"{r.Table}.{r.From}", $"{r.Table}.{r.To}");
                planned.Need(FactState.Exists, DependencyKind.Table, r.Table.ToString())
                    .Provide(FactState.Changed, DependencyKind.Table, r.Table.ToString())
                    .Provide(FactState.Exists, DependencyKind.Columns, r.Table.ToString());
                break;
            case RenameIndex r:
                NameMove(planned, DependencyKind.RelationName, $"{r.Table.Schema}.{r.From}", $"{r.Table.Schema}.{r.To}");
                break;
            case RenameConstraint r:
                NameMove(planned, DependencyKind.Constraint, $"{r.Table}.{r.From}", $"{r.Table}.{r.To}");
                planned.Need(FactState.Exists, DependencyKind.Table, r.Table.ToString());
                break;
            default:
                throw new ArgumentException($"{rename.GetType().Name} is not a rename.", nameof(rename));
        }
    }

    private static void NameMove(PlannedChange planned, DependencyKind kind, string from, string to)
    {
        planned.Provide(FactState.Gone, kind, from).Provide(FactState.Exists, kind, to);
        if (!RenameOrder.IsTemporary(to) && !IsSteppedAside(to))
            planned.Need(FactState.Gone, kind, to);
    }

    /// <summary>The change names an object by its schema's new name: it runs once the schema exists (created or renamed to).</summary>
    private static void UsesNewSchema(PlannedChange planned, string schema) => planned.Need(FactState.Exists, DependencyKind.Schema, schema);

    /// <summary>The change names an object by its schema's old name: it runs before the schema is renamed or dropped.</summary>
    private static void UsesOldSchema(PlannedChange planned, string schema) => planned.Precede(FactState.Gone, DependencyKind.Schema, schema);

    // ---------------------------------------------------------------- matching

    private string MapSchema(string schema) => _schemaMap.TryGetValue(schema, out var renamed) ? renamed : schema;

    private QualifiedName MapSchema(QualifiedName name) => new(MapSchema(name.Schema), name.Name);

    private void DiffSchemas()
    {
        var oldSchemas = _old.Schemas.ToHashSet(StringComparer.Ordinal);
        var newSchemas = _new.Schemas.ToHashSet(StringComparer.Ordinal);
        var taken = new HashSet<string>(StringComparer.Ordinal);
        foreach (var rename in _decisions.Renames.Where(r => r.Kind == ObjectKind.Schema))
        {
            if (oldSchemas.Contains(rename.From) && newSchemas.Contains(rename.To) && !_schemaMap.ContainsKey(rename.From) && taken.Add(rename.To))
                _schemaMap[rename.From] = rename.To;
        }
        var dropped = new List<string>();
        foreach (var schema in _old.Schemas)
        {
            if (_schemaMap.TryGetValue(schema, out var renamed))
            {
                Add(RenameSchemaRank, new RenameSchema(schema, renamed))
                    .Need(FactState.Gone, DependencyKind.Schema, renamed)
                    .Provide(FactState.Gone, DependencyKind.Schema, schema)
                    .Provide(FactState.Exists, DependencyKind.Schema, renamed);
            }
            else if (newSchemas.Contains(schema) && !taken.Contains(schema))
                taken.Add(schema);
            else
                dropped.Add(schema);
        }
        var added = _new.Schemas.Where(s => !taken.Contains(s)).ToList();
        foreach (var schema in added)
        {
            Add(CreateSchemaRank, new CreateSchema(schema))
                .Need(FactState.Gone, DependencyKind.Schema, schema)
                .Provide(FactState.Exists, DependencyKind.Schema, schema);
        }
        foreach (var schema in dropped)
        {
            // What the schema holds goes first: each object there is dropped or moved out.
            var drop = Add(DropSchemaRank, new DropSchema(schema)).Provide(FactState.Gone, DependencyKind.Schema, schema);
            foreach (var table in _old.Tables.Where(t => t.Schema == schema))
                drop.Need(FactState.Gone, DependencyKind.Table, table.QualifiedName.ToString());
            foreach (var view in _old.Views.Where(v => v.Schema == schema))
                drop.Need(FactState.Gone, DependencyKind.View, view.QualifiedName.ToString());
            foreach (var enumType in _old.Enums.Where(e => e.Schema == schema))
                drop.Need(FactState.Gone, DependencyKind.TypeName, enumType.QualifiedName.ToString());
            foreach (var sequence in _old.Sequences.Where(s => s.Schema == schema))
                drop.Need(FactState.Gone, DependencyKind.RelationName, sequence.QualifiedName.ToString());
        }
        AddCandidates(ObjectKind.Schema, dropped, added);
    }

    private List<(T Old, T New)> MatchByName<T>(ObjectKind kind, IEnumerable<T> oldItems, IEnumerable<T> newItems,
        Func<T, QualifiedName> nameOf, Dictionary<QualifiedName, QualifiedName> map, out List<T> dropped, out List<T> added)
    {
        var oldByName = oldItems.ToDictionary(nameOf);
        var newByName = newItems.ToDictionary(nameOf);
        var explicitRenames = new Dictionary<QualifiedName, QualifiedName>();
        var taken = new HashSet<QualifiedName>();
        foreach (var rename in _decisions.Renames.Where(r => r.Kind == kind))
        {
            var from = QualifiedName.Parse(rename.From);
            var to = QualifiedName.Parse(rename.To);
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
        AddCandidates(kind, dropped.Select(d => nameOf(d).ToString()), added.Select(a => nameOf(a).ToString()));
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

    private List<(EnumType Old, EnumType New)> MatchEnums()
    {
        var pairs = MatchByName(ObjectKind.Enum, _old.Enums, _new.Enums, e => e.QualifiedName, _enumMap, out var dropped, out var added);
        // Enums share the type namespace with the row types of tables and views.
        var typeNames = _new.Enums.Select(e => e.QualifiedName).Concat(_new.Tables.Select(t => t.QualifiedName))
            .Concat(_new.Views.Select(v => v.QualifiedName)).ToHashSet();
        foreach (var enumType in dropped)
        {
            var name = MapSchema(enumType.QualifiedName);
            if (typeNames.Contains(name))
            {
                var aside = name with { Name = DroppedName(name.Name) };
                PlanRename(MoveAsideRank, new RenameEnum(name, aside));
                name = aside;
            }
            PlanDropEnum(enumType.QualifiedName, enumType with { Schema = name.Schema, Name = name.Name });
        }
        foreach (var enumType in added)
        {
            var created = Add(EnumRank, new CreateEnum(enumType));
            TakeTypeName(created, enumType.QualifiedName);
            created.Provide(FactState.Exists, DependencyKind.Type, enumType.QualifiedName.ToString());
            if (enumType.Comment is not null)
                Comment(CommentTarget.Enum, enumType.QualifiedName, null, enumType.Comment, DependencyKind.Type);
        }
        HashSet<string>? literals = null;
        foreach (var (oldEnum, newEnum) in pairs)
        {
            if (oldEnum.Values == newEnum.Values)
                continue;
            if (!IsSubsequence(oldEnum.Values, newEnum.Values))
            {
                _recreatedEnums.Add(newEnum.QualifiedName);
                continue;
            }
            // PostgreSQL refuses to use a value added by ALTER TYPE … ADD VALUE before the transaction
            // commits ("unsafe use of new value"), but accepts any value of a type created in the same
            // transaction: when the schema uses a new value (a default, a check…), re-create the type.
            literals ??= StringLiterals(ExpressionText(_new));
            var oldValues = oldEnum.Values.ToHashSet(StringComparer.Ordinal);
            if (newEnum.Values.Any(v => !oldValues.Contains(v) && literals.Contains(v)))
                _recreatedEnums.Add(newEnum.QualifiedName);
        }
        return pairs;
    }

    /// <summary>
    /// The values of the string literals in SQL text, and the elements of those that are array
    /// literals (<c>'{happy,"very sad"}'</c>): every form in which an enum value can be used.
    /// </summary>
    internal static HashSet<string> StringLiterals(string sql)
    {
        var values = new HashSet<string>(StringComparer.Ordinal);
        var i = 0;
        while (i < sql.Length)
        {
            var c = sql[i];
            if (c == '"')
            {
                // A quoted identifier may hold a single quote: skip it whole.
                i = sql.IndexOf('"', i + 1) is var end and >= 0 ? end + 1 : sql.Length;
                continue;
            }
            if (c != '\'')
            {
                i++;
                continue;
            }
            var escapes = i > 0 && sql[i - 1] is 'E' or 'e' && (i < 2 || !IsWordChar(sql[i - 2]));
            var text = new System.Text.StringBuilder();
            i++;
            while (i < sql.Length)
            {
                if (escapes && sql[i] == '\\' && i + 1 < sql.Length)
                {
                    text.Append(sql[i + 1] switch { 'n' => '\n', 'r' => '\r', 't' => '\t', var other => other });
                    i += 2;
                }
                else if (sql[i] == '\'')
                {
                    if (i + 1 < sql.Length && sql[i + 1] == '\'')
                    {
                        text.Append('\'');
                        i += 2;
                    }
                    else
                    {
                        i++;
                        break;
                    }
                }
                else
                {
                    text.Append(sql[i++]);
                }
            }
            var value = text.ToString();
            values.Add(value);
            if (value.TrimStart().StartsWith('{'))
                values.UnionWith(ArrayElements(value));
        }
        return values;
    }

    private static bool IsWordChar(char c) => char.IsLetterOrDigit(c) || c is '_' or '$';

    /// <summary>The elements of an array literal at any depth, unquoted (<c>{a,"b c",{d}}</c> gives a, b c, d).</summary>
    private static List<string> ArrayElements(string array)
    {
        var elements = new List<string>();
        var element = new System.Text.StringBuilder();
        var quoted = false;
        var wasQuoted = false;
        void Flush()
        {
            var text = wasQuoted ? element.ToString() : element.ToString().Trim();
            if (text.Length > 0 || wasQuoted)
                elements.Add(text);
            element.Clear();
            wasQuoted = false;
        }
        for (var i = 0; i < array.Length; i++)
        {
            var c = array[i];
            if (quoted)
            {
                if (c == '\\' && i + 1 < array.Length)
                    element.Append(array[++i]);
                else if (c == '"')
                    quoted = false;
                else
                    element.Append(c);
            }
            else if (c == '"')
            {
                quoted = wasQuoted = true;
                element.Clear();
            }
            else if (c is '{' or '}' or ',')
            {
                Flush();
            }
            else if (!wasQuoted)
            {
                element.Append(c);
            }
        }
        Flush();
        return elements;
    }

    /// <summary>Every SQL expression of the model in one text, to look for uses of enum values.</summary>
    private static string ExpressionText(DatabaseModel model)
    {
        var text = new System.Text.StringBuilder();
        void Append(string? expression)
        {
            if (expression is not null)
                text.Append(expression).Append('\n');
        }
        void AppendIndexes(ValueList<Index> indexes)
        {
            foreach (var index in indexes)
            {
                Append(index.Where);
                foreach (var element in index.Elements)
                    Append(element.Expression);
            }
        }
        foreach (var table in model.Tables)
        {
            foreach (var column in table.Columns)
            {
                Append(column.Default);
                Append(column.GeneratedAs);
            }
            foreach (var check in table.Checks)
                Append(check.Expression);
            AppendIndexes(table.Indexes);
        }
        foreach (var view in model.Views)
        {
            Append(view.Definition);
            AppendIndexes(view.Indexes);
        }
        return text.ToString();
    }

    private List<(Sequence Old, Sequence New)> MatchSequences()
    {
        var pairs = MatchByName(ObjectKind.Sequence, _old.Sequences, _new.Sequences, s => s.QualifiedName, _sequenceMap, out var dropped, out var added);
        // Sequences share one namespace per schema with tables, views and indexes (pg_class).
        var relationNames = _new.Sequences.Select(s => s.QualifiedName)
            .Concat(_new.Tables.Select(t => t.QualifiedName)).Concat(_new.Views.Select(v => v.QualifiedName))
            .Concat(_new.Tables.SelectMany(t => t.Indexes.Select(i => i.Name)
                .Concat(t.Uniques.Select(u => u.Name)).Concat(t.PrimaryKey is { } pk ? [pk.Name] : [])
                .Concat(t.Columns.Where(OwnsSequence).Select(c => OwnedSequence.Name(t.Name, c.Name)))
                .Select(n => new QualifiedName(t.Schema, n))))
            .Concat(_new.Views.SelectMany(v => v.Indexes.Select(i => new QualifiedName(v.Schema, i.Name))))
            .ToHashSet();
        foreach (var sequence in dropped)
        {
            var name = MapSchema(sequence.QualifiedName);
            if (relationNames.Contains(name))
            {
                var aside = name with { Name = DroppedName(name.Name) };
                PlanRename(MoveAsideRank, new RenameSequence(name, aside));
                name = aside;
            }
            var drop = Add(DropSequenceRank, new DropSequence(sequence with { Schema = name.Schema, Name = name.Name }))
                .Need(FactState.Exists, DependencyKind.RelationName, name.ToString())
                .Provide(FactState.Gone, DependencyKind.RelationName, name.ToString())
                .Provide(FactState.Gone, DependencyKind.Sequence, name.ToString());
            UsesNewSchema(drop, name.Schema);
        }
        foreach (var sequence in added)
        {
            var created = Add(SequenceRank, new CreateSequence(sequence));
            TakeName(created, DependencyKind.RelationName, sequence.QualifiedName);
            created.Provide(FactState.Exists, DependencyKind.Sequence, sequence.QualifiedName.ToString());
            if (sequence.Comment is not null)
                Comment(CommentTarget.Sequence, sequence.QualifiedName, null, sequence.Comment, DependencyKind.Sequence);
        }
        return pairs;
    }

    /// <summary>The temporary name of a dropped object that steps aside (distinct from a re-created enum's <c>__strata_old</c>).</summary>
    private static string DroppedName(string name) => OwnedSequence.ClipToBytes(name, Identifiers.MaxBytes - 13) + SteppedAsideSuffix;

    private const string SteppedAsideSuffix = "__strata_drop";

    private static bool IsSteppedAside(string name) => name.EndsWith(SteppedAsideSuffix, StringComparison.Ordinal);

    /// <summary>A change that creates an object under a name: the name must be free first (its old holder dropped, renamed or moved aside).</summary>
    private static void TakeName(PlannedChange planned, DependencyKind kind, QualifiedName name)
    {
        planned.Need(FactState.Gone, kind, name.ToString()).Provide(FactState.Exists, kind, name.ToString());
        UsesNewSchema(planned, name.Schema);
    }

    private static void TakeTypeName(PlannedChange planned, QualifiedName name) => TakeName(planned, DependencyKind.TypeName, name);

    /// <summary>A dropped object frees its name and is gone.</summary>
    private static PlannedChange FreeName(PlannedChange planned, DependencyKind kind, QualifiedName name) =>
        planned.Provide(FactState.Gone, kind, name.ToString());

    private void Comment(CommentTarget target, QualifiedName name, string? column, string? comment, DependencyKind on) =>
        Add(CommentRank, new SetComment(target, name, column, comment)).Need(FactState.Exists, on, name.ToString());

    /// <summary>
    /// DROP TYPE of an enum once no column uses it: <paramref name="oldKey"/> is its name in the old model
    /// (the columns that let go of it say so), <paramref name="asNamed"/> the type as named when the drop runs.
    /// </summary>
    private void PlanDropEnum(QualifiedName oldKey, EnumType asNamed)
    {
        var name = asNamed.QualifiedName;
        var drop = Add(DropEnumRank, new DropEnum(asNamed))
            .Need(FactState.Exists, DependencyKind.TypeName, name.ToString())
            .Need(FactState.Gone, DependencyKind.TypeUse, oldKey.ToString())
            .Provide(FactState.Gone, DependencyKind.TypeName, name.ToString())
            .Provide(FactState.Gone, DependencyKind.Type, name.ToString());
        UsesNewSchema(drop, name.Schema);
    }

    /// <summary>A change that gives columns their types: the enum types among them exist by then.</summary>
    private static void UsesTypes(PlannedChange planned, IEnumerable<Column> columns)
    {
        foreach (var column in columns)
        {
            if (column.Type.EnumName is { } enumName)
                planned.Need(FactState.Exists, DependencyKind.Type, enumName.ToString());
        }
    }

    /// <summary>A change that removes columns or their old types: the enum types they had may be dropped after it.</summary>
    private static void LetsGoOfTypes(PlannedChange planned, IEnumerable<Column> oldColumns)
    {
        foreach (var column in oldColumns)
        {
            if (column.Type.EnumName is { } enumName)
                planned.Provide(FactState.Gone, DependencyKind.TypeUse, enumName.ToString());
        }
    }

    private List<(Table Old, Table New)> MatchTables()
    {
        var pairs = MatchByName(ObjectKind.Table, _old.Tables, _new.Tables, t => t.QualifiedName, _tableMap, out _droppedTables, out _addedTables);
        pairs.Sort((a, b) => a.Item2.QualifiedName.CompareTo(b.Item2.QualifiedName));
        foreach (var table in _droppedTables)
            _viewBreakingTables.Add(table.QualifiedName);
        return pairs;
    }

    private void MatchColumns(List<(Table Old, Table New)> tablePairs)
    {
        var oldByNew = tablePairs.ToDictionary(p => p.New.QualifiedName, p => p.Old);
        var newByOld = tablePairs.ToDictionary(p => p.Old.QualifiedName, p => p.New);
        // Old table name → (old column → new column) from the decisions that apply.
        var decided = new Dictionary<QualifiedName, Dictionary<string, string>>();
        foreach (var rename in _decisions.Renames.Where(r => r.Kind == ObjectKind.Column))
        {
            var from = ParseColumnKey(rename.From);
            var to = ParseColumnKey(rename.To);
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
            var container = newTable.QualifiedName + ".";
            AddCandidates(ObjectKind.Column,
                dropped.Select(c => oldTable.QualifiedName + "." + c),
                newTable.Columns.Where(c => !taken.Contains(c.Name)).Select(c => container + c.Name));
        }
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

    private static (QualifiedName Table, string Column) ParseColumnKey(string key)
    {
        var first = key.IndexOf('.');
        var last = key.LastIndexOf('.');
        if (first < 0 || first == last)
            return (new QualifiedName("", ""), key);
        return (new QualifiedName(key[..first], key[(first + 1)..last]), key[(last + 1)..]);
    }

    private static bool IsSubsequence(ValueList<string> part, ValueList<string> whole)
    {
        var next = 0;
        foreach (var value in whole)
        {
            if (next < part.Count && part[next] == value)
                next++;
        }
        return next == part.Count;
    }

    // ---------------------------------------------------------------- translating the old side into new names

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

    private ColumnType MapType(ColumnType type) =>
        type.Kind == TypeKind.Enum && type.EnumName is { } enumName && _enumMap.TryGetValue(enumName, out var mapped)
            ? type with { EnumName = mapped }
            : type;

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
        return old with
        {
            Schema = newName.Schema,
            Name = newName.Name,
            Columns = old.Columns.Select(c => c with { Name = MapColumn(table, c.Name), Type = MapType(c.Type) }).ToValueList(),
            PrimaryKey = old.PrimaryKey is { } pk ? pk with { Columns = Columns(pk.Columns) } : null,
            Uniques = old.Uniques.Select(u => u with { Columns = Columns(u.Columns) }).ToValueList(),
            ForeignKeys = old.ForeignKeys.Select(f => f with
            {
                Columns = Columns(f.Columns),
                ReferencedTable = MapTable(f.ReferencedTable),
                ReferencedColumns = f.ReferencedColumns.Select(c => MapColumn(f.ReferencedTable, c)).ToValueList(),
            }).ToValueList(),
            Indexes = old.Indexes.Select(i => i with
            {
                Elements = i.Elements.Select(e => e.Column is { } c ? e with { Column = MapColumn(table, c) } : e).ToValueList(),
                Include = Columns(i.Include),
            }).ToValueList(),
        };
    }

    // ---------------------------------------------------------------- tables

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
            created.Provide(FactState.Exists, DependencyKind.Table, name.ToString())
                .Provide(FactState.Exists, DependencyKind.Columns, name.ToString());
            foreach (var relation in RelationNamesOf(table with { Indexes = ValueList<Index>.Empty, Uniques = inline.ToValueList() }))
                TakeName(created, DependencyKind.RelationName, new QualifiedName(name.Schema, relation));
            if (table.PrimaryKey is { } key)
                created.Provide(FactState.Exists, DependencyKind.Key, KeyName(name, key.Columns));
            foreach (var unique in inline)
                created.Provide(FactState.Exists, DependencyKind.Key, KeyName(name, unique.Columns));
            UsesTypes(created, table.Columns);
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
        if (original == target && old == target && !UsesRecreatedEnum(target))
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
            if (originalColumn.Name != newColumn.Name)
            {
                AddRename(RenameGroup.Columns, new RenameColumn(newName, originalColumn.Name, newColumn.Name));
                _viewBreakingTables.Add(oldName);
            }
            // A serial column turned plain drops its sequence after the renames, by the new names.
            if (OwnsSequence(originalColumn) && (OwnsSequence(newColumn) || originalColumn.Type.IsSerial))
            {
                var oldSequence = new QualifiedName(newName.Schema, OwnedSequence.Name(original.Name, originalColumn.Name));
                var newSequence = OwnedSequence.For(newName, newColumn.Name);
                if (oldSequence != newSequence)
                    AddRename(RenameGroup.OwnedSequences, new RenameSequence(oldSequence, newSequence));
            }
            // A column of a re-created enum is converted to the new type like a retyped one.
            if (OwnedSequence.StorageType(translated.Type) != OwnedSequence.StorageType(newColumn.Type)
                || newColumn.Type.EnumName is { } enumName && _recreatedEnums.Contains(enumName))
                retyped.Add(newColumn.Name);
        }

        // A stored generated column cannot change its expression in place (PostgreSQL 15), and one
        // whose inputs change type must be rebuilt too: drop it and add it again (derived data).
        foreach (var newColumn in target.Columns)
        {
            if (newColumn.GeneratedAs is null || !oldColumns.TryGetValue(newColumn.Name, out var oldColumn))
                continue;
            if (oldColumn.GeneratedAs != newColumn.GeneratedAs || retyped.Any(r => r != newColumn.Name && MentionsColumn(newColumn.GeneratedAs, r)))
                recreated.Add(newColumn.Name);
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
            var changes = ColumnChanges.None;
            if (OwnedSequence.StorageType(oldColumn.Type) != OwnedSequence.StorageType(newColumn.Type))
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

            if (changes.HasFlag(ColumnChanges.Type))
                _viewBreakingTables.Add(oldName);
            else if (newColumn.Type.Kind == TypeKind.Enum && newColumn.Type.EnumName is { } enumName && _recreatedEnums.Contains(enumName))
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
                alters.Add(new AlterColumn(newName, oldColumn, newColumn, changes));
        }
        // Generated columns go first: PostgreSQL refuses to drop a column another one is computed from.
        foreach (var drop in drops.OrderBy(d => d.Column.GeneratedAs is null ? 1 : 0))
        {
            var planned = Add(DropColumnRank, drop)
                .Provide(FactState.Gone, DependencyKind.Column, $"{newName}.{drop.Column.Name}")
                .Provide(FactState.Changed, DependencyKind.Table, newName.ToString())
                .Precede(FactState.Gone, DependencyKind.Table, oldName.ToString());
            if (OwnsSequence(drop.Column))
                FreeName(planned, DependencyKind.RelationName, new QualifiedName(oldName.Schema, OwnedSequence.Name(oldName.Name, drop.Column.Name)));
            LetsGoOfTypes(planned, [drop.Column]);
            UsesOldSchema(planned, oldName.Schema);
        }

        // Generated columns turned plain let go of their inputs first, so those can change type;
        // alters come before adds, since an added generated column may read a retyped column.
        var ordered = alters.OrderBy(a => a.Changes.HasFlag(ColumnChanges.Generated) ? 0 : 1).Cast<SchemaChange>().Concat(adds);
        foreach (var change in ordered)
        {
            var planned = Add(ColumnRank, change)
                .Need(FactState.Exists, DependencyKind.Table, newName.ToString())
                .Provide(FactState.Exists, DependencyKind.Columns, newName.ToString());
            UsesNewSchema(planned, newName.Schema);
            if (change is AddColumn add)
            {
                planned.Need(FactState.Gone, DependencyKind.Column, $"{newName}.{add.Column.Name}")
                    .Provide(FactState.Exists, DependencyKind.Column, $"{newName}.{add.Column.Name}");
                UsesTypes(planned, [add.Column]);
            }
            else if (change is AlterColumn { Changes: var flags } alter && flags.HasFlag(ColumnChanges.Type))
            {
                planned.Provide(FactState.Changed, DependencyKind.Table, newName.ToString());
                UsesTypes(planned, [alter.To]);
                LetsGoOfTypes(planned, [alter.From]);
            }
        }

        if (old.Comment != target.Comment)
            Comment(CommentTarget.Table, newName, null, target.Comment, DependencyKind.Table);

        bool UsesRebuilt(IEnumerable<string> columns) => columns.Any(recreated.Contains);
        bool MentionsRebuilt(string? expression) =>
            expression is not null && (recreated.Any(c => MentionsColumn(expression, c)) || retyped.Any(c => IsEnumConverted(target, c) && MentionsColumn(expression, c)));

        // Primary keys and unique constraints are renamed through their index (ALTER INDEX renames the
        // constraint along): that names them by schema alone, so they need not wait for a table rename
        // and can free a name the table takes.
        DiffNamed<PrimaryKey>(
            old.PrimaryKey is { } oldPk ? [oldPk] : [],
            target.PrimaryKey is { } newPk ? [newPk] : [],
            pk => pk.Name,
            pk => pk with { Name = "" },
            pk => UsesRebuilt(pk.Columns),
            pk =>
            {
                PlanDropKey(new DropPrimaryKey(oldName, pk), oldName, newName, pk.Name, pk.Columns);
                _droppedKeys.Add(KeyOf(newName, pk.Columns));
            },
            pk => PlanAddKey(AddPrimaryKeyRank, new AddPrimaryKey(newName, pk), newName, pk.Name, pk.Columns),
            (from, to) => AddRename(RenameGroup.Indexes, new RenameIndex(newName, from, to)));
        DiffNamed(
            old.Uniques, target.Uniques,
            u => u.Name,
            u => u with { Name = "" },
            u => UsesRebuilt(u.Columns),
            u =>
            {
                PlanDropKey(new DropUnique(oldName, u), oldName, newName, u.Name, u.Columns);
                _droppedKeys.Add(KeyOf(newName, u.Columns));
            },
            u => PlanAddUnique(newName, u),
            (from, to) => AddRename(RenameGroup.Indexes, new RenameIndex(newName, from, to)));
        DiffNamed(
            old.Checks, target.Checks,
            c => c.Name,
            c => c with { Name = "" },
            c => MentionsRebuilt(c.Expression),
            c =>
            {
                var drop = Add(DropConstraintRank, new DropCheck(oldName, c))
                    .Provide(FactState.Gone, DependencyKind.Constraint, $"{newName}.{c.Name}")
                    .Precede(FactState.Gone, DependencyKind.Table, oldName.ToString());
                UsesOldSchema(drop, oldName.Schema);
            },
            c =>
            {
                var add = Add(AddCheckRank, new AddCheck(newName, c))
                    .Need(FactState.Gone, DependencyKind.Constraint, $"{newName}.{c.Name}")
                    .Provide(FactState.Exists, DependencyKind.Constraint, $"{newName}.{c.Name}");
                ReadsColumns(add, newName, DependencyKind.Table);
            },
            (from, to) => AddRename(RenameGroup.Constraints, new RenameConstraint(newName, from, to)));
        DiffNamed(
            old.Indexes, target.Indexes,
            i => i.Name,
            i => i with { Name = "", Concurrently = false },
            i => UsesRebuilt(i.Elements.Where(e => e.Column is not null).Select(e => e.Column!).Concat(i.Include))
                 || MentionsRebuilt(i.Where) || i.Elements.Any(e => MentionsRebuilt(e.Expression)),
            i =>
            {
                PlanDropIndex(oldName, i, IsKey(i) ? KeyName(newName, i.Elements.Select(e => e.Column!)) : null);
                if (IsKey(i))
                    _droppedKeys.Add(KeyOf(newName, i.Elements.Select(e => e.Column!)));
            },
            i => PlanCreateIndex(CreateIndexRank, newName, i, DependencyKind.Table),
            (from, to) => AddRename(RenameGroup.Indexes, new RenameIndex(newName, from, to)));
    }

    private bool UsesRecreatedEnum(Table table) =>
        _recreatedEnums.Count > 0 && table.Columns.Any(c => c.Type.EnumName is { } name && _recreatedEnums.Contains(name));

    private bool IsEnumConverted(Table table, string column) =>
        table.FindColumn(column) is { Type: { Kind: TypeKind.Enum, EnumName: { } name } } && _recreatedEnums.Contains(name);

    private void DiffForeignKeys(Table original, Table target)
    {
        var oldName = original.QualifiedName;
        var newName = target.QualifiedName;
        var old = Translate(original, newName);
        if (old.ForeignKeys == target.ForeignKeys && !_referencedKeysMayChange)
            return;
        bool Touched(QualifiedName table, IEnumerable<string> columns) =>
            (_retypedColumns.TryGetValue(table, out var retyped) && columns.Any(retyped.Contains))
            || (_recreatedColumns.TryGetValue(table, out var recreated) && columns.Any(recreated.Contains));
        DiffNamed(
            old.ForeignKeys, target.ForeignKeys,
            f => f.Name,
            f => f with { Name = "" },
            f => Touched(newName, f.Columns) || Touched(f.ReferencedTable, f.ReferencedColumns)
                 || _droppedKeys.Contains(KeyOf(f.ReferencedTable, f.ReferencedColumns)),
            f => PlanDropForeignKey(oldName, newName, original.ForeignKeys.First(o => o.Name == f.Name), f.ReferencedTable, f.ReferencedColumns),
            f => PlanAddForeignKey(newName, f),
            (from, to) => AddRename(RenameGroup.Constraints, new RenameConstraint(newName, from, to)));
    }

    private static (QualifiedName, string) KeyOf(QualifiedName table, IEnumerable<string> columns) =>
        (table, string.Join("\u0001", columns.Order(StringComparer.Ordinal)));

    /// <summary>A unique index that a foreign key can reference (no predicate, no expression).</summary>
    private static bool IsKey(Index index) => index.Unique && index.Where is null && index.Elements.All(e => e.Column is not null);

    /// <summary>The <see cref="DependencyKind.Key"/> name of a table's key on these columns (the table by its new name).</summary>
    private static string KeyName(QualifiedName table, IEnumerable<string> columns) =>
        $"{table}({string.Join(",", columns.Order(StringComparer.Ordinal))})";

    /// <summary>The pg_class names a table's keys, unique constraints, indexes and owned sequences hold in its schema.</summary>
    private static IEnumerable<string> RelationNamesOf(Table table) =>
        (table.PrimaryKey is { } pk ? [pk.Name] : Enumerable.Empty<string>())
            .Concat(table.Uniques.Select(u => u.Name))
            .Concat(table.Indexes.Select(i => i.Name))
            .Concat(table.Columns.Where(OwnsSequence).Select(c => OwnedSequence.Name(table.Name, c.Name)));

    /// <summary>
    /// A check, key or index reads columns of its table (or view): it runs once they have their new form.
    /// Which columns an expression reads is not known yet (PostgreSQL's pg_depend will say), so it waits for all of them.
    /// </summary>
    private static void ReadsColumns(PlannedChange planned, QualifiedName relation, DependencyKind kind)
    {
        planned.Need(FactState.Exists, kind, relation.ToString()).Need(FactState.Exists, DependencyKind.Columns, relation.ToString());
        UsesNewSchema(planned, relation.Schema);
    }

    private void PlanDropKey(SchemaChange drop, QualifiedName oldTable, QualifiedName newTable, string name, IEnumerable<string> columns)
    {
        var planned = Add(DropConstraintRank, drop)
            .Provide(FactState.Gone, DependencyKind.Key, KeyName(newTable, columns))
            .Precede(FactState.Gone, DependencyKind.Table, oldTable.ToString());
        FreeName(planned, DependencyKind.RelationName, new QualifiedName(oldTable.Schema, name));
        UsesOldSchema(planned, oldTable.Schema);
    }

    private void PlanAddKey(int rank, SchemaChange add, QualifiedName table, string name, IEnumerable<string> columns)
    {
        var planned = Add(rank, add).Provide(FactState.Exists, DependencyKind.Key, KeyName(table, columns));
        TakeName(planned, DependencyKind.RelationName, new QualifiedName(table.Schema, name));
        ReadsColumns(planned, table, DependencyKind.Table);
    }

    private void PlanAddUnique(QualifiedName table, UniqueConstraint unique) =>
        PlanAddKey(AddUniqueRank, new AddUnique(table, unique), table, unique.Name, unique.Columns);

    private void PlanDropIndex(QualifiedName relation, Index index, string? key)
    {
        var planned = Add(DropIndexRank, new DropIndex(relation, index))
            .Precede(FactState.Gone, DependencyKind.Table, relation.ToString());
        FreeName(planned, DependencyKind.RelationName, new QualifiedName(relation.Schema, index.Name));
        if (key is not null)
            planned.Provide(FactState.Gone, DependencyKind.Key, key);
        UsesOldSchema(planned, relation.Schema);
    }

    /// <param name="on">What the index is on: a table, or a materialized view (<see cref="DependencyKind.View"/>).</param>
    private void PlanCreateIndex(int rank, QualifiedName relation, Index index, DependencyKind on)
    {
        var planned = Add(rank, new CreateIndex(relation, index));
        TakeName(planned, DependencyKind.RelationName, new QualifiedName(relation.Schema, index.Name));
        if (IsKey(index))
            planned.Provide(FactState.Exists, DependencyKind.Key, KeyName(relation, index.Elements.Select(e => e.Column!)));
        ReadsColumns(planned, relation, on);
    }

    /// <summary>
    /// DROP CONSTRAINT of a foreign key, by its table's old name: before the key it references is dropped
    /// and before its columns or the referenced ones change. <paramref name="newTable"/> is null for a dropped table.
    /// </summary>
    private void PlanDropForeignKey(QualifiedName oldTable, QualifiedName? newTable, ForeignKey foreignKey,
        QualifiedName referencedTable, IEnumerable<string> referencedColumns)
    {
        var planned = Add(DropForeignKeyRank, new DropForeignKey(oldTable, foreignKey))
            .Provide(FactState.Gone, DependencyKind.Constraint, $"{newTable ?? oldTable}.{foreignKey.Name}")
            .Precede(FactState.Gone, DependencyKind.Key, KeyName(referencedTable, referencedColumns))
            .Precede(FactState.Gone, DependencyKind.Table, oldTable.ToString())
            .Precede(FactState.Gone, DependencyKind.Table, referencedTable.ToString())
            .Precede(FactState.Changed, DependencyKind.Table, referencedTable.ToString());
        if (newTable is { } kept)
            planned.Precede(FactState.Changed, DependencyKind.Table, kept.ToString());
        UsesOldSchema(planned, oldTable.Schema);
    }

    /// <summary>ADD CONSTRAINT … FOREIGN KEY once both tables, their columns and the referenced key exist.</summary>
    private void PlanAddForeignKey(QualifiedName table, ForeignKey foreignKey)
    {
        var planned = Add(AddForeignKeyRank, new AddForeignKey(table, foreignKey))
            .Need(FactState.Gone, DependencyKind.Constraint, $"{table}.{foreignKey.Name}")
            .Provide(FactState.Exists, DependencyKind.Constraint, $"{table}.{foreignKey.Name}")
            .Need(FactState.Exists, DependencyKind.Key, KeyName(foreignKey.ReferencedTable, foreignKey.ReferencedColumns));
        ReadsColumns(planned, table, DependencyKind.Table);
        ReadsColumns(planned, foreignKey.ReferencedTable, DependencyKind.Table);
    }

    /// <summary>
    /// Matches constraints or indexes by name; one whose definition is unchanged under a new name is
    /// renamed (no data at stake), any other difference is a drop and an add.
    /// </summary>
    private static void DiffNamed<T>(IReadOnlyList<T> oldItems, IReadOnlyList<T> newItems,
        Func<T, string> nameOf, Func<T, T> definitionOf, Func<T, bool> mustRebuild,
        Action<T> drop, Action<T> add, Action<string, string> rename)
        where T : notnull
    {
        if (oldItems.Count == 0 && newItems.Count == 0)
            return;
        var newByName = newItems.ToDictionary(nameOf, StringComparer.Ordinal);
        var oldNames = oldItems.Select(nameOf).ToHashSet(StringComparer.Ordinal);
        var handled = new HashSet<string>(StringComparer.Ordinal);
        var unmatchedOld = new List<T>();
        foreach (var oldItem in oldItems)
        {
            var name = nameOf(oldItem);
            if (!newByName.TryGetValue(name, out var newItem))
            {
                unmatchedOld.Add(oldItem);
                continue;
            }
            handled.Add(name);
            if (!EqualityComparer<T>.Default.Equals(definitionOf(oldItem), definitionOf(newItem)) || mustRebuild(oldItem))
            {
                drop(oldItem);
                add(newItem);
            }
        }
        var renameTargets = new Dictionary<T, Queue<T>>();
        foreach (var newItem in newItems)
        {
            if (oldNames.Contains(nameOf(newItem)))
                continue;
            var definition = definitionOf(newItem);
            if (!renameTargets.TryGetValue(definition, out var queue))
                renameTargets[definition] = queue = new Queue<T>();
            queue.Enqueue(newItem);
        }
        foreach (var oldItem in unmatchedOld)
        {
            if (!mustRebuild(oldItem) && renameTargets.TryGetValue(definitionOf(oldItem), out var queue) && queue.Count > 0)
            {
                var newItem = queue.Dequeue();
                handled.Add(nameOf(newItem));
                rename(nameOf(oldItem), nameOf(newItem));
            }
            else
            {
                drop(oldItem);
            }
        }
        foreach (var newItem in newItems)
        {
            if (!handled.Contains(nameOf(newItem)))
                add(newItem);
        }
    }

    private static bool OwnsSequence(Column column) => column.Identity is not null || column.Type.IsSerial;

    /// <summary>Whether a SQL expression names the column (as a bare word or quoted). Errs towards yes.</summary>
    internal static bool MentionsColumn(string expression, string column) =>
        expression.Contains('"' + column.Replace("\"", "\"\"", StringComparison.Ordinal) + '"', StringComparison.Ordinal)
        || Regex.IsMatch(expression, @"(?<![\w$])" + Regex.Escape(column) + @"(?![\w$])", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

    // ---------------------------------------------------------------- enums and sequences

    private void DiffEnums(List<(EnumType Old, EnumType New)> pairs)
    {
        foreach (var (oldEnum, newEnum) in pairs)
        {
            var name = newEnum.QualifiedName;
            var moved = MapSchema(oldEnum.QualifiedName);
            if (moved != name)
                _enumRenames.Add(new RenameEnum(moved, name));
            if (_recreatedEnums.Contains(name))
            {
                var temporary = new QualifiedName(name.Schema, OwnedSequence.ClipToBytes(name.Name, Identifiers.MaxBytes - 13) + "__strata_old");
                var uses = _enumUses.TryGetValue(name, out var list) ? list : [];
                var removed = oldEnum.Values.Where(v => !newEnum.Values.Contains(v)).ToValueList();
                // The old type steps aside to the temporary name, the new one takes the name, and the
                // columns are converted: what reads them is gone by then.
                var recreate = Add(EnumRank, new RecreateEnum(oldEnum with { Schema = name.Schema, Name = name.Name }, newEnum, temporary.Name, uses.ToValueList(), removed))
                    .Need(FactState.Exists, DependencyKind.TypeName, name.ToString())
                    .Provide(FactState.Exists, DependencyKind.TypeName, temporary.ToString())
                    .Provide(FactState.Exists, DependencyKind.Type, name.ToString());
                UsesNewSchema(recreate, name.Schema);
                foreach (var use in uses)
                {
                    recreate.Need(FactState.Exists, DependencyKind.Table, use.Table.ToString())
                        .Provide(FactState.Changed, DependencyKind.Table, use.Table.ToString())
                        .Provide(FactState.Exists, DependencyKind.Columns, use.Table.ToString());
                }
                PlanDropEnum(temporary, oldEnum with { Schema = name.Schema, Name = temporary.Name });
                if (newEnum.Comment is not null)
                    Comment(CommentTarget.Enum, name, null, newEnum.Comment, DependencyKind.Type);
                continue;
            }
            if (oldEnum.Values != newEnum.Values)
                AddValues(name, oldEnum.Values, newEnum.Values);
            if (oldEnum.Comment != newEnum.Comment)
                Comment(CommentTarget.Enum, name, null, newEnum.Comment, DependencyKind.Type);
        }
    }

    /// <summary>ADD VALUE for each new value, placed next to one that exists by then, so the sort order matches.</summary>
    private void AddValues(QualifiedName name, ValueList<string> oldValues, ValueList<string> newValues)
    {
        var existing = oldValues.ToHashSet(StringComparer.Ordinal);
        var lastOriginal = -1;
        for (var i = 0; i < newValues.Count; i++)
        {
            if (existing.Contains(newValues[i]))
                lastOriginal = i;
        }
        for (var i = 0; i < newValues.Count; i++)
        {
            var value = newValues[i];
            if (existing.Contains(value))
                continue;
            var add = i > lastOriginal ? new AddEnumValue(name, value)
                : i > 0 ? new AddEnumValue(name, value, After: newValues[i - 1])
                : new AddEnumValue(name, value, Before: oldValues[0]);
            Add(EnumRank, add).Need(FactState.Exists, DependencyKind.TypeName, name.ToString())
                .Provide(FactState.Exists, DependencyKind.Type, name.ToString());
        }
    }

    private void DiffSequences(List<(Sequence Old, Sequence New)> pairs)
    {
        foreach (var (oldSequence, newSequence) in pairs)
        {
            var name = newSequence.QualifiedName;
            var moved = MapSchema(oldSequence.QualifiedName);
            if (moved != name)
                AddRename(RenameGroup.Sequences, new RenameSequence(moved, name));
            if (oldSequence.Options != newSequence.Options)
            {
                var alter = Add(SequenceRank, new AlterSequence(oldSequence with { Schema = name.Schema, Name = name.Name }, newSequence))
                    .Need(FactState.Exists, DependencyKind.Sequence, name.ToString());
                UsesNewSchema(alter, name.Schema);
            }
            if (oldSequence.Comment != newSequence.Comment)
                Comment(CommentTarget.Sequence, name, null, newSequence.Comment, DependencyKind.Sequence);
        }
    }

    // ---------------------------------------------------------------- views

    private void DiffViews()
    {
        var oldViews = _old.Views.ToDictionary(v => v.QualifiedName);
        var newViews = _new.Views.ToDictionary(v => v.QualifiedName);
        var viewMap = oldViews.Keys.ToDictionary(n => n, MapSchema);
        QualifiedName MapRelation(QualifiedName name) =>
            _tableMap.TryGetValue(name, out var table) ? table : viewMap.TryGetValue(name, out var view) ? view : name;

        var rebuilt = new HashSet<QualifiedName>();
        foreach (var (name, oldView) in oldViews)
        {
            if (!newViews.TryGetValue(viewMap[name], out var newView)
                || oldView.Definition != newView.Definition
                || oldView.Materialized != newView.Materialized
                || oldView.DependsOn.Select(MapRelation).Order().ToValueList() != newView.DependsOn
                || oldView.DependsOn.Any(_viewBreakingTables.Contains)
                || ExpandsStar(oldView))
                rebuilt.Add(name);
        }

        // A view that reads a rebuilt view is rebuilt too.
        var dependents = new Dictionary<QualifiedName, List<QualifiedName>>();
        foreach (var view in oldViews.Values)
        {
            foreach (var dependency in view.DependsOn)
            {
                if (!dependents.TryGetValue(dependency, out var list))
                    dependents[dependency] = list = [];
                list.Add(view.QualifiedName);
            }
        }
        var pending = new Queue<QualifiedName>(rebuilt.Order());
        while (pending.Count > 0)
        {
            if (!dependents.TryGetValue(pending.Dequeue(), out var list))
                continue;
            foreach (var dependent in list)
            {
                if (rebuilt.Add(dependent))
                    pending.Enqueue(dependent);
            }
        }

        var dropOrder = DependenciesFirst(oldViews, rebuilt);
        dropOrder.Reverse();
        foreach (var name in dropOrder)
        {
            // Dropped before anything it reads is dropped, renamed or changes its columns.
            var drop = Add(DropViewRank, new DropView(oldViews[name]));
            FreeName(drop, DependencyKind.View, name);
            FreeName(drop, DependencyKind.RelationName, name);
            FreeName(drop, DependencyKind.TypeName, name);
            foreach (var dependency in oldViews[name].DependsOn)
            {
                var kind = oldViews.ContainsKey(dependency) ? DependencyKind.View : DependencyKind.Table;
                drop.Precede(FactState.Gone, kind, dependency.ToString())
                    .Precede(FactState.Changed, kind, MapRelation(dependency).ToString());
            }
            UsesOldSchema(drop, name.Schema);
        }

        var keptNew = oldViews.Keys.Where(n => !rebuilt.Contains(n)).Select(n => viewMap[n]).ToHashSet();
        var created = newViews.Keys.Where(n => !keptNew.Contains(n)).ToHashSet();
        foreach (var name in DependenciesFirst(newViews, created))
        {
            var view = newViews[name];
            var create = Add(CreateViewRank, new CreateView(view)).Provide(FactState.Exists, DependencyKind.View, name.ToString());
            TakeName(create, DependencyKind.RelationName, name);
            TakeTypeName(create, name);
            foreach (var dependency in view.DependsOn)
            {
                if (newViews.ContainsKey(dependency))
                    create.Need(FactState.Exists, DependencyKind.View, dependency.ToString());
                else
                    create.Need(FactState.Exists, DependencyKind.Table, dependency.ToString())
                        .Need(FactState.Exists, DependencyKind.Columns, dependency.ToString());
            }
            // Dropping a materialized view dropped its indexes; a new or re-created one gets them right after it.
            foreach (var index in view.Indexes)
                PlanCreateIndex(CreateViewRank, name, index, DependencyKind.View);
            if (view.Comment is not null)
                Comment(view.Materialized ? CommentTarget.MaterializedView : CommentTarget.View, name, null, view.Comment, DependencyKind.View);
        }
        foreach (var (name, oldView) in oldViews)
        {
            if (rebuilt.Contains(name))
                continue;
            var newView = newViews[viewMap[name]];
            if (oldView.Comment != newView.Comment)
                Comment(newView.Materialized ? CommentTarget.MaterializedView : CommentTarget.View, newView.QualifiedName, null, newView.Comment, DependencyKind.View);
            // The indexes of a kept materialized view change as a table's do (its columns did not change).
            DiffNamed(
                oldView.Indexes, newView.Indexes,
                i => i.Name,
                i => i with { Name = "", Concurrently = false },
                _ => false,
                i => PlanDropIndex(name, i, null),
                i => PlanCreateIndex(CreateViewRank, newView.QualifiedName, i, DependencyKind.View),
                (from, to) => AddRename(RenameGroup.Indexes, new RenameIndex(newView.QualifiedName, from, to)));
        }
    }

    /// <summary>
    /// Whether the view may select * from a table that gains a column: PostgreSQL expands * when the
    /// view is created, so only a rebuilt view has the new column. Any * counts (count(*) and
    /// multiplication too): a needless rebuild is harmless, a missed one leaves the view behind.
    /// </summary>
    private bool ExpandsStar(View view) => view.Definition.Contains('*') && view.DependsOn.Any(_widenedTables.Contains);

    /// <summary>The selected views ordered so that each comes after the views it reads (ties by name).</summary>
    private static List<QualifiedName> DependenciesFirst(Dictionary<QualifiedName, View> views, HashSet<QualifiedName> selected)
    {
        var order = new List<QualifiedName>();
        var state = new Dictionary<QualifiedName, bool>();
        void Visit(QualifiedName name)
        {
            if (state.TryGetValue(name, out var done))
            {
                if (!done)
                    throw new InvalidOperationException($"Views depend on each other in a cycle through {name}.");
                return;
            }
            state[name] = false;
            foreach (var dependency in views[name].DependsOn.Order())
            {
                if (selected.Contains(dependency) && views.ContainsKey(dependency))
                    Visit(dependency);
            }
            state[name] = true;
            order.Add(name);
        }
        foreach (var name in selected.Order())
            Visit(name);
        return order;
    }
}
