using Strata.IntegrationTests.Cli.Pull;
using Strata.IntegrationTests.Infrastructure;
using Strata.Model;

namespace Strata.IntegrationTests.Cli;

/// <summary>
/// <c>strata push</c> end to end on what it refused or did wrong: the extensions a schema needs, sequence bounds
/// narrowed past the value in use, and columns that PostgreSQL can only add at the end of a table.
/// </summary>
[Collection(CliCollection.Name)]
public sealed class PushEdgeTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    private static readonly QualifiedName Docs = new("public", "docs");

    /// <summary>An init project whose C# schema is <paramref name="define"/>, the body of Define.</summary>
    private static async Task<PullProject> ProjectAsync(string define)
    {
        var project = await PullProject.InitAsync();
        project.SetDefine(define);
        return project;
    }

    private const string TrigramSchema = """
        db.Extension("pg_trgm");
                db.Table("docs", t =>
                {
                    t.Column("id", Types.Integer).PrimaryKey();
                    t.Column("body", Types.Text);
                    t.Index(IndexKey.Column("body").OperatorClass("gin_trgm_ops")).Using("gin").Named("docs_body_trgm");
                });
        """;

    [Fact]
    public async Task Push_creates_the_extension_a_schema_declares_onto_an_empty_database_and_onto_one_with_the_tables_but_not_the_extension()
    {
        using var project = await ProjectAsync(TrigramSchema);
        await using var empty = await postgres.CreateDatabaseAsync("push_ext_empty");

        var onEmpty = await project.RunAsync(empty, "push");

        Assert.True(onEmpty.ExitCode == 0, onEmpty.ToString());
        Assert.Equal(1L, await empty.ScalarAsync<long>("SELECT count(*) FROM pg_extension WHERE extname = 'pg_trgm'"));
        Assert.Equal(1L, await empty.ScalarAsync<long>("SELECT count(*) FROM pg_indexes WHERE indexname = 'docs_body_trgm'"));

        // The table is there already, without the extension or the index that needs it.
        await using var without = await postgres.CreateDatabaseAsync("push_ext_without", "CREATE TABLE docs (id integer PRIMARY KEY, body text); INSERT INTO docs VALUES (1, 'hello')");
        var onWithout = await project.RunAsync(without, "push");

        Assert.True(onWithout.ExitCode == 0, onWithout.ToString());
        Assert.Equal(1L, await without.ScalarAsync<long>("SELECT count(*) FROM pg_extension WHERE extname = 'pg_trgm'"));
        Assert.Equal(1L, await without.ScalarAsync<long>("SELECT count(*) FROM docs WHERE body % 'helo'"));
        var again = await project.RunAsync(without, "push");
        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Contains("No changes", again.Stdout);
    }

    [Fact]
    public async Task A_schema_that_uses_an_extensions_operator_class_without_declaring_the_extension_is_told_to_declare_it()
    {
        using var project = await ProjectAsync(TrigramSchema.Replace("db.Extension(\"pg_trgm\");", "", StringComparison.Ordinal));
        await using var empty = await postgres.CreateDatabaseAsync("push_ext_undeclared");

        var push = await project.RunAsync(empty, "push");

        Assert.Equal(1, push.ExitCode);
        Assert.Contains("operator class \"gin_trgm_ops\" does not exist", push.Stderr);
        Assert.Contains("declare the extension in the C# schema, db.Extension(\"pg_trgm\")", push.Stderr);
        Assert.False(await empty.TableExistsAsync(Docs), "the push's transaction is rolled back");
    }

    [Fact]
    public async Task Push_narrows_sequence_and_identity_bounds_past_their_current_values_keeping_the_rows()
    {
        using var project = await ProjectAsync("""
            db.Sequence("numbers");
                    db.Sequence("countdown", new SequenceOptions(IncrementBy: -1));
                    db.Sequence("unused", new SequenceOptions(StartWith: 500));
                    db.Table("t", t => { t.Column("id", Types.Integer).Identity(IdentityGeneration.ByDefault); t.Column("v", Types.Text); });
            """);
        await using var database = await postgres.CreateDatabaseAsync("push_bounds");
        var first = await project.RunAsync(database, "push");
        Assert.True(first.ExitCode == 0, first.ToString());
        await database.ExecuteAsync("""
            SELECT nextval('numbers'), nextval('numbers'), nextval('countdown');
            INSERT INTO t (v) VALUES ('a'), ('b');
            """);

        // Each bound moves past the value in use: the minimum above an ascending sequence's (and the identity's),
        // the maximum below a descending one's, and below an unused sequence's start (nothing was drawn from it).
        project.SetDefine("""
            db.Sequence("numbers", new SequenceOptions(MinValue: 100, MaxValue: 5000));
                    db.Sequence("countdown", new SequenceOptions(IncrementBy: -1, MaxValue: -50));
                    db.Sequence("unused", new SequenceOptions(StartWith: 10, MaxValue: 100));
                    db.Table("t", t => { t.Column("id", Types.Integer).Identity(IdentityGeneration.ByDefault, new SequenceOptions(MinValue: 100)); t.Column("v", Types.Text); });
            """);
        var second = await project.RunAsync(database, "push");

        Assert.True(second.ExitCode == 0, second.ToString());
        Assert.Equal(100L, await database.ScalarAsync<long>("SELECT nextval('numbers')"));
        Assert.Equal(-50L, await database.ScalarAsync<long>("SELECT nextval('countdown')"));
        Assert.Equal(10L, await database.ScalarAsync<long>("SELECT nextval('unused')"));
        await database.ExecuteAsync("INSERT INTO t (v) VALUES ('c')");
        Assert.Equal(100L, await database.ScalarAsync<long>("SELECT id FROM t WHERE v = 'c'"));
        Assert.Equal(3L, await database.ScalarAsync<long>("SELECT count(*) FROM t"));
        var again = await project.RunAsync(database, "push");
        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Contains("No changes", again.Stdout);
    }

    [Fact]
    public async Task Push_says_when_a_column_it_adds_lands_after_columns_the_schema_puts_behind_it()
    {
        using var project = await ProjectAsync("""
            db.Table("docs", t => { t.Column("id", Types.Integer).PrimaryKey(); t.Column("title", Types.Text); t.Column("body", Types.Text); });
            """);
        await using var database = await postgres.CreateDatabaseAsync("push_order");
        var first = await project.RunAsync(database, "push");
        Assert.True(first.ExitCode == 0, first.ToString());

        // summary is new before two kept columns; tags goes last, where the schema has it too.
        project.SetDefine("""
            db.Table("docs", t => { t.Column("id", Types.Integer).PrimaryKey(); t.Column("summary", Types.Text); t.Column("title", Types.Text); t.Column("body", Types.Text); t.Column("tags", Types.Text); });
            """);
        var dry = await project.RunAsync(database, "push", "--dry-run");
        Assert.True(dry.ExitCode == 0, dry.ToString());
        Assert.Contains("public.docs: column summary goes at the end of the table, not before title", dry.Stderr);

        // --json carries the same notes as records, for the dry run and the push.
        var dryJson = await project.RunAsync(database, "push", "--dry-run", "--json");
        Assert.True(dryJson.ExitCode == 0, dryJson.ToString());
        Assert.Equal([("public.docs", "summary", "title")], ColumnsOutOfOrder(dryJson.Stdout));

        var pushed = await project.RunAsync(database, "push");

        Assert.True(pushed.ExitCode == 0, pushed.ToString());
        Assert.Contains("public.docs: column summary goes at the end of the table, not before title", pushed.Stdout);
        Assert.DoesNotContain("column tags goes", pushed.Stdout);
        Assert.Equal(["id", "title", "body", "summary", "tags"], await database.ColumnNamesAsync(Docs));
        var again = await project.RunAsync(database, "push");
        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Contains("No changes", again.Stdout);
    }

    [Fact]
    public async Task Push_json_has_the_column_order_notes_of_plain_push()
    {
        using var project = await ProjectAsync("""
            db.Table("docs", t => { t.Column("id", Types.Integer).PrimaryKey(); t.Column("title", Types.Text); });
            """);
        await using var database = await postgres.CreateDatabaseAsync("push_order_json");
        var first = await project.RunAsync(database, "push");
        Assert.True(first.ExitCode == 0, first.ToString());
        project.SetDefine("""
            db.Table("docs", t => { t.Column("id", Types.Integer).PrimaryKey(); t.Column("summary", Types.Text); t.Column("title", Types.Text); });
            """);

        var pushed = await project.RunAsync(database, "push", "--json");

        Assert.True(pushed.ExitCode == 0, pushed.ToString());
        Assert.Equal([("public.docs", "summary", "title")], ColumnsOutOfOrder(pushed.Stdout));
    }

    private static List<(string Table, string Column, string Before)> ColumnsOutOfOrder(string json)
    {
        using var document = System.Text.Json.JsonDocument.Parse(json);
        Assert.True(document.RootElement.TryGetProperty("columnsOutOfOrder", out var notes), json);
        return notes.EnumerateArray()
            .Select(n => (n.GetProperty("table").GetString()!, n.GetProperty("column").GetString()!, n.GetProperty("before").GetString()!))
            .ToList();
    }
}
