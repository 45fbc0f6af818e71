-- Tasks have no natural key: a task is added only when its project has none with the same title.
INSERT INTO tasks (project_id, title, status, priority, due_on, assignee_id, completed_at)
SELECT p.id, v.title, v.status::task_status, v.priority::task_priority, v.due_on, u.id,
       CASE WHEN v.status = 'done' THEN now() END
FROM (VALUES ('WEB', 'Draft the landing page', 'in_progress', 'high', DATE '2030-01-15', 'ada@example.com'),
             ('WEB', 'Choose a font', 'done', 'low', NULL, 'linus@example.com'),
             ('WEB', 'Set up the staging site', 'todo', 'normal', DATE '2030-02-01', NULL),
             ('OPS', 'Rotate the database password', 'todo', 'urgent', DATE '2030-01-05', 'grace@example.com'))
     AS v (project_key, title, status, priority, due_on, assignee_email)
JOIN projects p ON p.key = v.project_key
LEFT JOIN users u ON lower(u.email) = v.assignee_email
WHERE NOT EXISTS (SELECT 1 FROM tasks t WHERE t.project_id = p.id AND t.title = v.title);

INSERT INTO comments (task_id, author_id, body)
SELECT t.id, u.id, 'Keep it short: one screen, one call to action.'
FROM tasks t JOIN projects p ON p.id = t.project_id, users u
WHERE p.key = 'WEB' AND t.title = 'Draft the landing page' AND u.email = 'grace@example.com'
  AND NOT EXISTS (SELECT 1 FROM comments c WHERE c.task_id = t.id);
