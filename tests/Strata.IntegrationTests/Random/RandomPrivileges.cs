using Strata.Diffing;
using Strata.Model;

namespace Strata.IntegrationTests.Random;

/// <summary>
/// Privileges in the random pairs, from a stream of their own so that every seed's other objects stay as they were:
/// grants on schemas, tables and views, columns, sequences, routines and types (to PUBLIC or to one of <see cref="Roles"/>,
/// some with the grant option), PUBLIC's defaults revoked (EXECUTE on a routine, USAGE on a type or on the public
/// schema), and default privileges (database-wide or in a schema, for the migrating role or another, revoked defaults
/// among them). B carries A's privileges to the objects' new names (the pair's rename) and loses those whose object it
/// dropped; then some are added, removed, changed to another privilege or given or stripped of their grant option.
/// The pair's other mutations re-create the objects some of them are on (a type for a removed value, a view, a routine
/// with a new signature, a re-partitioned table).
/// </summary>
/// <remarks>
/// The privileges are added to the built models rather than declared in <see cref="SchemaSpec"/>: they name the
/// objects as the generator finished them in A and B, renames included. Every privilege is one the DSL accepts (its
/// validator's rules below), in the model's normal form.
/// </remarks>
internal sealed class RandomPrivileges(int seed)
{
    /// <summary>The roles grants go to: roles are the cluster's, so the test creates these once (if missing) and never drops them.</summary>
    public static readonly string[] Roles = ["strata_random_reader", "strata_random_writer"];

    /// <summary>Creates <see cref="Roles"/> where the cluster lacks them (another test may be creating them too).</summary>
    public static string CreateRolesSql => string.Concat(Roles.Select(role =>
        $"DO $$ BEGIN CREATE ROLE {role} NOLOGIN; EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$;\n"));

    private static readonly GrantTarget[] DefaultTargets = [GrantTarget.Table, GrantTarget.Sequence, GrantTarget.Function, GrantTarget.Type, GrantTarget.Schema];

    private readonly System.Random _random = new(unchecked(seed * 104729 + 71));

    public RandomPair Add(RandomPair pair)
    {
        if (_random.NextDouble() >= 0.6)
            return pair;
        var log = new List<string>();
        var a = pair.A;
        var b = pair.B;
        var grantsA = new List<Grant>();
        for (var i = _random.Next(7); i > 0; i--)
            AddNew(grantsA, NewGrant(a));
        var defaultsA = new List<DefaultPrivilege>();
        if (_random.NextDouble() < 0.35)
        {
            for (var i = 1 + _random.Next(2); i > 0; i--)
                AddNew(defaultsA, NewDefault(a));
        }

        var rename = pair.Renames.Count > 0 ? pair.Renames[0] : null;
        var grantsB = grantsA.Select(g => Carried(g, rename)).Where(g => IsDeclared(b, g)).ToList();
        var defaultsB = defaultsA.Select(d => Carried(d, rename)).Where(d => d.Schema.Length == 0 || b.SchemasInUse().Contains(d.Schema)).ToList();
        for (var i = 1 + _random.Next(3); i > 0; i--)
            Mutate(b, grantsB, defaultsB, log);

        return pair with
        {
            A = With(a, grantsA, defaultsA),
            B = With(b, grantsB, defaultsB),
            Mutations = [.. pair.Mutations, .. log],
        };
    }

    private static DatabaseModel With(DatabaseModel model, List<Grant> grants, List<DefaultPrivilege> defaults)
    {
        if (grants.Count == 0 && defaults.Count == 0)
            return model;
        // The roles a schema grants to are declared, as existing ones (the test creates them).
        var roles = grants.Select(g => g.Grantee).Concat(defaults.SelectMany(d => new[] { d.Grantee, d.ForRole }))
            .Where(r => r.Length > 0 && r != Grant.Public).Distinct().Select(r => new Role(r, Existing: true));
        return (model with
        {
            Roles = model.Roles.Concat(roles).DistinctBy(r => r.Name).ToValueList(),
            Grants = model.Grants.Concat(grants).ToValueList(),
            DefaultPrivileges = model.DefaultPrivileges.Concat(defaults).ToValueList(),
        }).Normalize();
    }

    // ---------------------------------------------------------------- mutations of B

