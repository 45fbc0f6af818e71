using Microsoft.Extensions.DependencyInjection;
using Strata.Hosting.Internal;
using Strata.Postgres.Migrations;

// In the namespace of IHost, so that Program.cs needs no using.
namespace Microsoft.Extensions.Hosting;

public static class StrataMigrationHostExtensions
{
    /// <summary>
    /// Applies the pending migrations configured by <c>AddStrataMigrations</c> now, for apps that prefer an
    /// explicit step before <c>host.Run()</c>. The migrations run once per host: when this succeeded, the
    /// start-up hosted service finds them done and does nothing.
    /// </summary>
    /// <exception cref="InvalidOperationException"><c>AddStrataMigrations</c> was not called, or its options name no database or no migrations.</exception>
    /// <exception cref="MigrationRefusedException">The same errors as <see cref="Migrator.ApplyAsync(CancellationToken)"/>, logged through <c>ILogger&lt;Migrator&gt;</c> before they are thrown.</exception>
    public static Task<MigrateResult> MigrateDatabaseAsync(this IHost host, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(host);
        var runner = host.Services.GetService<DatabaseMigrationRunner>()
            ?? throw new InvalidOperationException("MigrateDatabaseAsync needs the migrations configured first: call services.AddStrataMigrations(…) when building the host.");
        return runner.MigrateAsync(ct);
    }
}
