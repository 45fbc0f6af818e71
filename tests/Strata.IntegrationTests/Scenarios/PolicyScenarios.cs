using Strata.Diffing;
using Strata.Dsl;
using Strata.Model;

namespace Strata.IntegrationTests.Scenarios;

/// <summary>
/// Row-level security and policies: each change migrated up and down on PostgreSQL and compared with a database built
/// from the target alone. Roles are cluster-wide: each test creates its own, under a name of its own, and drops them
/// once its databases are emptied (a role that a policy names cannot be dropped).
/// </summary>
public sealed class PolicyScenarios(ScenarioFixture fixture) : ScenarioTests(fixture)
{
    private readonly RoundTripDatabases _databases = fixture.Databases;
    private readonly string _reader = "strata_rls_r_" + Guid.NewGuid().ToString("N")[..12];
    private readonly string _writer = "strata_rls_w_" + Guid.NewGuid().ToString("N")[..12];

    private async Task<RoundTripResult> WithRolesAsync(Func<Task<RoundTripResult>> run)
    {
        var (db1, _, _) = await _databases.ResetAsync();
        await using (var create = db1.CreateCommand($"CREATE ROLE {_reader} NOLOGIN; CREATE ROLE {_writer} NOLOGIN;"))
            await create.ExecuteNonQueryAsync();
        try
        {
            return await run();
        }
        finally
        {
            await _databases.ResetAsync();
            await using var drop = db1.CreateCommand($"DROP ROLE IF EXISTS {_reader}; DROP ROLE IF EXISTS {_writer};");
            await drop.ExecuteNonQueryAsync();
        }
    }

    private static void Documents(TableBuilder t)
    {
        t.Column("id", Types.Integer).PrimaryKey();
        t.Column("owner", Types.Text).NotNull();
        t.Column("level", Types.Integer).NotNull().Default(0);
        t.Column("note", Types.Text);
    }

    [Fact]
    public async Task Enabling_forcing_and_creating_policies_of_every_command_on_a_kept_and_a_new_table()
    {
        var result = await WithRolesAsync(() => RoundTripAsync(
            db => db.Table("documents", Documents),
            db =>
            {
                db.Table("documents", t =>
                {
                    Documents(t);
                    t.RowLevelSecurity(force: true);
                    t.Policy("documents_read", p => p.For(PolicyCommand.Select).To(_reader, _writer).Using("owner = current_user"));
                    t.Policy("documents_insert", p => p.For(PolicyCommand.Insert).To(_writer).WithCheck("owner = current_user AND level >= 0"));
                    t.Policy("documents_update", p => p.For(PolicyCommand.Update).To(_writer).Using("owner = current_user").WithCheck("level < 10"));
                    t.Policy("documents_no_secret_delete", p => p.For(PolicyCommand.Delete).Using("level < 5").Restrictive().Comment("keeps secrets"));
                    t.Policy("documents_all");
                });
                db.Schema("audit").Table("entries", t =>
                {
                    t.Column("id", Types.Integer).PrimaryKey();
                    t.Column("author", Types.Text);
                    t.RowLevelSecurity();
                    t.Policy("entries_own", p => p.Using("author = current_user"));
                });
            }));

        Assert.Contains($"ALTER TABLE \"public\".\"documents\" ENABLE ROW LEVEL SECURITY;", result.UpScript);
        Assert.Contains($"ALTER TABLE \"public\".\"documents\" FORCE ROW LEVEL SECURITY;", result.UpScript);
        Assert.Contains($"CREATE POLICY \"documents_no_secret_delete\" ON \"public\".\"documents\" AS RESTRICTIVE FOR DELETE TO PUBLIC USING (level < 5);", result.UpScript);
        Assert.Contains($"ALTER TABLE \"public\".\"documents\" DISABLE ROW LEVEL SECURITY;", result.DownScript);
        // The new table's policies go with it in down.sql.
        Assert.DoesNotContain("DROP POLICY \"entries_own\"", result.DownScript);
    }

    [Fact]
    public async Task Roles_using_with_check_and_comment_change_in_place()
    {
        var result = await WithRolesAsync(() => RoundTripAsync(
            db => db.Table("documents", t =>
            {
                Documents(t);
                t.RowLevelSecurity();
                t.Policy("documents_update", p => p.For(PolicyCommand.Update).To(_reader).Using("owner = current_user").WithCheck("level < 10"));
            }),
            db => db.Table("documents", t =>
            {
                Documents(t);
                t.RowLevelSecurity();
                t.Policy("documents_update", p => p.For(PolicyCommand.Update).To(_reader, _writer).Using("owner = session_user").WithCheck("level < 20").Comment("writers too"));
            })));

        Assert.Contains("ALTER POLICY \"documents_update\" ON \"public\".\"documents\" TO", result.UpScript);
        Assert.Contains("COMMENT ON POLICY \"documents_update\" ON \"public\".\"documents\" IS 'writers too';", result.UpScript);
        Assert.DoesNotContain("DROP POLICY", result.UpScript);
        Assert.DoesNotContain("DROP POLICY", result.DownScript);
    }

