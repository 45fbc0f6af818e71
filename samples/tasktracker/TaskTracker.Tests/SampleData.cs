using Strata.Testing;

namespace TaskTracker.Tests;

public static class SampleData
{
    /// <summary>Users ada@ (owner of WEB) and grace@, and the project WEB with no tasks.</summary>
    public static Task AddProjectAsync(this TestDatabase database) =>
        database.ExecuteAsync("""
            INSERT INTO users (email, display_name) VALUES ('ada@example.com', 'Ada'), ('grace@example.com', 'Grace');
            INSERT INTO projects (key, name, owner_id) SELECT 'WEB', 'Website', id FROM users WHERE email = 'ada@example.com';
            """);
}
