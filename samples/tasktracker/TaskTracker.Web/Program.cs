using TaskTracker.Web;

// Migrations run at start-up (a hosted service registered first), before Kestrel takes requests.
var app = TaskTrackerApp.Create(args);
await app.RunAsync();
