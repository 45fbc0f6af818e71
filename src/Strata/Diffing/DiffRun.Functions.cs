using Strata.Diffing.Planning;
using Strata.Model;
using Strata.Sql;

namespace Strata.Diffing;

/// <summary>
/// Functions and procedures: created before the tables (their defaults and checks may call one; a string body is not
/// checked against the tables at CREATE, see <see cref="CreateFunction"/>), replaced in place (CREATE OR REPLACE) where
/// PostgreSQL allows it, renamed when equal but for the name (no decision asked: a routine holds no data), else dropped
/// and created again, with the views that read it. Matched by schema and input argument types, so overloads are
/// separate objects. The changes this part plans are declared at the end of the file.
/// </summary>
internal sealed partial class DiffRun
{
    // After the user types and sequences (a routine's arguments and result may be of them), before the views.
    internal static readonly DiffPart DiffFunctionsPart = Part(DiffPhase.Objects, order: 10, static run => run.DiffFunctions());

    // Before the tables' bodies are compared: a default, check, index or policy that calls a re-created routine is rebuilt around it.
    internal static readonly DiffPart RecreatedFunctionsPart = Part(DiffPhase.TypesRecreated, order: 20, static run => run.DecideRecreatedFunctions());

    // After the user types, before the tables whose defaults, checks and indexes may call a new function.
    private const int CreateFunctionRank = ChangeRank.Creates + 170;
    private const int RenameFunctionRank = ChangeRank.Renames + 500;
    // Once every default, check, index and view that called it has let go, before the types it used are dropped.
    private const int DropFunctionRank = ChangeRank.Releases - 100;

    /// <summary>
    /// Routines dropped and created again, by their new schema and name (how an expression's reads and text name them),
    /// each with the keys of its re-created overloads: the views, defaults, checks, indexes and policies that call one
    /// are rebuilt over it, since PostgreSQL refuses to drop a routine they still call.
    /// </summary>
    private readonly Dictionary<QualifiedName, List<QualifiedName>> _recreatedFunctions = [];

    /// <summary>Each old routine's key (schema and signature) → its key in the new model: moved with its schema, its argument types renamed, or renamed itself.</summary>
    private readonly Dictionary<QualifiedName, QualifiedName> _functionKeys = [];

    private void DecideRecreatedFunctions()
    {
        if (_old.Functions.Count == 0 || _new.Functions.Count == 0)
            return;
        var newByKey = _new.Functions.ToDictionary(f => f.Key);
        foreach (var function in _old.Functions)
        {
            var old = TranslateFunction(function);
            if (!newByKey.TryGetValue(old.Key, out var target) || !MustRecreate(old, target))
                continue;
            if (!_recreatedFunctions.TryGetValue(target.QualifiedName, out var keys))
                _recreatedFunctions[target.QualifiedName] = keys = [];
            keys.Add(target.Key);
        }
    }

    /// <summary>Whether a routine must be dropped and created again: it changes beyond its comment, and CREATE OR REPLACE cannot make the change.</summary>
    private static bool MustRecreate(Function old, Function target) =>
        old != target && old with { Comment = target.Comment } != target && !CanReplace(old, target);

