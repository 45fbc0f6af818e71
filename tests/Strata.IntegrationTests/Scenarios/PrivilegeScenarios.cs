using Strata.Dsl;
using Strata.Model;

namespace Strata.IntegrationTests.Scenarios;

/// <summary>
/// Roles and grants: each change migrated up and down on PostgreSQL and compared with a database built from the target
/// alone. Roles are cluster-wide: each test uses roles under names of its own and drops them once its databases are
/// emptied (a role that holds privileges cannot be dropped).
/// </summary>
public sealed class PrivilegeScenarios(ScenarioFixture fixture) : ScenarioTests(fixture)
{
    private readonly RoundTripDatabases _databases = fixture.Databases;
    private readonly string _reader = "strata_grant_r_" + Guid.NewGuid().ToString("N")[..12];
    private readonly string _writer = "strata_grant_w_" + Guid.NewGuid().ToString("N")[..12];
    private readonly string _managed = "strata_grant_m_" + Guid.NewGuid().ToString("N")[..12];

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
            await using var drop = db1.CreateCommand($"DROP ROLE IF EXISTS {_reader}; DROP ROLE IF EXISTS {_writer}; DROP ROLE IF EXISTS {_managed};");
            await drop.ExecuteNonQueryAsync();
        }
    }

    private static void Shop(SchemaScope app, string paidColumns = "id, total")
    {
        app.Enum("state", "open", "paid");
        app.Sequence("numbers");
        app.Table("orders", t =>
        {
            t.Column("id", Types.Integer).PrimaryKey();
            t.Column("state", Types.Enum("app.state")).NotNull();
            t.Column("total", Types.Integer);
        });
        app.View("paid_orders", $"SELECT {paidColumns} FROM app.orders WHERE state = 'paid'");
        app.Function("order_total", f => f.Argument("order_id", Types.Integer).Returns(Types.Integer).Stable().Body("SELECT total FROM app.orders WHERE id = order_id"));
    }

    [Fact]
    public async Task Grants_on_every_kind_of_object_are_granted_revoked_and_given_and_stripped_of_their_grant_option()
    {
        var result = await WithRolesAsync(() => RoundTripAsync(
            db =>
            {
                db.Role(_reader).Existing();
                db.Role(_writer).Existing();
                var app = db.Schema("app");
                Shop(app);
                app.Grant(GrantOn.Schema(), _reader, Privilege.Usage);
                app.Grant(GrantOn.Table("orders"), _reader, Privilege.Select);
                app.Grant(GrantOn.Table("orders"), _writer, withGrantOption: true, Privilege.Select, Privilege.Insert, Privilege.Update);
                app.Grant(GrantOn.Table("paid_orders"), _reader, Privilege.Select);
                app.Grant(GrantOn.Sequence("numbers"), _writer, Privilege.Usage);
                app.Grant(GrantOn.Function("order_total(integer)"), _reader, Privilege.Execute);
                app.Grant(GrantOn.Type("state"), _writer, Privilege.Usage);
            },
            db =>
            {
                db.Role(_reader).Existing();
                db.Role(_writer).Existing();
                var app = db.Schema("app");
                Shop(app);
                app.Grant(GrantOn.Schema(), _reader, Privilege.Usage);
                app.Grant(GrantOn.Schema(), _writer, Privilege.Usage, Privilege.Create);
                app.Grant(GrantOn.Table("orders"), _reader, Privilege.Select, Privilege.References);
                app.Grant(GrantOn.Table("orders"), _writer, Privilege.Select, Privilege.Insert);
                app.Grant(GrantOn.Table("orders"), _writer, withGrantOption: true, Privilege.Delete);
                app.Grant(GrantOn.Table("paid_orders"), "public", Privilege.Select);
                app.Grant(GrantOn.Sequence("numbers"), _writer, Privilege.Usage, Privilege.Select);
                app.Grant(GrantOn.Function("order_total(integer)"), _writer, Privilege.Execute);
            }));

        Assert.Contains($"REVOKE GRANT OPTION FOR SELECT ON TABLE \"app\".\"orders\" FROM \"{_writer}\";", result.UpScript);
        Assert.Contains($"REVOKE UPDATE ON TABLE \"app\".\"orders\" FROM \"{_writer}\";", result.UpScript);
        Assert.Contains($"REVOKE USAGE ON TYPE \"app\".\"state\" FROM \"{_writer}\";", result.UpScript);
        Assert.Contains("GRANT SELECT ON TABLE \"app\".\"paid_orders\" TO PUBLIC;", result.UpScript);
        Assert.Contains($"GRANT EXECUTE ON ROUTINE \"app\".\"order_total\"(integer) TO \"{_writer}\";", result.UpScript);
        Assert.Contains($"GRANT UPDATE ON TABLE \"app\".\"orders\" TO \"{_writer}\" WITH GRANT OPTION;", result.DownScript);
    }

    [Fact]
    public async Task A_managed_role_is_created_on_the_first_database_and_tolerated_on_the_next_and_a_re_created_view_gets_its_grants_again()
    {
        var result = await WithRolesAsync(() => RoundTripAsync(
            db =>
            {
                db.Role(_managed).Login();
                Shop(db.Schema("app"));
            },
            db =>
            {
                db.Role(_managed).Login();
                var app = db.Schema("app");
                Shop(app);
                app.Grant(GrantOn.Schema(), _managed, Privilege.Usage);
                app.Grant(GrantOn.Table("paid_orders"), _managed, Privilege.Select);
            }));

        Assert.Contains($"GRANT SELECT ON TABLE \"app\".\"paid_orders\" TO \"{_managed}\";", result.UpScript);
        Assert.DoesNotContain("ROLE", result.UpScript);

        // The view's query changes: it is dropped and created, and its grant is given again after it.
        var again = await WithRolesAsync(() => RoundTripAsync(
            db =>
            {
                db.Role(_managed);
                var app = db.Schema("app");
                Shop(app);
                app.Grant(GrantOn.Table("paid_orders"), _managed, Privilege.Select);
            },
            db =>
            {
                db.Role(_managed);
                var app = db.Schema("app");
                Shop(app, paidColumns: "id");
                app.Grant(GrantOn.Table("paid_orders"), _managed, Privilege.Select);
            }));
        var up = again.UpScript;
        Assert.True(up.IndexOf("CREATE VIEW \"app\".\"paid_orders\"", StringComparison.Ordinal) is >= 0 and var created
            && up.IndexOf($"GRANT SELECT ON TABLE \"app\".\"paid_orders\" TO \"{_managed}\";", StringComparison.Ordinal) > created, up);
    }
}
