using Strata.Diffing.Planning;
using Strata.Model;

namespace Strata.Diffing;

/// <summary>
/// Roles and grants: a managed role created (when the server lacks it) before what names it, its attributes altered,
/// and dropped only when the old model managed it (a drop that loses data: the server's other databases may use it);
/// an existing role is never created, altered or dropped. Grants are granted after their object and role exist,
/// revoked by the object's old name before it goes, and granted again when their object is re-created in the same plan
/// (a view or function dropped and created loses its privileges). A grant whose object is dropped goes with it. A
/// revoked default (<see cref="Grant.Revoked"/>) is planned as a grant is: its REVOKE after the object exists, again
/// when the object is re-created, and a GRANT that gives the default back when the schema no longer revokes it.
/// </summary>
internal sealed partial class DiffRun
{
    private const int CreateRoleRank = ChangeRank.Creates + 5;
    private const int RevokeRank = ChangeRank.Drops + 40;
    private const int DropRoleRank = ChangeRank.Releases + 900;
    private const int GrantRank = ChangeRank.Finishing + 500;
    // Last: an entry in force while the plan creates objects would grant on them what the schema does not say.
    private const int DefaultPrivilegeRank = ChangeRank.Finishing + 900;

    internal static readonly DiffPart PrivilegesPart = Part(DiffPhase.Privileges, order: 10, static run => run.DiffPrivileges());

    private void DiffPrivileges()
    {
        if (_old.Roles.Count == 0 && _new.Roles.Count == 0 && _old.Grants.Count == 0 && _new.Grants.Count == 0
            && _old.DefaultPrivileges.Count == 0 && _new.DefaultPrivileges.Count == 0)
            return;
        DiffRoles();
        DiffGrants();
        DiffDefaultPrivileges();
    }

    /// <summary>
    /// ALTER DEFAULT PRIVILEGES: an entry granted (or a default revoked) after everything the plan creates, and taken
    /// back before its role or schema goes (a role with default privileges cannot be dropped).
    /// </summary>
    private void DiffDefaultPrivileges()
    {
        var oldEntries = _old.DefaultPrivileges.ToDictionary(d => d with { WithGrantOption = false });
        var newKeys = new HashSet<DefaultPrivilege>();
        foreach (var entry in _new.DefaultPrivileges)
        {
            var key = entry with { WithGrantOption = false };
            newKeys.Add(key);
            var old = oldEntries.GetValueOrDefault(key);
            if (old is null || (entry.WithGrantOption && !old.WithGrantOption))
            {
                var planned = Add(DefaultPrivilegeRank, new AlterDefaultPrivileges(entry));
                foreach (var role in new[] { entry.Grantee, entry.ForRole }.Where(r => r.Length > 0 && r != Grant.Public))
                    planned.Need(FactState.Exists, DependencyKind.Role, RoleName(role));
                if (entry.Schema.Length > 0)
                    UsesNewSchema(planned.Need(FactState.Exists, ObjectRef.Schema(entry.Schema)), entry.Schema);
            }
            else if (old.WithGrantOption && !entry.WithGrantOption)
                PlanTakeBack(old, grantOptionOnly: true);
        }
        foreach (var (key, old) in oldEntries)
        {
            // An entry IN SCHEMA goes with its schema.
            if (!newKeys.Contains(key) && (old.Schema.Length == 0 || _new.SchemasInUse().Contains(old.Schema)))
                PlanTakeBack(old, grantOptionOnly: false);
        }
    }

    private void PlanTakeBack(DefaultPrivilege old, bool grantOptionOnly)
    {
        var planned = Add(RevokeRank, new AlterDefaultPrivileges(old, TakeBack: true, grantOptionOnly));
        foreach (var role in new[] { old.Grantee, old.ForRole }.Where(r => r.Length > 0 && r != Grant.Public))
            planned.Precede(FactState.Gone, DependencyKind.Role, RoleName(role));
        if (old.Schema.Length > 0)
        {
            planned.Precede(FactState.Gone, DependencyKind.Schema, new QualifiedName(old.Schema, ""));
            UsesOldSchema(planned, old.Schema);
        }
    }

