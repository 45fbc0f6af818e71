using Strata.Postgres.Seeding;

namespace Strata.Tests.Seeding;

public class SeedLocationTests
{
    [Fact]
    public void A_folder_gives_its_sql_files_in_ordinal_name_order_and_nothing_else()
    {
        var root = Directory.CreateTempSubdirectory("strata-seed-").FullName;
        try
        {
            var seeds = Directory.CreateDirectory(Path.Combine(root, "db", "seeds")).FullName;
            foreach (var name in new[] { "10_tasks.sql", "02_users.sql", "B.sql", "a.sql", "notes.txt" })
                File.WriteAllText(Path.Combine(seeds, name), "SELECT 1;");

            var location = SeedLocation.Find("db/seeds", root);

            Assert.Equal(SeedKind.Folder, location.Kind);
            Assert.Equal(seeds, location.Folder);
            Assert.Equal(["02_users.sql", "10_tasks.sql", "B.sql", "a.sql"], location.Files.Select(Path.GetFileName));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Theory]
    [InlineData("db/seeds", SeedKind.MissingFolder)]
    [InlineData("seed.sql", SeedKind.MissingFolder)]
    [InlineData(@"db\seeds", SeedKind.MissingFolder)]
    [InlineData("App.Schema.DevelopmentSeed", SeedKind.SeederClass)]
    public void A_setting_that_is_no_folder_is_a_missing_folder_when_it_looks_like_a_path_else_a_seeder_class(string setting, SeedKind kind)
    {
        var root = Directory.CreateTempSubdirectory("strata-seed-").FullName;
        try
        {
            var location = SeedLocation.Find(setting, root);

            Assert.Equal(kind, location.Kind);
            Assert.Empty(location.Files);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
