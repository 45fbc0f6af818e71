-- Development data: safe to run again (existing rows are left alone).
INSERT INTO users (email, display_name) VALUES
    ('ada@example.com', 'Ada Lovelace'),
    ('grace@example.com', 'Grace Hopper'),
    ('linus@example.com', 'Linus Torvalds')
ON CONFLICT (lower(email)) DO NOTHING;
