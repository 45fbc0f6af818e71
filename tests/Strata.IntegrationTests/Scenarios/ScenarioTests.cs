using Strata.Diffing;
using Strata.Dsl;

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
    protected Task<RoundTripResult> RoundTripAsync(
        Action<SchemaBuilder> a,
        Action<SchemaBuilder> b,
        RenameDecisions? renames = null,
        RenameDecisions? downRenames = null) =>
        fixture.RoundTrip.RunAsync(RoundTrip.Schema(a), RoundTrip.Schema(b), renames, downRenames);
}
