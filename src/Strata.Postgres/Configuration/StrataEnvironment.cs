using Npgsql;

namespace Strata.Postgres.Configuration;

/// <summary>The SSL modes strata.json accepts (libpq's names); Npgsql's <see cref="SslMode"/> is set from them.</summary>
public enum EnvironmentSslMode { Disable, Prefer, Require, VerifyCa, VerifyFull }

/// <summary>
/// One entry of strata.json's <c>"environments"</c>, as written: connection strings still hold their
/// <c>${VARIABLE}</c> references. Resolved into a <see cref="StrataEnvironment"/> when a command runs.
/// </summary>
/// <param name="Url">The connection string (postgres:// URL or Npgsql keywords), usually <c>"${DATABASE_URL}"</c>; null in development means the local database Strata runs.</param>
/// <param name="DirectUrl">Used instead of <paramref name="Url"/> by commands that change the schema (migrate, rollback, reset, push), when Url goes through a pooler.</param>
/// <param name="RootCertificate">A CA certificate file (relative to strata.json) for verify-ca / verify-full.</param>
/// <param name="ConnectTimeout">Seconds to wait for a connection (Npgsql Timeout).</param>
/// <param name="CommandTimeout">Seconds a query may run before the client gives up (not for migration statements).</param>
/// <param name="LockTimeout">PostgreSQL lock_timeout for migration statements.</param>
/// <param name="StatementTimeout">PostgreSQL statement_timeout for migration statements.</param>
/// <param name="Protected">Destructive commands refuse unless forced and confirmed with the database name.</param>
/// <param name="LockRetries">How many times a migration statement (or transaction) that failed on lock_timeout is tried again.</param>
public sealed record EnvironmentSettings(
    string Name,
    string? Url = null,
    string? DirectUrl = null,
    EnvironmentSslMode? SslMode = null,
    string? RootCertificate = null,
    int? PoolSize = null,
    int? ConnectTimeout = null,
    int? CommandTimeout = null,
    TimeSpan? LockTimeout = null,
    TimeSpan? StatementTimeout = null,
    bool Protected = false,
    int? LockRetries = null);

/// <summary>
/// The environment a command runs against: chosen (<c>--env</c> &gt; <c>$STRATA_ENV</c> &gt;
/// <c>$DOTNET_ENVIRONMENT</c> &gt; development), its .env files read, its variables substituted, its
/// connection strings parsed. Nothing here is printed with a password.
/// </summary>
/// <param name="Name">The environment's name, e.g. "production".</param>
/// <param name="ChosenBy">How it was chosen, for messages: "--env", "$STRATA_ENV", "$DOTNET_ENVIRONMENT" or "the default".</param>
/// <param name="Connection">The connection for queries; null when development has no url (the local database).</param>
/// <param name="DirectConnection">directUrl parsed; null when not set.</param>
/// <param name="EnvFilesRead">The .env files that were read, the one that wins first (for messages about missing variables).</param>
/// <param name="SslModeSources">Where the SSL mode of "url" and of "directUrl" came from, for messages (absent: the driver's default).</param>
/// <param name="VariableSources">Each variable the .env files set and where its value came from (what --verbose prints; never a value).</param>
public sealed record StrataEnvironment(
    string Name,
    string ChosenBy,
    NpgsqlConnectionStringBuilder? Connection,
    NpgsqlConnectionStringBuilder? DirectConnection,
    EnvironmentSettings Settings,
    IReadOnlyList<string> EnvFilesRead,
    IReadOnlyList<VariableSource>? VariableSources = null,
    IReadOnlyDictionary<string, string>? SslModeSources = null)
{
    public const string Development = "development";

    public bool Protected => Settings.Protected;

    /// <summary>The connection for commands that change the schema: directUrl when set, else url.</summary>
    public NpgsqlConnectionStringBuilder? MigrationConnection => DirectConnection ?? Connection;
}

/// <summary>A variable an environment's .env files set, and the file (or the process environment) its value came from.</summary>
public sealed record VariableSource(string Name, string Source);
