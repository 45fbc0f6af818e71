using System.Net.Http.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Strata.Testing;
using TaskTracker.Web;

namespace TaskTracker.Tests;

/// <summary>The real app on Kestrel, on a free port of 127.0.0.1, connected to a test database.</summary>
public sealed class RunningApp : IAsyncDisposable
{
    private readonly WebApplication _app;

    private RunningApp(WebApplication app, string url)
    {
        _app = app;
        Url = url;
        // HttpClient gives up after 100 s by default; a request to an app on a loaded CI machine is given minutes.
        Http = new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromMinutes(10) };
    }

    /// <summary>http://127.0.0.1:port</summary>
    public string Url { get; }

    public HttpClient Http { get; }

    /// <summary>Builds and starts the app; the start applies the migrations the database lacks.</summary>
    public static async Task<RunningApp> StartAsync(TestDatabase database)
    {
        var app = TaskTrackerApp.Create([], builder =>
        {
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["ConnectionStrings:TaskTracker"] = database.ConnectionString,
                ["DATABASE_URL"] = null,
                ["DIRECT_DATABASE_URL"] = null,
                ["Logging:LogLevel:Default"] = "Warning",
            });
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return new RunningApp(app, address);
    }

    public async Task<T> GetJsonAsync<T>(string path) =>
        await Http.GetFromJsonAsync<T>(path) ?? throw new InvalidOperationException($"GET {path} returned null");

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
