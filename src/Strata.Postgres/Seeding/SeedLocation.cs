namespace Strata.Postgres.Seeding;

/// <summary>What strata.json's <c>"seed"</c> names.</summary>
public enum SeedKind
{
    /// <summary>A folder of .sql files (possibly none: then there is nothing to run).</summary>
    Folder,

    /// <summary>A path (it has a slash, or ends in .sql) to a folder that does not exist.</summary>
    MissingFolder,

    /// <summary>The full name of an <see cref="ISeeder"/> class of the schema project.</summary>
    SeederClass,
}

/// <summary>
/// Where a seed setting points: a folder and its .sql files in the order they run (name order, ordinal),
/// or a seeder class. Found before any database is touched, so a seed that cannot run stops a reset before
/// it drops anything.
/// </summary>
/// <param name="Folder">The setting as a full path, relative to strata.json's folder.</param>
/// <param name="Files">The folder's .sql files in run order; empty unless <see cref="Kind"/> is <see cref="SeedKind.Folder"/>.</param>
public sealed record SeedLocation(string Setting, SeedKind Kind, string Folder, IReadOnlyList<string> Files)
{
    /// <summary>Where <paramref name="setting"/> (relative to <paramref name="projectRoot"/>) points.</summary>
    public static SeedLocation Find(string setting, string projectRoot)
    {
        var folder = Path.GetFullPath(setting, projectRoot);
        if (Directory.Exists(folder))
        {
            var files = Directory.GetFiles(folder, "*.sql").OrderBy(f => Path.GetFileName(f), StringComparer.Ordinal).ToList();
            return new SeedLocation(setting, SeedKind.Folder, folder, files);
        }
        var isPath = setting.Contains('/') || setting.Contains('\\') || setting.EndsWith(".sql", StringComparison.OrdinalIgnoreCase);
        return new SeedLocation(setting, isPath ? SeedKind.MissingFolder : SeedKind.SeederClass, folder, []);
    }
}
