using Strata.Snapshots;

namespace Strata.Model;

/// <summary>
/// A role the schema names (<c>db.Role("app_user")</c>). Roles belong to the server, not to a database: a managed role
/// is created when missing (and its attributes set), an existing one (<see cref="Existing"/>) is only required to exist.
/// Passwords are never part of a schema.
/// </summary>
/// <param name="Existing">Declared, not created: the server must have it (Supabase's <c>authenticated</c>, a role a DBA makes).</param>
/// <param name="Login">LOGIN (a user) rather than NOLOGIN (a group).</param>
/// <param name="Inherit">INHERIT: it has the privileges of the roles it is a member of (PostgreSQL's default).</param>
public sealed record Role(
    string Name,
    bool Existing = false,
    bool Login = false,
    bool Inherit = true,
    bool CreateDb = false,
    bool CreateRole = false)
{
    /// <summary>An existing role's attributes are the server's, not the schema's: canonically PostgreSQL's defaults.</summary>
    public Role Normalize() => Existing ? new Role(Name, Existing: true) : this;
}

/// <summary>What a privilege is granted on (<c>GRANT … ON SCHEMA | TABLE | SEQUENCE | FUNCTION | TYPE</c>).</summary>
public enum GrantTarget
{
    [SnapshotName("schema")]
    Schema,
    /// <summary>A table, a view or a materialized view (GRANT … ON TABLE names them all).</summary>
    [SnapshotName("table")]
    Table,
    [SnapshotName("sequence")]
    Sequence,
    /// <summary>A function or procedure, by its signature (<see cref="Function.Signature"/>).</summary>
    [SnapshotName("function")]
    Function,
    /// <summary>A user type: an enum, a composite type, any type the schema declares.</summary>
    [SnapshotName("type")]
    Type,
}

/// <summary>A privilege, as GRANT names it.</summary>
public enum Privilege
{
    [SnapshotName("select")]
    Select,
    [SnapshotName("insert")]
    Insert,
    [SnapshotName("update")]
    Update,
    [SnapshotName("delete")]
    Delete,
    [SnapshotName("truncate")]
    Truncate,
    [SnapshotName("references")]
    References,
    [SnapshotName("trigger")]
    Trigger,
    [SnapshotName("usage")]
    Usage,
    [SnapshotName("create")]
    Create,
    [SnapshotName("execute")]
    Execute,
}

/// <summary>
/// One privilege granted on one object to one role (<c>GRANT SELECT ON TABLE public.users TO app_user</c>), beyond what
/// PostgreSQL gives when the object is created (the owner's privileges, PUBLIC's EXECUTE on functions and USAGE on
/// types are never grants of the model); or, <see cref="Revoked"/>, one of PUBLIC's default privileges taken away
/// (<c>REVOKE EXECUTE ON FUNCTION secret() FROM PUBLIC</c>).
/// </summary>
/// <param name="Schema">The object's schema (for a schema, the schema itself).</param>
/// <param name="Name">The object's name in <paramref name="Schema"/>, a function's with its input types (<c>total(bigint,text)</c>); empty for a schema.</param>
/// <param name="Grantee">A role the schema declares, or <c>public</c> (every role).</param>
/// <param name="Revoked">A privilege PostgreSQL gives PUBLIC by default (<see cref="IsPublicDefault"/>), revoked.</param>
/// <param name="Column">For a column-level grant (<c>GRANT SELECT (email) ON users</c>), the table's or view's column; else empty.</param>
public sealed record Grant(
    GrantTarget On,
    string Schema,
    string Name,
    string Grantee,
    Privilege Privilege,
    bool WithGrantOption = false,
    bool Revoked = false,
    string Column = "")
{
    /// <summary>The grantee every role is a member of.</summary>
    public const string Public = "public";

    /// <summary>The object's qualified name (a schema's with an empty name).</summary>
    public QualifiedName Object => new(Schema, Name);

    /// <summary>How an error names the object: <c>table public.users</c>, <c>schema billing</c>.</summary>
    public string ObjectText => On == GrantTarget.Schema
        ? $"schema {Schema}"
        : Column.Length > 0
            ? $"column {Schema}.{Name}.{Column}"
            : $"{On.ToString().ToLowerInvariant()} {Schema}.{Name}";

    /// <summary>The privileges GRANT accepts on a column.</summary>
    public static IReadOnlyList<Privilege> PrivilegesOnColumns { get; } = [Privilege.Select, Privilege.Insert, Privilege.Update, Privilege.References];

    /// <summary>The privileges GRANT accepts on each kind of object.</summary>
    public static IReadOnlyList<Privilege> PrivilegesOn(GrantTarget on) => on switch
    {
        GrantTarget.Schema => [Privilege.Usage, Privilege.Create],
        GrantTarget.Table => [Privilege.Select, Privilege.Insert, Privilege.Update, Privilege.Delete, Privilege.Truncate, Privilege.References, Privilege.Trigger],
        GrantTarget.Sequence => [Privilege.Usage, Privilege.Select, Privilege.Update],
        GrantTarget.Function => [Privilege.Execute],
        _ => [Privilege.Usage],
    };

    /// <summary>
    /// Whether PostgreSQL gives PUBLIC this privilege on such an object when it is created: EXECUTE on a routine, USAGE
    /// on a type, and USAGE on the public schema (as PostgreSQL 15 makes it) — the only privileges a REVOKE of a
    /// default can take away from someone other than the owner.
    /// </summary>
    public bool IsPublicDefault => Grantee == Public && (On, Privilege) switch
    {
        (GrantTarget.Function, Privilege.Execute) => true,
        (GrantTarget.Type, Privilege.Usage) => true,
        (GrantTarget.Schema, Privilege.Usage) => Schema == QualifiedName.DefaultSchema,
        _ => false,
    };

    /// <summary>Canonical order: by object, kind, grantee, privilege.</summary>
    internal static int Compare(Grant a, Grant b)
    {
        var order = a.Object.CompareTo(b.Object);
        if (order == 0)
            order = a.On.CompareTo(b.On);
        if (order == 0)
            order = string.CompareOrdinal(a.Column, b.Column);
        if (order == 0)
            order = string.CompareOrdinal(a.Grantee, b.Grantee);
        return order != 0 ? order : a.Privilege.CompareTo(b.Privilege);
    }
}

