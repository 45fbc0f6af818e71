using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;
using Strata.Postgres.Configuration;
using Strata.Postgres.Diagnostics;
using Strata.Postgres.Migrations;

namespace Strata.Hosting.Internal;

/// <summary>
/// Builds a <see cref="Migrator"/> from <see cref="StrataMigrationOptions"/> and the container, runs it once
/// per host and logs its failures for a person: the file and line and what to do, without a stack trace
/// for a problem of the migrations or the database, and never the password.
/// </summary>
internal sealed class DatabaseMigrationRunner(IOptions<StrataMigrationOptions> options, IServiceProvider services)
{
    private readonly ILogger _logger = services.GetService<ILogger<Migrator>>() ?? NullLogger<Migrator>.Instance;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private MigrateResult? _result;

    /// <summary>Applies the pending migrations, or returns the result of the run that already did in this host.</summary>
    public async Task<MigrateResult> MigrateAsync(CancellationToken ct)
    {
        await _gate.WaitAsync(ct);
        try
        {
            return _result ??= await RunAsync(options.Value, ct);
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<MigrateResult> RunAsync(StrataMigrationOptions given, CancellationToken ct)
    {
        // Configuration mistakes are the developer's and surface as they are; what follows is logged for operators.
        var settings = await WithStrataConfigAsync(given, ct);
        var folder = CheckSource(settings);
        var (dataSource, owned) = ResolveDataSource(settings);
        var target = Describe(dataSource);
        var connected = false;
        try
        {
            // Opened once first, so that a connection that fails is logged as what it is (the host, the login,
            // the database, SSL) with its remedy, as the CLI words it, rather than as a driver error.
            await using (await dataSource.OpenConnectionAsync(ct))
                connected = true;
            var source = settings.Source ?? await LoadFolderAsync(folder!, ct);
            if (source.Ids.Count == 0)
                Log.NoMigrations(_logger, source.Location);
            Log.Migrating(_logger, target, source.Location, source.Ids.Count);
            var result = await new Migrator(dataSource, source, settings.Migrator, _logger).ApplyAsync(ct);
            Log.UpToDate(_logger, target, result.Applied.Count, result.AlreadyApplied, (long)result.LockWait.TotalMilliseconds);
            return result;
        }
        catch (NpgsqlException e) when (!connected)
        {
            var failure = ConnectionErrors.Describe(e, new NpgsqlConnectionStringBuilder(dataSource.ConnectionString),
                settings.ConnectionString is null ? "the NpgsqlDataSource of AddStrataMigrations" : "StrataMigrationOptions.ConnectionString");
            Log.DatabaseError(_logger, target, failure.Remedy is null ? failure.Message : $"{failure.Message}. {failure.Remedy}");
            throw;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogFailure(e, target);
            throw;
        }
        catch (OperationCanceledException e) when (e.InnerException is MigrationInterruptedException interrupted)
        {
            // Stopped mid-migration (the host shut down): say what was left, then let the cancellation go on.
            LogFailure(interrupted, target);
            throw;
        }
        finally
        {
            if (owned)
                await dataSource.DisposeAsync();
        }
    }

    /// <summary>
    /// The options with what strata.json says (<see cref="StrataMigrationOptions.FromStrataConfig"/>), read by the
    /// CLI's configuration code: the environment, its database, the migrations folder, the tracking table and timeouts.
    /// </summary>
    private async Task<StrataMigrationOptions> WithStrataConfigAsync(StrataMigrationOptions settings, CancellationToken ct)
    {
        if (settings.StrataConfigPath is not { } path)
            return settings;
        try
        {
            var config = await StrataConfigLoader.LoadAsync(path, ContentRoot, ct);
            var environment = EnvironmentResolver.Resolve(config, settings.Environment);
            var options = config.MigratorOptionsFor(environment);
            var chosen = settings.DataSource is null && settings.ConnectionString is null
                ? EnvironmentDatabase.Choose(environment, given: null, givenSource: "", DatabaseUse.SchemaChange)
                : null;
            if (chosen is { IsLocalDevDatabase: true })
            {
                throw new ConfigurationException(
                    $"environment \"{environment.Name}\" of {config.ConfigPath} has no url, so there is no database to migrate",
                    remedy: $"Give the environment a url (or directUrl) in {StrataConfig.FileName}, choose another with FromStrataConfig(path, environment) or $STRATA_ENV, or set ConnectionString.");
            }
            return new StrataMigrationOptions
            {
                ConnectionString = chosen?.Connection?.ConnectionString ?? settings.ConnectionString,
                DataSource = settings.DataSource,
                MigrationsFolder = settings.Source is null ? settings.MigrationsFolder ?? config.MigrationsDirectory : null,
                Source = settings.Source,
                Migrator = settings.Migrator with
                {
                    HistoryTable = options.HistoryTable,
                    LockTimeout = options.LockTimeout,
                    LockRetries = options.LockRetries,
                    StatementTimeout = options.StatementTimeout,
                },
                ApplyOnStart = settings.ApplyOnStart,
            };
        }
        catch (ConfigurationException e)
        {
            throw new InvalidOperationException(e.Remedy is null ? e.Message : $"{e.Message}. {e.Remedy}", e);
        }
    }

    private string ContentRoot => services.GetService<IHostEnvironment>()?.ContentRootPath ?? Environment.CurrentDirectory;

    private (NpgsqlDataSource DataSource, bool Owned) ResolveDataSource(StrataMigrationOptions settings)
    {
        if (settings.DataSource is { } given)
            return (given, false);
        if (settings.ConnectionString is { } connectionString)
        {
            NpgsqlDataSourceBuilder builder;
            try
            {
                // The CLI's own parsing: Npgsql keywords or a postgres:// URL, and no password in a message.
                builder = new NpgsqlDataSourceBuilder(DatabaseConnection.Parse(connectionString, "StrataMigrationOptions.ConnectionString").ConnectionString);
            }
            catch (ConfigurationException e)
            {
                throw new InvalidOperationException(e.Remedy is null ? e.Message : $"{e.Message}. {e.Remedy}", e);
            }
            // A failed migration is reported with PostgreSQL's DETAIL (the duplicate key, the violating row), as the CLI does.
            if (!DatabaseConnection.SetsKeyword(connectionString, "IncludeErrorDetail"))
                builder.ConnectionStringBuilder.IncludeErrorDetail = true;
            // Another instance waiting for the migration lock names its holder by application_name.
            if (string.IsNullOrEmpty(builder.ConnectionStringBuilder.ApplicationName))
                builder.ConnectionStringBuilder.ApplicationName = "strata migrations";
            return (builder.Build(), true);
        }
        if (services.GetService<NpgsqlDataSource>() is { } registered)
            return (registered, false);
        throw new InvalidOperationException(
            "AddStrataMigrations has no database to migrate: set ConnectionString or DataSource in its options, or register an NpgsqlDataSource in the container.");
    }

    /// <summary>The migrations folder to load, or null when the options give a <see cref="MigrationSource"/>.</summary>
    private static string? CheckSource(StrataMigrationOptions settings)
    {
        if (settings.Source is not null && settings.MigrationsFolder is not null)
            throw new InvalidOperationException("AddStrataMigrations: set either MigrationsFolder or Source, not both.");
        if (settings.Source is null && settings.MigrationsFolder is null)
            throw new InvalidOperationException("AddStrataMigrations has no migrations: call FromFolder(path) or FromAssembly(assembly) in its options.");
        return settings.MigrationsFolder;
    }

    private async Task<MigrationSource> LoadFolderAsync(string folder, CancellationToken ct)
    {
        var path = Path.GetFullPath(Path.Combine(ContentRoot, folder));
        // The CLI reads a missing folder as "no migrations yet"; an application that starts without its
        // migrations folder was deployed without it, and starting on an old schema would hide that.
        if (!Directory.Exists(path))
        {
            throw new MigrationFileException(path, null,
                "the migrations folder does not exist. Publish it with the app (CopyToOutputDirectory on its files) or embed the migrations in the assembly "
                + "(FromAssembly; docs/application-startup.md)");
        }
        return await MigrationSource.FromFolderAsync(path, ct);
    }

    /// <summary>User@host:port/database: enough to recognise the target, nothing secret.</summary>
    private static string Describe(NpgsqlDataSource dataSource) => DatabaseConnection.Describe(new NpgsqlConnectionStringBuilder(dataSource.ConnectionString));

    private void LogFailure(Exception e, string target)
    {
        switch (e)
        {
            case MigrationFailedException failed:
                Log.MigrationFailed(_logger, failed.MigrationId, failed.File, failed.Line, WithoutLocation(failed));
                break;
            case MigrationFileException file when file.Line is { } line:
                Log.FileProblemAtLine(_logger, file.File, line, file.Problem);
                break;
            case MigrationFileException file:
                Log.FileProblem(_logger, file.File, file.Problem);
                break;
            case MigrationRefusedException refused:
                foreach (var refusal in refused.Refusals)
                    Log.Refused(_logger, target, refusal.Kind, refusal.Message + OptionRemedy(refusal.Override));
                break;
            case MigrationLockTimeoutException timeout:
                Log.LockTimeout(_logger, target, timeout.Message);
                break;
            case MigrationInterruptedException interrupted:
                Log.Interrupted(_logger, interrupted.MigrationId, target, interrupted.Message);
                break;
            case NpgsqlException database:
                // The server is unreachable, the login failed, the database does not exist: the messages say
                // which (never the password), and a stack trace would only bury them.
                Log.DatabaseError(_logger, target, Messages(database));
                break;
            default:
                Log.Unexpected(_logger, target, e);
                break;
        }
    }

    /// <summary>How an application lets a refused run go ahead: the option's name, as the CLI names its flag.</summary>
    private static string OptionRemedy(RefusalOverride setting) => setting switch
    {
        RefusalOverride.AllowOutOfOrder =>
            " Once it is checked, set StrataMigrationOptions.Migrator's AllowOutOfOrder (options.Migrator = options.Migrator with { AllowOutOfOrder = true }) for the deployment that applies it.",
        _ => "",
    };

    /// <summary>The failure's message without its leading "file:line: migration id failed: ", which the log entry states in its own fields.</summary>
    private static string WithoutLocation(MigrationFailedException failed)
    {
        var prefix = $"{failed.File}:{failed.Line}: migration {failed.MigrationId} failed: ";
        return failed.Message.StartsWith(prefix, StringComparison.Ordinal) ? failed.Message[prefix.Length..] : failed.Message;
    }

    private static string Messages(Exception e)
    {
        var messages = new List<string>();
        for (Exception? current = e; current is not null; current = current.InnerException)
        {
            if (!messages.Contains(current.Message))
                messages.Add(current.Message);
        }
        return string.Join(": ", messages);
    }
}
