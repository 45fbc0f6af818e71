using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Mvc;

namespace TaskTracker.Web;

/// <summary>The HTML pages: the project list, and a project's tasks with a form that creates one.</summary>
public static class TaskPages
{
    private static readonly HtmlEncoder Html = HtmlEncoder.Default;

    public sealed class NewTaskForm
    {
        public string? Title { get; set; }
        public string? Description { get; set; }
        public string? Priority { get; set; }
        public DateOnly? DueOn { get; set; }
    }

    public static void MapTaskPages(this IEndpointRouteBuilder app)
    {
        app.MapGet("/", async (TaskStore store, CancellationToken ct) =>
        {
            var body = new StringBuilder("<h1>Projects</h1>\n<ul>\n");
            foreach (var p in await store.ProjectsAsync(ct))
                body.Append(CultureInfo.InvariantCulture, $"<li><a href=\"/projects/{E(p.Key)}\">{E(p.Key)}: {E(p.Name)}</a> ({p.OpenTasks} open)</li>\n");
            return Page("Projects", body.Append("</ul>").ToString());
        });

        app.MapGet("/projects/{key}", async Task<IResult> (string key, HttpContext http, TaskStore store, IAntiforgery antiforgery, CancellationToken ct) =>
            await store.ProjectAsync(key, ct) is { } project
                ? Page(project.Name, await ProjectBodyAsync(project, store, antiforgery.GetAndStoreTokens(http), null, ct))
                : Results.NotFound());

        // A plain form post (with the antiforgery token the form carries), then a redirect back to the list.
        app.MapPost("/projects/{key}/tasks", async Task<IResult> (string key, [FromForm] NewTaskForm form, HttpContext http, TaskStore store,
            IAntiforgery antiforgery, CancellationToken ct) =>
        {
            if (await store.ProjectAsync(key, ct) is not { } project)
                return Results.NotFound();
            var task = new NewTask(form.Title, form.Description, form.Priority, form.DueOn, null);
            if (TaskStore.Validate(task) is { Count: > 0 } errors)
            {
                var message = string.Join(" ", errors.Values.SelectMany(e => e));
                return Page(project.Name, await ProjectBodyAsync(project, store, antiforgery.GetAndStoreTokens(http), message, ct), 400);
            }
            await store.CreateTaskAsync(project.Id, task, ct);
            return Results.Redirect($"/projects/{project.Key}", permanent: false, preserveMethod: false);
        });
    }

    private static async Task<string> ProjectBodyAsync(ProjectSummary project, TaskStore store, AntiforgeryTokenSet tokens, string? error, CancellationToken ct)
    {
        var body = new StringBuilder();
        body.Append(CultureInfo.InvariantCulture, $"<p><a href=\"/\">Projects</a></p>\n<h1>{E(project.Key)}: {E(project.Name)}</h1>\n");
        body.Append("<table id=\"tasks\">\n<thead><tr><th>#</th><th>Title</th><th>Status</th><th>Priority</th><th>Due</th><th>Assignee</th></tr></thead>\n<tbody>\n");
        foreach (var t in await store.TasksAsync(project.Id, ct))
        {
            body.Append(CultureInfo.InvariantCulture,
                $"<tr data-task-id=\"{t.Id}\"><td>{t.Id}</td><td class=\"title\">{E(t.Title)}</td><td>{E(t.Status)}</td><td class=\"priority\">{E(t.Priority)}</td>" +
                $"<td>{t.DueOn?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}</td><td>{E(t.Assignee ?? "")}</td></tr>\n");
        }
        body.Append("</tbody>\n</table>\n<h2>New task</h2>\n");
        if (error is not null)
            body.Append(CultureInfo.InvariantCulture, $"<p class=\"error\" role=\"alert\">{E(error)}</p>\n");
        body.Append(CultureInfo.InvariantCulture, $"""
            <form method="post" action="/projects/{E(project.Key)}/tasks">
              <input type="hidden" name="{E(tokens.FormFieldName)}" value="{E(tokens.RequestToken ?? "")}">
              <label>Title <input name="title" id="title" required maxlength="200"></label>
              <label>Priority <select name="priority" id="priority">

            """);
        foreach (var priority in TaskStore.Priorities)
            body.Append(CultureInfo.InvariantCulture, $"    <option{(priority == "normal" ? " selected" : "")}>{priority}</option>\n");
        body.Append("""
              </select></label>
              <label>Due <input type="date" name="dueOn" id="dueOn"></label>
              <label>Description <textarea name="description" id="description"></textarea></label>
              <button type="submit">Create task</button>
            </form>
            """);
        return body.ToString();
    }

    private static IResult Page(string title, string body, int status = 200) =>
        Results.Content($$"""
            <!doctype html>
            <html lang="en">
            <head><meta charset="utf-8"><title>{{E(title)}} · Task tracker</title>
            <style>body { font-family: sans-serif; max-width: 60rem; margin: 2rem auto } td, th { padding: .2rem .6rem; text-align: left }
            label { display: block; margin: .4rem 0 } .error { color: #b00 }</style></head>
            <body>
            {{body}}
            </body>
            </html>
            """, "text/html; charset=utf-8", Encoding.UTF8, status);

    private static string E(string text) => Html.Encode(text);
}