    private void DiffFunctions()
    {
        if (_old.Functions.Count == 0 && _new.Functions.Count == 0)
            return;
        var oldByKey = new Dictionary<QualifiedName, Function>();
        var originals = new Dictionary<QualifiedName, Function>();
        foreach (var function in _old.Functions)
        {
            var translated = TranslateFunction(function);
            oldByKey[translated.Key] = translated;
            originals[translated.Key] = function;
            _functionKeys[function.Key] = translated.Key;
        }
        var newByKey = _new.Functions.ToDictionary(f => f.Key);
        var dropped = oldByKey.Values.Where(f => !newByKey.ContainsKey(f.Key)).ToList();
        var added = _new.Functions.Where(f => !oldByKey.ContainsKey(f.Key)).ToList();

        // A routine equal to a dropped one but for the name is that one renamed.
        foreach (var old in dropped.ToList())
        {
            var to = added.FirstOrDefault(a => a.Schema == old.Schema && a == old with { Name = a.Name });
            if (to is null)
                continue;
            dropped.Remove(old);
            added.Remove(to);
            _functionKeys[originals[old.Key].Key] = to.Key;
            var rename = Add(RenameFunctionRank, new RenameFunction(old, to.Name))
                .Provide(FactState.Gone, DependencyKind.Function, old.Key);
            TakeName(rename, DependencyKind.Function, to.Key);
        }
        foreach (var function in dropped)
            PlanDropFunction(function, originals[function.Key]);
        foreach (var function in added)
            PlanCreateFunction(function);

        foreach (var (key, newFunction) in newByKey)
        {
            if (!oldByKey.TryGetValue(key, out var oldFunction) || oldFunction == newFunction)
                continue;
            if (MustRecreate(oldFunction, newFunction))
            {
                PlanDropFunction(oldFunction, originals[key]);
                PlanCreateFunction(newFunction);
            }
            else if (oldFunction with { Comment = newFunction.Comment } == newFunction)
                PlanFunctionComment(newFunction);
            else
            {
                var replace = Add(CreateFunctionRank, new ReplaceFunction(oldFunction, newFunction))
                    .Need(FactState.Exists, DependencyKind.Function, key);
                UsesFunctionTypes(replace, newFunction);
                UsesNewSchema(replace, newFunction.Schema);
                if (oldFunction.Comment != newFunction.Comment)
                    PlanFunctionComment(newFunction);
            }
        }
    }

    /// <summary>An old routine named as in the new model: its schema and the user types of its arguments and result.</summary>
    private Function TranslateFunction(Function function) => function with
    {
        Schema = MapSchema(function.Schema),
        Arguments = function.Arguments.Select(a => a with { Type = MapType(a.Type) }).ToValueList(),
        Returns = function.Returns is { } returns ? MapType(returns) : null,
    };

    /// <summary>
    /// Whether CREATE OR REPLACE turns <paramref name="from"/> into <paramref name="to"/> (same signature): PostgreSQL
    /// refuses to change the kind of routine, the result (type, SETOF, the OUT and TABLE columns), an input argument's
    /// name (it may name an unnamed one) or to remove a default.
    /// </summary>
    internal static bool CanReplace(Function from, Function to)
    {
        if (from.Kind != to.Kind || from.Returns != to.Returns || from.ReturnsSet != to.ReturnsSet)
            return false;
        var fromOutputs = from.Arguments.Where(a => a.IsOutput).ToList();
        var toOutputs = to.Arguments.Where(a => a.IsOutput).ToList();
        if (fromOutputs.Count != toOutputs.Count)
            return false;
        for (var i = 0; i < fromOutputs.Count; i++)
        {
            if (fromOutputs[i].Name != toOutputs[i].Name || fromOutputs[i].Type != toOutputs[i].Type || fromOutputs[i].Mode != toOutputs[i].Mode)
                return false;
        }
        var fromInputs = from.Arguments.Where(a => a.IsInput).ToList();
        var toInputs = to.Arguments.Where(a => a.IsInput).ToList();
        for (var i = 0; i < fromInputs.Count; i++)
        {
            if (fromInputs[i].Name is { } name && name != toInputs[i].Name)
                return false;
            if (fromInputs[i].Default is not null && toInputs[i].Default is null)
                return false;
        }
        return true;
    }

    private void PlanCreateFunction(Function function)
    {
        var create = Add(CreateFunctionRank, new CreateFunction(function));
        TakeName(create, DependencyKind.Function, function.Key);
        UsesFunctionTypes(create, function);
        // A table's or view's row type as an argument or the result (RETURNS SETOF accounts): created after it.
        foreach (var relation in RowTypesOf(function, _new))
            create.Need(FactState.Exists, _new.FindTable(relation) is null ? DependencyKind.View : DependencyKind.Table, relation);
        // A SQL-standard body is parsed at CREATE: the tables, views and routines it names exist by then, with their columns.
        foreach (var relation in RelationsNamedInBody(function, _new))
        {
            if (_new.FindTable(relation) is null)
                create.Need(FactState.Exists, DependencyKind.View, relation);
            else
                create.Need(FactState.Exists, DependencyKind.Table, relation).Need(FactState.Exists, DependencyKind.Columns, relation);
        }
        foreach (var other in RoutinesNamedInBody(function, _new))
            create.Need(FactState.Exists, DependencyKind.Function, other);
    }

