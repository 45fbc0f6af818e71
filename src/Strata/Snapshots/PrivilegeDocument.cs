using System.Text.Json;
using Strata.Model;

// Roles and grants in snapshot.json, in one file: their records (the top-level "roles" and "grants" lists), the
// reader's fields for them, and the mappings both ways, as partial parts of the snapshot's central types, each
// registered once (see KindRegistry). A model without any has neither key.
namespace Strata.Snapshots;

internal sealed record RoleDocument
{
    public Flag? CreateDb { get; set; }

    public Flag? CreateRole { get; set; }

    public Flag? Existing { get; set; }

    public Flag? Login { get; set; }

    public string? Name { get; set; }

    /// <summary>Set for NOINHERIT; absent for PostgreSQL's default INHERIT.</summary>
    public Flag? NoInherit { get; set; }
}

internal sealed record GrantDocument
{
    /// <summary>A column-level grant's column; absent for a grant on the whole object.</summary>
    public string? Column { get; set; }

    public string? Grantee { get; set; }

    /// <summary>The object's name in its schema (a function's with its input types); absent for a schema.</summary>
    public string? Name { get; set; }

    /// <summary>schema, table, sequence, function or type.</summary>
    public string? On { get; set; }

    public string? Privilege { get; set; }

    /// <summary>Set for a default privilege of PUBLIC revoked; absent for a grant.</summary>
    public Flag? Revoked { get; set; }

    public string? Schema { get; set; }

    public Flag? WithGrantOption { get; set; }
}

internal sealed record DefaultPrivilegeDocument
{
    /// <summary>The role whose new objects get the privilege; absent for the role that applies the migrations.</summary>
    public string? ForRole { get; set; }

    public string? Grantee { get; set; }

    /// <summary>tables, sequences, functions, types or schemas, as a grant's target is named (table, …).</summary>
    public string? On { get; set; }

    public string? Privilege { get; set; }

    public Flag? Revoked { get; set; }

    /// <summary>IN SCHEMA; absent for every schema.</summary>
    public string? Schema { get; set; }

    public Flag? WithGrantOption { get; set; }
}

internal sealed partial record SnapshotDocument
{
    public List<DefaultPrivilegeDocument?>? DefaultPrivileges { get; set; }

    public List<GrantDocument?>? Grants { get; set; }

    public List<RoleDocument?>? Roles { get; set; }
}

internal sealed partial record SchemaDocument
{
    public List<DefaultPrivilegeDocument?>? DefaultPrivileges { get; set; }

    public List<GrantDocument?>? Grants { get; set; }

    public List<RoleDocument?>? Roles { get; set; }
}

internal static partial class SnapshotDocumentReader
{
    internal static readonly KindFields PrivilegeFields = Register(new(Order: 50,
        [
            Field<SnapshotDocument>("defaultPrivileges", (ref Utf8JsonReader r, SnapshotDocument d) => d.DefaultPrivileges = Objects(ref r, DefaultPrivilegeShape)),
            Field<SnapshotDocument>("grants", (ref Utf8JsonReader r, SnapshotDocument d) => d.Grants = Objects(ref r, GrantShape)),
            Field<SnapshotDocument>("roles", (ref Utf8JsonReader r, SnapshotDocument d) => d.Roles = Objects(ref r, RoleShape)),
        ],
        static () => new() { [typeof(RoleDocument)] = RoleShape.Names, [typeof(GrantDocument)] = GrantShape.Names, [typeof(DefaultPrivilegeDocument)] = DefaultPrivilegeShape.Names }));

    private static Shape<DefaultPrivilegeDocument>? _defaultPrivilegeShape;

    private static Shape<DefaultPrivilegeDocument> DefaultPrivilegeShape => _defaultPrivilegeShape ??= new(() => new(),
        ("forRole", (ref Utf8JsonReader r, DefaultPrivilegeDocument d) => d.ForRole = String(ref r)),
        ("grantee", (ref Utf8JsonReader r, DefaultPrivilegeDocument d) => d.Grantee = String(ref r)),
        ("on", (ref Utf8JsonReader r, DefaultPrivilegeDocument d) => d.On = String(ref r)),
        ("privilege", (ref Utf8JsonReader r, DefaultPrivilegeDocument d) => d.Privilege = String(ref r)),
        ("revoked", (ref Utf8JsonReader r, DefaultPrivilegeDocument d) => d.Revoked = Flag(ref r)),
        ("schema", (ref Utf8JsonReader r, DefaultPrivilegeDocument d) => d.Schema = String(ref r)),
        ("withGrantOption", (ref Utf8JsonReader r, DefaultPrivilegeDocument d) => d.WithGrantOption = Flag(ref r)));

    private static Shape<RoleDocument>? _roleShape;

