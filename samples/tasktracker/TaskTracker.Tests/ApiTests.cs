using System.Net;
using System.Net.Http.Json;
using Npgsql;
using Strata.Testing;
using TaskTracker.Web;

namespace TaskTracker.Tests;

/// <summary>The JSON API on the real app, each test with a database of its own.</summary>
public sealed class ApiTests : IAsyncLifetime
{
    private TestDatabase _database = null!;
    private RunningApp _app = null!;

    public async Task InitializeAsync()
    {
        _database = await TestDatabases.CreateMigratedAsync();
        await _database.AddProjectAsync();
        _app = await RunningApp.StartAsync(_database);
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        await _database.DisposeAsync();
    }

    [Fact]
    public async Task Creating_a_task_stores_it_with_its_priority_due_date_and_assignee()
    {
        var response = await _app.Http.PostAsJsonAsync("/api/projects/web/tasks",
            new NewTask("Write the release notes", "For 2.0", "high", new DateOnly(2030, 3, 1), "Grace@Example.com"));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var row = await _database.ScalarAsync<string>("""
            SELECT concat_ws('|', t.title, t.description, t.status, t.priority, t.due_on, u.email, p.key)
            FROM tasks t JOIN projects p ON p.id = t.project_id JOIN users u ON u.id = t.assignee_id
            """);
        Assert.Equal("Write the release notes|For 2.0|todo|high|2030-03-01|grace@example.com|WEB", row);
        Assert.Equal($"/api/tasks/{await _database.ScalarAsync<long>("SELECT id FROM tasks")}", response.Headers.Location?.ToString());
    }

    [Fact]
    public async Task The_task_list_puts_open_tasks_first_by_priority_and_counts_them_per_project()
    {
        await _database.ExecuteAsync("""
            INSERT INTO tasks (project_id, title, priority, status, completed_at)
            SELECT p.id, v.title, v.priority::task_priority, v.status::task_status, CASE WHEN v.status = 'done' THEN now() END
            FROM projects p, (VALUES ('finished', 'urgent', 'done'), ('later', 'low', 'todo'), ('now', 'urgent', 'in_progress')) AS v (title, priority, status)
            """);

        var tasks = await _app.GetJsonAsync<List<TaskItem>>("/api/projects/WEB/tasks");
        var projects = await _app.GetJsonAsync<List<ProjectSummary>>("/api/projects");

        Assert.Equal(["now", "later", "finished"], tasks.Select(t => t.Title));
        Assert.Equal(["in_progress", "todo", "done"], tasks.Select(t => t.Status));
        Assert.Equal(("WEB", 2L, 3L), (projects.Single().Key, projects.Single().OpenTasks, projects.Single().AllTasks));
    }

    [Theory]
    [InlineData("", "normal", "title")]
    [InlineData("Fine title", "whenever", "priority")]
    public async Task An_invalid_task_is_refused_with_400_and_nothing_is_stored(string title, string priority, string field)
    {
        var response = await _app.Http.PostAsJsonAsync("/api/projects/WEB/tasks", new NewTask(title, null, priority, null, null));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains($"\"{field}\"", await response.Content.ReadAsStringAsync());
        Assert.Equal(0L, await _database.ScalarAsync<long>("SELECT count(*) FROM tasks"));
    }

    [Fact]
    public async Task Tasks_of_an_unknown_project_or_for_an_unknown_assignee_are_not_created()
    {
        var unknownProject = await _app.Http.PostAsJsonAsync("/api/projects/NOPE/tasks", new NewTask("A task", null, null, null, null));
        var unknownUser = await _app.Http.PostAsJsonAsync("/api/projects/WEB/tasks", new NewTask("A task", null, null, null, "nobody@example.com"));

        Assert.Equal(HttpStatusCode.NotFound, unknownProject.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, unknownUser.StatusCode);
        Assert.Equal(0L, await _database.ScalarAsync<long>("SELECT count(*) FROM tasks"));
    }

    [Fact]
    public async Task Comments_are_added_to_a_task_and_listed_with_their_author()
    {
        var created = await _app.Http.PostAsJsonAsync("/api/projects/WEB/tasks", new NewTask("Discuss", null, null, null, null));
        var location = created.Headers.Location!.ToString();

        var comment = await _app.Http.PostAsJsonAsync($"{location}/comments", new NewComment("grace@example.com", "Looks good."));
        var onUnknownTask = await _app.Http.PostAsJsonAsync("/api/tasks/999999/comments", new NewComment("grace@example.com", "Lost."));

        Assert.Equal(HttpStatusCode.Created, comment.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, onUnknownTask.StatusCode);
        var comments = await _app.GetJsonAsync<List<CommentItem>>($"{location}/comments");
        Assert.Equal(("Grace", "Looks good."), (comments.Single().Author, comments.Single().Body));
    }

    [Fact]
    public async Task The_schema_enforces_its_foreign_key_actions_and_checks()
    {
        await _app.Http.PostAsJsonAsync("/api/projects/WEB/tasks", new NewTask("Doomed", null, null, null, "grace@example.com"));

        // A task marked done without completed_at breaks tasks_completed_check.
        var check = await Assert.ThrowsAsync<PostgresException>(() => _database.ExecuteAsync("UPDATE tasks SET status = 'done'"));
        Assert.Equal(("23514", "tasks_completed_check"), (check.SqlState, check.ConstraintName));
        // The owner of a project cannot be deleted (ON DELETE RESTRICT) ...
        var restrict = await Assert.ThrowsAsync<PostgresException>(() => _database.ExecuteAsync("DELETE FROM users WHERE email = 'ada@example.com'"));
        Assert.Equal(("23503", "projects_owner_id_fkey"), (restrict.SqlState, restrict.ConstraintName));
        // ... an assignee can: the task stays, unassigned (ON DELETE SET NULL) ...
        await _database.ExecuteAsync("DELETE FROM users WHERE email = 'grace@example.com'");
        Assert.Equal(1L, await _database.ScalarAsync<long>("SELECT count(*) FROM tasks WHERE assignee_id IS NULL"));
        // ... and a deleted project takes its tasks with it (ON DELETE CASCADE).
        await _database.ExecuteAsync("DELETE FROM projects");
        Assert.Equal(0L, await _database.ScalarAsync<long>("SELECT count(*) FROM tasks"));
    }
}
