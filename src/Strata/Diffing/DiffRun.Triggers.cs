using Strata.Diffing.Planning;
using Strata.Model;

namespace Strata.Diffing;

/// <summary>
/// Triggers of tables and views: created after their relation, the columns they read and their function; renamed
/// (ALTER TRIGGER … RENAME TO) when equal but for the name; their enabled state (ALTER TABLE … ENABLE / DISABLE
/// TRIGGER) and comment changed in place; any other change drops and creates them again, as does a change to a column
/// they read (UPDATE OF or WHEN: PostgreSQL refuses to drop or retype it while the trigger uses it) or their function
/// being dropped and created again (PostgreSQL refuses to drop a function a trigger runs). A dropped table or a
/// re-created view takes its triggers with it; a re-created view gets them again.
/// </summary>
internal sealed partial class DiffRun
{
    // Before the columns they read change and before their function is dropped.
    private const int DropTriggerRank = ChangeRank.Drops + 40;
    // After the views (INSTEAD OF triggers are on views), the columns and the functions.
    private const int TriggerRank = ChangeRank.Finishing + 100;

    internal static readonly DiffPart TriggersPart = Part(DiffPhase.AfterViews, order: 10, static run => run.DiffTriggers());

    private void DiffTriggers()
    {
        if (_old.Triggers.Count == 0 && _new.Triggers.Count == 0)
            return;
        var droppedTables = _droppedTables.Select(t => t.QualifiedName).ToHashSet();
        var newByRelation = _new.Triggers.ToDictionary(t => t.RelationName);
        var compared = new HashSet<QualifiedName>();
        foreach (var old in _old.Triggers)
        {
            var oldName = old.RelationName;
            var onView = _old.FindTable(oldName) is null;
            QualifiedName newName;
            if (!onView)
            {
                // A dropped table takes its triggers with it.
                if (droppedTables.Contains(oldName) || !_tableMap.TryGetValue(oldName, out newName))
                    continue;
            }
            else
            {
                newName = MapSchema(oldName);
                // A dropped or re-created view took its triggers with it: a re-created one gets them as new.
                if (_new.FindView(newName) is null || _rebuiltViews.Contains(oldName))
                    continue;
            }
            compared.Add(newName);
            DiffRelationTriggers(old, newByRelation.GetValueOrDefault(newName) ?? new RelationTriggers(newName.Schema, newName.Name), oldName, newName, onView);
        }
        foreach (var triggers in _new.Triggers)
        {
            if (compared.Contains(triggers.RelationName))
                continue;
            var onView = _new.FindTable(triggers.RelationName) is null;
            foreach (var trigger in triggers.Triggers)
                PlanCreateTrigger(triggers.RelationName, trigger, onView);
        }
    }

    private void DiffRelationTriggers(RelationTriggers old, RelationTriggers target, QualifiedName oldName, QualifiedName newName, bool onView)
    {
        if (old.Triggers.Count == 0 && target.Triggers.Count == 0)
            return;
        var changedColumns = onView ? [] : ChangedColumnsOf(oldName, newName);
        var newByName = target.Triggers.ToDictionary(t => t.Name, StringComparer.Ordinal);
        var oldNames = old.Triggers.Select(t => t.Name).ToHashSet(StringComparer.Ordinal);
        var handled = new HashSet<string>(StringComparer.Ordinal);
        var unmatched = new List<Trigger>();
        foreach (var trigger in old.Triggers)
        {
            var translated = TranslateTrigger(trigger, oldName, onView);
            if (!newByName.TryGetValue(trigger.Name, out var next))
            {
                unmatched.Add(trigger);
                continue;
            }
            handled.Add(trigger.Name);
            if (!SameButState(translated, next) || MustRecreate(trigger, next, oldName, newName, changedColumns))
            {
                PlanDropTrigger(oldName, newName, trigger, translated, onView);
                PlanCreateTrigger(newName, next, onView);
                continue;
            }
            if (trigger.Enabled != next.Enabled)
                Add(TriggerRank, new SetTriggerEnabled(newName, next.Name, next.Enabled, onView)).Need(FactState.Exists, DependencyKind.Trigger, newName, next.Name);
            if (trigger.Comment != next.Comment)
                Add(CommentRank, new CommentOnTrigger(newName, next.Name, next.Comment)).Need(FactState.Exists, DependencyKind.Trigger, newName, next.Name);
        }
        // One equal to a dropped one but for its name is that one renamed (firing order among a relation's triggers is by name).
        var renameTargets = target.Triggers.Where(t => !oldNames.Contains(t.Name)).ToList();
        foreach (var trigger in unmatched)
        {
            var translated = TranslateTrigger(trigger, oldName, onView);
            var renamed = MustRecreate(trigger, null, oldName, newName, changedColumns)
                ? null
                : renameTargets.FirstOrDefault(t => !handled.Contains(t.Name) && t == translated with { Name = t.Name, Reads = t.Reads });
            if (renamed is null)
            {
                PlanDropTrigger(oldName, newName, trigger, translated, onView);
                continue;
            }
            handled.Add(renamed.Name);
            var planned = Add(TriggerRank, new RenameTrigger(newName, trigger.Name, renamed.Name))
                .Need(FactState.Exists, onView ? DependencyKind.View : DependencyKind.Table, newName);
            NameMove(planned, DependencyKind.Trigger, newName, trigger.Name, renamed.Name);
            UsesNewSchema(planned, newName.Schema);
        }
        foreach (var trigger in target.Triggers)
        {
            if (!handled.Contains(trigger.Name))
                PlanCreateTrigger(newName, trigger, onView);
        }
    }

