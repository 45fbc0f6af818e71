using Npgsql;
using Strata.Diffing;
using Strata.Model;
using Strata.Postgres.Configuration;
using Strata.Postgres.Diagnostics;
using Strata.Postgres.Execution;

namespace Strata.Postgres.Comparison;

/// <summary>How generate's diff came by the reads its decisions needed.</summary>
public enum ReadsSource
{
    /// <summary>No decision needed reads the models did not know: no server was asked.</summary>
    NotNeeded,

    /// <summary>Both models were given PostgreSQL's reads (a scratch build on the development server, or the printed-form cache) and diffed again.</summary>
    Recorded,

    /// <summary>No server could be had (or it could not build the models): the decisions were taken from the text, as <see cref="GenerateReadsResult.Unavailable"/> says.</summary>
    Text,
}

/// <summary>
/// The models generate writes a migration between, and their diff.
/// </summary>
/// <param name="Previous">The last snapshot's model, with the reads asked for when <see cref="Source"/> is <see cref="ReadsSource.Recorded"/>.</param>
/// <param name="Schema">The C# schema's model with the reads known for it: carried over from the last snapshot for what did not change, and PostgreSQL's when asked; the snapshot keeps them, so the next generate asks again only for what changes.</param>
/// <param name="Diff">The diff to write.</param>
/// <param name="Unavailable">Why no server could give the reads (with <see cref="ReadsSource.Text"/>), else null.</param>
public sealed record GenerateReadsResult(DatabaseModel Previous, DatabaseModel Schema, SchemaDiff Diff, ReadsSource Source, string? Unavailable)
{
    /// <summary>The objects whose text still decided (<see cref="SchemaDiff.DecidedFromText"/>).</summary>
    public ValueList<TextDecision> DecidedFromText => Diff.DecidedFromText;
}

/// <summary>
/// generate's comparison of the last snapshot with the C# schema, with decisions taken from what PostgreSQL
/// records that expressions read rather than from their text. A model built from the DSL knows no reads, so
/// <see cref="CarriedOver"/> first gives it those of the last snapshot for what did not change; only when the diff
/// still decides something from the text (<see cref="SchemaDiff.DecidedFromText"/>) is a server asked
/// (<see cref="RecordedReads"/>: a scratch build on it, or the printed-form cache) and the diff taken again. A
/// generate with no such decision touches no server.
/// </summary>
public static class GenerateReads
{
    /// <summary>The C# schema's model with the reads the last snapshot knows for the objects that did not change (pure).</summary>
    public static DatabaseModel CarriedOver(DatabaseModel previous, DatabaseModel schema) => ModelReads.CarriedOver(schema, previous);

    /// <summary>
    /// <see cref="DecideAsync(DatabaseModel, DatabaseModel, SchemaDiff, RenameDecisions, Func{CancellationToken, Task{ValueTuple{LiveDatabase, string}}}, string, CancellationToken)"/>
    /// with the project's development database as the server (<see cref="DatabaseTarget.OpenEnvironmentAsync"/>: its url, else the local
    /// PostgreSQL Strata runs in .strata/postgres, started if need be), opened only when a decision needs reads and closed after, and
    /// the printed forms cached in the project's .strata/printed. A database that cannot be had (a wrong setting, no PostgreSQL programs,
    /// a failed connection) is not an error: the text decides, and <see cref="GenerateReadsResult.Unavailable"/> says why.
    /// </summary>
    /// <param name="asking">Told just before the development database is opened.</param>
    /// <param name="events">What opening it tells (the local PostgreSQL started, say).</param>
    public static async Task<GenerateReadsResult> DecideAsync(DatabaseModel previous, DatabaseModel schema, SchemaDiff diff, RenameDecisions decisions,
        StrataConfig config, Action? asking, DatabaseTargetEvents? events, CancellationToken ct)
    {
        DatabaseTarget? server = null;
        try
        {
            return await DecideAsync(previous, schema, diff, decisions, async token =>
            {
                asking?.Invoke();
                try
                {
                    server = await DatabaseTarget.OpenEnvironmentAsync(config, StrataEnvironment.Development, "generate", events, token);
                    return (server.Live(), null);
                }
                catch (Exception e) when (e is ConfigurationException or LocalDevDatabaseException or DatabaseConnectionException)
                {
                    return (null, e.Message);
                }
            }, PrintedFormCache.Folder(config.ProjectRoot), ct);
        }
        finally
        {
            if (server is not null)
                await server.DisposeAsync();
        }
    }

    /// <summary>
    /// <paramref name="diff"/> (of <paramref name="previous"/> to <paramref name="schema"/>, with <paramref name="decisions"/>)
    /// when it decided nothing from text; else both models with the reads PostgreSQL records, from the server
    /// <paramref name="server"/> gives, diffed again. <paramref name="server"/> is called only then; it returns null
    /// when no server can be had, and its caller disposes what it opened.
    /// </summary>
    /// <param name="server">Gives the server to build in (the development environment's database), or none and why.</param>
    /// <param name="cacheFolder">The printed-form cache (<see cref="PrintedFormCache.Folder"/>); null for none.</param>
    public static async Task<GenerateReadsResult> DecideAsync(DatabaseModel previous, DatabaseModel schema, SchemaDiff diff, RenameDecisions decisions,
        Func<CancellationToken, Task<(LiveDatabase? Server, string? Unavailable)>> server, string? cacheFolder, CancellationToken ct)
    {
        if (diff.DecidedFromText.Count == 0)
            return new(previous, schema, diff, ReadsSource.NotNeeded, null);

        var (target, unavailable) = await server(ct);
        if (target is null)
            return new(previous, schema, diff, ReadsSource.Text, unavailable ?? "no PostgreSQL server is configured");
        try
        {
            // Each side is built on its own: the old model is the schema the migrations give, the new one the C# schema.
            var previousRead = await RecordedReads.OfAsync(target, previous, cacheFolder, ct);
            var schemaRead = await RecordedReads.OfAsync(target, schema, cacheFolder, ct);
            if (previousRead is null || schemaRead is null)
                return new(previous, schema, diff, ReadsSource.Text, $"{target.Description}: the user may not create databases (grant CREATEDB)");
            return new(previousRead, schemaRead, SchemaDiffer.Diff(previousRead, schemaRead, decisions), ReadsSource.Recorded, null);
        }
        catch (Exception e) when (((e as StatementFailedException)?.MessageText ?? (e as PostgresException)?.MessageText) is { } failure)
        {
            // Such as a type or function of an extension the server lacks.
            return new(previous, schema, diff, ReadsSource.Text, $"{target.Description}: the schema could not be built in a scratch database ({failure})");
        }
        catch (NpgsqlException e) when (!ct.IsCancellationRequested)
        {
            // The connection was lost or timed out during the build: the migration can still be written from the text.
            return new(previous, schema, diff, ReadsSource.Text, $"{target.Description}: the connection failed while building the schema in a scratch database ({e.Message})");
        }
    }
}
