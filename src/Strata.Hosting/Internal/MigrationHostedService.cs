using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Strata.Hosting.Internal;

/// <summary>Runs the migrations in the host's start, before the hosted services registered after it (the web server among them).</summary>
internal sealed class MigrationHostedService(DatabaseMigrationRunner runner, IOptions<StrataMigrationOptions> options) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (options.Value.ApplyOnStart)
            await runner.MigrateAsync(cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
