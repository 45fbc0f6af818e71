using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Strata.Hosting;
using Strata.Hosting.Internal;

// In the namespace of IServiceCollection, as the other Add… extensions are, so that Program.cs needs no using.
namespace Microsoft.Extensions.DependencyInjection;

public static class StrataMigrationServiceCollectionExtensions
{
    /// <summary>
    /// Applies the pending Strata migrations when the host starts: a hosted service runs
    /// <see cref="Strata.Postgres.Migrations.Migrator.ApplyAsync(CancellationToken)"/> in its <c>StartAsync</c>, so the
    /// app does not serve before the schema is ready, and a failed migration fails the host's start with the
    /// migrator's exception. Hosted services start one after another in the order they were registered: call
    /// this before adding other hosted services that use the database. Several instances starting at once are
    /// safe: the migrator's advisory lock lets one apply while the others wait, then find nothing pending.
    /// </summary>
    /// <example>
    /// <code>
    /// builder.Services.AddStrataMigrations(o =>
    /// {
    ///     o.ConnectionString = builder.Configuration.GetConnectionString("app");
    ///     o.FromAssembly(typeof(Program).Assembly);
    /// });
    /// </code>
    /// </example>
    public static IServiceCollection AddStrataMigrations(this IServiceCollection services, Action<StrataMigrationOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        services.AddOptions<StrataMigrationOptions>().Configure(configure);
        services.TryAddSingleton<DatabaseMigrationRunner>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, MigrationHostedService>());
        return services;
    }
}
