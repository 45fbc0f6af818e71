using Strata.Dsl;
using Strata.Model;
using Strata.Postgres.Introspection;
using Strata.Postgres.Migrations;
using Strata.Postgres.Sql;

namespace Strata.IntegrationTests.Scenarios;

/// <summary>
/// Collations of the schema's own (db.Collation) and the columns and domains that use them: created, renamed, re-created
/// with another definition and dropped, migrated up and down on PostgreSQL and read back by the introspector as declared.
/// </summary>
public sealed class CollationScenarios(ScenarioFixture fixture) : ScenarioTests(fixture)
{
    private readonly RoundTripDatabases _databases = fixture.Databases;

    /// <summary>A schema whose collations and their uses vary: <paramref name="foldLocale"/> the ICU locale of text_rules.fold.</summary>
    private static Action<SchemaBuilder> People(string foldName, string foldLocale, bool withPosix) => db =>
    {
        var s = db.Schema("text_rules");
        var fold = s.Collation(foldName, c => c.Provider("icu").Locale(foldLocale).Deterministic(false).Comment("case-insensitive"));
        if (withPosix)
            s.Collation("posix_c", c => c.LcCollate("C").LcCtype("POSIX"));
        var code = s.Domain("code", Types.Text, d => d.Collate(fold));
        s.Table("people", t =>
        {
            t.Column("id", Types.Integer).PrimaryKey();
            t.Column("name", Types.Text).NotNull().Collate(fold);
            t.Column("code", code);
            var nick = t.Column("nick", Types.Varchar(20));
            if (withPosix)
                nick.Collate("text_rules", "posix_c");
            t.Index("name");
        });
    };

    [Fact]
    public async Task A_collation_is_created_before_its_users_and_dropped_after_them()
    {
        var result = await RoundTripAsync(_ => { }, People("fold", "und-u-ks-level2", withPosix: true));

        Assert.Contains("CREATE COLLATION \"text_rules\".\"posix_c\" (provider = libc, lc_collate = 'C', lc_ctype = 'POSIX');", result.UpScript);
        Assert.Contains("DROP COLLATION \"text_rules\".\"fold\";", result.DownScript);
    }

    [Fact]
    public async Task A_changed_collation_is_re_created_with_its_columns_and_domains_and_a_renamed_one_renamed()
    {
        var changed = await RoundTripAsync(People("fold", "und-u-ks-level2", withPosix: true), People("fold", "und-u-ks-level1", withPosix: false));

        Assert.Contains("ALTER COLLATION \"text_rules\".\"fold\" RENAME TO \"fold__strata_drop\";", changed.UpScript);
        Assert.Contains("ALTER TABLE \"text_rules\".\"people\" ALTER COLUMN \"name\" TYPE text COLLATE \"text_rules\".\"fold\";", changed.UpScript);
        Assert.Contains("DROP COLLATION \"text_rules\".\"posix_c\";", changed.UpScript);

        var renamed = await RoundTripAsync(People("fold", "und-u-ks-level2", withPosix: false), People("nocase", "und-u-ks-level2", withPosix: false));

        Assert.Contains("ALTER COLLATION \"text_rules\".\"fold\" RENAME TO \"nocase\";", renamed.UpScript);
        Assert.DoesNotContain("CREATE COLLATION", renamed.UpScript);
        Assert.DoesNotContain("ALTER TABLE", renamed.UpScript);
    }

    [Fact]
    public async Task The_introspector_reads_collations_and_their_uses_as_declared()
    {
        var model = RoundTrip.Schema(People("fold", "und-u-ks-level2", withPosix: true));
        var (db1, _, _) = await _databases.ResetAsync();
        await ScriptApplier.ApplyAsync(db1, MigrationScript.RenderUp(PostgresSqlGenerator.CreateAll(model)), "up.sql");

        await using var connection = await db1.OpenConnectionAsync();
        var read = await PostgresIntrospector.ReadAsync(connection);

        Assert.Equal(model.Collations, read.Collations);
        Assert.Equal(model.Domains, read.Domains);
        Assert.Equal(model.Tables, read.Tables);
        Assert.Equal(("fold", "text_rules"), (read.Domains[0].Collation, read.Domains[0].CollationSchema));
    }
}
