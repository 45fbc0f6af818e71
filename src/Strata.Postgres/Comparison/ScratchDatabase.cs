using Npgsql;
using Strata.Diffing;
using Strata.Model;
using Strata.Postgres.Execution;
using Strata.Postgres.Introspection;
using Strata.Postgres.Migrations;
using Strata.Postgres.Sql;

namespace Strata.Postgres.Comparison;

/// <summary>
/// A model as PostgreSQL prints it: built in a scratch database on the live database's server, then
/// introspected. PostgreSQL stores check expressions, defaults, expression index keys, predicates and view
/// queries parsed and prints them its own way (<c>lower((email)::text)</c> for <c>lower(email)</c>), so a
/// model written in C# (or its snapshot) compares exactly with a live database only in that form. Used by
/// push (the C# schema) and check --env (the snapshot of the newest applied migration).
/// </summary>
public static class ScratchDatabase
{
    /// <summary>
    /// <paramref name="expected"/> and <paramref name="live"/> made comparable: unchanged when they already
    /// diff empty; else <paramref name="expected"/> as the server prints it. Without the privilege to create
    /// a database, or when the scratch database cannot be built (an extension the user may not create),
    /// <paramref name="warning"/> (how the comparison falls back) is written and the live
    /// expressions that say the same as the expected ones up to casts and parentheses take their text
    /// (<see cref="LiveExpressions"/>).
    /// </summary>
    /// <param name="target">The live database's server, where the scratch database is built.</param>
    /// <param name="expected">The whole model (a filtered one could not be built: its foreign keys may name tables left out).</param>
    /// <param name="options">What <paramref name="live"/> was read with: the printed model is read the same way.</param>
    /// <param name="prefix">The scratch database's name before its random part: strata_push_, strata_check_.</param>
    /// <param name="cacheFolder">Where the printed forms of earlier runs are kept (<see cref="PrintedFormCache"/>); null for none.</param>
    /// <param name="warn">Told how the comparison falls back when it cannot be exact.</param>
    /// <param name="warning">How the comparison falls back, in the caller's words (the end of the warning).</param>
    /// <param name="ct">Cancels the reads and the build.</param>
    public static async Task<(DatabaseModel Expected, DatabaseModel Live, bool Exact)> ComparableAsync(
        LiveDatabase target, DatabaseModel expected, DatabaseModel live, IntrospectionOptions options, string prefix, string warning,
        string? cacheFolder, Action<string> warn, CancellationToken ct)
    {
        var filtered = options.Filter(expected);
        live = await PrivilegeScope.ManagedInAsync(target.DataSource, live.WithExtensionsDeclaredIn(filtered), filtered, ct);
        if (SchemaDiffer.Diff(live, filtered, RenameDecisions.None).IsEmpty)
            return (filtered, live, true);
        try
        {
            if (await AsPrintedAsync(target, expected, options, prefix, cacheFolder, ct) is { } printed)
                return (printed.WithExtensionsDeclaredIn(filtered), live, true);
            warn($"{target.Description}: the user may not create databases, so {warning} "
                + "(grant CREATEDB to let Strata build the expected schema in a scratch database and compare exactly)");
        }
        catch (Exception e) when (((e as StatementFailedException)?.MessageText ?? (e as PostgresException)?.MessageText) is { } failure)
        {
            // Such as an extension of the live database that this user may not create.
            warn($"{target.Description}: the expected schema could not be built in a scratch database ({failure}), so {warning}");
        }
        return (filtered, LiveExpressions.Align(filtered, live), false);
    }

    /// <summary>
    /// <paramref name="model"/> as PostgreSQL prints it, read back with <paramref name="options"/>: the tables
    /// and views printed before come from <paramref name="cacheFolder"/> (<see cref="PrintedFormCache"/>);
    /// the others are built in a scratch database (prefix + random, from template0 with the live database's
    /// extensions, always dropped) together with the tables their foreign keys and queries need, and read
    /// back. Null when something must be built and the user may not create databases.
    /// </summary>
    public static async Task<DatabaseModel?> AsPrintedAsync(LiveDatabase target, DatabaseModel model, IntrospectionOptions options, string prefix,
        string? cacheFolder, CancellationToken ct)
    {
        // Roles and grants have no printed form, and a scratch build must not create roles (they are the server's).
        var (roles, grants) = (model.Roles, model.Grants);
        model = model with { Roles = [], Grants = [] };
        var extensions = new List<string>();
        int serverVersion;
        await using (var connection = await target.DataSource.OpenConnectionAsync(ct))
        {
            serverVersion = connection.PostgreSqlVersion.Major * 10000 + Math.Max(0, connection.PostgreSqlVersion.Minor);
            await using var command = new NpgsqlCommand("SELECT extname FROM pg_extension WHERE extname <> 'plpgsql' ORDER BY oid", connection);
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
                extensions.Add(reader.GetString(0));
        }

        var cache = PrintedFormCache.Load(cacheFolder, model, serverVersion, extensions);
        if (ToBuild(model, cache) is { } build)
        {
            if (await BuildAndReadAsync(target, build, extensions, options, prefix, ct) is not { } built)
                return null;
            cache.Save(build, built);
        }

        var printed = cache.PrintedContext! with
        {
            Tables = model.Tables.Select(t => WithConcurrently(cache.Find(t)!, t)).ToValueList(),
            Views = model.Views.Select(v => WithConcurrently(cache.Find(v, model)!, v)).ToValueList(),
            Roles = roles,
            Grants = grants,
        };
        return options.Filter(printed.Normalize());
    }