    private static Shape<RoleDocument> RoleShape => _roleShape ??= new(() => new(),
        ("createDb", (ref Utf8JsonReader r, RoleDocument d) => d.CreateDb = Flag(ref r)),
        ("createRole", (ref Utf8JsonReader r, RoleDocument d) => d.CreateRole = Flag(ref r)),
        ("existing", (ref Utf8JsonReader r, RoleDocument d) => d.Existing = Flag(ref r)),
        ("login", (ref Utf8JsonReader r, RoleDocument d) => d.Login = Flag(ref r)),
        ("name", (ref Utf8JsonReader r, RoleDocument d) => d.Name = String(ref r)),
        ("noInherit", (ref Utf8JsonReader r, RoleDocument d) => d.NoInherit = Flag(ref r)));

    private static Shape<GrantDocument>? _grantShape;

    private static Shape<GrantDocument> GrantShape => _grantShape ??= new(() => new(),
        ("column", (ref Utf8JsonReader r, GrantDocument d) => d.Column = String(ref r)),
        ("grantee", (ref Utf8JsonReader r, GrantDocument d) => d.Grantee = String(ref r)),
        ("name", (ref Utf8JsonReader r, GrantDocument d) => d.Name = String(ref r)),
        ("on", (ref Utf8JsonReader r, GrantDocument d) => d.On = String(ref r)),
        ("privilege", (ref Utf8JsonReader r, GrantDocument d) => d.Privilege = String(ref r)),
        ("revoked", (ref Utf8JsonReader r, GrantDocument d) => d.Revoked = Flag(ref r)),
        ("schema", (ref Utf8JsonReader r, GrantDocument d) => d.Schema = String(ref r)),
        ("withGrantOption", (ref Utf8JsonReader r, GrantDocument d) => d.WithGrantOption = Flag(ref r)));
}

internal static partial class SnapshotMapping
{
    private static SnapshotNames.Names<GrantTarget>? _grantTargets;

    private static SnapshotNames.Names<GrantTarget> GrantTargets => _grantTargets ??= new("grant target");

    private static SnapshotNames.Names<Privilege>? _privileges;

    private static SnapshotNames.Names<Privilege> Privileges => _privileges ??= new("privilege");

    // After the built-in kinds and the policies: a snapshot's roles and grants are read last.
    internal static readonly KindMapping PrivilegeMapping = Register(new(Order: 50,
        static (model, document) =>
        {
            document.DefaultPrivileges = Documents(model.DefaultPrivileges, ToDocument);
            document.Grants = Documents(model.Grants, ToDocument);
            document.Roles = Documents(model.Roles, ToDocument);
        },
        static (document, model) => model with
        {
            DefaultPrivileges = Items(document.DefaultPrivileges, "defaultPrivileges", ToDefaultPrivilege),
            Grants = Items(document.Grants, "grants", ToGrant),
            Roles = Items(document.Roles, "roles", ToRole),
        }));

    private static RoleDocument ToDocument(Role role) => new()
    {
        CreateDb = Flag.Of(role.CreateDb),
        CreateRole = Flag.Of(role.CreateRole),
        Existing = Flag.Of(role.Existing),
        Login = Flag.Of(role.Login),
        Name = role.Name,
        NoInherit = Flag.Of(!role.Inherit),
    };

    private static GrantDocument ToDocument(Grant grant) => new()
    {
        Column = grant.Column.Length == 0 ? null : grant.Column,
        Grantee = grant.Grantee,
        Name = grant.Name.Length == 0 ? null : grant.Name,
        On = GrantTargets.NameOf(grant.On),
        Privilege = Privileges.NameOf(grant.Privilege),
        Revoked = Flag.Of(grant.Revoked),
        Schema = grant.Schema,
        WithGrantOption = Flag.Of(grant.WithGrantOption),
    };

    private static DefaultPrivilegeDocument ToDocument(DefaultPrivilege entry) => new()
    {
        ForRole = entry.ForRole.Length == 0 ? null : entry.ForRole,
        Grantee = entry.Grantee,
        On = GrantTargets.NameOf(entry.On),
        Privilege = Privileges.NameOf(entry.Privilege),
        Revoked = Flag.Of(entry.Revoked),
        Schema = entry.Schema.Length == 0 ? null : entry.Schema,
        WithGrantOption = Flag.Of(entry.WithGrantOption),
    };

    private static DefaultPrivilege ToDefaultPrivilege(DefaultPrivilegeDocument document) => new(
        document.ForRole ?? "",
        document.Schema ?? "",
        Name(document.On, "on", GrantTargets),
        Required(document.Grantee, "grantee"),
        Name(document.Privilege, "privilege", Privileges),
        document.WithGrantOption is not null,
        document.Revoked is not null);

    private static Role ToRole(RoleDocument document) => new(
        Required(document.Name, "name"),
        document.Existing is not null,
        document.Login is not null,
        document.NoInherit is null,
        document.CreateDb is not null,
        document.CreateRole is not null);

    private static Grant ToGrant(GrantDocument document) => new(
        Name(document.On, "on", GrantTargets),
        Required(document.Schema, "schema"),
        document.Name ?? "",
        Required(document.Grantee, "grantee"),
        Name(document.Privilege, "privilege", Privileges),
        document.WithGrantOption is not null,
        document.Revoked is not null,
        document.Column ?? "");
}
