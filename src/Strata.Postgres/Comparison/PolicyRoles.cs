using Npgsql;
using NpgsqlTypes;
using Strata.Model;
using Strata.Postgres.Configuration;

namespace Strata.Postgres.Comparison;

/// <summary>
/// The roles a schema's policies name and the roles it declares as existing (<c>db.Role(name).Existing()</c>). Roles
/// belong to the server, not to a schema: Strata does not create those, it checks that they exist before it builds or
/// changes anything (CREATE POLICY and GRANT fail on a role the server lacks). A role the schema manages
/// (<c>db.Role(name)</c>) is created by the push or migration itself.
/// </summary>
public static class PolicyRoles
{
    /// <summary>
    /// The roles <paramref name="model"/>'s policies name but it does not manage, and those it declares existing, each
    /// once, sorted; <c>public</c> (every role) is not one.
    /// </summary>
    public static IReadOnlyList<string> Named(DatabaseModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var managed = model.Roles.Where(r => !r.Existing).Select(r => r.Name).ToHashSet(StringComparer.Ordinal);
        return model.RowSecurity.SelectMany(s => s.Policies).SelectMany(p => p.Roles)
            .Where(r => r != Policy.Public && !managed.Contains(r))
            .Concat(model.Roles.Where(r => r.Existing).Select(r => r.Name))
            .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
    }

    /// <summary>The roles <paramref name="model"/>'s policies name that the server of <paramref name="dataSource"/> does not have.</summary>
    public static async Task<IReadOnlyList<string>> MissingAsync(NpgsqlDataSource dataSource, DatabaseModel model, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        var named = Named(model);
        if (named.Count == 0)
            return [];
        await using var command = dataSource.CreateCommand(
            "SELECT r FROM unnest($1::text[]) r WHERE NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = r) ORDER BY r COLLATE \"C\"");
        command.Parameters.Add(new NpgsqlParameter { Value = named.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        var missing = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
            missing.Add(reader.GetString(0));
        return missing;
    }

    /// <summary>Refuses, before anything changes, a schema whose policies name a role the server does not have.</summary>
    /// <exception cref="MissingRolesException">A role is missing; it names each with the policies that name it.</exception>
    public static async Task RequireAsync(NpgsqlDataSource dataSource, DatabaseModel model, CancellationToken ct = default)
    {
        var missing = await MissingAsync(dataSource, model, ct);
        if (missing.Count > 0)
            throw new MissingRolesException(model, missing);
    }

    /// <summary>Whether a statement's error (SQLSTATE 42704) is a role the server does not have, as CREATE or ALTER POLICY … TO gives it.</summary>
    public static bool IsMissingRole(string sqlState, string messageText) =>
        sqlState == "42704" && messageText.StartsWith("role \"", StringComparison.Ordinal) && messageText.EndsWith("\" does not exist", StringComparison.Ordinal);

    /// <summary>What to do about a missing role.</summary>
    public const string Remedy =
        "Create the role on the server first (CREATE ROLE <name> NOLOGIN; as a superuser or a role with CREATEROLE), or name an existing one in the policy: "
        + "roles belong to the server, not to the schema, so Strata does not create them unless the schema manages them (db.Role(name) without .Existing()).";
}

/// <summary>A schema's policies name roles the server does not have: nothing was changed.</summary>
public sealed class MissingRolesException(DatabaseModel model, IReadOnlyList<string> roles)
    : ConfigurationException(
        $"The schema's {(roles.Any(r => model.FindRole(r) is not null) ? "roles" : "policies")} name {(roles.Count == 1 ? "a role" : "roles")} the server does not have: {string.Join(", ", roles)}.",
        [.. roles.Select(role => $"role {role}: " + string.Join(", ", model.RowSecurity
            .SelectMany(s => s.Policies.Where(p => p.Roles.Contains(role)).Select(p => $"policy {p.Name} on {s.TableName}"))
            .Concat(model.FindRole(role) is null ? Array.Empty<string>() : new[] { $"declared with db.Role(\"{role}\").Existing()" })))],
        PolicyRoles.Remedy)
{
    public IReadOnlyList<string> Roles { get; } = roles;
}
