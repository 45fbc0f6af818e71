namespace Strata.Postgres.Migrations;

/// <summary>How a migration's state reads in a status table, a drift report and their JSON: one wording for every command.</summary>
public static class MigrationStateText
{
    /// <summary>The state in a few words: "applied", "out of order", "partially applied".</summary>
    public static string Text(this MigrationState state) => state switch
    {
        MigrationState.Applied => "applied",
        MigrationState.Pending => "pending",
        MigrationState.OutOfOrder => "out of order",
        MigrationState.MissingOnDisk => "missing on disk",
        MigrationState.ChecksumMismatch => "checksum mismatch",
        MigrationState.Partial => "partially applied",
        _ => state.ToString(),
    };

    /// <summary>A sentence for each state that needs one: what it means and what to do; null for applied and pending.</summary>
    public static string? Explain(this MigrationStatus migration) => migration.State switch
    {
        MigrationState.OutOfOrder =>
            $"{migration.Id} is older than the newest applied migration (a merged branch): strata migrate applies it only with --allow-out-of-order, after you check it is independent of the newer ones.",
        MigrationState.MissingOnDisk =>
            $"{migration.Id} is applied but missing from the migrations folder: restore it from version control.",
        MigrationState.ChecksumMismatch =>
            $"{migration.File ?? migration.Id} changed after it was applied (applied {migration.Applied?.Checksum}, the file now {migration.FileChecksum}): restore it from version control, and make the change as a new migration.",
        MigrationState.Partial =>
            $"{migration.Id} runs outside a transaction and stopped part-way: strata migrate resumes it at the statement that failed.",
        _ => null,
    };
}
