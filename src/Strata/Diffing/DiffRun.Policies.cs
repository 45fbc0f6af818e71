using Strata.Diffing.Planning;
using Strata.Model;

namespace Strata.Diffing;

/// <summary>
/// Row-level security and policies of tables: a table's ENABLE / FORCE ROW LEVEL SECURITY set or cleared, policies
/// created, dropped, altered in place (ALTER POLICY: roles, USING, WITH CHECK), renamed when equal but for the name,
/// and dropped and created again when their command or PERMISSIVE/RESTRICTIVE changes or an expression is removed
/// (which ALTER POLICY cannot do) or
/// when a column they read is dropped, retyped or rebuilt (PostgreSQL refuses to change such a column while a policy
/// uses it). A dropped table takes its policies with it.
/// </summary>
internal sealed partial class DiffRun
{
    // Before the foreign keys, indexes and constraints: a policy reads columns that those drops may precede.
    private const int DropPolicyRank = ChangeRank.Drops + 50;
    private const int RowSecurityRank = ChangeRank.Creates + 850;
    private const int PolicyRank = ChangeRank.Creates + 900;

    internal static readonly DiffPart PoliciesPart = Part(DiffPhase.TableBound, order: 10, static run => run.DiffRowSecurity());

    private void DiffRowSecurity()
    {
        if (_old.RowSecurity.Count == 0 && _new.RowSecurity.Count == 0)
            return;
        var droppedTables = _droppedTables.Select(t => t.QualifiedName).ToHashSet();
        var newByTable = _new.RowSecurity.ToDictionary(s => s.TableName);
        var compared = new HashSet<QualifiedName>();
        foreach (var old in _old.RowSecurity)
        {
            // A dropped table takes its policies with it; a table the old model lacks has nothing to compare.
            if (droppedTables.Contains(old.TableName) || !_tableMap.TryGetValue(old.TableName, out var newName))
                continue;
            compared.Add(newName);
            DiffTableSecurity(old, newByTable.GetValueOrDefault(newName) ?? new TableSecurity(newName.Schema, newName.Name), old.TableName, newName);
        }
        foreach (var security in _new.RowSecurity)
        {
            if (!compared.Contains(security.TableName))
                DiffTableSecurity(new TableSecurity(security.Schema, security.Table), security, security.TableName, security.TableName);
        }
    }

    private void DiffTableSecurity(TableSecurity old, TableSecurity target, QualifiedName oldName, QualifiedName newName)
    {
        if (old.Enabled != target.Enabled)
            PlanRowSecurity(new SetRowLevelSecurity(newName, target.Enabled), newName);
        if (old.Forced != target.Forced)
            PlanRowSecurity(new SetForceRowLevelSecurity(newName, target.Forced), newName);
        if (old.Policies.Count == 0 && target.Policies.Count == 0)
            return;

        var changedColumns = ChangedColumnsOf(oldName, newName);
        var newByName = target.Policies.ToDictionary(p => p.Name, StringComparer.Ordinal);
        var oldNames = old.Policies.Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
        var handled = new HashSet<string>(StringComparer.Ordinal);
        var unmatched = new List<Policy>();
        foreach (var policy in old.Policies)
        {
            if (!newByName.TryGetValue(policy.Name, out var next))
            {
                unmatched.Add(policy);
                continue;
            }
            handled.Add(policy.Name);
            if (policy.Command != next.Command || policy.Permissive != next.Permissive
                || policy.Using is not null && next.Using is null || policy.WithCheck is not null && next.WithCheck is null
                || ReadsChangedColumn(policy, next, oldName, newName, changedColumns)
                || PolicyFunctionsCalled(ModelSide.Old, oldName, policy).Count > 0)
            {
                PlanDropPolicy(oldName, newName, policy);
                PlanCreatePolicy(newName, next);
            }
            else if (PolicyChangesOf(policy, next) is var changes and not PolicyChanges.None)
                PlanAlterPolicy(newName, policy, next, changes);
        }
        // One equal to a dropped one but for its name is that one renamed (no data is at stake, as for constraints).
        var renameTargets = target.Policies.Where(p => !oldNames.Contains(p.Name)).ToList();
        foreach (var policy in unmatched)
        {
            var renamed = ReadsChangedColumn(policy, null, oldName, newName, changedColumns) || PolicyFunctionsCalled(ModelSide.Old, oldName, policy).Count > 0
                ? null
                : renameTargets.FirstOrDefault(p => !handled.Contains(p.Name) && p == policy with { Name = p.Name });
            if (renamed is null)
            {
                PlanDropPolicy(oldName, newName, policy);
                continue;
            }
            handled.Add(renamed.Name);
            var planned = Add(RowSecurityRank, new RenamePolicy(newName, policy.Name, renamed.Name))
                .Need(FactState.Exists, DependencyKind.Table, newName);
            NameMove(planned, DependencyKind.Policy, newName, policy.Name, renamed.Name);
            UsesNewSchema(planned, newName.Schema);
        }
        foreach (var policy in target.Policies)
        {
            if (!handled.Contains(policy.Name))
                PlanCreatePolicy(newName, policy);
        }
    }

