using System.Text;
using Strata.Dsl;
using Strata.Model;
using static Strata.CodeGeneration.CSharpLiterals;

// Roles and privileges in the DSL, in one file: db.Role(…) with its builder, db.Grant(…) and GrantOn, the validator's
// rules for them (what PostgreSQL refuses, and grants only to declared roles), and pull's C# for them (the DSL's
// inverse, in the code generator's namespace).
namespace Strata.Dsl
{
    public partial class SchemaScope
    {
        private List<RoleBuilder>? _roles;
        private List<Grant>? _grants;

        /// <summary>
        /// A role the schema uses in grants (and policies): managed by default (created when the server lacks it, NOLOGIN
        /// unless <see cref="RoleBuilder.Login"/>), or only required to exist with <see cref="RoleBuilder.Existing"/>:
        /// <c>db.Role("authenticated").Existing()</c>. Roles belong to the server, whatever the scope.
        /// </summary>
        public RoleBuilder Role(string name)
        {
            var role = new RoleBuilder(name);
            if (_roles is null)
            {
                var declared = _roles = [];
                AddToModel(model => model with { Roles = model.Roles.Concat(declared.Select(r => r.Build())).ToValueList() });
            }
            _roles.Add(role);
            return role;
        }

        /// <summary>
        /// GRANT <paramref name="privileges"/> ON an object of this scope's schema TO <paramref name="grantee"/> (a declared
        /// role, or <c>"public"</c>): <c>db.Grant(GrantOn.Table("users"), "app_user", Privilege.Select, Privilege.Insert)</c>.
        /// </summary>
        public SchemaScope Grant(GrantOn on, string grantee, params Privilege[] privileges) => Grant(on, grantee, false, privileges);

        /// <summary>As <see cref="Grant(GrantOn, string, Privilege[])"/>, WITH GRANT OPTION when <paramref name="withGrantOption"/>.</summary>
        public SchemaScope Grant(GrantOn on, string grantee, bool withGrantOption, params Privilege[] privileges) =>
            AddGrants(on, grantee, withGrantOption, revoked: false, privileges);

        /// <summary>
        /// REVOKE <paramref name="privileges"/> that PostgreSQL gives PUBLIC by default: EXECUTE on a function, USAGE on a
        /// type or on the public schema: <c>db.Revoke(GrantOn.Function("secret()"), "public", Privilege.Execute)</c>. Applied
        /// again whenever the object is created again.
        /// </summary>
        public SchemaScope Revoke(GrantOn on, string grantee, params Privilege[] privileges) =>
            AddGrants(on, grantee, withGrantOption: false, revoked: true, privileges);

        private SchemaScope AddGrants(GrantOn on, string grantee, bool withGrantOption, bool revoked, Privilege[] privileges)
        {
            ArgumentNullException.ThrowIfNull(on);
            if (_grants is null)
            {
                var declared = _grants = [];
                AddToModel(model => model with { Grants = model.Grants.Concat(declared).ToValueList() });
            }
            var (schema, objectName) = on.Target == GrantTarget.Schema ? (on.Name ?? Name, "") : InThisSchema(on.Name!);
            foreach (var column in on.ColumnNames ?? [""])
                foreach (var privilege in privileges)
                    _grants.Add(new Model.Grant(on.Target, schema, objectName, grantee, privilege, withGrantOption, revoked, column));
            return this;
        }

        private List<DefaultPrivilege>? _defaultPrivileges;

