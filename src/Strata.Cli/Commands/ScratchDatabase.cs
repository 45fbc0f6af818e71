using Npgsql;
using Strata.Diffing;
using Strata.Model;
using Strata.Postgres.Introspection;
using Strata.Postgres.Sql;

namespace Strata.Cli.Commands;

/// <summary>
/// A model as PostgreSQL prints it: built in a scratch database on the live database's server, then
/// introspected. PostgreSQL stores check expressions, defaults, expression index keys, predicates and view
/// queries parsed and prints them its own way (<c>lower((email)::text)</c> for <c>lower(email)</c>), so a
/// model written in C# (or its snapshot) compares exactly with a live database only in that form. Used by
/// push (the C# schema) and check --env (the snapshot of the newest applied migration).
/// </summary>
internal static class ScratchDatabase
{
    /// <summary>
    /// <paramref name="expected"/> and <paramref name="live"/> made comparable: unchanged when they already
    /// diff empty; else <paramref name="expected"/> as the server prints it. Without the privilege to create
    /// a database, or when the scratch database cannot be built (an extension the user may not create),
    /// <paramref name="warning"/> (how the comparison falls back) is written and the live
    /// expressions that say the same as the expected ones up to casts and parentheses take their text
    /// (<see cref="LiveExpressions"/>).
    /// </summary>
    /// <param name="expected">The whole model (a filtered one could not be built: its foreign keys may name tables left out).</param>
    /// <param name="options">What <paramref name="live"/> was read with: the printed model is read the same way.</param>
    /// <param name="prefix">The scratch database's name before its random part: strata_push_, strata_check_.</param>
    public static async Task<(DatabaseModel Expected, DatabaseModel Live, bool Exact)> ComparableAsync(
        DatabaseTarget target, DatabaseModel expected, DatabaseModel live, IntrospectionOptions options, string prefix, string warning,
        Output.CliOutput output, CancellationToken ct)
    {
        var filtered = options.Filter(expected);
        if (SchemaDiffer.Diff(live, filtered, RenameDecisions.None).IsEmpty)
            return (filtered, live, true);
        try
        {
            if (await AsPrintedAsync(target, expected, options, prefix, ct) is { } printed)
                return (printed, live, true);
            output.Warning($"{target.Description}: the user may not create databases, so {warning} "
                + "(grant CREATEDB to let Strata build the expected schema in a scratch database and compare exactly)");
        }
        catch (PostgresException e)
        {
            // Such as an extension of the live database that this user may not create.
            output.Warning($"{target.Description}: the expected schema could not be built in a scratch database ({e.MessageText}), so {warning}");
        }
        return (filtered, LiveExpressions.Align(filtered, live), false);
    }

    /// <summary>
    /// Builds <paramref name="model"/> in a scratch database (prefix + random, from template0 with the live
    /// database's extensions, always dropped) and reads it back with <paramref name="options"/>; null when
    /// the user may not create databases.
    /// </summary>
    public static async Task<DatabaseModel?> AsPrintedAsync(DatabaseTarget target, DatabaseModel model, IntrospectionOptions options, string prefix, CancellationToken ct)
    {
        var name = prefix + Guid.NewGuid().ToString("N")[..12];
        var extensions = new List<string>();
        await using (var connection = await target.DataSource.OpenConnectionAsync(ct))
        {
            await using (var command = new NpgsqlCommand("SELECT extname FROM pg_extension WHERE extname <> 'plpgsql' ORDER BY oid", connection))
            await using (var reader = await command.ExecuteReaderAsync(ct))
            {
                while (await reader.ReadAsync(ct))
                    extensions.Add(reader.GetString(0));
            }
            try
            {
                // template0: whatever someone left in template1 must not turn up as part of the schema.
                await ExecuteAsync(connection, null, $"CREATE DATABASE {SqlIdentifier.Quote(name)} TEMPLATE template0", ct);
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.InsufficientPrivilege)
            {
                return null;
            }
        }

        var scratch = new NpgsqlConnectionStringBuilder(target.Connection.ConnectionString) { Database = name, Pooling = false };
        try
        {
            await using var connection = new NpgsqlConnection(scratch.ConnectionString);
            await connection.OpenAsync(ct);
            await using (var transaction = await connection.BeginTransactionAsync(ct))
            {
                // The live database's extensions, for the types and functions the schema may use.
                foreach (var extension in extensions)
                    await ExecuteAsync(connection, transaction, $"CREATE EXTENSION IF NOT EXISTS {SqlIdentifier.Quote(extension)}", ct);
                foreach (var statement in PostgresSqlGenerator.CreateAll(model))
                {
                    // CONCURRENTLY builds the same index; the flag is kept from the model below.
                    var sql = statement.Transactional ? statement.Sql : statement.Sql.Replace("INDEX CONCURRENTLY ", "INDEX ", StringComparison.Ordinal);
                    await ExecuteAsync(connection, transaction, sql, ct);
                }
                await transaction.CommitAsync(ct);
            }
            var printed = await PostgresIntrospector.ReadAsync(connection, options, ct);
            return printed with { Tables = new(printed.Tables.Select(t => WithConcurrently(t, model.FindTable(t.QualifiedName)))) };
        }
        finally
        {
            await using var connection = await target.DataSource.OpenConnectionAsync(CancellationToken.None);
            await ExecuteAsync(connection, null, $"DROP DATABASE IF EXISTS {SqlIdentifier.Quote(name)} WITH (FORCE)", CancellationToken.None);
        }
    }

    /// <summary>CONCURRENTLY is how an index is built, not something the catalog records: it comes from the model.</summary>
    private static Table WithConcurrently(Table printed, Table? declared) =>
        declared is null ? printed : printed with
        {
            Indexes = new(printed.Indexes.Select(i => i with { Concurrently = declared.Indexes.Any(d => d.Name == i.Name && d.Concurrently) })),
        };

    private static async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction) { CommandTimeout = 0 };
        await command.ExecuteNonQueryAsync(ct);
    }
}
