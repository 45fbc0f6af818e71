using System.Reflection;

namespace Strata.Postgres.Migrations;

/// <summary>The text of one migration's scripts, as read from a <see cref="MigrationSource"/>.</summary>
/// <param name="Id">The migration id (its folder name).</param>
/// <param name="UpSql">The text of up.sql.</param>
/// <param name="DownSql">The text of down.sql, or null when the migration has none.</param>
/// <param name="UpFile">up.sql's name for messages: a path for a folder, <c>resource:…</c> for an embedded one.</param>
/// <param name="DownFile">down.sql's name for messages.</param>
public sealed record MigrationScripts(string Id, string UpSql, string? DownSql, string UpFile, string DownFile);

/// <summary>
/// Where the <see cref="Migrator"/> reads migrations from: a migrations folder on disk, or the same
/// files embedded in an application's assembly. Either way it lists the migration ids in the order they
/// apply, reads their scripts and checks them against <c>strata.sum</c>.
/// </summary>
public abstract class MigrationSource
{
    /// <summary>For messages: the folder path, or "assembly MyApp, resources strata/migrations/".</summary>
    public abstract string Location { get; }

    /// <summary>The migration ids in the order they apply (ordinal order).</summary>
    public abstract IReadOnlyList<string> Ids { get; }

    /// <summary>Reads one migration's up.sql and down.sql.</summary>
    /// <exception cref="MigrationFileException">up.sql is missing or unreadable.</exception>
    public abstract Task<MigrationScripts> ReadAsync(string id, CancellationToken ct = default);

    /// <summary>The migrations against <c>strata.sum</c>: edited, missing and unlisted files, a hand-edited sum.</summary>
    /// <exception cref="MigrationFileException">strata.sum is malformed.</exception>
    public abstract Task<IReadOnlyList<SumProblem>> VerifySumAsync(CancellationToken ct = default);

    /// <summary>
    /// Migrations generated on the same parent (<see cref="MigrationDirectory.FindBranchConflictsAsync"/>);
    /// none for a source that does not carry the snapshots (an assembly embeds only the scripts).
    /// </summary>
    public virtual Task<IReadOnlyList<BranchConflict>> FindBranchConflictsAsync(CancellationToken ct = default) =>
        Task.FromResult<IReadOnlyList<BranchConflict>>([]);

    /// <summary>The migrations folder at <paramref name="path"/>.</summary>
    /// <exception cref="MigrationFileException">A folder whose name is not a migration id.</exception>
    public static async Task<MigrationSource> FromFolderAsync(string path, CancellationToken ct = default) =>
        FromDirectory(await MigrationDirectory.LoadAsync(path, ct));

    public static MigrationSource FromDirectory(MigrationDirectory directory) => new FolderMigrationSource(directory);

    /// <summary>
    /// Migrations embedded in <paramref name="assembly"/> as resources named
    /// <c>&lt;prefix&gt;&lt;id&gt;/up.sql</c>, <c>&lt;prefix&gt;&lt;id&gt;/down.sql</c> and <c>&lt;prefix&gt;strata.sum</c>
    /// (see docs/migrations.md for the MSBuild item that embeds a folder so).
    /// </summary>
    public static MigrationSource FromAssembly(Assembly assembly, string resourcePrefix = EmbeddedMigrationSource.DefaultPrefix) =>
        new EmbeddedMigrationSource(assembly, resourcePrefix);
}

/// <summary>A migrations folder on disk.</summary>
internal sealed class FolderMigrationSource(MigrationDirectory directory) : MigrationSource
{
    private readonly IReadOnlyList<string> _ids = directory.Migrations.Select(m => m.Id).ToList();

    public override string Location => directory.Path;

    public override IReadOnlyList<string> Ids => _ids;

    public override async Task<MigrationScripts> ReadAsync(string id, CancellationToken ct = default)
    {
        var migration = directory.Find(id) ?? throw new ArgumentException($"{id} is not a migration of {directory.Path}", nameof(id));
        var up = await migration.ReadUpAsync(ct);
        var down = File.Exists(migration.DownPath) ? await migration.ReadDownAsync(ct) : null;
        return new MigrationScripts(id, up, down, migration.UpPath, migration.DownPath);
    }

    public override Task<IReadOnlyList<SumProblem>> VerifySumAsync(CancellationToken ct = default) => directory.VerifySumAsync(ct);

    public override Task<IReadOnlyList<BranchConflict>> FindBranchConflictsAsync(CancellationToken ct = default) => directory.FindBranchConflictsAsync(ct);
}
