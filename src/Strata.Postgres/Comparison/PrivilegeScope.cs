using Npgsql;
using NpgsqlTypes;
using Strata.Model;

namespace Strata.Postgres.Comparison;

/// <summary>
/// Which roles and grants of a live database a schema manages: the roles it declares and the grants to them and to
/// PUBLIC. A team that grants by hand to roles the schema does not declare sees no drift and loses nothing on a push;
/// declaring the role (managed or existing) hands its grants on the schema's objects to Strata.
/// </summary>
public static class PrivilegeScope
{
    /// <summary>
    /// <paramref name="live"/> with only what <paramref name="schema"/> manages: its grants to the roles the schema
    /// declares and to PUBLIC, and those roles as the server has them (an existing one as declared; a managed one with
    /// its attributes read from pg_roles; one the server lacks absent).
    /// </summary>
    public static async Task<DatabaseModel> ManagedInAsync(NpgsqlDataSource dataSource, DatabaseModel live, DatabaseModel schema, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        var declared = schema.Roles.ToDictionary(r => r.Name, StringComparer.Ordinal);
        var grants = live.Grants.Where(g => g.Grantee == Grant.Public || declared.ContainsKey(g.Grantee)).ToValueList();
        // Default privileges likewise, and only for the migrating role or a declared one (FOR ROLE).
        var defaults = live.DefaultPrivileges
            .Where(d => (d.Grantee == Grant.Public || declared.ContainsKey(d.Grantee)) && (d.ForRole.Length == 0 || declared.ContainsKey(d.ForRole)))
            .ToValueList();
        if (declared.Count == 0)
            return live with { Roles = [], Grants = grants, DefaultPrivileges = defaults };
        await using var command = dataSource.CreateCommand(
            "SELECT rolname::text, rolcanlogin, rolinherit, rolcreatedb, rolcreaterole FROM pg_catalog.pg_roles WHERE rolname = ANY ($1) ORDER BY rolname COLLATE \"C\"");
        command.Parameters.Add(new NpgsqlParameter { Value = declared.Keys.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        var roles = new List<Role>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var name = reader.GetString(0);
            roles.Add(declared[name].Existing
                ? declared[name]
                : new Role(name, false, reader.GetBoolean(1), reader.GetBoolean(2), reader.GetBoolean(3), reader.GetBoolean(4)));
        }
        return live with { Roles = roles.ToValueList(), Grants = grants, DefaultPrivileges = defaults };
    }
}