    private void Mutate(DatabaseModel b, List<Grant> grants, List<DefaultPrivilege> defaults, List<string> log)
    {
        var roll = _random.NextDouble();
        if (roll < 0.3)
        {
            if (NewGrant(b) is { } grant && AddNew(grants, grant))
                log.Add($"add privilege {Text(grant)}");
        }
        else if (roll < 0.45 && grants.Count > 0)
        {
            var removed = grants[_random.Next(grants.Count)];
            grants.Remove(removed);
            log.Add($"remove privilege {Text(removed)}");
        }
        else if (roll < 0.6 && grants.Count > 0)
        {
            // Another privilege on the same object, to the same grantee.
            var old = grants[_random.Next(grants.Count)];
            var choices = (old.Column.Length > 0 ? Grant.PrivilegesOnColumns : Grant.PrivilegesOn(old.On)).Where(p => p != old.Privilege).ToList();
            if (choices.Count == 0 || old.Revoked)
                return;
            var changed = Valid(old with { Privilege = choices[_random.Next(choices.Count)] });
            grants.Remove(old);
            if (changed is not null && AddNew(grants, changed))
                log.Add($"change privilege {Text(old)} to {changed.Privilege}");
        }
        else if (roll < 0.75 && grants.FindIndex(g => g.Grantee != Grant.Public) is >= 0)
        {
            var toRoles = grants.Where(g => g.Grantee != Grant.Public).ToList();
            var old = toRoles[_random.Next(toRoles.Count)];
            grants[grants.IndexOf(old)] = old with { WithGrantOption = !old.WithGrantOption };
            log.Add($"{(old.WithGrantOption ? "strip" : "give")} the grant option of {Text(old)}");
        }
        else if (roll < 0.87)
        {
            if (NewDefault(b) is { } entry && AddNew(defaults, entry))
                log.Add($"add {entry.Text} {entry.Privilege} to {entry.Grantee}{(entry.Revoked ? " (revoked)" : "")}");
        }
        else if (defaults.Count > 0)
        {
            var old = defaults[_random.Next(defaults.Count)];
            if (_random.NextDouble() < 0.5 || old.Grantee == Grant.Public || old.Revoked)
            {
                defaults.Remove(old);
                log.Add($"remove {old.Text} {old.Privilege} to {old.Grantee}");
            }
            else
            {
                defaults[defaults.IndexOf(old)] = old with { WithGrantOption = !old.WithGrantOption };
                log.Add($"{(old.WithGrantOption ? "strip" : "give")} the grant option of {old.Text} {old.Privilege} to {old.Grantee}");
            }
        }
    }

    private static string Text(Grant grant) =>
        $"{(grant.Revoked ? "revoked " : "")}{grant.Privilege} on {grant.ObjectText} to {grant.Grantee}{(grant.WithGrantOption ? " with grant option" : "")}";

    // ---------------------------------------------------------------- new privileges

    /// <summary>A grant (or a revoked default) on one of the model's objects, or null when the model has none of the kind drawn.</summary>
    private Grant? NewGrant(DatabaseModel model)
    {
        var grantee = _random.NextDouble() < 0.5 ? Grant.Public : Roles[_random.Next(Roles.Length)];
        var option = grantee != Grant.Public && _random.NextDouble() < 0.25;
        var roll = _random.NextDouble();
        Grant? grant = null;
        if (roll < 0.12)
        {
            var schemas = model.SchemasInUse();
            if (schemas.Count > 0)
                grant = new Grant(GrantTarget.Schema, Pick(schemas), "", grantee, Pick(Grant.PrivilegesOn(GrantTarget.Schema)), option);
        }
        else if (roll < 0.35)
        {
            var relations = model.Tables.Select(t => t.QualifiedName).Concat(model.Views.Select(v => v.QualifiedName)).ToList();
            if (relations.Count > 0)
            {
                var name = Pick(relations);
                grant = new Grant(GrantTarget.Table, name.Schema, name.Name, grantee, Pick(Grant.PrivilegesOn(GrantTarget.Table)), option);
            }
        }
        else if (roll < 0.5)
        {
            var tables = model.Tables.Where(t => t.Columns.Count > 0).ToList();
            if (tables.Count > 0)
            {
                var table = Pick(tables);
                grant = new Grant(GrantTarget.Table, table.Schema, table.Name, grantee, Pick(Grant.PrivilegesOnColumns), option, Column: Pick(table.Columns).Name);
            }
        }
        else if (roll < 0.6)
        {
            if (model.Sequences.Count > 0)
            {
                var sequence = Pick(model.Sequences);
                grant = new Grant(GrantTarget.Sequence, sequence.Schema, sequence.Name, grantee, Pick(Grant.PrivilegesOn(GrantTarget.Sequence)), option);
            }
        }
        else if (roll < 0.8)
        {
            var routines = model.Functions.Select(f => f.Key).Concat(model.Aggregates.Select(a => a.Key)).ToList();
            if (routines.Count > 0)
            {
                var key = Pick(routines);
                grant = new Grant(GrantTarget.Function, key.Schema, key.Name, grantee, Privilege.Execute, option);
            }
        }
        else
        {
            var types = model.Enums.Select(e => e.QualifiedName).Concat(model.Domains.Select(d => d.QualifiedName))
                .Concat(model.Composites.Select(c => c.QualifiedName)).ToList();
            if (types.Count > 0)
            {
                var name = Pick(types);
                grant = new Grant(GrantTarget.Type, name.Schema, name.Name, grantee, Privilege.Usage, option);
            }
        }
        return grant is null ? null : Valid(grant);
    }