    /// <summary>
    /// What must be built: the tables and views not printed before, with every table their foreign keys
    /// reference, the tables they inherit from (CREATE TABLE … INHERITS needs them) and every relation their queries
    /// read (transitively); null when everything was printed before.
    /// </summary>
    private static DatabaseModel? ToBuild(DatabaseModel model, PrintedFormCache cache)
    {
        var tables = model.Tables.Where(t => cache.Find(t) is null).Select(t => t.QualifiedName).ToHashSet();
        var views = model.Views.Where(v => cache.Find(v, model) is null).Select(v => v.QualifiedName).ToHashSet();
        if (tables.Count == 0 && views.Count == 0 && cache.PrintedContext is not null)
            return null;
        // Objects bound to tables (policies) are printed in the context, which a build replaces whole, and may read any
        // table: with any of them, a build is of the whole model.
        if (model.InRelations(_ => false) != model)
            return model;

        var pending = new Queue<QualifiedName>(tables.Concat(views));
        while (pending.TryDequeue(out var name))
        {
            var needs = model.FindTable(name) is { } table ? table.ForeignKeys.Select(fk => fk.ReferencedTable).Concat(table.Inherits)
                : model.FindView(name) is { } view ? view.DependsOn.AsEnumerable()
                : [];
            foreach (var need in needs)
            {
                if (model.FindTable(need) is not null && tables.Add(need))
                    pending.Enqueue(need);
                else if (model.FindView(need) is not null && views.Add(need))
                    pending.Enqueue(need);
            }
        }
        return model with
        {
            Tables = model.Tables.Where(t => tables.Contains(t.QualifiedName)).ToValueList(),
            Views = model.Views.Where(v => views.Contains(v.QualifiedName)).ToValueList(),
        };
    }

    /// <summary>Builds <paramref name="model"/> in a scratch database and reads it back whole; null when the user may not create databases.</summary>
    private static async Task<DatabaseModel?> BuildAndReadAsync(LiveDatabase target, DatabaseModel model, IReadOnlyList<string> extensions,
        IntrospectionOptions options, string prefix, CancellationToken ct)
    {
        var name = prefix + Guid.NewGuid().ToString("N")[..12];
        await using (var connection = await target.DataSource.OpenConnectionAsync(ct))
        {
            try
            {
                // template0: whatever someone left in template1 must not turn up as part of the schema.
                await ExecuteAsync(connection, null, $"CREATE DATABASE {SqlIdentifier.Quote(name)} TEMPLATE template0", ct);
            }
            catch (StatementFailedException e) when (e.SqlState == PostgresErrorCodes.InsufficientPrivilege)
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
                // The live database's extensions, for the types and functions the schema may use; then the
                // schema. CONCURRENTLY builds the same index; the flag is kept from the model. Batched: one
                // round trip per statement would be most of the time on a large schema.
                // (Not those the schema declares: it creates them itself, in their schema and at their version.)
                var statements = extensions.Where(extension => model.FindExtension(extension) is null)
                    .Select(extension => $"CREATE EXTENSION IF NOT EXISTS {SqlIdentifier.Quote(extension)}")
                    .Concat(PostgresSqlGenerator.CreateAll(model)
                        .Select(s => s.Transactional ? s.Sql : s.Sql.Replace("INDEX CONCURRENTLY ", "INDEX ", StringComparison.Ordinal)));
                await StatementExecutor.On(connection).ExecuteBatchedAsync(transaction, name, StatementExecutor.Numbered(statements), starting: null, ct);
                await transaction.CommitAsync(ct);
            }
            // Whole: the cache keeps every object built; the caller's filters apply to the assembled model.
            return await PostgresIntrospector.ReadAsync(connection, options with { IncludeSchemas = [], Tables = [] }, ct);
        }
        finally
        {
            await using var connection = await target.DataSource.OpenConnectionAsync(CancellationToken.None);
            await ExecuteAsync(connection, null, $"DROP DATABASE IF EXISTS {SqlIdentifier.Quote(name)} WITH (FORCE)", CancellationToken.None);
        }
    }

    /// <summary>CONCURRENTLY is how an index is built, not something the catalog records: it comes from the model.</summary>
    private static Table WithConcurrently(Table printed, Table declared) =>
        printed with { Indexes = WithConcurrently(printed.Indexes, declared.Indexes) };

    private static View WithConcurrently(View printed, View declared) =>
        printed with { Indexes = WithConcurrently(printed.Indexes, declared.Indexes) };

    private static ValueList<Model.Index> WithConcurrently(ValueList<Model.Index> printed, ValueList<Model.Index> declared) =>
        new(printed.Select(i => i with { Concurrently = declared.Any(d => d.Name == i.Name && d.Concurrently) }));

    private static Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql, CancellationToken ct) =>
        StatementExecutor.On(connection).ExecuteAsync(transaction, "scratch database", new ScriptStatement(sql, 1), ct);
}
