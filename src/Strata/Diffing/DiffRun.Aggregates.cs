using Strata.Diffing.Planning;
using Strata.Model;
using Strata.Sql;

namespace Strata.Diffing;

/// <summary>
/// Aggregates: created after the functions and types they are built from and dropped before them; a changed definition
/// is replaced in place (CREATE OR REPLACE AGGREGATE) where PostgreSQL can, else the aggregate is dropped and created
/// again, with the views that use it (as a re-created function's are), and so is one whose function is re-created.
/// Matched by schema, name and arguments. The changes this part plans are declared at the end of the file.
/// </summary>
internal sealed partial class DiffRun
{
    // After the functions (order 10), before the views that may use an aggregate.
    internal static readonly DiffPart DiffAggregatesPart = Part(DiffPhase.Objects, order: 20, static run => run.DiffAggregates());

    // After the functions' re-creation is decided (order 20): an aggregate over a re-created function is re-created too.
    internal static readonly DiffPart RecreatedAggregatesPart = Part(DiffPhase.TypesRecreated, order: 25, static run => run.DecideRecreatedAggregates());

    // After the functions (Creates + 170) it names; dropped before them (Releases - 100).
    private const int CreateAggregateRank = ChangeRank.Creates + 180;
    private const int DropAggregateRank = ChangeRank.Releases - 110;

    /// <summary>The new keys of the aggregates dropped and created again.</summary>
    private readonly HashSet<QualifiedName> _recreatedAggregates = [];

    private void DecideRecreatedAggregates()
    {
        if (_old.Aggregates.Count == 0 || _new.Aggregates.Count == 0)
            return;
        var newByKey = _new.Aggregates.ToDictionary(a => a.Key);
        foreach (var aggregate in _old.Aggregates)
        {
            var old = TranslateAggregate(aggregate);
            if (!newByKey.TryGetValue(old.Key, out var target))
                continue;
            var usesRecreated = FunctionsNamedBy(aggregate, _old).Any(f => _recreatedFunctions.ContainsKey(MapSchema(f)));
            if (!usesRecreated && (old.Definition == target.Definition || CanReplaceAggregate(old, target)))
                continue;
            _recreatedAggregates.Add(target.Key);
            // The views that use it let go of it first and are created again after it, as over a re-created function.
            if (!_recreatedFunctions.TryGetValue(target.QualifiedName, out var keys))
                _recreatedFunctions[target.QualifiedName] = keys = [];
            keys.Add(target.Key);
        }
    }

    private void DiffAggregates()
    {
        if (_old.Aggregates.Count == 0 && _new.Aggregates.Count == 0)
            return;
        var oldByKey = new Dictionary<QualifiedName, (Aggregate Translated, Aggregate Original)>();
        foreach (var aggregate in _old.Aggregates)
        {
            var translated = TranslateAggregate(aggregate);
            oldByKey[translated.Key] = (translated, aggregate);
        }
        var newByKey = _new.Aggregates.ToDictionary(a => a.Key);
        foreach (var (key, (old, original)) in oldByKey)
        {
            if (!newByKey.TryGetValue(key, out var target))
            {
                PlanDropAggregate(old, original);
                continue;
            }
            if (_recreatedAggregates.Contains(key))
            {
                PlanDropAggregate(old, original);
                PlanCreateAggregate(target);
                continue;
            }
            if (old.Definition != target.Definition)
                UsesAggregateParts(Add(CreateAggregateRank, new ReplaceAggregate(target)).Need(FactState.Exists, DependencyKind.Function, key), target);
            if (old.Comment != target.Comment)
                Add(CommentRank, new CommentOnAggregate(target)).Need(FactState.Exists, DependencyKind.Function, key);
        }
        foreach (var (key, aggregate) in newByKey)
        {
            if (!oldByKey.ContainsKey(key))
                PlanCreateAggregate(aggregate);
        }
    }

    /// <summary>An old aggregate named as in the new model: its schema mapped through the schema renames.</summary>
    private Aggregate TranslateAggregate(Aggregate aggregate) => aggregate with { Schema = MapSchema(aggregate.Schema) };

    /// <summary>
    /// Whether CREATE OR REPLACE AGGREGATE (PostgreSQL 12+) turns <paramref name="from"/> into <paramref name="to"/>: it
    /// keeps the signature, and PostgreSQL refuses a new result type (the state type without a final function, else
    /// the final function's) or kind (HYPOTHETICAL), so those options stay as they were.
    /// </summary>
    internal static bool CanReplaceAggregate(Aggregate from, Aggregate to)
    {
        var before = AggregateOptions(from.Definition);
        var after = AggregateOptions(to.Definition);
        return before.GetValueOrDefault("stype") == after.GetValueOrDefault("stype")
            && before.GetValueOrDefault("finalfunc") == after.GetValueOrDefault("finalfunc")
            && before.ContainsKey("hypothetical") == after.ContainsKey("hypothetical");
    }

