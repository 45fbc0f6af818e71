namespace Strata.IntegrationTests.Cli;

/// <summary>
/// One copy of the sample whose schema project is built once; tests take copies of it (bin included)
/// so that only the tests that edit the schema pay for another build.
/// </summary>
public sealed class BuiltSample : IAsyncLifetime
{
    private SampleCopy? _copy;

    public string Directory => _copy!.Directory;

    public async Task InitializeAsync()
    {
        _copy = SampleCopy.Create();
        var export = await _copy.RunAsync("export");
        if (export.ExitCode != 0)
            throw new InvalidOperationException("Building the sample through `strata export` failed:\n" + export);
    }

    public Task DisposeAsync()
    {
        _copy?.Dispose();
        return Task.CompletedTask;
    }

    /// <summary>A fresh, already built copy for one test.</summary>
    public SampleCopy CreateCopy() => SampleCopy.Create(Directory);
}

/// <summary>
/// The end-to-end tests run one at a time: each may build a sample copy, and those builds share the
/// repository's Strata project, which two concurrent builds would both try to write.
/// </summary>
[CollectionDefinition(Name)]
public sealed class CliCollection : ICollectionFixture<BuiltSample>
{
    public const string Name = "cli";
}
