using System.Reflection;
using System.Text;
using Strata.Hosting.TestApp;
using Strata.Postgres.Migrations;

namespace Strata.Tests.Migrations;

public class EmbeddedMigrationSourceTests
{
    private const string Prefix = "strata/migrations/";

    /// <summary>Strata.Hosting.TestApp embeds its db/migrations folder with the EmbeddedResource item of docs/application-startup.md.</summary>
    private static readonly Assembly App = typeof(TestApp).Assembly;

    private static EmbeddedMigrationSource InMemory(IEnumerable<KeyValuePair<string, string>> resources, string prefix = Prefix) =>
        new($"assembly InMemory, resources {prefix}", prefix,
            resources.Select(r => KeyValuePair.Create(r.Key, (Func<Stream>)(() => new MemoryStream(Encoding.UTF8.GetBytes(r.Value))))).ToList());

    private static EmbeddedMigrationSource InMemory(params (string Name, string Text)[] resources) =>
        InMemory(resources.Select(r => KeyValuePair.Create(r.Name, r.Text)));

    /// <summary>The test app's real resources as (name, text), to edit one before building a source over them.</summary>
    private static Dictionary<string, string> AppResources() =>
        App.GetManifestResourceNames().ToDictionary(name => name, name =>
        {
            using var reader = new StreamReader(App.GetManifestResourceStream(name)!);
            return reader.ReadToEnd();
        });

    /// <summary>A strata.sum over the given (relative path, text) files, as `strata hash` writes it.</summary>
    private static string SumOf(params (string File, string Text)[] files) =>
        new StrataSum(files.Select(f => KeyValuePair.Create(f.File, StrataSum.Hash(f.Text)))).Render();