    /// <summary>
    /// What the old model's default privileges give an object this plan creates (those in force while it runs: the new
    /// ones come last), as grants the object has once created, so that the grants the schema does not declare are revoked.
    /// </summary>
    private IEnumerable<Grant> GrantsByDefault(GrantTarget on, QualifiedName name) =>
        _old.DefaultPrivileges.Count == 0
            ? []
            : _old.DefaultPrivileges.Where(d => d.AppliesToNew(on, name.Schema)).Select(d => d.GrantOn(name));

    private void DiffRoles()
    {
        var oldByName = _old.Roles.ToDictionary(r => r.Name, StringComparer.Ordinal);
        foreach (var role in _new.Roles)
        {
            if (role.Existing)
                continue;
            var old = oldByName.GetValueOrDefault(role.Name);
            if (old is null)
            {
                Add(CreateRoleRank, new CreateRole(role)).Provide(FactState.Exists, DependencyKind.Role, RoleName(role.Name));
            }
            else if (old.Existing || old != role)
            {
                Add(CreateRoleRank, new AlterRole(role)).Provide(FactState.Exists, DependencyKind.Role, RoleName(role.Name));
            }
        }
        var newNames = _new.Roles.Select(r => r.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var old in _old.Roles)
        {
            if (!old.Existing && !newNames.Contains(old.Name))
                Add(DropRoleRank, new DropRole(old)).Provide(FactState.Gone, DependencyKind.Role, RoleName(old.Name));
        }
    }

    private void DiffGrants()
    {
        var (created, createdColumns) = CreatedObjects();
        var oldGrants = new Dictionary<Grant, Grant>();
        foreach (var grant in _old.Grants)
            oldGrants[MappedGrant(grant) with { WithGrantOption = false }] = grant;
        var newKeys = new HashSet<Grant>();
        var byDefault = _old.DefaultPrivileges.Count == 0 ? [] : created.SelectMany(o => GrantsByDefault(o.On, o.Name)).ToList();
        foreach (var grant in _new.Grants)
            newKeys.Add(grant with { WithGrantOption = false });
        foreach (var given in byDefault)
        {
            // Given by a default privilege on creation and not declared: taken away once the object exists.
            if (!newKeys.Contains(given with { WithGrantOption = false }))
            {
                var planned = Add(GrantRank, new RevokePrivilege(given));
                NeedsObject(planned, given, _new);
            }
        }
        foreach (var grant in _new.Grants)
        {
            var key = grant with { WithGrantOption = false };
            // One rule for every kind: an object the plan creates has only what PostgreSQL gives a new object, whether
            // it is new or an old one dropped and created again (a re-created type, view, routine, table or column).
            if (!oldGrants.TryGetValue(key, out var old) || IsCreated(created, createdColumns, grant))
                PlanGrant(grant);
            else if (old.WithGrantOption != grant.WithGrantOption)
            {
                if (grant.WithGrantOption)
                    PlanGrant(grant);
                else
                    PlanRevoke(old, grant, grantOptionOnly: true);
            }
        }
        foreach (var (key, old) in oldGrants)
        {
            if (!newKeys.Contains(key) && ObjectKept(key))
                PlanRevoke(old, key, grantOptionOnly: false);
        }
    }

    private static QualifiedName RoleName(string role) => new("", role);

    /// <summary>
    /// An old grant with its object's new name: a renamed object (a schema, a table and its columns, a sequence, a
    /// routine, a type, or anything moved with its schema) keeps its privileges, so its grants follow it unchanged.
    /// </summary>
    private Grant MappedGrant(Grant grant)
    {
        var name = grant.On switch
        {
            GrantTarget.Schema => new QualifiedName(MapSchema(grant.Schema), ""),
            GrantTarget.Table => _tableMap.TryGetValue(grant.Object, out var table) ? table : MapSchema(grant.Object),
            GrantTarget.Sequence => _sequenceMap.TryGetValue(grant.Object, out var sequence) ? sequence : OwnedSequenceMapped(grant.Object) ?? MapSchema(grant.Object),
            GrantTarget.Function => _functionKeys.TryGetValue(grant.Object, out var function) ? function : MapSchema(grant.Object),
            _ => _typeMap.TryGetValue(grant.Object, out var type) ? type : MapSchema(grant.Object),
        };
        var column = grant.Column.Length > 0 && _oldTables.ContainsKey(grant.Object) ? MapColumn(grant.Object, grant.Column) : grant.Column;
        return grant with { Schema = name.Schema, Name = name.Name, Column = column };
    }

