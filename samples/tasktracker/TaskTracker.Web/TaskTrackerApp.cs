using Npgsql;

namespace TaskTracker.Web;

/// <summary>Builds the app: configuration, the database, start-up migrations, the API and the page.</summary>
public static class TaskTrackerApp
{
    public static WebApplication Create(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        configure?.Invoke(builder);

        var connection = DatabaseSettings.ConnectionString(builder.Configuration);
        var direct = DatabaseSettings.DirectConnectionString(builder.Configuration);

        // First, so that the schema is up to date before anything else starts (see docs/application-startup.md).
        builder.Services.AddStrataMigrations(o =>
        {
            // Without a direct connection the migrations use the NpgsqlDataSource registered below.
            o.ConnectionString = direct;
            o.FromAssembly(typeof(TaskTrackerApp).Assembly);
        });
        builder.Services.AddNpgsqlDataSource(connection);
        builder.Services.AddSingleton<TaskStore>();
        builder.Services.AddAntiforgery();
        builder.Services.AddProblemDetails();

        var app = builder.Build();
        app.UseAntiforgery();
        app.MapTaskApi();
        app.MapTaskPages();
        return app;
    }
}

/// <summary>
/// Where the database is: <c>ConnectionStrings:TaskTracker</c> (an Npgsql keyword string, e.g. from
/// appsettings or <c>ConnectionStrings__TaskTracker</c>), else <c>DATABASE_URL</c> (a postgres:// URL, as
/// <c>strata dev url</c> prints and hosting providers set). Migrations use <c>DIRECT_DATABASE_URL</c> when set
/// (the server itself when DATABASE_URL goes through a transaction pooler), like strata.json's directUrl.
/// </summary>
public static class DatabaseSettings
{
    public static string ConnectionString(IConfiguration configuration) =>
        configuration.GetConnectionString("TaskTracker") is { Length: > 0 } keywords ? keywords
        : configuration["DATABASE_URL"] is { Length: > 0 } url ? FromUrl(url, "DATABASE_URL")
        : throw new InvalidOperationException(
            "No database configured: set ConnectionStrings:TaskTracker (e.g. ConnectionStrings__TaskTracker=\"Host=…;Database=…\") " +
            "or DATABASE_URL (e.g. export DATABASE_URL=$(dotnet strata dev url) for the local development database).");

    public static string? DirectConnectionString(IConfiguration configuration) =>
        configuration["DIRECT_DATABASE_URL"] is { Length: > 0 } url ? FromUrl(url, "DIRECT_DATABASE_URL") : null;

    /// <summary><c>postgres://user:password@host:port/database?sslmode=require</c> as an Npgsql keyword string.</summary>
    public static string FromUrl(string url, string setting)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("postgres" or "postgresql"))
            throw new InvalidOperationException($"{setting} is not a postgres://user:password@host:port/database URL.");
        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = uri.Host,
            Port = uri.IsDefaultPort || uri.Port <= 0 ? 5432 : uri.Port,
            Database = Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/')),
        };
        var user = uri.UserInfo.Split(':', 2);
        if (user[0].Length > 0)
            builder.Username = Uri.UnescapeDataString(user[0]);
        if (user.Length == 2)
            builder.Password = Uri.UnescapeDataString(user[1]);
        foreach (var pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var (key, value) = pair.Split('=', 2) is [var k, var v] ? (k, Uri.UnescapeDataString(v)) : (pair, "");
            if (key.Equals("sslmode", StringComparison.OrdinalIgnoreCase))
                builder.SslMode = Enum.Parse<SslMode>(value.Replace("-", ""), ignoreCase: true);
            else
                throw new InvalidOperationException($"{setting}: the URL parameter '{key}' is not understood (only sslmode is).");
        }
        return builder.ConnectionString;
    }
}
