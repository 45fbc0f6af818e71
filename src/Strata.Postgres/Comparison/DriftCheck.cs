using Strata.Diffing;
using Strata.Model;
using Strata.Postgres.Introspection;
using Strata.Postgres.Migrations;

namespace Strata.Postgres.Comparison;

/// <summary>
/// One environment's drift: its applied migrations against the folder, and its live schema against the
/// snapshot of its newest applied migration.
/// </summary>
/// <param name="Error">Why the environment could not be checked (its configuration, or no connection); the rest is then empty.</param>
/// <param name="Pending">The migrations the folder has and the database has not applied yet.</param>
/// <param name="Problems">Applied migrations missing on disk, edited, partially applied, and out-of-order ones.</param>
/// <param name="ComparedWith">The migration whose snapshot the live schema was compared with; null for the empty model.</param>
/// <param name="NotCompared">Why the schema was not compared (the newest applied migration has no readable snapshot).</param>
/// <param name="Changes">What was changed by hand: the diff from the snapshot to the live schema (a live object the snapshot lacks is a create).</param>
/// <param name="Exact">
/// Whether the schema was compared exactly (the snapshot built in a scratch database and read back); false
/// when the user may not create databases and expressions were matched up to casts and parentheses.
/// </param>
public sealed record EnvironmentDrift(
    string Environment,
    string? Database,
    string? Error,
    IReadOnlyList<string> Pending,
    IReadOnlyList<string> Problems,
    bool TrackingTableExists,
    string? ComparedWith,
    string? NotCompared,
    IReadOnlyList<SchemaChange> Changes,
    bool Exact = true)
{
    /// <summary>Reachable, every migration applied and intact, and the schema as the snapshot says.</summary>
    public bool Matches => Error is null && Pending.Count == 0 && Problems.Count == 0 && NotCompared is null && Changes.Count == 0;
}

/// <summary><c>strata check --env a,b</c> / <c>--all-envs</c>: a live database against the migrations folder.</summary>
public static class DriftCheck
{
    /// <summary>
    /// One environment's drift: its applied migrations against <paramref name="directory"/>, and its live
    /// schema (as <paramref name="selection"/> selects it, without the tracking table) against the snapshot
    /// of its newest applied migration, compared exactly when a scratch database can be built.
    /// </summary>
    /// <param name="target">The environment's database.</param>
    /// <param name="environment">The environment's name, for the result.</param>
    /// <param name="printedFormFolder">Where the printed forms of earlier runs are kept (<see cref="PrintedFormCache"/>); null for none.</param>
    /// <param name="warn">Told how the schema comparison falls back when it cannot be exact.</param>
    public static async Task<EnvironmentDrift> CompareAsync(LiveDatabase target, string environment, MigrationDirectory directory,
        MigrationSource source, QualifiedName trackingTable, IntrospectionOptions selection, string? printedFormFolder, Action<string> warn, CancellationToken ct)
    {
        var migrator = new Migrator(target.DataSource, source, new MigratorOptions { HistoryTable = trackingTable });
        var report = await migrator.StatusAsync(ct);
        var pending = report.Migrations.Where(m => m.State == MigrationState.Pending).Select(m => m.Id).ToList();
        var problems = report.Migrations
            .Where(m => m.State is not (MigrationState.Applied or MigrationState.Pending))
            .Select(m => m.Explain() ?? $"{m.Id}: {m.State.Text()}")
            .ToList();

        // The newest migration the database ran; its snapshot is what the live schema should be.
        var newest = report.Migrations.LastOrDefault(m => m.Applied is not null);
        string? notCompared = null;
        DatabaseModel expected = DatabaseModel.Empty;
        if (newest is not null)
        {
            if (newest.State == MigrationState.Partial)
                notCompared = $"the newest applied migration, {newest.Id}, is partially applied: strata migrate finishes it";
            else if (directory.Find(newest.Id) is not { } migration)
                notCompared = $"the newest applied migration, {newest.Id}, is missing from the migrations folder, so its snapshot is too";
            else
                expected = (await migration.ReadSnapshotAsync(ct)).Schema;
        }

        IReadOnlyList<SchemaChange> changes = [];
        var exact = true;
        if (notCompared is null)
        {
            var live = await target.ReadAsync(trackingTable, selection, ct);
            // The snapshot holds expressions as the C# schema wrote them: built in a scratch database and read
            // back, it is in the form the live database prints, so the two compare exactly.
            (expected, live, exact) = await ScratchDatabase.ComparableAsync(target, expected, live, selection, "strata_check_",
                "check matches check expressions, defaults, index expressions and view queries up to casts and parentheses rather than exactly "
                + "(an edit by hand that only adds or removes a cast goes unnoticed)",
                printedFormFolder, warn, ct);
            changes = SchemaDiffer.Diff(expected, live, RenameDecisions.None).Changes;
        }
        return new EnvironmentDrift(environment, target.Description, null, pending, problems, report.TrackingTableExists,
            newest?.Id, notCompared, changes, exact);
    }
}
