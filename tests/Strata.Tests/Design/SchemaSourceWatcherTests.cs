using Strata.Design.SchemaSource;

namespace Strata.Tests.Design;

/// <summary>How a watch turns file events into saves (<see cref="SaveCoalescer"/>) and which events count (<see cref="WatchScope"/>).</summary>
public sealed class SchemaSourceWatcherTests
{
    private static readonly TimeSpan Quiet = TimeSpan.FromMilliseconds(40);

    private static TimeSpan Ms(int milliseconds) => TimeSpan.FromMilliseconds(milliseconds);

    [Fact]
    public void Nothing_is_due_before_an_event()
    {
        var coalescer = new SaveCoalescer(Quiet);

        Assert.Null(coalescer.Remaining(Ms(1000)));
        Assert.False(coalescer.HasPending);
    }

    [Fact]
    public void An_editors_two_writes_of_one_save_are_one_batch_due_a_quiet_period_after_the_last()
    {
        var coalescer = new SaveCoalescer(Quiet);
        coalescer.Add("/p/Schema.cs", WatchedChange.Source, Ms(100), timestamp: 7);
        Assert.Equal(Ms(30), coalescer.Remaining(Ms(110)));

        coalescer.Add("/p/Schema.cs", WatchedChange.Source, Ms(130), timestamp: 9);
        Assert.Equal(Ms(40), coalescer.Remaining(Ms(130)));
        Assert.Equal(Ms(10), coalescer.Remaining(Ms(160)));
        Assert.Equal(TimeSpan.Zero, coalescer.Remaining(Ms(170)));
        Assert.Equal(TimeSpan.Zero, coalescer.Remaining(Ms(500)));

        var batch = coalescer.Take();
        Assert.Equal(["/p/Schema.cs"], batch.Paths);
        Assert.True(batch.Sources);
        Assert.False(batch.Migrations);
        // The save's time is its first event's: the feedback is measured from the first write.
        Assert.Equal(7, batch.FirstTimestamp);
        Assert.Null(coalescer.Remaining(Ms(500)));
    }

    [Fact]
    public void A_batch_says_whether_sources_and_the_migrations_folder_changed()
    {
        var coalescer = new SaveCoalescer(Quiet);
        coalescer.Add("/p/db/migrations/0001_a/up.sql", WatchedChange.Migrations, Ms(0), 1);
        coalescer.Add("/p/Schema.cs", WatchedChange.Source, Ms(5), 2);

        var batch = coalescer.Take();

        Assert.True(batch.Sources);
        Assert.True(batch.Migrations);
        Assert.Equal(2, batch.Paths.Count);
        var next = new SaveCoalescer(Quiet);
        next.Add("/p/db/migrations/strata.sum", WatchedChange.Migrations, Ms(0), 1);
        Assert.False(next.Take().Sources);
    }

    private static WatchScope Scope() => new("/repo/App.Schema", "/repo/db/migrations", [new WatchedFolder("/repo/Shared", Recursive: false)]);

    [Theory]
    [InlineData("/repo/App.Schema/AppSchema.cs", WatchedChange.Source)]
    [InlineData("/repo/App.Schema/Tables/Users.cs", WatchedChange.Source)]
    [InlineData("/repo/App.Schema/App.Schema.csproj", WatchedChange.Source)]
    [InlineData("/repo/App.Schema/Directory.Build.props", WatchedChange.Source)]
    [InlineData("/repo/Shared/Naming.cs", WatchedChange.Source)]
    [InlineData("/repo/db/migrations/0000_init/up.sql", WatchedChange.Migrations)]
    [InlineData("/repo/db/migrations/strata.sum", WatchedChange.Migrations)]
    [InlineData("/repo/db/migrations", WatchedChange.Migrations)]
    [InlineData("/repo/App.Schema/obj/Debug/net10.0/App.Schema.AssemblyInfo.cs", null)]
    [InlineData("/repo/App.Schema/bin/Debug/net10.0/App.Schema.dll", null)]
    [InlineData("/repo/App.Schema/.vs/x.cs", null)]
    [InlineData("/repo/App.Schema/AppSchema.cs~", null)]
    [InlineData("/repo/App.Schema/.AppSchema.cs.swp", null)]
    [InlineData("/repo/App.Schema/notes.txt", null)]
    [InlineData("/elsewhere/Other.cs", null)]
    public void What_an_event_means(string path, WatchedChange? expected) =>
        Assert.Equal(expected, Scope().Classify(path));

    [Fact]
    public void The_project_and_migrations_folders_are_watched_with_their_subfolders_and_a_referenced_projects_folder_alone()
    {
        var scope = Scope();

        Assert.Contains(new WatchedFolder("/repo/App.Schema", true), scope.Folders);
        Assert.Contains(new WatchedFolder("/repo/Shared", false), scope.Folders);
        // Not created yet: the nearest folder above that exists, to see it appear.
        Assert.DoesNotContain(scope.Folders, f => f.Path == "/repo/db/migrations");
    }
}
