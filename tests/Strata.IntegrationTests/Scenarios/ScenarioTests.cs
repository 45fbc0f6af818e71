using Strata.Diffing;
using Strata.Dsl;
using Strata.Tests.CodeGeneration;

namespace Strata.IntegrationTests.Scenarios;

/// <summary>The databases of one scenario class, created once for all its tests.</summary>
public sealed class ScenarioFixture : IAsyncLifetime
{
    private RoundTripDatabases? _databases;

    public RoundTrip RoundTrip { get; private set; } = null!;

    public RoundTripDatabases Databases => _databases!;

    public async Task InitializeAsync()
    {
        _databases = await RoundTripDatabases.CreateAsync();
        RoundTrip = new RoundTrip(_databases);
    }

    public async Task DisposeAsync()
    {
        if (_databases is not null)
            await _databases.DisposeAsync();
    }
}

/// <summary>
/// A scenario is one kind of schema change: schema A, schema B, and the rename decisions a user would
/// give. <see cref="RoundTripAsync"/> proves the generated migration and its down script on PostgreSQL.
/// </summary>
public abstract class ScenarioTests(ScenarioFixture fixture) : IClassFixture<ScenarioFixture>
{
    /// <summary>The class's databases, for a scenario that asks PostgreSQL directly what it accepts.</summary>
    protected ScenarioFixture Fixture => fixture;

    protected Task<RoundTripResult> RoundTripAsync(
        Action<SchemaBuilder> a,
        Action<SchemaBuilder> b,
        RenameDecisions? renames = null,
        RenameDecisions? downRenames = null)
    {
        var (schemaA, schemaB) = (RoundTrip.Schema(a), RoundTrip.Schema(b));
        // strata pull's C# writer: both schemas, written as C#, compiled and built again, are the same models.
        var written = GeneratedSchemas.RoundTrip([schemaA, schemaB]);
        Assert.True(schemaA == written[0], "the C# the schema writer wrote for schema A builds a different model");
        Assert.True(schemaB == written[1], "the C# the schema writer wrote for schema B builds a different model");
        return fixture.RoundTrip.RunAsync(schemaA, schemaB, renames, downRenames);
    }
}
