using Npgsql;

namespace TaskTracker.Web;

public sealed record ProjectSummary(long Id, string Key, string Name, long OpenTasks, long AllTasks);

public sealed record TaskItem(
    long Id, string Title, string? Description, string Status, string Priority, DateOnly? DueOn, string? Assignee, DateTime CreatedAt);

public sealed record NewTask(string? Title, string? Description, string? Priority, DateOnly? DueOn, string? AssigneeEmail);

public sealed record CommentItem(long Id, string Author, string Body, DateTime CreatedAt);

/// <summary>The app's queries, plain SQL through the NpgsqlDataSource.</summary>
public sealed class TaskStore(NpgsqlDataSource db)
{
    public static readonly IReadOnlyList<string> Priorities = ["low", "normal", "high", "urgent"];

    public async Task<IReadOnlyList<ProjectSummary>> ProjectsAsync(CancellationToken ct)
    {
        await using var command = db.CreateCommand("""
            SELECT p.id, p.key, p.name, c.open_tasks, c.all_tasks
            FROM projects p JOIN project_task_counts c ON c.project_id = p.id
            WHERE p.archived_at IS NULL ORDER BY p.key
            """);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var projects = new List<ProjectSummary>();
        while (await reader.ReadAsync(ct))
            projects.Add(new ProjectSummary(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetInt64(3), reader.GetInt64(4)));
        return projects;
    }

    public async Task<ProjectSummary?> ProjectAsync(string key, CancellationToken ct) =>
        (await ProjectsAsync(ct)).FirstOrDefault(p => p.Key == key.ToUpperInvariant());

    /// <summary>The project's tasks, open ones first, by priority and due date.</summary>
    public async Task<IReadOnlyList<TaskItem>> TasksAsync(long projectId, CancellationToken ct)
    {
        await using var command = db.CreateCommand("""
            SELECT t.id, t.title, t.description, t.status::text, t.priority::text, t.due_on, u.display_name, t.created_at
            FROM tasks t LEFT JOIN users u ON u.id = t.assignee_id
            WHERE t.project_id = $1
            ORDER BY t.status = 'done', t.priority DESC, t.due_on NULLS LAST, t.id
            """);
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = projectId });
        await using var reader = await command.ExecuteReaderAsync(ct);
        var tasks = new List<TaskItem>();
        while (await reader.ReadAsync(ct))
        {
            tasks.Add(new TaskItem(
                reader.GetInt64(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2), reader.GetString(3), reader.GetString(4),
                reader.IsDBNull(5) ? null : reader.GetFieldValue<DateOnly>(5), reader.IsDBNull(6) ? null : reader.GetString(6), reader.GetDateTime(7)));
        }
        return tasks;
    }

    /// <summary>What is wrong with a new task, by field; empty when it can be created.</summary>
    public static Dictionary<string, string[]> Validate(NewTask task)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(task.Title) || task.Title.Trim().Length > 200)
            errors["title"] = ["A title of 1 to 200 characters is required."];
        if (task.Priority is { } priority && !Priorities.Contains(priority))
            errors["priority"] = [$"The priority is one of {string.Join(", ", Priorities)}."];
        return errors;
    }

    /// <summary>Inserts a validated task; null when the assignee's e-mail address names nobody.</summary>
    public async Task<long?> CreateTaskAsync(long projectId, NewTask task, CancellationToken ct)
    {
        await using var command = db.CreateCommand("""
            INSERT INTO tasks (project_id, title, description, priority, due_on, assignee_id)
            SELECT $1, $2, $3, $4::task_priority, $5, u.id
            FROM (SELECT 1) AS one LEFT JOIN users u ON lower(u.email) = lower($6)
            WHERE $6 IS NULL OR u.id IS NOT NULL
            RETURNING id
            """);
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = projectId });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = task.Title!.Trim() });
        command.Parameters.Add(new NpgsqlParameter { Value = string.IsNullOrWhiteSpace(task.Description) ? DBNull.Value : task.Description.Trim() });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = task.Priority ?? "normal" });
        command.Parameters.Add(new NpgsqlParameter { Value = task.DueOn is { } due ? due : DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Date });
        command.Parameters.Add(new NpgsqlParameter { Value = string.IsNullOrWhiteSpace(task.AssigneeEmail) ? DBNull.Value : task.AssigneeEmail.Trim(), NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        return await command.ExecuteScalarAsync(ct) is long id ? id : null;
    }

    public async Task<IReadOnlyList<CommentItem>?> CommentsAsync(long taskId, CancellationToken ct)
    {
        await using var command = db.CreateCommand("""
            SELECT c.id, u.display_name, c.body, c.created_at
            FROM tasks t LEFT JOIN comments c ON c.task_id = t.id LEFT JOIN users u ON u.id = c.author_id
            WHERE t.id = $1 ORDER BY c.created_at, c.id
            """);
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = taskId });
        await using var reader = await command.ExecuteReaderAsync(ct);
        var comments = new List<CommentItem>();
        var taskExists = false;
        while (await reader.ReadAsync(ct))
        {
            taskExists = true;
            if (!reader.IsDBNull(0))
                comments.Add(new CommentItem(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetDateTime(3)));
        }
        return taskExists ? comments : null;
    }

    /// <summary>Adds a comment; null when the task or the author does not exist.</summary>
    public async Task<long?> AddCommentAsync(long taskId, string authorEmail, string body, CancellationToken ct)
    {
        await using var command = db.CreateCommand("""
            INSERT INTO comments (task_id, author_id, body)
            SELECT t.id, u.id, $3 FROM tasks t, users u WHERE t.id = $1 AND lower(u.email) = lower($2)
            RETURNING id
            """);
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = taskId });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = authorEmail });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = body });
        return await command.ExecuteScalarAsync(ct) is long id ? id : null;
    }
}