    /// <summary>
    /// The new name of an identity or serial column's sequence, which the differ renames with its table and column
    /// (<c>users_id_seq</c> → <c>accounts_id_seq</c>); null for a sequence no old column owns.
    /// </summary>
    private QualifiedName? OwnedSequenceMapped(QualifiedName sequence)
    {
        foreach (var table in _oldTables.Values)
        {
            if (table.Schema != sequence.Schema)
                continue;
            foreach (var column in table.Columns)
            {
                if (OwnsSequence(column) && OwnedSequence.Name(table.Name, column.Name) == sequence.Name)
                    return OwnedSequence.For(MapTable(table.QualifiedName), MapColumn(table.QualifiedName, column.Name));
            }
        }
        return null;
    }

    /// <summary>Whether the plan creates the grant's object (a column's grant: its table or the column).</summary>
    private static bool IsCreated(HashSet<(GrantTarget On, QualifiedName Name)> created, HashSet<(QualifiedName Table, string Column)> createdColumns, Grant grant) =>
        created.Contains((grant.On, grant.Object))
        || grant.Column.Length > 0 && createdColumns.Contains((grant.Object, grant.Column));

    /// <summary>Whether the grant's object (by its new name) is in the new model: else its drop takes the grant with it.</summary>
    private bool ObjectKept(Grant grant) => grant.On switch
    {
        GrantTarget.Schema => _new.SchemasInUse().Contains(grant.Schema),
        // A column's grants go with the column.
        GrantTarget.Table when grant.Column.Length > 0 && _new.FindTable(grant.Object) is { } table => table.FindColumn(grant.Column) is not null,
        GrantTarget.Table => _new.FindTable(grant.Object) is not null || _new.FindView(grant.Object) is not null,
        GrantTarget.Function => _new.Functions.Any(f => f.Key == grant.Object) || _new.Aggregates.Any(a => a.Key == grant.Object),
        // Sequences owned by columns and types of every kind: a REVOKE on a dropped one fails, so only what the model lists.
        GrantTarget.Sequence => _new.FindSequence(grant.Object) is not null || _new.Tables.Any(t => t.Schema == grant.Schema),
        _ => NewTypeNames.Contains(grant.Object),
    };

    /// <summary>
    /// The objects this plan creates, new or created again after their drop (what makes a grant of the old model lost):
    /// tables, views, sequences (those of identity and serial columns too), routines, aggregates, schemas and columns
    /// (apart: default privileges give a column nothing) by the change that creates them, user types
    /// by the change that creates or re-creates them, and by name those of the new model no old type becomes (a type
    /// of any kind; a renamed one keeps its privileges).
    /// </summary>
    private (HashSet<(GrantTarget On, QualifiedName Name)> Objects, HashSet<(QualifiedName Table, string Column)> Columns) CreatedObjects()
    {
        var created = new HashSet<(GrantTarget, QualifiedName)>();
        var columns = new HashSet<(QualifiedName, string)>();
        foreach (var planned in _plan.Changes)
        {
            switch (planned.Change)
            {
                case CreateTable create:
                    created.Add((GrantTarget.Table, create.Table.QualifiedName));
                    foreach (var column in create.Table.Columns)
                    {
                        if (OwnsSequence(column))
                            created.Add((GrantTarget.Sequence, OwnedSequence.For(create.Table.QualifiedName, column.Name)));
                    }
                    break;
                case CreateView create:
                    created.Add((GrantTarget.Table, create.View.QualifiedName));
                    break;
                case CreateSequence create:
                    created.Add((GrantTarget.Sequence, create.Sequence.QualifiedName));
                    break;
                case CreateFunction create:
                    created.Add((GrantTarget.Function, create.Function.Key));
                    break;
                case CreateAggregate create:
                    created.Add((GrantTarget.Function, create.Aggregate.Key));
                    break;
                case CreateSchema create:
                    created.Add((GrantTarget.Schema, new QualifiedName(create.Name, "")));
                    break;
                case ITypeCreation create:
                    created.Add((GrantTarget.Type, create.Type));
                    break;
                case ITypeRecreation recreate:
                    created.Add((GrantTarget.Type, recreate.Type));
                    break;
                // A column added (or dropped and added again: a generated column's expression changed) has no grants.
                case AddColumn add:
                    columns.Add((add.Table, add.Column.Name));
                    if (OwnsSequence(add.Column))
                        created.Add((GrantTarget.Sequence, OwnedSequence.For(add.Table, add.Column.Name)));
                    break;
                case AlterColumn alter when OwnsSequence(alter.To) && !OwnsSequence(alter.From):
                    created.Add((GrantTarget.Sequence, OwnedSequence.For(alter.Table, alter.To.Name)));
                    break;
            }
        }
        var oldTypes = new HashSet<QualifiedName>();
        foreach (var type in TypeNamesOf(_old))
            oldTypes.Add(MapTypeName(type));
        foreach (var type in NewTypeNames)
        {
            if (!oldTypes.Contains(type) && _new.FindTable(type) is null && _new.FindView(type) is null)
                created.Add((GrantTarget.Type, type));
        }
        return (created, columns);
    }

