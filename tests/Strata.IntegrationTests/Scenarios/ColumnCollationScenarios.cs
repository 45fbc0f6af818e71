using Strata.Dsl;
using Strata.Model;
using Strata.Postgres.Introspection;
using Strata.Postgres.Migrations;
using Strata.Postgres.Sql;

namespace Strata.IntegrationTests.Scenarios;

/// <summary>
/// A table column's COLLATE: set, changed and removed on a kept column (with an index over it, which PostgreSQL rebuilds),
/// and on a new table, migrated up and down on PostgreSQL; read back by the introspector as declared.
/// </summary>
public sealed class ColumnCollationScenarios(ScenarioFixture fixture) : ScenarioTests(fixture)
{
    private readonly RoundTripDatabases _databases = fixture.Databases;

    private static Action<SchemaBuilder> Codes(string? codeCollation, string? labelCollation) => db => db.Table("codes", t =>
    {
        t.Column("id", Types.Integer).PrimaryKey();
        var code = t.Column("code", Types.Text).NotNull().Default("'x'");
        if (codeCollation is not null)
            code.Collate(codeCollation);
        var label = t.Column("label", Types.Varchar(20));
        if (labelCollation is not null)
            label.Collate(labelCollation);
        t.Index("code");
    });

    [Fact]
    public async Task A_collation_set_changed_and_removed_on_kept_columns_is_altered_in_place()
    {
        var result = await RoundTripAsync(Codes("C", null), db =>
        {
            Codes(null, "POSIX")(db);
            db.Schema("other").Table("names", t => t.Column("name", Types.Text).Collate("C"));
        });

        Assert.Contains("ALTER TABLE \"public\".\"codes\" ALTER COLUMN \"label\" TYPE varchar(20) COLLATE \"POSIX\";", result.UpScript);
        Assert.Contains("\"name\" text COLLATE \"C\"", result.UpScript);
        Assert.Contains("ALTER TABLE \"public\".\"codes\" ALTER COLUMN \"code\" TYPE text COLLATE \"C\";", result.DownScript);
    }

    [Fact]
    public async Task The_introspector_reads_a_column_collation_only_where_it_is_not_the_type_default()
    {
        var model = RoundTrip.Schema(Codes("C", "POSIX"));
        var (db1, _, _) = await _databases.ResetAsync();
        await ScriptApplier.ApplyAsync(db1, MigrationScript.RenderUp(PostgresSqlGenerator.CreateAll(model)), "up.sql");

        await using var connection = await db1.OpenConnectionAsync();
        var read = await PostgresIntrospector.ReadAsync(connection);

        var table = read.FindTable(new QualifiedName("public", "codes"))!;
        Assert.Equal("C", table.FindColumn("code")!.Collation);
        Assert.Equal("POSIX", table.FindColumn("label")!.Collation);
        Assert.Null(table.FindColumn("id")!.Collation);
        Assert.Equal(model.Tables, read.Tables);
    }

    [Fact]
    public async Task A_column_collation_of_another_schema_is_read_with_its_schema_and_not_named_by_pull()
    {
        var (db1, _, _) = await _databases.ResetAsync();
        await ScriptApplier.ApplyAsync(db1, """
            CREATE SCHEMA folding;
            CREATE COLLATION folding.plain FROM "C";
            CREATE TABLE names (folded text COLLATE folding.plain, plain text COLLATE "C");
            """, "setup.sql");

        await using var connection = await db1.OpenConnectionAsync();
        var model = await PostgresIntrospector.ReadAsync(connection);
        var table = model.FindTable(new QualifiedName("public", "names"))!;
        var named = await UnmodelledObjects.ReadAsync(connection, new IntrospectionOptions());

        Assert.Equal(("plain", "folding"), (table.FindColumn("folded")!.Collation, table.FindColumn("folded")!.CollationSchema));
        Assert.Equal(("C", (string?)null), (table.FindColumn("plain")!.Collation, table.FindColumn("plain")!.CollationSchema));
        Assert.Equal(new Collation("folding", "plain", Locale: "C"), model.FindCollation(new QualifiedName("folding", "plain")));
        Assert.DoesNotContain(named, o => o.Kind.Contains("collation", StringComparison.Ordinal));
    }
}
