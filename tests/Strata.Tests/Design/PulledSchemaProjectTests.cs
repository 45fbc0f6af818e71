using Strata.Design.Scaffolding;
using Strata.Design.SchemaSource;
using Strata.Dsl;
using Strata.Model;
using Strata.Postgres.Configuration;
using Strata.Postgres.Migrations;

namespace Strata.Tests.Design;

/// <summary>The files strata pull writes into a project: the schema project's C#, init's example removed, the baseline.</summary>
public sealed class PulledSchemaProjectTests : IDisposable
{
    private static readonly StrataReference Package = new(null, "0.1.0", "referencing the Strata package 0.1.0");

    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("strata-pulled-");

    public void Dispose() => _root.Delete(recursive: true);

    private static DatabaseModel Users()
    {
        var db = new SchemaBuilder();
        db.Table("users", t =>
        {
            t.Column("id", Types.BigInt).Identity().PrimaryKey();
            t.Column("email", Types.Text).NotNull();
        });
        return db.Build();
    }

    /// <summary>A project as strata init leaves it, named App.</summary>
    private async Task<(StrataConfig Config, SchemaProject Project)> InitAsync()
    {
        await ProjectScaffold.WriteAsync(_root.FullName, ProjectScaffold.PlanIn(_root.FullName, "App", Package, "net10.0"), CancellationToken.None);
        var configPath = Path.Combine(_root.FullName, StrataConfig.FileName);
        var config = StrataConfigLoader.Parse(File.ReadAllText(configPath), configPath);
        return (config, SchemaProject.Read(config.SchemaProject));
    }

    private string InProject(string relative) => Path.GetFullPath(ProjectScaffold.FullPath(_root.FullName, relative));

