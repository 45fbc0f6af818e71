using Strata.Model;
using Strata.Postgres.Linting;
using Strata.Postgres.Migrations;
using Strata.Postgres.Sql;

namespace Strata.Postgres.Configuration;

/// <summary>The resolved contents of strata.json; every path is absolute.</summary>
/// <param name="ConfigPath">The strata.json this came from.</param>
/// <param name="SchemaProject">The schema project's .csproj.</param>
/// <param name="MigrationsDirectory">The migrations folder (it may not exist yet).</param>
/// <param name="SchemaType">The full name of the ISchemaDefinition class, when the assembly has several.</param>
/// <param name="TrackingTable">The table that records the applied migrations (<c>"trackingTable"</c>, default <c>strata.__strata_migrations</c>).</param>
/// <param name="Environments">strata.json's <c>"environments"</c> by name (empty when it has none: development is then the local database).</param>
/// <param name="Seed">strata.json's <c>"seed"</c>: a folder of .sql files, or the full name of an ISeeder class in the schema project; null when not set.</param>
/// <param name="Lint">strata.json's <c>"lint"</c>: the level of each rule of <c>strata lint</c> it sets; null when not set (every rule at its default).</param>
/// <param name="Safety">strata.json's <c>"safety"</c>: whether generate writes the safe forms of changes to existing tables (on by default).</param>
public sealed record StrataConfig(
    string ConfigPath,
    string SchemaProject,
    string MigrationsDirectory,
    string? SchemaType,
    MigrationPrefix Prefix,
    QualifiedName TrackingTable,
    IReadOnlyDictionary<string, EnvironmentSettings>? Environments = null,
    string? Seed = null,
    LintSettings? Lint = null,
    MigrationSafety Safety = MigrationSafety.On)
{
    public const string FileName = "strata.json";
    public const string DefaultMigrationsFolder = "db/migrations";

    /// <summary>The folder holding strata.json: relative paths in it start here.</summary>
    public string ProjectRoot => Path.GetDirectoryName(ConfigPath)!;

    /// <summary>The levels of strata lint's rules: strata.json's <c>"lint"</c> over each rule's default.</summary>
    public LintSettings LintSettings => Lint ?? LintSettings.Default;

    /// <summary>
    /// The Migrator's options strata.json gives for <paramref name="environment"/>: the tracking table, and the
    /// environment's <c>lockTimeout</c> and <c>statementTimeout</c> (else the Migrator's defaults). What the
    /// commands that migrate and Strata.Hosting start from, so that an application applies its migrations into
    /// the same tracking table as <c>strata migrate</c>.
    /// </summary>
    public MigratorOptions MigratorOptionsFor(StrataEnvironment environment) => new()
    {
        HistoryTable = TrackingTable,
        LockTimeout = environment.Settings.LockTimeout ?? MigratorOptions.DefaultLockTimeout,
        StatementTimeout = environment.Settings.StatementTimeout,
        LockRetries = environment.Settings.LockRetries ?? MigratorOptions.DefaultLockRetries,
    };
}