/// <summary>
/// One entry of <c>ALTER DEFAULT PRIVILEGES [FOR ROLE r] [IN SCHEMA s] GRANT|REVOKE p ON TABLES|SEQUENCES|FUNCTIONS|TYPES|SCHEMAS
/// TO|FROM grantee</c>: what objects the role creates later are given, beyond PostgreSQL's built-in defaults.
/// </summary>
/// <param name="ForRole">The role whose new objects get the privilege; empty for the role that applies the migrations (FOR ROLE omitted).</param>
/// <param name="Schema">Only objects created in this schema (IN SCHEMA); empty for every schema.</param>
/// <param name="On">The kind of objects: <see cref="GrantTarget.Table"/> for TABLES (views too), … <see cref="GrantTarget.Schema"/> for SCHEMAS.</param>
/// <param name="Grantee">A role the schema declares, or <c>public</c>.</param>
/// <param name="Revoked">One of PUBLIC's built-in defaults taken away (REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC); only without a schema.</param>
public sealed record DefaultPrivilege(
    string ForRole,
    string Schema,
    GrantTarget On,
    string Grantee,
    Privilege Privilege,
    bool WithGrantOption = false,
    bool Revoked = false)
{
    /// <summary>How an error names the entry: <c>default privileges for role owner in schema sales on tables</c>.</summary>
    public string Text => "default privileges"
        + (ForRole.Length == 0 ? "" : $" for role {ForRole}")
        + (Schema.Length == 0 ? "" : $" in schema {Schema}")
        + $" on {ObjectsWord(On)}";

    /// <summary>The word ALTER DEFAULT PRIVILEGES names a kind of object by: TABLES, SEQUENCES, FUNCTIONS, TYPES, SCHEMAS.</summary>
    public static string ObjectsWord(GrantTarget on) => on switch
    {
        GrantTarget.Table => "tables",
        GrantTarget.Sequence => "sequences",
        GrantTarget.Function => "functions",
        GrantTarget.Type => "types",
        _ => "schemas",
    };

    /// <summary>Whether the entry applies to an object of kind <paramref name="on"/> created in <paramref name="schema"/> by the migrating role.</summary>
    public bool AppliesToNew(GrantTarget on, string schema) => ForRole.Length == 0 && On == on && (Schema.Length == 0 || Schema == schema);

    /// <summary>The grant (or revoked default) the entry gives an object it applies to.</summary>
    public Grant GrantOn(QualifiedName name) => new(On, name.Schema, On == GrantTarget.Schema ? "" : name.Name, Grantee, Privilege, WithGrantOption, Revoked);

    internal static int Compare(DefaultPrivilege a, DefaultPrivilege b)
    {
        var order = string.CompareOrdinal(a.ForRole, b.ForRole);
        if (order == 0)
            order = string.CompareOrdinal(a.Schema, b.Schema);
        if (order == 0)
            order = a.On.CompareTo(b.On);
        if (order == 0)
            order = string.CompareOrdinal(a.Grantee, b.Grantee);
        if (order == 0)
            order = a.Revoked.CompareTo(b.Revoked);
        return order != 0 ? order : a.Privilege.CompareTo(b.Privilege);
    }
}

/// <summary>The roles and the privileges of a model.</summary>
public sealed partial record DatabaseModel
{
    /// <summary>The roles the schema names, managed or existing, by name once normalised.</summary>
    public ValueList<Role> Roles { get; init; }

    /// <summary>The privileges granted on the model's objects, sorted once normalised; each (object, grantee, privilege) once.</summary>
    public ValueList<Grant> Grants { get; init; }

