namespace Strata.Postgres.LocalServer;

/// <summary>How <see cref="LocalPostgres.StartAsync"/> finds, creates and runs a cluster.</summary>
public sealed record LocalPostgresOptions
{
    /// <summary>
    /// The cluster's data directory. Null: a throwaway cluster in a new temporary directory, stopped and
    /// deleted on dispose. A directory that already holds a cluster is reused (and started if it is not
    /// running); an empty or missing one gets a new cluster that stays after dispose.
    /// </summary>
    public string? DataDirectory { get; init; }

    /// <summary>
    /// The TCP port on 127.0.0.1. 0: pick a free one (for a persistent cluster, the port it used last
    /// time when that is still free).
    /// </summary>
    public int Port { get; init; }

    /// <summary>
    /// Stop the server on dispose, when this instance started it. A throwaway cluster is always stopped
    /// and deleted; this matters for a persistent one, which a project may want to keep running.
    /// </summary>
    public bool StopOnDispose { get; init; } = true;

    /// <summary>
    /// The folder holding initdb and pg_ctl. Null: the STRATA_PG_BIN environment variable, then
    /// <c>pg_config --bindir</c>, then the newest <c>/usr/lib/postgresql/*/bin</c>.
    /// </summary>
    public string? BinDirectory { get; init; }

    /// <summary>How long to wait for the server to accept connections.</summary>
    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(60);
}