    private void PlanRowSecurity(SchemaChange change, QualifiedName table)
    {
        var planned = Add(RowSecurityRank, change).Need(FactState.Exists, DependencyKind.Table, table);
        UsesNewSchema(planned, table.Schema);
    }

    /// <summary>
    /// DROP POLICY, by its table's old name: before the table is renamed or dropped and before a column of it changes
    /// (PostgreSQL refuses to drop or retype a column a policy uses), and before what else it reads goes.
    /// </summary>
    private void PlanDropPolicy(QualifiedName oldName, QualifiedName newName, Policy policy)
    {
        var planned = Add(DropPolicyRank, new DropPolicy(oldName, policy))
            .Provide(FactState.Gone, DependencyKind.Policy, newName, policy.Name)
            .Precede(FactState.Gone, DependencyKind.Table, oldName)
            .Precede(FactState.Changed, DependencyKind.Table, newName);
        LetsGoOfFunctions(planned, PolicyFunctionsCalled(ModelSide.Old, oldName, policy));
        foreach (var relation in RelationsRead(policy.Reads, oldName))
        {
            planned.Precede(FactState.Gone, DependencyKind.Table, relation)
                .Precede(FactState.Changed, DependencyKind.Table, MapTable(relation));
        }
        UsesOldSchema(planned, oldName.Schema);
    }

    private void PlanCreatePolicy(QualifiedName table, Policy policy)
    {
        var planned = Add(PolicyRank, new CreatePolicy(table, policy))
            .Need(FactState.Gone, DependencyKind.Policy, table, policy.Name)
            .Provide(FactState.Exists, DependencyKind.Policy, table, policy.Name);
        PolicyReads(planned, table, policy);
        CallsFunctions(planned, PolicyFunctionsCalled(ModelSide.New, table, policy));
    }

    /// <param name="table">The policy's table as named on <paramref name="side"/>.</param>
    private List<QualifiedName> PolicyFunctionsCalled(ModelSide side, QualifiedName table, Policy policy) =>
        RecreatedFunctionsCalled(side, policy.Reads, [policy.Using, policy.WithCheck], new TextDecision(side, $"policy {policy.Name} on {table}"));

    private void PlanAlterPolicy(QualifiedName table, Policy from, Policy to, PolicyChanges changes)
    {
        var planned = Add(PolicyRank, new AlterPolicy(table, from, to, changes))
            .Need(FactState.Exists, DependencyKind.Policy, table, to.Name);
        PolicyReads(planned, table, to);
    }

    /// <summary>A policy's expressions read columns of its table and of others: it runs once those have their new form.</summary>
    private static void PolicyReads(PlannedChange planned, QualifiedName table, Policy policy)
    {
        ReadsColumns(planned, table, DependencyKind.Table, policy.Reads.IsKnown ? policy.Reads.ColumnsOf(table) : null);
        if (!policy.Reads.IsKnown)
            return;
        foreach (var relation in RelationsRead(policy.Reads, table))
            ReadsColumns(planned, relation, DependencyKind.Table, policy.Reads.ColumnsOf(relation));
    }

    /// <summary>The relations other than <paramref name="table"/> whose columns a policy reads (none when not known).</summary>
    private static IEnumerable<QualifiedName> RelationsRead(ExpressionReads reads, QualifiedName table) =>
        reads.Objects.Where(r => r.Kind is ReadKind.Column or ReadKind.Relation && r.Name != table).Select(r => r.Name).Distinct();

