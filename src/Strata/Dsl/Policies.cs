using System.Text;
using Strata.Dsl;
using Strata.Model;
using static Strata.CodeGeneration.CSharpLiterals;

// Row-level security in the DSL, in one file: a table's t.RowLevelSecurity() and t.Policy(…) with its builder, the
// validator's rules for them (what PostgreSQL refuses), and pull's C# for them (the DSL's inverse, in the code
// generator's namespace).
namespace Strata.Dsl
{
    public sealed partial class TableBuilder
    {
        private bool _rowSecurityDeclared;
        private bool _rowSecurityEnabled;
        private bool _rowSecurityForced;
        private List<PolicyBuilder>? _policies;

        /// <summary>
        /// ENABLE ROW LEVEL SECURITY: the table's policies decide which rows each role sees and writes (a table without
        /// a policy then shows no rows to anyone but its owner); <paramref name="force"/> applies them to the owner too
        /// (FORCE ROW LEVEL SECURITY). <paramref name="enable"/>: false only to force without enabling, as pull writes it.
        /// </summary>
        public TableBuilder RowLevelSecurity(bool force = false, bool enable = true)
        {
            DeclareSecurity();
            (_rowSecurityEnabled, _rowSecurityForced) = (enable, force);
            return this;
        }

        /// <summary>
        /// A row-level security policy (CREATE POLICY), by default permissive, for every command and every role;
        /// <paramref name="define"/> narrows it: <c>t.Policy("own_rows", p =&gt; p.For(PolicyCommand.Select).To("app_user").Using("owner = current_user"))</c>.
        /// </summary>
        public TableBuilder Policy(string name, Action<PolicyBuilder>? define = null)
        {
            DeclareSecurity();
            var policy = new PolicyBuilder(name);
            _policies!.Add(policy);
            define?.Invoke(policy);
            return this;
        }

        private void DeclareSecurity()
        {
            if (_rowSecurityDeclared)
                return;
            _rowSecurityDeclared = true;
            _policies = [];
            AddToModel(model => model with
            {
                RowSecurity = model.RowSecurity.Append(new TableSecurity(Schema, Name, _rowSecurityEnabled, _rowSecurityForced,
                    _policies.Select(p => p.Build()).ToValueList())).ToValueList(),
            });
        }
    }

    /// <summary>What a policy applies to and allows; each method returns the builder, to chain them.</summary>
    public sealed class PolicyBuilder
    {
        private readonly string _name;
        private readonly List<string> _roles = [];
        private PolicyCommand _command = PolicyCommand.All;
        private bool _permissive = true;
        private string? _using;
        private string? _withCheck;
        private string? _comment;

        internal PolicyBuilder(string name) => _name = name;

        /// <summary>FOR: the one command the policy applies to (ALL by default).</summary>
        public PolicyBuilder For(PolicyCommand command)
        {
            _command = command;
            return this;
        }

        /// <summary>TO: the roles the policy applies to, by name (<c>"public"</c> for every role, the default); calls add up.</summary>
        public PolicyBuilder To(params string[] roles)
        {
            _roles.AddRange(roles);
            return this;
        }

        /// <summary>USING: which existing rows the policy lets a role see, update or delete (a boolean SQL expression).</summary>
        public PolicyBuilder Using(string expression)
        {
            _using = expression;
            return this;
        }

        /// <summary>WITH CHECK: which new or updated rows the policy lets a role write (a boolean SQL expression).</summary>
        public PolicyBuilder WithCheck(string expression)
        {
            _withCheck = expression;
            return this;
        }

        /// <summary>RESTRICTIVE: rows must pass this policy as well as a permissive one (combined with AND).</summary>
        public PolicyBuilder Restrictive()
        {
            _permissive = false;
            return this;
        }

        public PolicyBuilder Comment(string comment)
        {
            _comment = comment;
            return this;
        }

        internal Policy Build() => new(_name, _command, _permissive, _roles.ToValueList(), _using, _withCheck, _comment);
    }

    internal static partial class SchemaValidator
    {
        // After the other kinds' rules: what a policy's expressions read, PostgreSQL checks when it creates the policy.
        internal static readonly KindRules PolicyRules = Register(new(Order: 40, static (model, _, add) => ValidateRowSecurity(model, add)));