        /// <summary>
        /// ALTER DEFAULT PRIVILEGES [FOR ROLE <paramref name="forRole"/>] [IN SCHEMA <paramref name="inSchema"/>]: what objects
        /// created later are given, <c>db.DefaultPrivileges().Grant(GrantTarget.Table, "auditor", Privilege.Select)</c>.
        /// Without <paramref name="forRole"/>, the objects the role applying the migrations creates; without
        /// <paramref name="inSchema"/>, in every schema (whatever this scope's schema).
        /// </summary>
        public DefaultPrivilegesBuilder DefaultPrivileges(string? forRole = null, string? inSchema = null)
        {
            if (_defaultPrivileges is null)
            {
                var declared = _defaultPrivileges = [];
                AddToModel(model => model with { DefaultPrivileges = model.DefaultPrivileges.Concat(declared).ToValueList() });
            }
            return new DefaultPrivilegesBuilder(_defaultPrivileges, forRole ?? "", inSchema ?? "");
        }

        /// <summary>A name of an object of this scope's schema, or <c>schema.name</c> (a function's dots after its parenthesis are its types').</summary>
        private (string Schema, string Name) InThisSchema(string text)
        {
            var paren = text.IndexOf('(');
            var dot = (paren < 0 ? text : text[..paren]).IndexOf('.');
            return dot < 0 ? (Name, text) : (text[..dot], text[(dot + 1)..]);
        }
    }

    /// <summary>What a grant is on: a name in the scope's schema, or <c>schema.name</c>.</summary>
    public sealed class GrantOn
    {
        private GrantOn(GrantTarget target, string? name, string[]? columns = null) => (Target, Name, ColumnNames) = (target, name, columns);

        internal GrantTarget Target { get; }

        internal string? Name { get; }

        internal string[]? ColumnNames { get; }

        /// <summary>Columns of a table or view (SELECT, INSERT, UPDATE, REFERENCES): <c>GRANT SELECT (id, email) ON users</c>.</summary>
        public static GrantOn Columns(string table, params string[] columns) => new(GrantTarget.Table, table, columns);

        /// <summary>The scope's schema, or the schema <paramref name="name"/> (USAGE, CREATE).</summary>
        public static GrantOn Schema(string? name = null) => new(GrantTarget.Schema, name);

        /// <summary>A table, view or materialized view (SELECT, INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER).</summary>
        public static GrantOn Table(string name) => new(GrantTarget.Table, name);

        /// <summary>A sequence (USAGE, SELECT, UPDATE).</summary>
        public static GrantOn Sequence(string name) => new(GrantTarget.Sequence, name);

        /// <summary>A function or procedure by its name and input types, as PostgreSQL writes them: <c>"total(bigint,text)"</c> (EXECUTE).</summary>
        public static GrantOn Function(string signature) => new(GrantTarget.Function, signature);

        /// <summary>A type the schema declares: an enum, a composite type, … (USAGE).</summary>
        public static GrantOn Type(string name) => new(GrantTarget.Type, name);
    }

    /// <summary>The GRANTs and REVOKEs of one ALTER DEFAULT PRIVILEGES; each method returns the builder, to chain them.</summary>
    public sealed class DefaultPrivilegesBuilder
    {
        private readonly List<DefaultPrivilege> _entries;
        private readonly string _forRole;
        private readonly string _schema;

        internal DefaultPrivilegesBuilder(List<DefaultPrivilege> entries, string forRole, string schema) =>
            (_entries, _forRole, _schema) = (entries, forRole, schema);

        /// <summary>GRANT <paramref name="privileges"/> ON TABLES | SEQUENCES | FUNCTIONS | TYPES | SCHEMAS (<paramref name="on"/>) TO <paramref name="grantee"/>.</summary>
        public DefaultPrivilegesBuilder Grant(GrantTarget on, string grantee, params Privilege[] privileges) => Add(on, grantee, false, false, privileges);

        /// <summary>As <see cref="Grant(GrantTarget, string, Privilege[])"/>, WITH GRANT OPTION when <paramref name="withGrantOption"/>.</summary>
        public DefaultPrivilegesBuilder Grant(GrantTarget on, string grantee, bool withGrantOption, params Privilege[] privileges) =>
            Add(on, grantee, withGrantOption, false, privileges);

