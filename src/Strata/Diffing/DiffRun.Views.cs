using Strata.Diffing.Planning;
using Strata.Model;
using Strata.Sql;
using Index = Strata.Model.Index;

namespace Strata.Diffing;

/// <summary>Views and materialized views: re-created when anything they read changes in a way they cannot follow.</summary>
internal sealed partial class DiffRun
{
    // Views go first: PostgreSQL refuses to drop, retype or rename what a view reads.
    private const int DropViewRank = ChangeRank.Drops;

    private const int CreateViewRank = ChangeRank.Finishing;

    /// <summary>Old names of the views dropped and created again (their triggers go with them).</summary>
    private readonly HashSet<QualifiedName> _rebuiltViews = [];

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
                || ExpandsStar(oldView, newView)
                || RecreatedTypesRead(oldView, newView).Any()
                || ReadsRecreatedFunction(oldView))
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

        _rebuiltViews.UnionWith(rebuilt);
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
                drop.Precede(FactState.Gone, kind, dependency)
                    .Precede(FactState.Changed, kind, MapRelation(dependency));
            }
            // The old type of a re-created user type it reads is dropped once the view no longer holds it.
            LetsGoOfRecreatedTypes(drop, RecreatedTypesRead(oldViews[name], newViews.GetValueOrDefault(viewMap[name])));
            UsesOldSchema(drop, name.Schema);
        }

        var keptNew = oldViews.Keys.Where(n => !rebuilt.Contains(n)).Select(n => viewMap[n]).ToHashSet();
        var created = newViews.Keys.Where(n => !keptNew.Contains(n)).ToHashSet();
        foreach (var name in DependenciesFirst(newViews, created))
        {
            var view = newViews[name];
            var create = Add(CreateViewRank, new CreateView(view)).Provide(FactState.Exists, DependencyKind.View, name);
            TakeName(create, DependencyKind.RelationName, name);
            TakeTypeName(create, name);
            foreach (var dependency in view.DependsOn)
            {
                if (newViews.ContainsKey(dependency))
                    create.Need(FactState.Exists, DependencyKind.View, dependency);
                else
                    ReadsColumns(create, dependency, DependencyKind.Table, view.Reads.IsKnown ? view.Reads.ColumnsOf(dependency) : null);
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
            // Its WITH options (check_option too) change in place: ALTER VIEW … SET / RESET keeps what depends on it.
            if (oldView.Options != newView.Options)
                PlanSetOptions(newView.Materialized ? OptionsOf.MaterializedView : OptionsOf.View, newView.QualifiedName, oldView.Options, newView.Options)
                    .Need(FactState.Exists, DependencyKind.View, newView.QualifiedName);
            // The indexes of a kept materialized view change as a table's do (its columns did not change).
            DiffNamed(
                WithKeyCollationsMapped(oldView.Indexes), newView.Indexes,
                i => i.Name,
                i => i with { Name = "", Concurrently = false, Comment = null },
                i => UsesRecreatedCollation(i.Elements),
                i => PlanDropIndex(name, i, null),
                i => PlanCreateIndex(CreateViewRank, newView.QualifiedName, i, DependencyKind.View),
                (from, to) => AddRename(RenameGroup.Indexes, new RenameIndex(newView.QualifiedName, from, to)),
                kept: (o, n) => CommentOnIndex(newView.QualifiedName, DependencyKind.View, o.Comment, n.Name, n.Comment),
                alterInPlace: (o, n) => AlterIndexOptions(newView.QualifiedName, o, n, DependencyKind.View));
        }
    }

    /// <summary>
    /// Whether the view may select * from a table that gains a column: PostgreSQL expands * when the
    /// view is created, so only a rebuilt view has the new column. When both sides' reads are known (each
    /// was built by PostgreSQL), the new view reads a column of such a table that the old one did not (where
    /// the definitions are printed forms, they differ then too). Otherwise (a view built from the DSL, an old
    /// snapshot) any * in its code counts (count(*) and multiplication too; not one in a string or comment): a needless rebuild is harmless,
    /// a missed one leaves the view behind.
    /// </summary>
    private bool ExpandsStar(View oldView, View? newView)
    {
        if (oldView.Reads.IsKnown && newView is { Reads.IsKnown: true })
        {
            return oldView.DependsOn.Where(_widenedTables.Contains).Any(table =>
            {
                var before = oldView.Reads.ColumnsOf(table).Select(c => MapColumn(table, c)).ToHashSet(StringComparer.Ordinal);
                return newView.Reads.ColumnsOf(MapTable(table)).Any(c => !before.Contains(c));
            });
        }
        if (!oldView.DependsOn.Any(_widenedTables.Contains) || !HasStar(oldView.Definition))
            return false;
        DecideFromText([
            .. oldView.Reads.IsKnown ? Array.Empty<TextDecision>() : [new(ModelSide.Old, $"view {oldView.QualifiedName}")],
            .. newView is null || newView.Reads.IsKnown ? Array.Empty<TextDecision>() : [new(ModelSide.New, $"view {newView.QualifiedName}")]]);
        return true;
    }

    /// <summary>Whether a query has a <c>*</c> outside its strings and comments (a select list's, <c>count(*)</c>'s or a product's).</summary>
    internal static bool HasStar(string query) =>
        query.Contains('*') && SqlLexer.Tokenize(query).Lexemes().Any(l => l.Kind == SqlLexemeKind.Operator && l.Value.Contains('*'));

    /// <summary>
    /// The re-created user types (new names) an expression reads, by a column of the type or only by naming it
    /// ('ok'::mood): PostgreSQL keeps the expression on the old type, which then cannot be dropped, so the
    /// expression is rebuilt (a default set again) over the new one. From the reads PostgreSQL recorded where a
    /// side knows them (<paramref name="oldReads"/> named as in the new model); otherwise (built from the DSL, an
    /// old snapshot) from the texts: the type's old name in <paramref name="oldTexts"/>, its new one in
    /// <paramref name="newTexts"/>, as a word.
    /// </summary>
    /// <param name="owners">The expression's objects on each side, listed in <see cref="SchemaDiff.DecidedFromText"/> when the text decides.</param>
    private List<QualifiedName> RecreatedTypesRead(ExpressionReads oldReads, IEnumerable<string?> oldTexts, ExpressionReads newReads, IEnumerable<string?> newTexts,
        params ReadOnlySpan<TextDecision> owners)
    {
        if (_recreatedEnums.Count == 0)
            return [];
        if (newReads.IsKnown)
            return _recreatedEnums.Where(newReads.ReadsType).ToList();
        if (oldReads.IsKnown)
            return _recreatedEnums.Where(oldReads.ReadsType).ToList();
        var oldTextList = oldTexts.OfType<string>().ToList();
        var newTextList = newTexts.OfType<string>().ToList();
        if (oldTextList.Count == 0 && newTextList.Count == 0)
            return [];
        // (A loop over the one type map rather than LINQ over its pairs: generic code over a value type, which
        // ReadyToRun cannot precompile.)
        var oldNames = new Dictionary<QualifiedName, string>();
        foreach (var pair in _typeMap)
        {
            if (_recreatedEnums.Contains(pair.Value))
                oldNames.Add(pair.Value, pair.Key.Name);
        }
        var named = _recreatedEnums.Where(type => oldTextList.Exists(t => MentionsColumn(t, oldNames.GetValueOrDefault(type, type.Name)))
            || newTextList.Exists(t => MentionsColumn(t, type.Name))).ToList();
        // Only a yes is worth asking PostgreSQL about (the name may be a column's, say): a text that does not name
        // the type holds no cast or constant of it, since a literal of one meets a column of the type, which its
        // re-creation converts and rebuilds what reads it anyway.
        if (named.Count > 0)
            DecideFromText(owners);
        return named;
    }

    /// <summary>A change that removes expressions reading these re-created types: their old types, aside under temporary names, may be dropped after it.</summary>
    private static void LetsGoOfRecreatedTypes(PlannedChange planned, List<QualifiedName>? types)
    {
        foreach (var type in types ?? [])
            planned.Provide(FactState.Gone, DependencyKind.TypeUse, TemporaryTypeName(type));
    }

    private List<QualifiedName> RecreatedTypesRead(View oldView, View? newView) => RecreatedTypesRead(
        MapTypeReads(oldView.Reads), [oldView.Definition],
        newView?.Reads ?? ExpressionReads.Unknown, newView is null ? [] : [newView.Definition],
        [new(ModelSide.Old, $"view {oldView.QualifiedName}"),
            .. newView is null ? Array.Empty<TextDecision>() : [new(ModelSide.New, $"view {newView.QualifiedName}")]]);

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
