namespace Strata.Postgres.LocalServer;

/// <summary>A local cluster could not be found, created, started or stopped; the message says why and what to do.</summary>
public sealed class LocalPostgresException(string message, Exception? inner = null) : Exception(message, inner);
