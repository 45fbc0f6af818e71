namespace Strata.Postgres.Sql;

/// <summary>
/// SQL from the schema (a view query, a default, a check) that cannot be written into a migration file:
/// a line of it would read as a statement breakpoint or a <c>-- strata:</c> directive. A user's problem,
/// reported with the object it belongs to and how to reword it.
/// </summary>
public sealed class MigrationTextException(string message) : ArgumentException(message);