    /// <summary>The options of a definition by lower-case name, each value's text as written (a flag's empty).</summary>
    internal static Dictionary<string, string> AggregateOptions(string definition)
    {
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        var depth = 0;
        var start = 0;
        void Take(int end)
        {
            var item = definition[start..end].Trim();
            var equals = item.IndexOf('=');
            var name = (equals < 0 ? item : item[..equals]).Trim().ToLowerInvariant();
            if (name.Length > 0)
                options[name] = equals < 0 ? "" : item[(equals + 1)..].Trim();
        }
        foreach (var lexeme in SqlLexer.Tokenize(definition).Lexemes())
        {
            if (lexeme.Is("("))
                depth++;
            else if (lexeme.Is(")"))
                depth--;
            else if (depth == 0 && lexeme.Is(","))
            {
                Take(lexeme.Start);
                start = lexeme.End;
            }
        }
        Take(definition.Length);
        return options;
    }

    private void PlanCreateAggregate(Aggregate aggregate)
    {
        var create = Add(CreateAggregateRank, new CreateAggregate(aggregate));
        TakeName(create, DependencyKind.Function, aggregate.Key);
        UsesAggregateParts(create, aggregate);
    }

    /// <summary>A change that names the aggregate's functions and types: they exist by then.</summary>
    private void UsesAggregateParts(PlannedChange planned, Aggregate aggregate)
    {
        foreach (var function in FunctionsNamedBy(aggregate, _new))
        {
            foreach (var overload in _new.Functions.Where(f => f.QualifiedName == function))
                planned.Need(FactState.Exists, DependencyKind.Function, overload.Key);
        }
        foreach (var type in UserTypesNamedBy(aggregate, _new))
            planned.Need(FactState.Exists, DependencyKind.Type, type);
    }

    /// <param name="asNamed">The aggregate named as in the new model; <paramref name="original"/> as in the old one.</param>
    private void PlanDropAggregate(Aggregate asNamed, Aggregate original)
    {
        var drop = Add(DropAggregateRank, new DropAggregate(asNamed))
            .Provide(FactState.Gone, DependencyKind.Function, asNamed.Key);
        UsesNewSchema(drop, asNamed.Schema);
        UsesOldSchema(drop, original.Schema);
        // PostgreSQL refuses to drop a function or type an aggregate is built from while it stands.
        foreach (var function in FunctionsNamedBy(original, _old))
        {
            foreach (var overload in _old.Functions.Where(f => f.QualifiedName == function))
                drop.Precede(FactState.Gone, DependencyKind.Function, TranslateFunction(overload).Key);
        }
        foreach (var type in UserTypesNamedBy(original, _old))
            drop.Provide(FactState.Gone, DependencyKind.TypeUse, type);
    }

    /// <summary>
    /// The functions of <paramref name="model"/> (by schema and name) an aggregate's definition names as a word (errs
    /// towards yes: an order that is not needed is harmless).
    /// </summary>
    private static IEnumerable<QualifiedName> FunctionsNamedBy(Aggregate aggregate, DatabaseModel model)
    {
        if (model.Functions.Count == 0)
            yield break;
        var definition = SqlLexer.Tokenize(aggregate.Definition);
        foreach (var name in model.Functions.Select(f => f.QualifiedName).Distinct())
        {
            if (MentionsColumn(definition, name.Name))
                yield return name;
        }
    }

    /// <summary>The user types (and row types) of <paramref name="model"/> an aggregate's arguments or definition name as a word.</summary>
    private static IEnumerable<QualifiedName> UserTypesNamedBy(Aggregate aggregate, DatabaseModel model)
    {
        var text = SqlLexer.Tokenize(aggregate.Arguments + ", " + aggregate.Definition);
        foreach (var type in TypeNamesOf(model))
        {
            if (MentionsColumn(text, type.Name))
                yield return type;
        }
    }
}

/// <summary>CREATE AGGREGATE, with its comment.</summary>
public sealed record CreateAggregate(Aggregate Aggregate) : SchemaChange;

/// <summary>CREATE OR REPLACE AGGREGATE (PostgreSQL 12+) of one whose signature, result type and kind stay: it keeps its dependants.</summary>
public sealed record ReplaceAggregate(Aggregate Aggregate) : SchemaChange;

public sealed record DropAggregate(Aggregate Aggregate) : SchemaChange;

/// <summary>COMMENT ON AGGREGATE with its arguments (null: the comment removed).</summary>
public sealed record CommentOnAggregate(Aggregate Aggregate) : SchemaChange;