        /// <summary>REVOKE one of PUBLIC's built-in defaults (EXECUTE on functions, USAGE on types) from the objects created later.</summary>
        public DefaultPrivilegesBuilder Revoke(GrantTarget on, string grantee, params Privilege[] privileges) => Add(on, grantee, false, true, privileges);

        private DefaultPrivilegesBuilder Add(GrantTarget on, string grantee, bool withGrantOption, bool revoked, Privilege[] privileges)
        {
            foreach (var privilege in privileges)
                _entries.Add(new DefaultPrivilege(_forRole, _schema, on, grantee, privilege, withGrantOption, revoked));
            return this;
        }
    }

    /// <summary>A role's attributes; each method returns the builder, to chain them.</summary>
    public sealed class RoleBuilder
    {
        private readonly string _name;
        private bool _existing;
        private bool _login;
        private bool _inherit = true;
        private bool _createDb;
        private bool _createRole;

        internal RoleBuilder(string name) => _name = name;

        /// <summary>The server has the role already (or another tool makes it): Strata requires it and never creates or drops it.</summary>
        public RoleBuilder Existing()
        {
            _existing = true;
            return this;
        }

        /// <summary>LOGIN: a user that connects (the password is set outside the schema: ALTER ROLE … PASSWORD).</summary>
        public RoleBuilder Login()
        {
            _login = true;
            return this;
        }

        /// <summary>NOINHERIT: the role does not use the privileges of the roles it is a member of without SET ROLE.</summary>
        public RoleBuilder NoInherit()
        {
            _inherit = false;
            return this;
        }

        /// <summary>CREATEDB: the role may create databases.</summary>
        public RoleBuilder CreateDb()
        {
            _createDb = true;
            return this;
        }

        /// <summary>CREATEROLE: the role may create roles.</summary>
        public RoleBuilder CreateRole()
        {
            _createRole = true;
            return this;
        }

        internal Role Build() => new(_name, _existing, _login, _inherit, _createDb, _createRole);
    }

    internal static partial class SchemaValidator
    {
        // After the other kinds' rules: grants name objects of every kind.
        internal static readonly KindRules PrivilegeRules = Register(new(Order: 50, static (model, types, add) => ValidatePrivileges(model, types, add)));