    [Fact]
    public async Task A_policy_equal_but_for_its_name_is_renamed_and_a_new_command_or_restrictive_re_creates_it()
    {
        var result = await WithRolesAsync(() => RoundTripAsync(
            db => db.Table("documents", t =>
            {
                Documents(t);
                t.RowLevelSecurity();
                t.Policy("read_own", p => p.For(PolicyCommand.Select).To(_reader).Using("owner = current_user"));
                t.Policy("change_own", p => p.For(PolicyCommand.Update).Using("owner = current_user"));
                t.Policy("limit", p => p.Using("level < 5"));
            }),
            db => db.Table("documents", t =>
            {
                Documents(t);
                t.RowLevelSecurity();
                t.Policy("documents_read_own", p => p.For(PolicyCommand.Select).To(_reader).Using("owner = current_user"));
                t.Policy("change_own", p => p.For(PolicyCommand.Delete).Using("owner = current_user"));
                t.Policy("limit", p => p.Using("level < 5").Restrictive());
            })));

        Assert.Contains("ALTER POLICY \"read_own\" ON \"public\".\"documents\" RENAME TO \"documents_read_own\";", result.UpScript);
        Assert.Contains("DROP POLICY \"change_own\" ON \"public\".\"documents\";", result.UpScript);
        Assert.Contains("CREATE POLICY \"change_own\" ON \"public\".\"documents\" FOR DELETE", result.UpScript);
        Assert.Contains("CREATE POLICY \"limit\" ON \"public\".\"documents\" AS RESTRICTIVE", result.UpScript);
    }

    [Fact]
    public async Task A_policy_over_a_retyped_column_is_dropped_before_and_created_after_and_one_over_a_dropped_column_goes_first()
    {
        var result = await WithRolesAsync(() => RoundTripAsync(
            db => db.Table("documents", t =>
            {
                Documents(t);
                t.RowLevelSecurity();
                t.Policy("low_levels", p => p.Using("level < 5"));
                t.Policy("noted", p => p.For(PolicyCommand.Select).Using("note IS NOT NULL"));
            }),
            db => db.Table("documents", t =>
            {
                t.Column("id", Types.Integer).PrimaryKey();
                t.Column("owner", Types.Text).NotNull();
                t.Column("level", Types.BigInt).NotNull().Default(0);
                t.RowLevelSecurity();
                t.Policy("low_levels", p => p.Using("level < 5"));
            })));

        var up = result.UpScript;
        Assert.True(up.IndexOf("DROP POLICY \"low_levels\"", StringComparison.Ordinal) < up.IndexOf("ALTER COLUMN \"level\" TYPE", StringComparison.Ordinal), up);
        Assert.True(up.IndexOf("ALTER COLUMN \"level\" TYPE", StringComparison.Ordinal) < up.IndexOf("CREATE POLICY \"low_levels\"", StringComparison.Ordinal), up);
        Assert.True(up.IndexOf("DROP POLICY \"noted\"", StringComparison.Ordinal) < up.IndexOf("DROP COLUMN \"note\"", StringComparison.Ordinal), up);
    }

    [Fact]
    public async Task A_dropped_table_takes_its_policies_and_a_renamed_one_keeps_them()
    {
        var result = await WithRolesAsync(() => RoundTripAsync(
            db =>
            {
                db.Table("documents", t =>
                {
                    Documents(t);
                    t.RowLevelSecurity(force: true);
                    t.Policy("documents_own", p => p.To(_writer).Using("owner = current_user"));
                });
                db.Table("drafts", t =>
                {
                    t.Column("id", Types.Integer).PrimaryKey();
                    t.RowLevelSecurity();
                    t.Policy("drafts_all", p => p.Using("id > 0"));
                });
            },
            db => db.Table("papers", t =>
            {
                Documents(t);
                t.RowLevelSecurity(force: true);
                t.Policy("documents_own", p => p.To(_writer).Using("owner = current_user"));
            }),
            new RenameDecisions([new Rename(ObjectKind.Table, "public.documents", "public.papers")], [])));

        Assert.DoesNotContain("POLICY", result.UpScript);
        Assert.DoesNotContain("ROW LEVEL SECURITY", result.UpScript);
        Assert.Contains("DROP TABLE \"public\".\"drafts\"", result.UpScript);
    }

    [Fact]
    public async Task Disabling_row_level_security_and_dropping_every_policy()
    {
        var result = await WithRolesAsync(() => RoundTripAsync(
            db => db.Table("documents", t =>
            {
                Documents(t);
                t.RowLevelSecurity(force: true);
                t.Policy("documents_own", p => p.To(_reader, _writer).Using("owner = current_user").Comment("own rows"));
            }),
            db => db.Table("documents", Documents)));

        Assert.Contains("DROP POLICY \"documents_own\" ON \"public\".\"documents\";", result.UpScript);
        Assert.Contains("ALTER TABLE \"public\".\"documents\" DISABLE ROW LEVEL SECURITY;", result.UpScript);
        Assert.Contains("ALTER TABLE \"public\".\"documents\" NO FORCE ROW LEVEL SECURITY;", result.UpScript);
    }
}
