namespace Strata.Hosting.TestApp;

/// <summary>Names this assembly for <c>MigrationSource.FromAssembly(typeof(TestApp).Assembly)</c>.</summary>
public static class TestApp
{
    /// <summary>The migration ids embedded under db/migrations, in the order they apply.</summary>
    public static readonly IReadOnlyList<string> MigrationIds = ["0000_users", "0001_posts", "0002_user_names"];
}