    [Fact]
    public async Task Into_init_s_untouched_project_the_example_class_and_seed_go_without_a_conflict()
    {
        var (config, project) = await InitAsync();

        var plan = PulledSchemaProject.PlanFiles(config, project, Users());

        Assert.DoesNotContain(plan, f => f.Conflict);
        var example = Assert.Single(plan, f => f.Path == InProject("src/App.Schema/AppSchema.cs"));
        Assert.Contains(example.What, new[] { "replaced", "removed (strata init's example)" });
        var seed = Assert.Single(plan, f => f.Path == InProject(ProjectScaffold.ExampleSeedPath));
        Assert.Null(seed.Content);
        Assert.Equal("removed (strata init's example seed)", seed.What);
        Assert.Contains(plan, f => f.Content is not null && f.Content.Contains("db.Table(\"users\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_C_sharp_file_of_the_user_s_own_is_a_conflict_and_build_output_is_left_alone()
    {
        var (config, project) = await InitAsync();
        File.WriteAllText(InProject("src/App.Schema/Extra.cs"), "namespace App.Schema; public static class Extra { }\n");
        File.WriteAllText(InProject(ProjectScaffold.ExampleSeedPath), "INSERT INTO notes (title) VALUES ('mine');\n");
        Directory.CreateDirectory(InProject("src/App.Schema/obj"));
        File.WriteAllText(InProject("src/App.Schema/obj/Generated.cs"), "// generated\n");

        var plan = PulledSchemaProject.PlanFiles(config, project, Users());

        var extra = Assert.Single(plan, f => f.Conflict);
        Assert.Equal(InProject("src/App.Schema/Extra.cs"), extra.Path);
        Assert.Null(extra.Content);
        Assert.Equal("removed", extra.What);
        Assert.DoesNotContain(plan, f => f.Path.Contains("obj", StringComparison.Ordinal));
        Assert.DoesNotContain(plan, f => f.Path == InProject(ProjectScaffold.ExampleSeedPath));
    }

    [Fact]
    public async Task Writing_replaces_the_C_sharp_removes_the_migrations_there_and_writes_the_baseline_after_which_nothing_changes()
    {
        var (config, project) = await InitAsync();
        var old = Directory.CreateDirectory(Path.Combine(config.MigrationsDirectory, "0000_old"));
        File.WriteAllText(Path.Combine(old.FullName, "up.sql"), "SELECT 1;\n");
        var directory = await MigrationDirectory.LoadAsync(config.MigrationsDirectory);
        var plan = PulledSchemaProject.PlanFiles(config, project, Users());

        var pulled = await PulledSchemaProject.WriteAsync(plan, directory, MigrationWriter.RenderBaseline("0000_baseline", Users(), []), CancellationToken.None);

        Assert.Equal([old.FullName], pulled.RemovedMigrations.Select(Path.GetFullPath));
        Assert.False(Directory.Exists(old.FullName));
        Assert.Equal("0000_baseline", pulled.Baseline.Migration.Id);
        Assert.True(File.Exists(Path.Combine(pulled.Baseline.Migration.FolderPath, Migration.UpFile)));
        Assert.True(File.Exists(Path.Combine(pulled.Baseline.Migration.FolderPath, Migration.SnapshotFile)));
        Assert.True(File.Exists(Path.Combine(config.MigrationsDirectory, StrataSum.FileName)));
        Assert.False(File.Exists(InProject(ProjectScaffold.ExampleSeedPath)));
        foreach (var file in plan)
            Assert.Equal(file.Content, File.Exists(file.Path) ? File.ReadAllText(file.Path) : null);

        var again = PulledSchemaProject.PlanFiles(config, project, Users());
        Assert.All(again, f => Assert.Equal("unchanged", f.What));
    }

    [Theory]
    [InlineData("Acme.Db.ShopSchema", "src/Shop.Schema/Shop.Schema.csproj", "Acme.Db", "ShopSchema")]
    [InlineData(null, "src/Acme.Shop.Schema/Acme.Shop.Schema.csproj", "Acme.Shop.Schema", "ShopSchema")]
    [InlineData(null, "db/my-db/my-db.csproj", "MyDb", "MyDbSchema")]
    public void The_class_is_strata_json_s_schemaType_else_named_after_the_project(string? schemaType, string projectPath, string @namespace, string className)
    {
        var configPath = Path.Combine(_root.FullName, StrataConfig.FileName);
        var config = StrataConfigLoader.Parse(
            schemaType is null ? $$"""{ "schema": "{{projectPath}}" }""" : $$"""{ "schema": "{{projectPath}}", "schemaType": "{{schemaType}}" }""", configPath);
        var csproj = ProjectScaffold.FullPath(_root.FullName, projectPath);
        Directory.CreateDirectory(Path.GetDirectoryName(csproj)!);
        File.WriteAllText(csproj, "<Project Sdk=\"Microsoft.NET.Sdk\" />");

        Assert.Equal((@namespace, className), PulledSchemaProject.ClassName(config, SchemaProject.Read(config.SchemaProject)));
    }

    [Fact]
    public void A_foreign_key_to_a_table_left_out_of_the_pull_is_named_with_its_table_and_the_table_it_references()
    {
        var db = new SchemaBuilder();
        db.Table("customers", t => t.Column("id", Types.Integer).PrimaryKey());
        db.Table("orders", t =>
        {
            t.Column("id", Types.Integer).PrimaryKey();
            t.Column("customer_id", Types.Integer).References("customers", "id");
        });
        var model = db.Build();
        Assert.Empty(PulledSchemaProject.ReferencesOutside(model));

        // What a pull with --table orders reads: the orders table without the customers it references.
        var selected = model with { Tables = model.Tables.Where(t => t.Name == "orders").ToValueList() };

        var outside = Assert.Single(PulledSchemaProject.ReferencesOutside(selected));
        Assert.Equal(new ReferenceOutside(new QualifiedName("public", "orders"), "foreign key orders_customer_id_fkey references", new QualifiedName("public", "customers")), outside);
        Assert.Equal("public.orders: foreign key orders_customer_id_fkey references public.customers", outside.ToString());
    }

    [Fact]
    public void A_parent_or_partitioned_table_left_out_of_the_pull_is_named_with_the_child_or_partition_that_needs_it()
    {
        var db = new SchemaBuilder();
        db.Table("items", t => t.Column("id", Types.Integer));
        db.Table("books", t =>
        {
            t.Inherits("items");
            t.Column("isbn", Types.Text);
        });
        db.Table("events", t =>
        {
            t.Column("at", Types.Date);
            t.PartitionByRange("at");
        });
        db.Table("events_2026", t => t.PartitionOf("events", "FOR VALUES FROM ('2026-01-01') TO ('2027-01-01')"));
        var model = db.Build();
        Assert.Empty(PulledSchemaProject.ReferencesOutside(model));

        // What a pull with --table books --table events_2026 reads: the child and the partition without their parents.
        var selected = model with { Tables = model.Tables.Where(t => t.Name is "books" or "events_2026").ToValueList() };

        Assert.Equal(
            ["public.books: inherits from public.items", "public.events_2026: is a partition of public.events"],
            PulledSchemaProject.ReferencesOutside(selected).Select(r => r.ToString()));
    }
}