        private static void ValidatePrivileges(DatabaseModel model, DeclaredTypes types, Action<string, string> add)
        {
            var roles = new HashSet<string>(StringComparer.Ordinal);
            foreach (var role in model.Roles)
            {
                var where = $"role {role.Name}";
                if (string.IsNullOrWhiteSpace(role.Name))
                    add(where, "the role's name is empty");
                else if (string.Equals(role.Name, Model.Grant.Public, StringComparison.OrdinalIgnoreCase) || role.Name.StartsWith("pg_", StringComparison.Ordinal))
                    add(where, "PostgreSQL reserves this name (public and pg_…); grant to \"public\" without declaring it, or name another role");
                if (!roles.Add(role.Name))
                    add(where, "is declared twice; declare each role once with db.Role(name)");
                if (role.Existing && (role.Login || !role.Inherit || role.CreateDb || role.CreateRole))
                    add(where, "an existing role's attributes are the server's: remove Login(), NoInherit(), CreateDb() and CreateRole(), or drop Existing() to let Strata manage it");
            }
            var schemas = model.SchemasInUse().ToHashSet(StringComparer.Ordinal);
            // GRANT … ON FUNCTION names an aggregate too, by the same key.
            var functions = model.Functions.Select(f => f.Key).Concat(model.Aggregates.Select(a => a.Key)).ToHashSet();
            foreach (var grant in model.Grants)
            {
                var where = $"grant on {grant.ObjectText} to {grant.Grantee}";
                if (grant.Revoked && !grant.IsPublicDefault)
                    add(where, $"{grant.Privilege.ToString().ToUpperInvariant()} is not a privilege PostgreSQL gives {grant.Grantee} on a {grant.On.ToString().ToLowerInvariant()} by default, so there is nothing to revoke; db.Revoke takes away only PUBLIC's EXECUTE on a function, USAGE on a type or USAGE on the public schema (remove the db.Grant instead)");
                else if (!grant.Revoked && !grant.WithGrantOption && grant.IsPublicDefault)
                    add(where, $"PUBLIC has {grant.Privilege.ToString().ToUpperInvariant()} on a {grant.On.ToString().ToLowerInvariant()} by default; remove this db.Grant (PostgreSQL grants it already)");
                if (grant.Grantee != Model.Grant.Public && !roles.Contains(grant.Grantee))
                    add(where, $"role {grant.Grantee} is not declared; declare it with db.Role(\"{grant.Grantee}\") (add .Existing() for a role the server has already)");
                if (grant.Column.Length > 0)
                {
                    if (!Model.Grant.PrivilegesOnColumns.Contains(grant.Privilege))
                        add(where, $"{grant.Privilege.ToString().ToUpperInvariant()} cannot be granted on a column; it takes {string.Join(", ", Model.Grant.PrivilegesOnColumns.Select(p => p.ToString().ToUpperInvariant()))}");
                    // A view's columns are its query's, which the model does not list.
                    if (model.FindTable(grant.Object) is { } table && table.FindColumn(grant.Column) is null)
                        add(where, $"{grant.Object} has no column {grant.Column}; name a column it declares");
                }
                else if (!Model.Grant.PrivilegesOn(grant.On).Contains(grant.Privilege))
                    add(where, $"{grant.Privilege.ToString().ToUpperInvariant()} cannot be granted on a {grant.On.ToString().ToLowerInvariant()}; it takes {string.Join(", ", Model.Grant.PrivilegesOn(grant.On).Select(p => p.ToString().ToUpperInvariant()))}");
                var declared = grant.On switch
                {
                    GrantTarget.Schema => schemas.Contains(grant.Schema),
                    GrantTarget.Table => model.FindTable(grant.Object) is not null || model.FindView(grant.Object) is not null,
                    GrantTarget.Function => functions.Contains(grant.Object),
                    GrantTarget.Type => types.OwnersOf(grant.Object).Any(),
                    // A sequence may be a serial or identity column's, which the model does not list.
                    _ => true,
                };
                if (!declared)
                    add(where, $"no such {grant.On.ToString().ToLowerInvariant()} is declared; declare it, or name it as declared{(grant.On == GrantTarget.Function ? " with its input types (\"total(bigint,text)\")" : "")}");
            }
            foreach (var entry in model.DefaultPrivileges)
            {
                var where = $"{entry.Text} to {entry.Grantee}";
                if (entry.Grantee != Model.Grant.Public && !roles.Contains(entry.Grantee))
                    add(where, $"role {entry.Grantee} is not declared; declare it with db.Role(\"{entry.Grantee}\") (add .Existing() for a role the server has already)");
                if (entry.ForRole.Length > 0 && !roles.Contains(entry.ForRole))
                    add(where, $"role {entry.ForRole} is not declared; declare it with db.Role(\"{entry.ForRole}\") (add .Existing() for a role the server has already)");
                if (!Model.Grant.PrivilegesOn(entry.On).Contains(entry.Privilege))
                    add(where, $"{entry.Privilege.ToString().ToUpperInvariant()} cannot be granted on {DefaultPrivilege.ObjectsWord(entry.On)}; it takes {string.Join(", ", Model.Grant.PrivilegesOn(entry.On).Select(p => p.ToString().ToUpperInvariant()))}");
                if (entry.Schema.Length > 0 && entry.On == GrantTarget.Schema)
                    add(where, "PostgreSQL cannot use IN SCHEMA with default privileges on schemas; leave out inSchema");
                if (entry.Revoked && entry.Schema.Length > 0)
                    add(where, "default privileges in a schema only add to the database's: revoke without inSchema");
                else if (entry.Revoked && !(entry.Grantee == Model.Grant.Public && entry.On is GrantTarget.Function or GrantTarget.Type && entry.Privilege is Privilege.Execute or Privilege.Usage))
                    add(where, "only PUBLIC's built-in EXECUTE on functions and USAGE on types can be revoked by default; remove the Revoke (or the matching Grant)");
            }
        }
    }
}