    /// <summary>GRANT, once its object and its role exist (a role the plan does not create is the server's already).</summary>
    private void PlanGrant(Grant grant)
    {
        var planned = Add(GrantRank, new GrantPrivilege(grant));
        NeedsObject(planned, grant, _new);
        if (grant.Grantee != Grant.Public)
            planned.Need(FactState.Exists, DependencyKind.Role, RoleName(grant.Grantee));
        UsesNewSchema(planned, grant.Schema);
    }

    /// <summary>REVOKE, by the object's old name, before the object changes or goes and before its role is dropped.</summary>
    private void PlanRevoke(Grant old, Grant asNamedNow, bool grantOptionOnly)
    {
        var planned = Add(RevokeRank, new RevokePrivilege(old, grantOptionOnly));
        var kind = GrantedObjectKind(old, _old);
        planned.Precede(FactState.Gone, kind, old.Object).Precede(FactState.Changed, kind, asNamedNow.Object);
        if (old.Column.Length > 0)
            planned.Precede(FactState.Gone, DependencyKind.Column, asNamedNow.Object, old.Column);
        if (old.Grantee != Grant.Public)
            planned.Precede(FactState.Gone, DependencyKind.Role, RoleName(old.Grantee));
        UsesOldSchema(planned, old.Schema);
    }

    private static void NeedsObject(PlannedChange planned, Grant grant, DatabaseModel model)
    {
        if (grant.On == GrantTarget.Schema)
            planned.Need(FactState.Exists, ObjectRef.Schema(grant.Schema));
        else
            planned.Need(FactState.Exists, GrantedObjectKind(grant, model), grant.Object);
        if (grant.Column.Length > 0 && model.FindTable(grant.Object) is not null)
            planned.Need(FactState.Exists, DependencyKind.Column, grant.Object, grant.Column);
    }

    private static DependencyKind GrantedObjectKind(Grant grant, DatabaseModel model) => grant.On switch
    {
        GrantTarget.Schema => DependencyKind.Schema,
        GrantTarget.Table => model.FindView(grant.Object) is not null ? DependencyKind.View : DependencyKind.Table,
        GrantTarget.Sequence => DependencyKind.Sequence,
        GrantTarget.Function => DependencyKind.Function,
        _ => DependencyKind.Type,
    };
}

/// <summary>CREATE ROLE when the server lacks it (roles are the server's: another database may have made it), then its attributes.</summary>
public sealed record CreateRole(Role Role) : SchemaChange;

/// <summary>ALTER ROLE: a managed role's attributes as the schema declares them.</summary>
public sealed record AlterRole(Role Role) : SchemaChange;

/// <summary>DROP ROLE of a role the old schema managed: it loses what the server's other databases grant to it.</summary>
public sealed record DropRole(Role Role) : SchemaChange;

/// <summary>GRANT a privilege on an object (WITH GRANT OPTION when the grant says so); for a revoked default, its REVOKE.</summary>
public sealed record GrantPrivilege(Grant Grant) : SchemaChange;

/// <summary>REVOKE a privilege on an object, or only its grant option; for a revoked default, the GRANT that gives it back.</summary>
public sealed record RevokePrivilege(Grant Grant, bool GrantOptionOnly = false) : SchemaChange;

/// <summary>ALTER DEFAULT PRIVILEGES: the entry's GRANT (its REVOKE for a revoked default), or with <paramref name="TakeBack"/> its inverse.</summary>
public sealed record AlterDefaultPrivileges(DefaultPrivilege Entry, bool TakeBack = false, bool GrantOptionOnly = false) : SchemaChange;
