using Strata.Diffing;
using Strata.Dsl;
using Strata.Model;

namespace Strata.IntegrationTests.Scenarios;

/// <summary>
/// Privileges follow their objects: an object dropped and created again by a plan (a type re-created for a removed
/// value, a table re-partitioned, a stepped-aside type whose name a new one takes) gets the model's grants and revoked
/// defaults again, and a renamed object (its schema, itself, a column) keeps them under its new name. Only PUBLIC is
/// granted to here, so no role outlives a test.
/// </summary>
public sealed class PrivilegeFollowScenarios(ScenarioFixture fixture) : ScenarioTests(fixture)
{
    private static Action<SchemaBuilder> Moods(params string[] values) => db =>
    {
        var app = db.Schema("app");
        var mood = app.Enum("mood", values);
        app.Domain("feeling", mood);
        app.Composite("entry", c => c.Field("id", Types.Integer).Field("m", mood));
        app.Table("diary", t =>
        {
            t.Column("id", Types.Integer).PrimaryKey();
            t.Column("m", mood);
        });
        app.Revoke(GrantOn.Type("mood"), Grant.Public, Privilege.Usage);
        app.Revoke(GrantOn.Type("feeling"), Grant.Public, Privilege.Usage);
        app.Revoke(GrantOn.Type("entry"), Grant.Public, Privilege.Usage);
    };

    [Fact]
    public Task An_enum_re_created_for_a_removed_value_and_the_domain_and_composite_over_it_keep_their_revoked_usage() =>
        RoundTripAsync(Moods("sad", "ok", "gone"), Moods("sad", "ok"));

    [Fact]
    public Task An_enum_re_created_for_reordered_values_keeps_its_revoked_usage() =>
        RoundTripAsync(Moods("sad", "ok"), Moods("ok", "sad"));

    private static Action<SchemaBuilder> Readings(bool partitioned) => db =>
    {
        db.Table("readings", t =>
        {
            t.Column("taken", Types.Date).NotNull();
            t.Column("value", Types.Integer);
            if (partitioned)
                t.PartitionByRange("taken");
        });
        db.Grant(GrantOn.Table("readings"), Grant.Public, Privilege.Select);
        db.Grant(GrantOn.Columns("readings", "value"), Grant.Public, Privilege.Update);
    };

    [Fact]
    public Task A_table_re_created_as_partitioned_keeps_its_table_and_column_grants() =>
        RoundTripAsync(Readings(partitioned: false), Readings(partitioned: true));

    private static Action<SchemaBuilder> Counters(bool grown) => db =>
    {
        db.Table("counters", t =>
        {
            t.Column("name", Types.Text);
            if (grown)
            {
                t.Column("id", Types.Integer).NotNull().Identity();
                t.Column("seen", Types.Integer);
            }
        });
        if (grown)
            db.Table("events", t => t.Column("id", Types.BigSerial).PrimaryKey());
        db.DefaultPrivileges().Grant(GrantTarget.Sequence, Grant.Public, Privilege.Select);
        db.DefaultPrivileges().Grant(GrantTarget.Table, Grant.Public, Privilege.Update);
    };

    [Fact]
    public Task The_sequences_of_identity_and_serial_columns_created_while_default_privileges_are_in_force_get_only_what_the_schema_grants() =>
        RoundTripAsync(Counters(grown: false), Counters(grown: true));

    private static Action<SchemaBuilder> Vault(string schema, string type, string function, string table, string column) => db =>
    {
        var vault = db.Schema(schema);
        var level = vault.Enum(type, "low", "high");
        vault.Sequence("numbers");
        vault.Table(table, t =>
        {
            t.Column("id", Types.Integer).PrimaryKey();
            t.Column(column, level);
        });
        vault.View("open_" + table, $"SELECT id FROM {schema}.{table}").DependsOn($"{schema}.{table}");
        vault.Function(function, f => f.Argument("n", Types.Integer).Returns(Types.Integer).Immutable().Body("SELECT n"));
        vault.Grant(GrantOn.Schema(), Grant.Public, Privilege.Create);
        vault.Revoke(GrantOn.Type(type), Grant.Public, Privilege.Usage);
        vault.Revoke(GrantOn.Function(function + "(integer)"), Grant.Public, Privilege.Execute);
        vault.Grant(GrantOn.Sequence("numbers"), Grant.Public, Privilege.Usage);
        vault.Grant(GrantOn.Table(table), Grant.Public, Privilege.Insert);
        vault.Grant(GrantOn.Columns(table, column), Grant.Public, Privilege.Select);
        vault.Grant(GrantOn.Table("open_" + table), Grant.Public, Privilege.Select);
    };

    [Fact]
    public async Task Grants_and_revoked_defaults_follow_a_renamed_schema_without_being_revoked_and_granted_again()
    {
        var result = await RoundTripAsync(
            Vault("vault", "level", "opened", "secrets", "grade"),
            Vault("safe", "level", "opened", "secrets", "grade"),
            new RenameDecisions([new Rename(ObjectKind.Schema, "vault", "safe")], []));

        Assert.Empty(PrivilegeStatements(result.UpScript));
        Assert.Empty(PrivilegeStatements(result.DownScript));
    }

    [Fact]
    public async Task Grants_and_revoked_defaults_follow_a_renamed_table_column_type_and_function()
    {
        var result = await RoundTripAsync(
            Vault("vault", "level", "opened", "secrets", "grade"),
            Vault("vault", "tier", "unlocked", "vaults", "rank"),
            new RenameDecisions(
            [
                new Rename(ObjectKind.Enum, "vault.level", "vault.tier"),
                new Rename(ObjectKind.Table, "vault.secrets", "vault.vaults"),
                new Rename(ObjectKind.Column, "vault.secrets.grade", "vault.vaults.rank"),
            ], []));

        Assert.Empty(PrivilegeStatements(result.UpScript));
        Assert.Empty(PrivilegeStatements(result.DownScript));
    }

    [Fact]
    public async Task Grants_on_the_sequences_of_identity_and_serial_columns_follow_a_renamed_table()
    {
        static Action<SchemaBuilder> Counters(string table) => db =>
        {
            db.Table(table, t =>
            {
                t.Column("id", Types.Serial).PrimaryKey();
                t.Column("number", Types.BigInt).Identity();
            });
            db.Grant(GrantOn.Sequence(table + "_id_seq"), Grant.Public, Privilege.Usage);
            db.Grant(GrantOn.Sequence(table + "_number_seq"), Grant.Public, Privilege.Select);
        };
        var result = await RoundTripAsync(Counters("users"), Counters("accounts"),
            new RenameDecisions([new Rename(ObjectKind.Table, "public.users", "public.accounts")], []));

        Assert.Empty(PrivilegeStatements(result.UpScript));
        Assert.Empty(PrivilegeStatements(result.DownScript));
    }

    /// <summary>The GRANT and REVOKE statements of a script but those on the view, which is re-created when the text of its query changes.</summary>
    private static List<string> PrivilegeStatements(string script) => script.Split('\n')
        .Where(l => (l.StartsWith("GRANT ", StringComparison.Ordinal) || l.StartsWith("REVOKE ", StringComparison.Ordinal)) && !l.Contains("\"open_", StringComparison.Ordinal))
        .ToList();
}
