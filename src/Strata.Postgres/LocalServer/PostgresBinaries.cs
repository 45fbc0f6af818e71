namespace Strata.Postgres.LocalServer;

/// <summary>The folder of PostgreSQL server programs (initdb, pg_ctl) on this machine.</summary>
internal sealed record PostgresBinaries(string Directory)
{
    public const string EnvironmentVariable = "STRATA_PG_BIN";

    private static string ExecutableName(string name) => OperatingSystem.IsWindows() ? name + ".exe" : name;

    public string InitDb => Path.Combine(Directory, ExecutableName("initdb"));

    public string PgCtl => Path.Combine(Directory, ExecutableName("pg_ctl"));

    private static bool HoldsServerPrograms(string directory) =>
        File.Exists(Path.Combine(directory, ExecutableName("pg_ctl"))) && File.Exists(Path.Combine(directory, ExecutableName("initdb")));

    /// <summary>The configured folder, else STRATA_PG_BIN, else <c>pg_config --bindir</c>, else the newest well-known install.</summary>
    public static async Task<PostgresBinaries> FindAsync(string? configured, CancellationToken ct)
    {
        if (configured is not null)
            return HoldsServerPrograms(configured)
                ? new PostgresBinaries(Path.GetFullPath(configured))
                : throw new LocalPostgresException($"{configured} does not hold the PostgreSQL server programs initdb and pg_ctl. {HowToInstall}");

        if (Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } fromEnvironment)
            return HoldsServerPrograms(fromEnvironment)
                ? new PostgresBinaries(Path.GetFullPath(fromEnvironment))
                : throw new LocalPostgresException($"{EnvironmentVariable}={fromEnvironment} does not hold the PostgreSQL server programs initdb and pg_ctl. {HowToInstall}");

        var fromPgConfig = await FromPgConfigAsync(ct);
        if (fromPgConfig is not null && HoldsServerPrograms(fromPgConfig))
            return new PostgresBinaries(fromPgConfig);

        // Debian and Ubuntu keep the server programs out of PATH, one folder per major version.
        var wellKnown = NewestVersionFolders("/usr/lib/postgresql", "bin")
            .Concat(NewestVersionFolders("/usr/pgsql-", "bin"))
            .Concat(FixedFolders);
        foreach (var candidate in wellKnown)
        {
            if (HoldsServerPrograms(candidate))
                return new PostgresBinaries(candidate);
        }
        var looked = new[]
        {
            $"${EnvironmentVariable} (not set)",
            fromPgConfig is null ? "pg_config --bindir (no pg_config on PATH)" : $"pg_config --bindir ({fromPgConfig})",
            "/usr/lib/postgresql/*/bin",
            "/usr/pgsql-*/bin",
        }.Concat(FixedFolders);
        throw new LocalPostgresException(
            $"PostgreSQL's server programs (initdb, pg_ctl) were not found on this machine. Looked in: {string.Join(", ", looked)}. {HowToInstall}");
    }

    private static readonly string[] FixedFolders = ["/usr/local/pgsql/bin", "/opt/homebrew/bin", "/usr/local/bin", "/usr/bin"];

    public const string HowToInstall =
        "Install PostgreSQL 15 or newer (Debian/Ubuntu: 'apt-get install postgresql'; Fedora: 'dnf install postgresql-server'; "
        + "macOS: 'brew install postgresql@15'), or set " + EnvironmentVariable + " to the folder that holds pg_ctl.";

    private static async Task<string?> FromPgConfigAsync(CancellationToken ct)
    {
        try
        {
            var result = await ProcessRunner.RunAsync("pg_config", ["--bindir"], ct);
            return result.ExitCode == 0 && result.StandardOutput.Trim() is { Length: > 0 } bindir ? bindir : null;
        }
        catch (LocalPostgresException)
        {
            return null; // no pg_config on PATH
        }
    }

    /// <summary>
    /// <c>/usr/lib/postgresql/{15,16,...}/bin</c> (a folder prefix) or <c>/usr/pgsql-{15,...}/bin</c> (a name prefix),
    /// newest major version first.
    /// </summary>
    private static IEnumerable<string> NewestVersionFolders(string prefix, string bin)
    {
        var isFolder = System.IO.Directory.Exists(prefix);
        var parent = isFolder ? prefix : Path.GetDirectoryName(prefix);
        if (parent is null || !System.IO.Directory.Exists(parent))
            return [];
        var namePrefix = isFolder ? "" : Path.GetFileName(prefix);
        return System.IO.Directory.EnumerateDirectories(parent)
            .Select(path => (path, version: Path.GetFileName(path)[namePrefix.Length..]))
            .Where(d => Path.GetFileName(d.path).StartsWith(namePrefix, StringComparison.Ordinal)
                        && Version.TryParse(d.version.Contains('.') ? d.version : d.version + ".0", out _))
            .OrderByDescending(d => Version.Parse(d.version.Contains('.') ? d.version : d.version + ".0"))
            .Select(d => Path.Combine(d.path, bin));
    }
}