    /// <summary>An old trigger named as in the new model: its function's schema, its FROM table and its UPDATE OF columns.</summary>
    private Trigger TranslateTrigger(Trigger trigger, QualifiedName oldName, bool onView) => trigger with
    {
        Function = MapSchema(trigger.Function),
        From = trigger.From is { } from ? MapTable(from) : null,
        UpdateOf = onView ? trigger.UpdateOf : trigger.UpdateOf.Select(c => MapColumn(oldName, c)).ToValueList(),
    };

    /// <summary>Whether two triggers differ at most in what is changed in place: the enabled state and the comment.</summary>
    private static bool SameButState(Trigger old, Trigger next) =>
        old with { Enabled = next.Enabled, Comment = next.Comment, Reads = next.Reads } == next;

    /// <summary>Whether the old trigger must be dropped (and created again) whatever else: its function is re-created or a column it reads changes.</summary>
    private bool MustRecreate(Trigger old, Trigger? next, QualifiedName oldName, QualifiedName newName, HashSet<string> changedColumns)
    {
        if (_recreatedFunctions.ContainsKey(MapSchema(old.Function)))
            return true;
        if (old.Reads.IsKnown)
            return ReadsChangedColumn(old.Reads);
        if (old.UpdateOf.Any(c => changedColumns.Contains(c) || changedColumns.Contains(MapColumn(oldName, c))))
            return true;
        return ReadsAnyColumn(ExpressionReads.Unknown, newName, [old.When], changedColumns,
            [new(ModelSide.Old, $"trigger {oldName}.{old.Name}"), .. next is null ? Array.Empty<TextDecision>() : [new TextDecision(ModelSide.New, $"trigger {newName}.{next.Name}")]]);
    }

    /// <summary>
    /// DROP TRIGGER, by its relation's old name: before the relation is renamed or dropped, before a column it reads
    /// changes and before its function is dropped.
    /// </summary>
    private void PlanDropTrigger(QualifiedName oldName, QualifiedName newName, Trigger trigger, Trigger translated, bool onView)
    {
        var kind = onView ? DependencyKind.View : DependencyKind.Table;
        var planned = Add(DropTriggerRank, new DropTrigger(oldName, trigger))
            .Provide(FactState.Gone, DependencyKind.Trigger, newName, trigger.Name)
            .Precede(FactState.Gone, kind, oldName)
            .Precede(FactState.Changed, kind, newName)
            .Precede(FactState.Gone, DependencyKind.Function, translated.FunctionKey);
        UsesOldSchema(planned, oldName.Schema);
    }

    private void PlanCreateTrigger(QualifiedName relation, Trigger trigger, bool onView)
    {
        var planned = Add(TriggerRank, new CreateTrigger(relation, trigger, onView))
            .Need(FactState.Gone, DependencyKind.Trigger, relation, trigger.Name)
            .Provide(FactState.Exists, DependencyKind.Trigger, relation, trigger.Name)
            .Need(FactState.Exists, DependencyKind.Function, trigger.FunctionKey);
        if (onView)
        {
            planned.Need(FactState.Exists, DependencyKind.View, relation);
            UsesNewSchema(planned, relation.Schema);
        }
        else
            ReadsColumns(planned, relation, DependencyKind.Table, trigger.Reads.IsKnown ? trigger.Reads.ColumnsOf(relation) : null);
        if (trigger.From is { } from)
            planned.Need(FactState.Exists, DependencyKind.Table, from);
    }
}

/// <summary>CREATE [CONSTRAINT] TRIGGER, then its enabled state and comment when not the defaults.</summary>
public sealed record CreateTrigger(QualifiedName Relation, Trigger Trigger, bool OnView = false) : SchemaChange;

/// <summary>DROP TRIGGER, the relation by its name when the drop runs.</summary>
public sealed record DropTrigger(QualifiedName Relation, Trigger Trigger) : SchemaChange;

/// <summary>ALTER TRIGGER … ON relation RENAME TO.</summary>
public sealed record RenameTrigger(QualifiedName Relation, string From, string To) : SchemaChange;

/// <summary>ALTER TABLE (or VIEW) … ENABLE [REPLICA | ALWAYS] | DISABLE TRIGGER.</summary>
public sealed record SetTriggerEnabled(QualifiedName Relation, string Name, TriggerEnabled Enabled, bool OnView = false) : SchemaChange;

/// <summary>COMMENT ON TRIGGER … ON relation.</summary>
public sealed record CommentOnTrigger(QualifiedName Relation, string Name, string? Comment) : SchemaChange;
