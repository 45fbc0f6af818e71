using System.Text.Json;
using System.Text.Json.Nodes;
using Strata.Cli;
using Strata.Cli.Output;
using Strata.Model;
using Strata.Postgres.Comparison;
using Strata.Postgres.Sql;

namespace Strata.Tests.Cli;

/// <summary>
/// The --json documents as the source-generated context writes them: the same text as the hand-built
/// JsonObjects they replace (two-space indentation, camelCase, nulls written), errors with their fields.
/// </summary>
public sealed class CliJsonTests
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    [Fact]
    public void A_result_is_written_as_the_hand_built_document_it_replaces_was()
    {
        var result = new MigrateJson("production", "app@db:5432/shop", [new AppliedMigrationJson("0000_init", 12.3)], 2, 0);
        var before = new JsonObject
        {
            ["ok"] = true,
            ["environment"] = "production",
            ["database"] = "app@db:5432/shop",
            ["applied"] = new JsonArray(new JsonObject { ["id"] = "0000_init", ["milliseconds"] = 12.3 }),
            ["alreadyApplied"] = 2,
            ["lockWaitMilliseconds"] = 0.0,
        };

        Assert.Equal(before.ToJsonString(Indented), CliOutput.Serialize(result));
    }

    [Fact]
    public void Nulls_are_written_and_times_are_ISO_8601_as_before()
    {
        var appliedAt = new DateTimeOffset(2026, 12, 6, 14, 0, 0, TimeSpan.Zero);
        var status = new MigrationStatusJson("0000_init", "applied", "db/migrations/0000_init/up.sql", "h1:abc", "h1:abc", appliedAt, 41, "app", null);
        var before = new JsonObject
        {
            ["id"] = "0000_init",
            ["state"] = "applied",
            ["file"] = "db/migrations/0000_init/up.sql",
            ["fileChecksum"] = "h1:abc",
            ["appliedChecksum"] = "h1:abc",
            ["appliedAt"] = appliedAt,
            ["milliseconds"] = 41L,
            ["appliedBy"] = "app",
            ["problem"] = null,
        };

        Assert.Equal(before.ToJsonString(Indented), CliOutput.Serialize(status));
    }

    [Fact]
    public void Push_renders_the_librarys_plan_and_losses()
    {
        var users = new QualifiedName("public", "users");
        var plan = new PushPlan([new PlannedChange(null!, [new SqlStatement("ALTER TABLE \"public\".\"users\" DROP COLUMN \"legacy\";", DataLoss: "drops column legacy")])]);

        var json = JsonNode.Parse(CliOutput.Serialize(PushJson.From(plan, [new DataLoss(users, "drops column legacy", 2)], "app@db:5432/shop", "development")))!;

        Assert.True((bool)json["ok"]!);
        Assert.True((bool)json["changed"]!);
        Assert.Equal("development", (string?)json["environment"]);
        Assert.Equal("ALTER TABLE \"public\".\"users\" DROP COLUMN \"legacy\";", (string?)json["statements"]![0]!["sql"]);
        Assert.Equal("drops column legacy", (string?)json["statements"]![0]!["dataLoss"]);
        Assert.Equal("public.users", (string?)json["dataLoss"]![0]!["table"]);
        Assert.Equal(2L, (long)json["dataLoss"]![0]!["rows"]!);
    }

    [Fact]
    public void An_error_starts_with_the_common_fields_then_its_own_and_leaves_out_a_missing_remedy()
    {
        var error = CliException.Failure("boom", fields: new FileErrorJson("db/migrations/0001_x/up.sql", 3));
        var before = new JsonObject
        {
            ["ok"] = false,
            ["exitCode"] = 1,
            ["error"] = "boom",
            ["details"] = new JsonArray(),
            ["file"] = "db/migrations/0001_x/up.sql",
            ["line"] = 3,
        };

        Assert.Equal(before.ToJsonString(Indented), CliOutput.Serialize(CliOutput.Document(error)));
    }

    [Fact]
    public void A_plain_error_has_the_remedy_when_there_is_one()
    {
        var error = CliException.Usage("bad", details: ["one", "two"], remedy: "fix it");

        var json = JsonNode.Parse(CliOutput.Serialize(CliOutput.Document(error)))!.AsObject();

        Assert.Equal(["ok", "exitCode", "error", "details", "remedy"], json.Select(p => p.Key));
        Assert.Equal(2, (int)json["exitCode"]!);
        Assert.Equal("fix it", (string?)json["remedy"]);
    }

    [Fact]
    public void A_statement_error_outside_a_migration_has_no_migration_fields()
    {
        var json = JsonNode.Parse(CliOutput.Serialize(CliOutput.Document(CliException.Failure("failed",
            fields: new StatementErrorJson(null, "push --dry-run", 4, 3, "DROP TABLE t;", "55P03", "lock timeout", null, null, null, null, 5, [new LockHolderJson(42, "app", "SELECT 1", "idle in transaction")])))))!.AsObject();

        Assert.False(json.ContainsKey("migrationId"));
        Assert.False(json.ContainsKey("ranInTransaction"));
        Assert.True(json.ContainsKey("detail"));
        Assert.Null((string?)json["detail"]);
        Assert.Equal(42, (int)json["lockHolders"]![0]!["pid"]!);
    }
}
