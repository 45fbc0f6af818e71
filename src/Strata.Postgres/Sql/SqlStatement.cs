namespace Strata.Postgres.Sql;

/// <summary>
/// One SQL statement of a migration. <see cref="Sql"/> ends with ';' and has no trailing newline.
/// <see cref="Transactional"/> is false for statements PostgreSQL refuses inside a transaction block
/// (CREATE/DROP INDEX CONCURRENTLY). <see cref="DataLoss"/> says why the statement destroys data, else null.
/// <see cref="Rewrite"/> says why the statement rewrites its table under ACCESS EXCLUSIVE (every read and write of it
/// waits until it is done) and what to do instead, else null: up.sql says it above the statement, and generate warns.
/// </summary>
public sealed record SqlStatement(string Sql, bool Transactional = true, string? DataLoss = null, string? Rewrite = null);