namespace Strata.CodeGeneration
{
    public sealed partial class CSharpSchemaWriter
    {
        internal static readonly KindCode PrivilegeDeclarations = Register(new(Order: 90,
            static (model, schema) => RoleCode(model, schema).Concat(GrantCode(model, schema)).Concat(DefaultPrivilegeCode(model, schema)),
            null,
            ["Privilege.", "GrantOn.", "GrantTarget."]));

        /// <summary>The roles, in the default schema's scope (roles are the server's).</summary>
        private static IEnumerable<string> RoleCode(DatabaseModel model, string schema)
        {
            if (schema != QualifiedName.DefaultSchema)
                yield break;
            foreach (var role in model.Roles)
            {
                var code = new StringBuilder($"{Statement}db.Role({String(role.Name)})");
                if (role.Existing)
                    code.Append(".Existing()");
                if (role.Login)
                    code.Append(".Login()");
                if (!role.Inherit)
                    code.Append(".NoInherit()");
                if (role.CreateDb)
                    code.Append(".CreateDb()");
                if (role.CreateRole)
                    code.Append(".CreateRole()");
                yield return code.Append(";\n").ToString();
            }
        }

        /// <summary>
        /// The default privileges, in the default schema's scope (they name their schema themselves): one call per role,
        /// schema, kind of object, grantee and grant option.
        /// </summary>
        private static IEnumerable<string> DefaultPrivilegeCode(DatabaseModel model, string schema)
        {
            if (schema != QualifiedName.DefaultSchema)
                yield break;
            foreach (var group in model.DefaultPrivileges.GroupBy(d => (d.ForRole, d.Schema, d.On, d.Grantee, d.WithGrantOption, d.Revoked)))
            {
                var (forRole, inSchema, on, grantee, withGrantOption, revoked) = group.Key;
                var scope = string.Join(", ", new[] { forRole.Length > 0 ? $"forRole: {String(forRole)}" : null, inSchema.Length > 0 ? $"inSchema: {String(inSchema)}" : null }.OfType<string>());
                var option = withGrantOption ? ", withGrantOption: true" : "";
                yield return $"{Statement}db.DefaultPrivileges({scope}).{(revoked ? "Revoke" : "Grant")}(GrantTarget.{on}, {String(grantee)}{option}, {string.Join(", ", group.Select(g => $"Privilege.{g.Privilege}"))});\n";
            }
        }

        /// <summary>The grants and revokes on the schema and its objects: one call per object, grantee and grant option.</summary>
        private static IEnumerable<string> GrantCode(DatabaseModel model, string schema) =>
            model.Grants.Where(g => g.Schema == schema)
                .GroupBy(g => (g.On, g.Name, g.Grantee, g.WithGrantOption, g.Revoked, g.Column))
                .Select(group =>
                {
                    var (on, name, grantee, withGrantOption, revoked, column) = group.Key;
                    var target = on == GrantTarget.Schema ? "GrantOn.Schema()"
                        : column.Length > 0 ? $"GrantOn.Columns({String(name)}, {String(column)})"
                        : $"GrantOn.{on}({String(name)})";
                    var option = withGrantOption ? ", withGrantOption: true" : "";
                    return $"{Statement}db.{(revoked ? "Revoke" : "Grant")}({target}, {String(grantee)}{option}, {string.Join(", ", group.Select(g => $"Privilege.{g.Privilege}"))});\n";
                });
    }
}