    /// <param name="asNamed">The routine named as in the new model (its schema renamed); <paramref name="original"/> as in the old one.</param>
    private void PlanDropFunction(Function asNamed, Function original)
    {
        var drop = Add(DropFunctionRank, new DropFunction(asNamed))
            .Provide(FactState.Gone, DependencyKind.Function, asNamed.Key);
        UsesNewSchema(drop, asNamed.Schema);
        UsesOldSchema(drop, original.Schema);
        foreach (var type in TypesOf(original))
            drop.Provide(FactState.Gone, DependencyKind.TypeUse, type);
        // PostgreSQL refuses to drop a table or view whose row type a routine uses.
        foreach (var relation in RowTypesOf(original, _old))
            drop.Precede(FactState.Gone, _old.FindTable(relation) is null ? DependencyKind.View : DependencyKind.Table, relation);
        // And a SQL-standard body holds on to what it reads: PostgreSQL refuses to drop or change it first.
        foreach (var relation in RelationsNamedInBody(original, _old))
        {
            drop.Precede(FactState.Gone, _old.FindTable(relation) is null ? DependencyKind.View : DependencyKind.Table, relation)
                .Precede(FactState.Changed, DependencyKind.Table, MapTable(relation));
        }
        foreach (var other in RoutinesNamedInBody(original, _old))
            drop.Precede(FactState.Gone, DependencyKind.Function, TranslateFunction(_old.Functions.First(f => f.Key == other)).Key);
    }

    /// <summary>
    /// The tables and views of <paramref name="model"/> a SQL-standard body names, as a word (errs towards yes: an order
    /// that is not needed is harmless); none for a body in a string, which PostgreSQL does not parse at CREATE.
    /// </summary>
    private static IEnumerable<QualifiedName> RelationsNamedInBody(Function function, DatabaseModel model)
    {
        if (!function.HasStandardBody)
            yield break;
        var body = SqlLexer.Tokenize(function.Body);
        foreach (var table in model.Tables)
        {
            if (MentionsColumn(body, table.Name))
                yield return table.QualifiedName;
        }
        foreach (var view in model.Views)
        {
            if (MentionsColumn(body, view.Name))
                yield return view.QualifiedName;
        }
    }

    /// <summary>The keys of the other routines of <paramref name="model"/> a SQL-standard body names.</summary>
    private static IEnumerable<QualifiedName> RoutinesNamedInBody(Function function, DatabaseModel model)
    {
        if (!function.HasStandardBody)
            yield break;
        var body = SqlLexer.Tokenize(function.Body);
        foreach (var other in model.Functions)
        {
            if (other.Key != function.Key && MentionsColumn(body, other.Name))
                yield return other.Key;
        }
    }

    /// <summary>
    /// The tables and views of <paramref name="model"/> whose row types the routine's arguments or result name: a raw type
    /// named as PostgreSQL prints it (<c>accounts</c> in public, else <c>schema.accounts</c>).
    /// </summary>
    private static IEnumerable<QualifiedName> RowTypesOf(Function function, DatabaseModel model)
    {
        foreach (var type in function.Arguments.Select(a => a.Type).Append(function.Returns))
        {
            if (type is not { Kind: TypeKind.Raw, RawName: { } raw })
                continue;
            var name = QualifiedName.Parse(raw.Replace("\"", "", StringComparison.Ordinal));
            if (model.FindTable(name) is not null || model.Views.Any(v => v.QualifiedName == name))
                yield return name;
        }
    }

    private void PlanFunctionComment(Function function) =>
        Add(CommentRank, new CommentOnFunction(function)).Need(FactState.Exists, DependencyKind.Function, function.Key);

    /// <summary>A change that declares a routine's arguments and result: the user types among them exist by then.</summary>
    private static void UsesFunctionTypes(PlannedChange planned, Function function)
    {
        foreach (var type in TypesOf(function))
            planned.Need(FactState.Exists, DependencyKind.Type, type);
    }

