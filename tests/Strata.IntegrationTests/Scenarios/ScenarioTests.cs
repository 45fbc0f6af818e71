using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Strata.Diffing;
using Strata.Dsl;
using Strata.Model;
using Strata.Tests.CodeGeneration;
using Xunit.Sdk;

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

    /// <summary>The schemas of the class's scenarios, for the C# writer's round trip when the class is done.</summary>
    internal ConcurrentQueue<(string Scenario, DatabaseModel Model)> Schemas { get; } = new();

    public async Task DisposeAsync()
    {
        if (_databases is not null)
            await _databases.DisposeAsync();
        VerifyWrittenCode();
    }

    /// <summary>
    /// Every scenario schema, written as C# by strata pull's writer, compiled (all of the class's in one
    /// compilation) and built again, must be the same model: a failure fails the class's cleanup, naming the scenario.
    /// </summary>
    private void VerifyWrittenCode()
    {
        var schemas = Schemas.ToList();
        if (schemas.Count == 0)
            return;
        var built = GeneratedSchemas.RoundTrip(schemas.Select(s => s.Model).ToList());
        var wrong = schemas.Where((s, i) => s.Model != built[i]).Select(s => s.Scenario).Distinct().ToList();
        if (wrong.Count > 0)
            throw new XunitException($"The C# the schema writer wrote builds a different model for: {string.Join(", ", wrong)}");
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
        RenameDecisions? downRenames = null,
        [CallerMemberName] string scenario = "")
    {
        var (schemaA, schemaB) = (RoundTrip.Schema(a), RoundTrip.Schema(b));
        fixture.Schemas.Enqueue((scenario + " (A)", schemaA));
        fixture.Schemas.Enqueue((scenario + " (B)", schemaB));
        return fixture.RoundTrip.RunAsync(schemaA, schemaB, renames, downRenames);
    }
}
