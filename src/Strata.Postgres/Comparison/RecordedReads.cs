using Strata.Model;
using Strata.Postgres.Introspection;

namespace Strata.Postgres.Comparison;

/// <summary>
/// What a model's opaque SQL reads (checks, defaults, generated columns, index expressions and predicates, views,
/// and the expressions of the other kinds of object), as PostgreSQL records it in <c>pg_depend</c> and <c>pg_rewrite</c>: the model is built in a
/// scratch database (<see cref="ScratchDatabase.AsPrintedAsync"/>, whose <see cref="PrintedFormCache"/> spares the
/// build when the same objects were printed before) and the printed objects' reads are put on the declared ones
/// by name (<see cref="ModelReads.CopiedFrom"/>). The declared text stays the user's: only reads are added.
/// </summary>
public static class RecordedReads
{
    /// <summary>The scratch database's name before its random part.</summary>
    public const string ScratchPrefix = "strata_reads_";

    /// <summary>
    /// <paramref name="model"/> (from the DSL or a snapshot) with the reads PostgreSQL records for its expressions,
    /// built on <paramref name="server"/>; null when something must be built and the user may not create databases.
    /// </summary>
    /// <param name="cacheFolder">Where the printed forms of earlier runs are kept (<see cref="PrintedFormCache.Folder"/>); null for none.</param>
    /// <exception cref="Execution.StatementFailedException">PostgreSQL refused the model (a type or function it does not have).</exception>
    public static async Task<DatabaseModel?> OfAsync(LiveDatabase server, DatabaseModel model, string? cacheFolder, CancellationToken ct)
    {
        var normalized = model.Normalize();
        var printed = await ScratchDatabase.AsPrintedAsync(server, normalized, IntrospectionOptions.All, ScratchPrefix, cacheFolder, ct);
        return printed is null ? null : ModelReads.CopiedFrom(normalized, printed);
    }
}