    /// <summary>The default privileges (ALTER DEFAULT PRIVILEGES), sorted once normalised.</summary>
    public ValueList<DefaultPrivilege> DefaultPrivileges { get; init; }

    public Role? FindRole(string name) => Roles.FirstOrDefault(r => r.Name == name);

    // After the policies: pull's summary lists roles and grants last.
    internal static readonly RoleKind RolesKind = Register(new RoleKind());

    internal static readonly GrantKind GrantsKind = Register(new GrantKind());

    internal static readonly DefaultPrivilegeKind DefaultPrivilegesKind = Register(new DefaultPrivilegeKind());

    /// <summary>Roles are the server's, in no schema: no schema filter or schema use applies to them.</summary>
    internal sealed class RoleKind() : ModelKind(90, "roles", "role", "roles")
    {
        public override bool IsTableBound => true;

        protected override int CountIn(DatabaseModel model) => model.Roles.Count;

        public override IEnumerable<string> SchemasOf(DatabaseModel model) => [];

        public override DatabaseModel InSchemas(DatabaseModel model, Func<string, bool> includesSchema) => model;

        public override DatabaseModel Normalize(DatabaseModel model) => model.Roles.Count == 0
            ? model
            : model with { Roles = model.Roles.Select(r => r.Normalize()).OrderBy(r => r.Name, StringComparer.Ordinal).ToValueList() };

        public override bool KnowsAnyReads(DatabaseModel model) => false;

        public override DatabaseModel CopyReads(DatabaseModel target, DatabaseModel source, bool unchangedOnly) => target;
    }

    /// <summary>
    /// Grants follow their objects: kept with their schema, counted as objects of their own; not a kind of schema object
    /// (a schema holding only grants has nothing to pull).
    /// </summary>
    internal sealed class GrantKind() : ModelKind(91, "grants", "grant", "grants")
    {
        public override bool IsTableBound => true;

        protected override int CountIn(DatabaseModel model) => model.Grants.Count;

        public override IEnumerable<string> SchemasOf(DatabaseModel model) => model.Grants.Select(g => g.Schema);

        public override DatabaseModel InSchemas(DatabaseModel model, Func<string, bool> includesSchema) =>
            model.Grants.Count == 0 ? model : model with { Grants = model.Grants.Where(g => includesSchema(g.Schema)).ToValueList() };

        public override DatabaseModel InRelations(DatabaseModel model, Func<QualifiedName, bool> includesRelation) =>
            model.Grants.Count == 0 ? model : model with { Grants = model.Grants.Where(g => g.On != GrantTarget.Table || includesRelation(g.Object)).ToValueList() };

        public override DatabaseModel Normalize(DatabaseModel model)
        {
            if (model.Grants.Count == 0)
                return model;
            var grants = model.Grants.Distinct().ToList();
            // One privilege once per grantee: WITH GRANT OPTION includes the plain grant.
            grants.RemoveAll(g => !g.WithGrantOption && grants.Contains(g with { WithGrantOption = true }));
            grants.Sort(Grant.Compare);
            return model with { Grants = grants.ToValueList() };
        }

        public override bool KnowsAnyReads(DatabaseModel model) => false;

        public override DatabaseModel CopyReads(DatabaseModel target, DatabaseModel source, bool unchangedOnly) => target;
    }

    /// <summary>
    /// Default privileges belong to the database (a global entry) or to a schema (IN SCHEMA): filtered by that schema,
    /// counted as objects of their own, never a kind of schema object.
    /// </summary>
    internal sealed class DefaultPrivilegeKind() : ModelKind(92, "defaultPrivileges", "default privilege", "default privileges")
    {
        public override bool IsTableBound => true;

        protected override int CountIn(DatabaseModel model) => model.DefaultPrivileges.Count;

        public override IEnumerable<string> SchemasOf(DatabaseModel model) => model.DefaultPrivileges.Where(d => d.Schema.Length > 0).Select(d => d.Schema);

        public override DatabaseModel InSchemas(DatabaseModel model, Func<string, bool> includesSchema) =>
            model.DefaultPrivileges.Count == 0 ? model : model with { DefaultPrivileges = model.DefaultPrivileges.Where(d => d.Schema.Length == 0 || includesSchema(d.Schema)).ToValueList() };

        public override DatabaseModel Normalize(DatabaseModel model)
        {
            if (model.DefaultPrivileges.Count == 0)
                return model;
            var entries = model.DefaultPrivileges.Distinct().ToList();
            entries.RemoveAll(d => !d.WithGrantOption && entries.Contains(d with { WithGrantOption = true }));
            entries.Sort(DefaultPrivilege.Compare);
            return model with { DefaultPrivileges = entries.ToValueList() };
        }

        public override bool KnowsAnyReads(DatabaseModel model) => false;

        public override DatabaseModel CopyReads(DatabaseModel target, DatabaseModel source, bool unchangedOnly) => target;
    }
}
