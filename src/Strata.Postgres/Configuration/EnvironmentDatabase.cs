using System.Net;
using Npgsql;

namespace Strata.Postgres.Configuration;

/// <summary>What a command does with the database: schema changes go through directUrl when an environment has one.</summary>
public enum DatabaseUse
{
    /// <summary>Reads and ordinary statements: the environment's url (which may go through a pooler).</summary>
    Query,

    /// <summary>migrate, rollback, reset, push: directUrl when set (session state, advisory locks and DDL need a direct connection), else url.</summary>
    SchemaChange,
}

/// <summary>The database a command works on, chosen but not connected to yet.</summary>
/// <param name="Connection">A copy the caller may change; null means the project's local development database (<see cref="LocalDevDatabase"/>), which the caller starts.</param>
/// <param name="Source">Where it came from, for messages: <c>--connection</c>, <c>$STRATA_DATABASE_URL</c>, <c>"url" of environment "x"</c>, <c>"directUrl" of environment "x"</c> or <c>the local PostgreSQL</c>.</param>
/// <param name="ViaDirectUrl">True when it is the environment's directUrl (a schema change in an environment that has one).</param>
/// <param name="Overridden">True when a given connection replaces the environment's url (<see cref="Source"/> names it).</param>
/// <param name="SslModeSource">Where its SSL mode was set, for a message about an SSL failure; null when the driver's default applies.</param>
public sealed record DatabaseChoice(NpgsqlConnectionStringBuilder? Connection, string Source, bool ViaDirectUrl, bool Overridden, string? SslModeSource)
{
    /// <summary>The environment has no url and none was given: the local PostgreSQL that Strata runs.</summary>
    public bool IsLocalDevDatabase => Connection is null;
}

/// <summary>
/// Which database a command works on: a given connection (<c>--connection</c>, else <c>$STRATA_DATABASE_URL</c>),
/// else the environment's url (directUrl for schema changes), else, for development without a url, the
/// local PostgreSQL Strata runs (<see cref="LocalDevDatabase"/>).
/// </summary>
public static class EnvironmentDatabase
{
    /// <summary>The name <see cref="DatabaseChoice.Source"/> gives the local development database.</summary>
    public const string LocalSource = "the local PostgreSQL";

    /// <summary>
    /// The connection given for this run, which replaces the environment's url: <paramref name="connectionOption"/>
    /// (named <paramref name="optionName"/>), else <c>$STRATA_DATABASE_URL</c>; with the name of where it came
    /// from, for messages. Given is null when neither is set.
    /// </summary>
    /// <param name="variable">Reads a process variable; null reads the real environment (tests pass their own).</param>
    public static (string? Given, string Source) GivenConnection(string? connectionOption, string optionName, Func<string, string?>? variable = null)
    {
        if (connectionOption is not null)
            return (connectionOption, optionName);
        variable ??= Environment.GetEnvironmentVariable;
        if (variable(DatabaseConnection.EnvironmentVariable) is { Length: > 0 } fromEnvironment)
            return (fromEnvironment, "$" + DatabaseConnection.EnvironmentVariable);
        return (null, optionName);
    }

    /// <summary>Chooses the database of <paramref name="environment"/> for <paramref name="use"/>, or the given connection when there is one.</summary>
    /// <param name="given">A connection string or URL that replaces the environment's (see <see cref="GivenConnection"/>), or null.</param>
    /// <param name="givenSource">Where <paramref name="given"/> came from, for messages.</param>
    /// <exception cref="ConfigurationException"><paramref name="given"/> is not a valid URL or connection string.</exception>
    public static DatabaseChoice Choose(StrataEnvironment environment, string? given, string givenSource, DatabaseUse use)
    {
        if (given is not null)
        {
            return new DatabaseChoice(DatabaseConnection.Parse(given, givenSource), givenSource, ViaDirectUrl: false, Overridden: true,
                DatabaseConnection.SetsSslMode(given) ? $"sslmode in {givenSource}" : null);
        }
        if ((use == DatabaseUse.SchemaChange ? environment.MigrationConnection : environment.Connection) is { } configured)
        {
            var direct = use == DatabaseUse.SchemaChange && environment.DirectConnection is not null;
            var key = direct ? "directUrl" : "url";
            // A copy: what a command sets on it (its application name) is not the environment's.
            return new DatabaseChoice(new NpgsqlConnectionStringBuilder(configured.ConnectionString), $"\"{key}\" of environment \"{environment.Name}\"", direct, Overridden: false,
                environment.SslModeSources?.GetValueOrDefault(key));
        }
        return new DatabaseChoice(null, LocalSource, ViaDirectUrl: false, Overridden: false, environment.SslModeSources?.GetValueOrDefault("url"));
    }

    /// <summary>
    /// Sets what every Strata connection needs: PostgreSQL's DETAIL in errors, and an application name
    /// (<c>strata &lt;command&gt;</c>) unless the connection names its own.
    /// </summary>
    public static NpgsqlConnectionStringBuilder ForCommand(NpgsqlConnectionStringBuilder connection, string commandName)
    {
        // Npgsql hides PostgreSQL's DETAIL (it may quote row values) unless asked; the person
        // running a migration needs it to act on a failure, and it never holds the password.
        connection.IncludeErrorDetail = true;
        // pg_stat_activity shows it: the message of a run that waits for the migration lock names
        // the holder by it. A name the user chose is kept.
        if (string.IsNullOrEmpty(connection.ApplicationName))
            connection.ApplicationName = "strata " + commandName;
        return connection;
    }

    /// <summary>Whether every host of <paramref name="connection"/> is this machine: localhost, a loopback address or a Unix socket directory.</summary>
    public static bool HostsAreLocal(NpgsqlConnectionStringBuilder connection) =>
        (connection.Host ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries) is { Length: > 0 } hosts
        && hosts.All(IsLocalHost);

    /// <summary>
    /// Whether the database is on this machine: reached through localhost, a loopback address or a Unix
    /// socket (<see cref="HostsAreLocal"/>), and the server says it was reached so (<c>inet_server_addr()</c>
    /// is a loopback address, or null for a socket). The second half catches a local port that forwards to
    /// another machine (a cloud SQL proxy, a pooler on localhost in front of a remote server): the remote
    /// server sees the connection arrive on its own network address.
    /// </summary>
    public static async Task<bool> IsOnThisMachineAsync(NpgsqlDataSource dataSource, NpgsqlConnectionStringBuilder connection, CancellationToken ct)
    {
        if (!HostsAreLocal(connection))
            return false;
        await using var session = await dataSource.OpenConnectionAsync(ct);
        await using var command = new NpgsqlCommand("SELECT host(inet_server_addr())", session);
        return await command.ExecuteScalarAsync(ct) is not string address
            || IPAddress.TryParse(address, out var ip) && IPAddress.IsLoopback(ip);
    }

    // One entry of Host: a name, an address, [v6]:port or name:port (multi-host lists), or a Unix socket directory.
    private static bool IsLocalHost(string host)
    {
        if (host.StartsWith('/'))
            return true;
        var name = host.StartsWith('[') && host.IndexOf(']') is > 0 and var end ? host[1..end]
            : host.Count(c => c == ':') == 1 ? host[..host.IndexOf(':')]
            : host;
        return name.Equals("localhost", StringComparison.OrdinalIgnoreCase)
            || IPAddress.TryParse(name, out var address) && IPAddress.IsLoopback(address);
    }
}