    /// <summary>
    /// The grant as the DSL accepts it: PUBLIC's own defaults (EXECUTE on a routine, USAGE on a type or on the public
    /// schema) only revoked, no grant option for PUBLIC; null when nothing fits.
    /// </summary>
    private static Grant? Valid(Grant grant)
    {
        if (grant.Grantee == Grant.Public)
            grant = grant with { WithGrantOption = false, Revoked = grant.IsPublicDefault };
        else
            grant = grant with { Revoked = false };
        return grant;
    }

    private DefaultPrivilege? NewDefault(DatabaseModel model)
    {
        var on = DefaultTargets[_random.Next(DefaultTargets.Length)];
        var forRole = _random.NextDouble() < 0.2 ? Roles[0] : "";
        var schemas = model.SchemasInUse();
        // IN SCHEMA is not for SCHEMAS.
        var schema = on != GrantTarget.Schema && schemas.Count > 0 && _random.NextDouble() < 0.4 ? Pick(schemas) : "";
        var grantee = _random.NextDouble() < 0.4 ? Grant.Public : Roles[1];
        if (grantee == forRole)
            return null;
        var privilege = Pick(Grant.PrivilegesOn(on));
        var option = grantee != Grant.Public && _random.NextDouble() < 0.25;
        // PUBLIC's built-in EXECUTE on functions and USAGE on types: database-wide only revoked; in a schema they add nothing.
        var builtIn = grantee == Grant.Public && on is GrantTarget.Function or GrantTarget.Type;
        if (builtIn && schema.Length > 0)
            return null;
        return new DefaultPrivilege(forRole, schema, on, grantee, privilege, option, Revoked: builtIn);
    }

    private T Pick<T>(IReadOnlyList<T> items) => items[_random.Next(items.Count)];

    /// <summary>Adds an item unless one for the same object, grantee and privilege is there (whatever its grant option).</summary>
    private static bool AddNew(List<Grant> grants, Grant? grant)
    {
        if (grant is null || grants.Exists(g => g with { WithGrantOption = false, Revoked = false } == grant with { WithGrantOption = false, Revoked = false }))
            return false;
        grants.Add(grant);
        return true;
    }

    private static bool AddNew(List<DefaultPrivilege> entries, DefaultPrivilege? entry)
    {
        if (entry is null || entries.Exists(d => d with { WithGrantOption = false } == entry with { WithGrantOption = false }))
            return false;
        entries.Add(entry);
        return true;
    }

    // ---------------------------------------------------------------- A's privileges in B

    /// <summary>The grant with its object named as in B after the pair's rename (a schema, a table, a column, a type, a sequence, a view).</summary>
    private static Grant Carried(Grant grant, Rename? rename)
    {
        if (rename is null)
            return grant;
        if (rename.Kind == ObjectKind.Schema)
            return grant.Schema == rename.From ? grant with { Schema = rename.To } : grant;
        var from = QualifiedName.Parse(rename.From);
        var to = QualifiedName.Parse(rename.To);
        if (rename.Kind == ObjectKind.Column)
        {
            // Keys "schema.table.column", the table the same on both sides.
            var parts = rename.From.Split('.');
            var renamed = rename.To.Split('.');
            return grant.On == GrantTarget.Table && grant.Schema == parts[0] && grant.Name == parts[1] && grant.Column == parts[2]
                ? grant with { Column = renamed[2] }
                : grant;
        }
        var on = rename.Kind == ObjectKind.Sequence ? GrantTarget.Sequence
            : rename.Kind == ObjectKind.Table || rename.Kind == ObjectKind.View ? GrantTarget.Table
            : GrantTarget.Type;
        return grant.On == on && grant.Object == from ? grant with { Schema = to.Schema, Name = to.Name } : grant;
    }

    private static DefaultPrivilege Carried(DefaultPrivilege entry, Rename? rename) =>
        rename is { Kind: var kind } && kind == ObjectKind.Schema && entry.Schema == rename.From ? entry with { Schema = rename.To } : entry;

    /// <summary>Whether B has the grant's object (else the grant went with it).</summary>
    private static bool IsDeclared(DatabaseModel model, Grant grant) => grant.On switch
    {
        GrantTarget.Schema => model.SchemasInUse().Contains(grant.Schema),
        GrantTarget.Table when grant.Column.Length > 0 => model.FindTable(grant.Object)?.FindColumn(grant.Column) is not null,
        GrantTarget.Table => model.FindTable(grant.Object) is not null || model.FindView(grant.Object) is not null,
        GrantTarget.Sequence => model.FindSequence(grant.Object) is not null,
        GrantTarget.Function => model.Functions.Any(f => f.Key == grant.Object) || model.Aggregates.Any(a => a.Key == grant.Object),
        _ => model.Enums.Any(e => e.QualifiedName == grant.Object) || model.Domains.Any(d => d.QualifiedName == grant.Object)
            || model.Composites.Any(c => c.QualifiedName == grant.Object),
    };
}
