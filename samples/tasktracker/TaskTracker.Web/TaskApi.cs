namespace TaskTracker.Web;

public sealed record NewComment(string? AuthorEmail, string? Body);

/// <summary>The JSON API under /api.</summary>
public static class TaskApi
{
    public static void MapTaskApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api");

        api.MapGet("/projects", (TaskStore store, CancellationToken ct) => store.ProjectsAsync(ct));

        api.MapGet("/projects/{key}/tasks", async Task<IResult> (string key, TaskStore store, CancellationToken ct) =>
            await store.ProjectAsync(key, ct) is { } project
                ? Results.Ok(await store.TasksAsync(project.Id, ct))
                : Results.NotFound());

        api.MapPost("/projects/{key}/tasks", async Task<IResult> (string key, NewTask task, TaskStore store, CancellationToken ct) =>
        {
            if (await store.ProjectAsync(key, ct) is not { } project)
                return Results.NotFound();
            if (TaskStore.Validate(task) is { Count: > 0 } errors)
                return Results.ValidationProblem(errors);
            return await store.CreateTaskAsync(project.Id, task, ct) is { } id
                ? Results.Created($"/api/tasks/{id}", new { id })
                : Results.ValidationProblem(new Dictionary<string, string[]> { ["assigneeEmail"] = ["No user has this e-mail address."] });
        });

        api.MapGet("/tasks/{id:long}/comments", async Task<IResult> (long id, TaskStore store, CancellationToken ct) =>
            await store.CommentsAsync(id, ct) is { } comments ? Results.Ok(comments) : Results.NotFound());

        api.MapPost("/tasks/{id:long}/comments", async Task<IResult> (long id, NewComment comment, TaskStore store, CancellationToken ct) =>
        {
            if (string.IsNullOrWhiteSpace(comment.Body) || string.IsNullOrWhiteSpace(comment.AuthorEmail))
                return Results.ValidationProblem(new Dictionary<string, string[]> { ["body"] = ["An author and a body are required."] });
            return await store.AddCommentAsync(id, comment.AuthorEmail, comment.Body, ct) is { } commentId
                ? Results.Created($"/api/tasks/{id}/comments", new { id = commentId })
                : Results.NotFound();
        });
    }
}