    /// <summary>The columns of a kept table that are dropped, retyped or rebuilt: by their new names, and a dropped one by its old name.</summary>
    private HashSet<string> ChangedColumnsOf(QualifiedName oldName, QualifiedName newName)
    {
        var changed = new HashSet<string>(StringComparer.Ordinal);
        if (_retypedColumns.TryGetValue(newName, out var retyped))
            changed.UnionWith(retyped);
        if (_recreatedColumns.TryGetValue(newName, out var recreated))
            changed.UnionWith(recreated);
        if (_oldTables.TryGetValue(oldName, out var oldTable))
        {
            foreach (var column in oldTable.Columns)
            {
                if (MapColumn(oldName, column.Name).StartsWith(DroppedColumnPrefix, StringComparison.Ordinal))
                    changed.Add(column.Name);
            }
        }
        return changed;
    }

    /// <summary>
    /// Whether the old policy reads a column that is dropped, retyped or rebuilt (of its table or another): from what
    /// PostgreSQL recorded, else from the text of its expressions (its table's columns only).
    /// </summary>
    private bool ReadsChangedColumn(Policy old, Policy? next, QualifiedName oldName, QualifiedName newName, HashSet<string> changedColumns)
    {
        if (old.Reads.IsKnown)
            return ReadsChangedColumn(old.Reads);
        return ReadsAnyColumn(ExpressionReads.Unknown, newName, [old.Using, old.WithCheck], changedColumns,
            [new(ModelSide.Old, $"policy {oldName}.{old.Name}"), .. next is null ? Array.Empty<TextDecision>() : [new TextDecision(ModelSide.New, $"policy {newName}.{next.Name}")]]);
    }

    /// <summary>Whether recorded reads name a column (of any table) that is dropped, retyped or rebuilt.</summary>
    private bool ReadsChangedColumn(ExpressionReads reads)
    {
        foreach (var read in reads.Objects)
        {
            if (read.Kind != ReadKind.Column || read.Column is not { } column)
                continue;
            var relation = MapTable(read.Name);
            var mapped = MapColumn(read.Name, column);
            if (mapped.StartsWith(DroppedColumnPrefix, StringComparison.Ordinal)
                || _retypedColumns.TryGetValue(relation, out var retyped) && retyped.Contains(mapped)
                || _recreatedColumns.TryGetValue(relation, out var recreated) && recreated.Contains(mapped))
                return true;
        }
        return false;
    }

    private static PolicyChanges PolicyChangesOf(Policy from, Policy to)
    {
        var changes = PolicyChanges.None;
        if (from.Roles != to.Roles)
            changes |= PolicyChanges.Roles;
        if (from.Using != to.Using)
            changes |= PolicyChanges.Using;
        if (from.WithCheck != to.WithCheck)
            changes |= PolicyChanges.WithCheck;
        if (from.Comment != to.Comment)
            changes |= PolicyChanges.Comment;
        return changes;
    }
}

/// <summary>ALTER TABLE … ENABLE (or DISABLE) ROW LEVEL SECURITY.</summary>
public sealed record SetRowLevelSecurity(QualifiedName Table, bool Enable) : SchemaChange;

/// <summary>ALTER TABLE … FORCE (or NO FORCE) ROW LEVEL SECURITY.</summary>
public sealed record SetForceRowLevelSecurity(QualifiedName Table, bool Force) : SchemaChange;

/// <summary>CREATE POLICY (and its comment).</summary>
public sealed record CreatePolicy(QualifiedName Table, Policy Policy) : SchemaChange;

/// <summary>DROP POLICY, the table by its name when the drop runs.</summary>
public sealed record DropPolicy(QualifiedName Table, Policy Policy) : SchemaChange;

/// <summary>ALTER POLICY … RENAME TO.</summary>
public sealed record RenamePolicy(QualifiedName Table, string From, string To) : SchemaChange;

/// <summary>What ALTER POLICY changes in place (the command and PERMISSIVE/RESTRICTIVE it cannot).</summary>
[Flags]
public enum PolicyChanges
{
    None = 0,
    Roles = 1,
    Using = 2,
    WithCheck = 4,
    Comment = 8,
}

/// <summary>ALTER POLICY … TO roles, USING, WITH CHECK, and COMMENT ON POLICY.</summary>
public sealed record AlterPolicy(QualifiedName Table, Policy From, Policy To, PolicyChanges Changes) : SchemaChange;
