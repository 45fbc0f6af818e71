using Strata.Postgres.Migrations;

namespace Strata.Testing;

/// <summary>How <see cref="TestDatabaseServer.GetTemplateAsync(MigrationSource, TestTemplateOptions?, CancellationToken)"/> names, builds and seeds a template.</summary>
public sealed record TestTemplateOptions
{
    /// <summary>
    /// The template database's name (at most 63 bytes). Test projects with different migrations that share a
    /// server need different names, or each run rebuilds the other's template.
    /// </summary>
    public string Name { get; init; } = "strata_template";

    /// <summary>
    /// Runs after the migrations, in the template, so that every clone starts with its rows. The template is
    /// closed to connections afterwards: don't keep <see cref="TestDatabase.DataSource"/> or its connections.
    /// </summary>
    public Func<TestDatabase, CancellationToken, Task>? Seed { get; init; }

    /// <summary>
    /// Part of the template's key next to the migrations' hash: change it when <see cref="Seed"/> changes, so
    /// that a template seeded by the old code is rebuilt (a seed is code, which Strata cannot hash).
    /// </summary>
    public string? SeedVersion { get; init; }

    /// <summary>Options for the <see cref="Migrator"/> that builds the template (tracking table, timeouts).</summary>
    public MigratorOptions? Migrator { get; init; }
}
