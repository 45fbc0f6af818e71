INSERT INTO projects (key, name, owner_id)
SELECT v.key, v.name, u.id
FROM (VALUES ('WEB', 'Website relaunch', 'ada@example.com'),
             ('OPS', 'Operations', 'grace@example.com')) AS v (key, name, owner_email)
JOIN users u ON lower(u.email) = v.owner_email
ON CONFLICT (key) DO NOTHING;