    private static IEnumerable<QualifiedName> TypesOf(Function function)
    {
        foreach (var argument in function.Arguments)
        {
            if (argument.Type.UserTypeName is { } name)
                yield return name;
        }
        if (function.Returns?.UserTypeName is { } result)
            yield return result;
    }

    /// <summary>
    /// Whether a view reads a routine that is dropped and created again (PostgreSQL refuses the DROP while the view
    /// reads it): from the reads PostgreSQL recorded (by schema and name), else from the view's text naming it.
    /// </summary>
    private bool ReadsRecreatedFunction(View oldView)
    {
        if (_recreatedFunctions.Count == 0)
            return false;
        if (oldView.Reads.IsKnown)
            return oldView.Reads.Objects.Any(r => r.Kind == ReadKind.Function && _recreatedFunctions.ContainsKey(MapSchema(r.Name)));
        return _recreatedFunctions.Keys.Any(f => MentionsColumn(oldView.Definition, f.Name));
    }

    /// <summary>
    /// The keys of the re-created routines an expression calls (<see cref="_recreatedFunctions"/>): from the reads
    /// PostgreSQL recorded where the side knows them (the old side's schemas mapped to the new model's), else from its
    /// texts naming one as a word (errs towards yes: a needless rebuild is harmless).
    /// </summary>
    /// <param name="owners">The expression's objects, listed in <see cref="SchemaDiff.DecidedFromText"/> when the text decides.</param>
    private List<QualifiedName> RecreatedFunctionsCalled(ModelSide side, ExpressionReads reads, IEnumerable<string?> texts, params ReadOnlySpan<TextDecision> owners)
    {
        if (_recreatedFunctions.Count == 0)
            return [];
        var called = new List<QualifiedName>();
        if (reads.IsKnown)
        {
            foreach (var read in reads.Objects)
            {
                if (read.Kind == ReadKind.Function && _recreatedFunctions.TryGetValue(side == ModelSide.Old ? MapSchema(read.Name) : read.Name, out var keys))
                    called.AddRange(keys);
            }
            return called;
        }
        var textList = texts.OfType<string>().ToList();
        foreach (var (name, keys) in _recreatedFunctions)
        {
            if (textList.Exists(t => MentionsColumn(t, name.Name)))
                called.AddRange(keys);
        }
        if (called.Count > 0)
            DecideFromText(owners);
        return called;
    }

    /// <summary>A change that removes expressions calling these re-created routines: it comes before they are dropped.</summary>
    private static void LetsGoOfFunctions(PlannedChange planned, IEnumerable<QualifiedName>? keys)
    {
        foreach (var key in keys ?? [])
            planned.Precede(FactState.Gone, DependencyKind.Function, key);
    }

    /// <summary>A change that adds expressions calling these re-created routines: it comes after they are created again.</summary>
    private static void CallsFunctions(PlannedChange planned, IEnumerable<QualifiedName> keys)
    {
        foreach (var key in keys)
            planned.Need(FactState.Exists, DependencyKind.Function, key);
    }
}

/// <summary>
/// CREATE FUNCTION or CREATE PROCEDURE, with its comment. A body in <c>LANGUAGE sql</c> is created with
/// check_function_bodies off, as pg_dump does, so that it may read tables the same migration creates later.
/// </summary>
public sealed record CreateFunction(Function Function) : SchemaChange;

/// <summary>CREATE OR REPLACE of a routine whose signature and result stay (the routine keeps its oid, grants and dependants).</summary>
public sealed record ReplaceFunction(Function From, Function To) : SchemaChange;

public sealed record DropFunction(Function Function) : SchemaChange;

/// <summary>ALTER FUNCTION … RENAME TO: <see cref="From"/> named as in the new model but for its name.</summary>
public sealed record RenameFunction(Function From, string To) : SchemaChange;

/// <summary>COMMENT ON FUNCTION (or PROCEDURE) with its argument types.</summary>
public sealed record CommentOnFunction(Function Function) : SchemaChange;
