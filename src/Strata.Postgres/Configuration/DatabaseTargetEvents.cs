using Strata.Postgres.LocalServer;

namespace Strata.Postgres.Configuration;

/// <summary>What opening a <see cref="DatabaseTarget"/> tells its caller as it happens, for the caller to word for its user.</summary>
public sealed class DatabaseTargetEvents
{
    /// <summary>Nothing to tell.</summary>
    public static DatabaseTargetEvents None { get; } = new();

    /// <summary>
    /// The environment has no url and no connection was given: the project's local PostgreSQL in this data
    /// directory is used (<see cref="LocalDevDatabase"/>), started if it is not running.
    /// </summary>
    public Action<string>? UsingLocalDevDatabase { get; init; }

    /// <summary>Each step of starting the local PostgreSQL (<see cref="LocalDevDatabase.StartAsync"/>).</summary>
    public Action<LocalDevDatabaseStep, LocalPostgres>? LocalDevDatabaseStep { get; init; }

    /// <summary>A note about the connection that changes nothing (a pooler check that could not run).</summary>
    public Action<string>? Note { get; init; }
}