        /// <summary>The role words PostgreSQL resolves to a role when the policy is created, so that the database never shows them.</summary>
        private static readonly string[] ResolvedRoleWords = ["current_user", "session_user", "current_role"];

        private static void ValidateRowSecurity(DatabaseModel model, Action<string, string> add)
        {
            var tables = model.Tables.Select(t => t.QualifiedName).ToHashSet();
            var seen = new HashSet<QualifiedName>();
            foreach (var security in model.RowSecurity)
            {
                var table = security.TableName.ToString();
                if (!tables.Contains(security.TableName))
                    add(table, "has row-level security or policies but no such table is declared; declare them in the table's db.Table(…, t => …)");
                if (!seen.Add(security.TableName))
                    add(table, "row-level security is declared twice for this table");
                var names = new HashSet<string>(StringComparer.Ordinal);
                foreach (var policy in security.Policies)
                {
                    var where = $"{table} policy {policy.Name}";
                    CheckName(table, "policy", policy.Name, add);
                    if (!names.Add(policy.Name))
                        add(table, $"policy \"{policy.Name}\" is declared twice; a table's policies need different names");
                    ValidatePolicy(policy, where, add);
                }
            }
        }

        private static void ValidatePolicy(Policy policy, string where, Action<string, string> add)
        {
            if (policy.Using is not null && policy.Command == PolicyCommand.Insert)
                add(where, "an INSERT policy takes WITH CHECK only (there are no existing rows to filter); use WithCheck(…) instead of Using(…)");
            if (policy.WithCheck is not null && policy.Command is PolicyCommand.Select or PolicyCommand.Delete)
                add(where, $"a {policy.Command.ToString().ToUpperInvariant()} policy takes USING only (it writes no rows); use Using(…) instead of WithCheck(…)");
            if (policy.Using is { } usingSql && string.IsNullOrWhiteSpace(usingSql))
                add(where, "the USING expression is empty");
            if (policy.WithCheck is { } check && string.IsNullOrWhiteSpace(check))
                add(where, "the WITH CHECK expression is empty");
            foreach (var role in policy.Roles)
            {
                if (string.IsNullOrWhiteSpace(role))
                    add(where, "a role name is empty; name a role, or \"public\" for every role");
                else if (Array.Exists(ResolvedRoleWords, w => string.Equals(w, role, StringComparison.OrdinalIgnoreCase)))
                    add(where, $"role {role}: PostgreSQL stores the role it stands for when the policy is created, so the schema would never match the database; name the role itself");
            }
            if (policy.Comment is { } comment && comment.Length == 0)
                add(where, "the comment is empty; remove Comment(\"\")");
        }
    }
}

namespace Strata.CodeGeneration
{
    public sealed partial class CSharpSchemaWriter
    {
        internal static readonly KindCode PolicyCalls = Register(new(Order: 40,
            static (_, _) => [],
            static (model, table) => model.FindRowSecurity(table.QualifiedName) is { } security ? SecurityCalls(security) : [],
            ["PolicyCommand."]));

        private static IEnumerable<string> SecurityCalls(TableSecurity security)
        {
            if (security.Enabled || security.Forced)
            {
                yield return (security.Enabled, security.Forced) switch
                {
                    (true, false) => "t.RowLevelSecurity()",
                    (true, true) => "t.RowLevelSecurity(force: true)",
                    _ => "t.RowLevelSecurity(force: true, enable: false)",
                };
            }
            foreach (var policy in security.Policies)
                yield return PolicyCode(policy);
        }

        private static string PolicyCode(Policy policy)
        {
            var code = new StringBuilder();
            if (policy.Command != PolicyCommand.All)
                code.Append($".For(PolicyCommand.{policy.Command})");
            if (!(policy.Roles.Count == 1 && policy.Roles[0] == Policy.Public))
                code.Append($".To({string.Join(", ", policy.Roles.Select(r => String(r)))})");
            if (policy.Using is { } usingSql)
                code.Append($".Using({String(usingSql, InTable)})");
            if (policy.WithCheck is { } check)
                code.Append($".WithCheck({String(check, InTable)})");
            if (!policy.Permissive)
                code.Append(".Restrictive()");
            if (policy.Comment is { } comment)
                code.Append($".Comment({String(comment, InTable)})");
            return code.Length > 0 ? $"t.Policy({String(policy.Name)}, p => p{code})" : $"t.Policy({String(policy.Name)})";
        }
    }
}
