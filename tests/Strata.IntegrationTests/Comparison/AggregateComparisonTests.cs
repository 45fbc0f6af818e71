using Npgsql;
using Strata.Diffing;
using Strata.Dsl;
using Strata.IntegrationTests.Infrastructure;
using Strata.Model;
using Strata.Postgres.Comparison;
using Strata.Postgres.Introspection;
using Strata.Postgres.Migrations;
using Strata.Testing;

namespace Strata.IntegrationTests.Comparison;

/// <summary>
/// Aggregates written in another spelling than PostgreSQL prints (type names, option order, spacing, INITCOND's quotes):
/// compared with a database built from them, push finds nothing to do.
/// </summary>
public sealed class AggregateComparisonTests(PostgresFixture fixture) : IClassFixture<PostgresFixture>
{
    private static readonly QualifiedName Tracking = new("strata", "__strata_migrations");

    private static LiveDatabase Live(TestDatabase database) =>
        new(database.DataSource, new NpgsqlConnectionStringBuilder(database.ConnectionString), database.Name);

    [Fact]
    public async Task An_aggregate_written_in_another_spelling_than_PostgreSQL_prints_compares_equal_with_the_database_built_from_it()
    {
        var builder = new SchemaBuilder();
        builder.Aggregate("product(float8)", "stype=float8 ,  sfunc = float8mul, initcond = 1");
        builder.Aggregate("total(int4)", "SFUNC = int4pl,\n    STYPE = int4");
        var schema = builder.Build();
        await using var database = await fixture.CreateDatabaseAsync("agg_spelling", """
            CREATE AGGREGATE product(double precision) (SFUNC = float8mul, STYPE = double precision, INITCOND = '1');
            CREATE AGGREGATE total(integer) (SFUNC = int4pl, STYPE = integer);
            """);

        var (expected, live) = await SchemaPush.CompareAsync(Live(database), schema, Tracking, new IntrospectionOptions(), null, _ => { }, default);

        var diff = SchemaDiffer.Diff(live, expected, RenameDecisions.None);
        Assert.True(diff.IsEmpty, string.Join("\n", diff.Changes));
    }

    [Fact]
    public async Task The_drift_check_of_a_database_migrated_from_an_aggregate_in_another_spelling_finds_no_drift()
    {
        var builder = new SchemaBuilder();
        builder.Aggregate("product(float8)", "stype=float8 ,  sfunc = float8mul, initcond = 1");
        var schema = builder.Build();
        await using var target = await fixture.CreateDatabaseAsync("agg_drift");
        using var folder = new TemporaryFolder();
        var directory = await MigrationDirectory.LoadAsync(folder.Path);
        await MigrationWriter.WriteBaselineAsync(directory, "0000_baseline", schema, [], default);
        directory = await MigrationDirectory.LoadAsync(folder.Path);
        var migrations = MigrationSource.FromDirectory(directory);
        await new Migrator(target.DataSource, migrations, new MigratorOptions { HistoryTable = Tracking }).ApplyAsync();

        var drift = await DriftCheck.CompareAsync(Live(target), "test", directory, migrations, Tracking, new IntrospectionOptions(), null, _ => { }, default);

        Assert.True(drift.Matches, string.Join("; ", drift.Changes.Select(c => c.ToString())));
    }
}
