using System.Diagnostics;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace TaskTracker.Tests;

/// <summary>
/// The page in a real browser: Playwright for .NET (its driver comes with the NuGet package) driving the
/// machine's Chromium, headless, against the app on Kestrel.
/// </summary>
public sealed class BrowserTests
{
    private readonly ITestOutputHelper _output;

    public BrowserTests(ITestOutputHelper output)
    {
        _output = output;
        // The default 5 s is short on a busy CI machine that runs several test projects at once; an expectation
        // waits for its condition and returns as soon as it holds, so a generous limit costs nothing.
        Assertions.SetDefaultExpectTimeout(PatienceMilliseconds);
    }

    /// <summary>How long a browser start, a page load, an action or an expectation may take on a busy 2-core CI machine: minutes, not Playwright's 30 s.</summary>
    private const float PatienceMilliseconds = 10 * 60 * 1000;

    /// <summary>Debian's chromium package; <c>CHROMIUM_PATH</c> names another.</summary>
    private static string ChromiumPath => Environment.GetEnvironmentVariable("CHROMIUM_PATH") is { Length: > 0 } path ? path : "/usr/bin/chromium";

    [Fact]
    public async Task A_task_created_through_the_page_is_listed_and_stored()
    {
        Assert.True(File.Exists(ChromiumPath), $"No Chromium at {ChromiumPath}: install it (apt-get install chromium) or set CHROMIUM_PATH.");
        var clock = Stopwatch.StartNew();
        await using var database = await TestDatabases.CreateMigratedAsync();
        await database.AddProjectAsync();
        await using var app = await RunningApp.StartAsync(database);
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new() { ExecutablePath = ChromiumPath, Headless = true, Timeout = PatienceMilliseconds });
        var page = await browser.NewPageAsync();
        page.SetDefaultTimeout(PatienceMilliseconds);
        page.SetDefaultNavigationTimeout(PatienceMilliseconds);
        var started = clock.Elapsed;

        await page.GotoAsync($"{app.Url}/projects/WEB");
        await page.FillAsync("#title", "Write the release notes");
        await page.SelectOptionAsync("#priority", "urgent");
        await page.FillAsync("#dueOn", "2030-03-01");
        await page.ClickAsync("button[type=submit]");

        // The form posts, the app redirects back to the list, which now shows the task.
        var row = page.Locator("#tasks tbody tr", new() { HasText = "Write the release notes" });
        await Assertions.Expect(row).ToHaveCountAsync(1);
        await Assertions.Expect(row.Locator(".priority")).ToHaveTextAsync("urgent");
        Assert.EndsWith("/projects/WEB", page.Url);
        Assert.Equal("Write the release notes|urgent|2030-03-01|todo|WEB", await database.ScalarAsync<string>("""
            SELECT concat_ws('|', t.title, t.priority, t.due_on, t.status, p.key) FROM tasks t JOIN projects p ON p.id = t.project_id
            """));
        _output.WriteLine($"Chromium {browser.Version}: set-up {started.TotalMilliseconds:0} ms, whole test {clock.Elapsed.TotalMilliseconds:0} ms");
    }

    [Fact]
    public async Task An_empty_title_sent_to_the_form_shows_the_error_and_stores_nothing()
    {
        await using var database = await TestDatabases.CreateMigratedAsync();
        await database.AddProjectAsync();
        await using var app = await RunningApp.StartAsync(database);
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new() { ExecutablePath = ChromiumPath, Headless = true, Timeout = PatienceMilliseconds });
        var page = await browser.NewPageAsync();
        page.SetDefaultTimeout(PatienceMilliseconds);
        page.SetDefaultNavigationTimeout(PatienceMilliseconds);
        await page.GotoAsync($"{app.Url}/projects/WEB");

        // Spaces pass the browser's `required` check; the server refuses them.
        await page.FillAsync("#title", "   ");
        await page.ClickAsync("button[type=submit]");

        await Assertions.Expect(page.Locator(".error")).ToHaveTextAsync("A title of 1 to 200 characters is required.");
        Assert.Equal(0L, await database.ScalarAsync<long>("SELECT count(*) FROM tasks"));
    }
}