    [Fact]
    public void The_documented_msbuild_item_embeds_the_scripts_and_the_sum_under_the_default_prefix()
    {
        Assert.Equal(
            [
                "strata/migrations/0000_users/down.sql", "strata/migrations/0000_users/up.sql",
                "strata/migrations/0001_posts/down.sql", "strata/migrations/0001_posts/up.sql",
                "strata/migrations/0002_user_names/down.sql", "strata/migrations/0002_user_names/up.sql",
                "strata/migrations/strata.sum",
            ],
            App.GetManifestResourceNames().Select(n => n.Replace('\\', '/')).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task An_assemblys_resources_give_the_ids_in_order_and_the_scripts_named_as_resources()
    {
        var source = MigrationSource.FromAssembly(App);

        Assert.Equal("assembly Strata.Hosting.TestApp, resources strata/migrations/", source.Location);
        Assert.Equal(TestApp.MigrationIds, source.Ids);
        var scripts = await source.ReadAsync("0001_posts");
        Assert.Equal("0001_posts", scripts.Id);
        Assert.StartsWith("CREATE TABLE app.posts (\n", await scripts.ReadUpTextAsync());
        Assert.Equal("DROP TABLE app.posts;\n", scripts.DownSql);
        Assert.Equal("resource:strata/migrations/0001_posts/up.sql", scripts.UpFile);
        Assert.Equal("resource:strata/migrations/0001_posts/down.sql", scripts.DownFile);
    }

    [Fact]
    public async Task An_assemblys_embedded_migrations_match_their_sum_though_the_sum_lists_snapshots_that_are_not_embedded()
    {
        var sum = AppResources()["strata/migrations/strata.sum"];
        Assert.Contains("0000_users/snapshot.json h1:", sum);

        Assert.Empty(await MigrationSource.FromAssembly(App).VerifySumAsync());
    }

    [Fact]
    public async Task An_edited_embedded_script_is_a_sum_problem_naming_the_file()
    {
        var resources = AppResources();
        var original = resources["strata/migrations/0001_posts/up.sql"];
        resources["strata/migrations/0001_posts/up.sql"] = original.Replace("title text NOT NULL", "title text");

        var problem = Assert.Single(await InMemory(resources).VerifySumAsync());

        Assert.Equal(SumProblemKind.Modified, problem.Kind);
        Assert.Equal("0001_posts/up.sql", problem.File);
        Assert.Equal(StrataSum.Hash(original), problem.RecordedHash);
    }

    [Fact]
    public async Task A_hand_edited_embedded_sum_is_found_although_its_snapshot_lines_are_not_compared()
    {
        var resources = AppResources();
        var sum = resources["strata/migrations/strata.sum"];
        resources["strata/migrations/strata.sum"] = sum.Replace("0000_users/snapshot.json h1:", "0000_users/snapshot.json h1:x");

        var problem = Assert.Single(await InMemory(resources).VerifySumAsync());

        Assert.Equal(SumProblemKind.SumEdited, problem.Kind);
    }

    [Fact]
    public async Task A_migration_listed_in_the_sum_but_not_embedded_is_missing_and_one_not_listed_is_reported_too()
    {
        var resources = AppResources();
        resources.Remove("strata/migrations/0002_user_names/up.sql");
        resources["strata/migrations/0003_extra/up.sql"] = "SELECT 1;\n";

        var problems = await InMemory(resources).VerifySumAsync();

        Assert.Equal(
            [(SumProblemKind.Missing, "0002_user_names/up.sql"), (SumProblemKind.NotInSum, "0003_extra/up.sql")],
            problems.Select(p => (p.Kind, p.File)));
    }

    [Fact]
    public async Task When_some_snapshots_are_embedded_every_recorded_snapshot_is_compared()
    {
        var source = InMemory(
            ("strata/migrations/0000_a/up.sql", "SELECT 1;\n"),
            ("strata/migrations/0000_a/snapshot.json", "{}\n"),
            ("strata/migrations/0001_b/up.sql", "SELECT 2;\n"),
            ("strata/migrations/strata.sum", SumOf(
                ("0000_a/up.sql", "SELECT 1;\n"), ("0000_a/snapshot.json", "{}\n"),
                ("0001_b/up.sql", "SELECT 2;\n"), ("0001_b/snapshot.json", "{}\n"))));

        var problem = Assert.Single(await source.VerifySumAsync());

        Assert.Equal((SumProblemKind.Missing, "0001_b/snapshot.json"), (problem.Kind, problem.File));
    }

    [Fact]
    public async Task Without_an_embedded_sum_every_embedded_file_is_not_in_the_sum()
    {
        var source = InMemory(("strata/migrations/0000_a/up.sql", "SELECT 1;\n"), ("strata/migrations/0000_a/down.sql", ""));

        var problems = await source.VerifySumAsync();

        Assert.Equal(["0000_a/down.sql", "0000_a/up.sql"], problems.Select(p => p.File));
        Assert.All(problems, p => Assert.Equal(SumProblemKind.NotInSum, p.Kind));
        Assert.Empty(await InMemory().VerifySumAsync());
    }

    [Fact]
    public async Task Backslashes_of_a_windows_build_are_read_as_folder_separators()
    {
        var source = InMemory(
            ("strata/migrations/0000_a\\up.sql", "SELECT 1;\n"),
            ("strata/migrations/strata.sum", SumOf(("0000_a/up.sql", "SELECT 1;\n"))));

        Assert.Equal(["0000_a"], source.Ids);
        Assert.Equal("resource:strata/migrations/0000_a/up.sql", (await source.ReadAsync("0000_a")).UpFile);
        Assert.Empty(await source.VerifySumAsync());
    }

    [Fact]
    public void Ids_are_in_ordinal_order_and_resources_outside_the_migration_folders_are_ignored()
    {
        var source = InMemory(
            ("strata/migrations/20250101120000_c/up.sql", ""),
            ("strata/migrations/0001_b/up.sql", ""),
            ("strata/migrations/0000_a/up.sql", ""),
            ("strata/migrations/0000_a/down.sql", ""),
            ("strata/migrations/README.md", ""),
            ("strata/migrations/.git/config", ""),
            ("MyApp.Properties.Resources.resources", ""),
            ("other/0009_x/up.sql", ""));

        Assert.Equal(["0000_a", "0001_b", "20250101120000_c"], source.Ids);
    }

    [Fact]
    public void A_resource_in_a_folder_that_is_not_a_migration_id_is_an_error_naming_the_resource()
    {
        var error = Assert.Throws<MigrationFileException>(() => InMemory(
            ("strata/migrations/0000_a/up.sql", ""),
            ("strata/migrations/seed/data.sql", "")));

        Assert.Equal("resource:strata/migrations/seed/data.sql", error.File);
        Assert.Contains("0001_add_users", error.Problem);
        Assert.Contains("EmbeddedResource", error.Problem);
    }

    [Fact]
    public async Task A_migration_without_down_sql_has_none_and_one_without_up_sql_cannot_be_read()
    {
        var source = InMemory(("strata/migrations/0000_a/up.sql", "SELECT 1;\n"), ("strata/migrations/0001_b/down.sql", "SELECT 2;\n"));

        Assert.Null((await source.ReadAsync("0000_a")).DownSql);
        var error = await Assert.ThrowsAsync<MigrationFileException>(() => source.ReadAsync("0001_b"));
        Assert.Equal("resource:strata/migrations/0001_b/up.sql", error.File);
    }

    [Fact]
    public async Task A_custom_prefix_selects_its_own_resources()
    {
        var source = InMemory(
            [
                KeyValuePair.Create("tenant/db/0000_a/up.sql", "SELECT 1;\n"),
                KeyValuePair.Create("strata/migrations/0000_other/up.sql", "SELECT 2;\n"),
            ],
            "tenant/db/");

        Assert.Equal(["0000_a"], source.Ids);
        Assert.Equal("resource:tenant/db/0000_a/up.sql", (await source.ReadAsync("0000_a")).UpFile);
        Assert.Empty(MigrationSource.FromAssembly(App, "tenant/db/").Ids);
    }
}
