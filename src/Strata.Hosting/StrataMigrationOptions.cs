using System.Reflection;
using Npgsql;
using Strata.Postgres.Migrations;

namespace Strata.Hosting;

/// <summary>
/// What <c>services.AddStrataMigrations</c> migrates and how:
/// the database (a connection string, a data source, or the <see cref="NpgsqlDataSource"/> registered in
/// the container), the migrations (a folder or an assembly) and the <see cref="MigratorOptions"/>.
/// </summary>
public sealed class StrataMigrationOptions
{
    /// <summary>
    /// An Npgsql connection string (<c>Host=…;Database=…;Username=…;Password=…</c>) or a <c>postgres://</c> URL, read
    /// as the CLI reads one (<see cref="Strata.Postgres.Configuration.DatabaseConnection"/>). Strata makes a data source of
    /// its own for the run and disposes it afterwards; PostgreSQL's DETAIL is shown in errors unless the string
    /// sets <c>Include Error Detail</c>. Leave null to use <see cref="DataSource"/> or the container's data source.
    /// </summary>
    public string? ConnectionString { get; set; }

    /// <summary>The data source to migrate through (the caller keeps ownership). Takes precedence over <see cref="ConnectionString"/>.</summary>
    public NpgsqlDataSource? DataSource { get; set; }

    /// <summary>
    /// The migrations folder on disk. A relative path is taken from the host's content root
    /// (<c>IHostEnvironment.ContentRootPath</c>). A folder that does not exist stops the start: the app was
    /// deployed without its migrations. Set this or <see cref="Source"/>.
    /// </summary>
    public string? MigrationsFolder { get; set; }

    /// <summary>Where the migrations come from, e.g. <see cref="MigrationSource.FromAssembly"/>. Set this or <see cref="MigrationsFolder"/>.</summary>
    public MigrationSource? Source { get; set; }

    /// <summary>Lock wait, tracking table, out-of-order, transaction mode, timeouts: the defaults suit most applications.</summary>
    public MigratorOptions Migrator { get; set; } = new();

    /// <summary>
    /// Apply the migrations when the host starts (the default). Set false to migrate only where the app calls
    /// <c>host.MigrateDatabaseAsync()</c> (a <c>--migrate</c> switch, say).
    /// </summary>
    public bool ApplyOnStart { get; set; } = true;

    /// <summary>
    /// The strata.json to read as the CLI reads it (see <see cref="FromStrataConfig"/>); a relative path is taken from the
    /// host's content root. Null (the default) reads none.
    /// </summary>
    public string? StrataConfigPath { get; set; }

    /// <summary>
    /// The environment of <see cref="StrataConfigPath"/> to migrate (<c>"production"</c>); null chooses it as the CLI does:
    /// <c>$STRATA_ENV</c>, else <c>$DOTNET_ENVIRONMENT</c>, else development.
    /// </summary>
    public string? Environment { get; set; }

    /// <summary>
    /// Takes what strata.json says, through the CLI's own reading of it (its .env files and variables too): the
    /// migrations folder (unless <see cref="MigrationsFolder"/> or <see cref="Source"/> is set), the tracking table, the
    /// environment's <c>lockTimeout</c> and <c>statementTimeout</c>, and its database (<c>directUrl</c>, else <c>url</c>)
    /// unless <see cref="DataSource"/> or <see cref="ConnectionString"/> is set. So the application applies the migrations
    /// into the same tracking table as <c>strata migrate</c> does, with the same settings.
    /// </summary>
    /// <param name="path">strata.json, from the content root.</param>
    /// <param name="environment">The environment to migrate; null chooses it as the CLI does (see <see cref="Environment"/>).</param>
    public StrataMigrationOptions FromStrataConfig(string path = "strata.json", string? environment = null)
    {
        StrataConfigPath = path;
        Environment = environment;
        return this;
    }

    /// <summary>Reads the migrations from the folder at <paramref name="path"/> (see <see cref="MigrationsFolder"/>).</summary>
    public StrataMigrationOptions FromFolder(string path)
    {
        MigrationsFolder = path;
        Source = null;
        return this;
    }

    /// <summary>
    /// Reads the migrations embedded in <paramref name="assembly"/> as resources
    /// <c>strata/migrations/&lt;id&gt;/up.sql</c>, <c>…/down.sql</c> and <c>strata/migrations/strata.sum</c>
    /// (or below <paramref name="resourcePrefix"/>); docs/application-startup.md shows the MSBuild item that embeds them.
    /// </summary>
    /// <exception cref="MigrationFileException">An embedded resource below the prefix whose folder is not a migration id.</exception>
    public StrataMigrationOptions FromAssembly(Assembly assembly, string? resourcePrefix = null)
    {
        Source = resourcePrefix is null ? MigrationSource.FromAssembly(assembly) : MigrationSource.FromAssembly(assembly, resourcePrefix);
        MigrationsFolder = null;
        return this;
    }
}
