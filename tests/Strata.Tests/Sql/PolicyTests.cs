using Strata.CodeGeneration;
using Strata.Diffing;
using Strata.Dsl;
using Strata.IntegrationTests.Random;
using Strata.Model;
using Strata.Snapshots;
using Strata.Tests.CodeGeneration;
using static Strata.Tests.Sql.MigrationSql;

namespace Strata.Tests.Sql;

/// <summary>
/// Row-level security and policies through the DSL, the validator, pull's C#, the snapshot, the differ's order and the
/// SQL (the PostgreSQL round trips are in the integration tests' PolicyScenarios).
/// </summary>
public class PolicyTests
{
    private static void Documents(TableBuilder t)
    {
        t.Column("id", Types.Integer).PrimaryKey();
        t.Column("owner", Types.Text).NotNull();
        t.Column("level", Types.Integer);
    }

    private static void Secured(SchemaBuilder db) => db.Schema("app").Table("documents", t =>
    {
        Documents(t);
        t.RowLevelSecurity(force: true);
        // PostgreSQL keeps PUBLIC alone from a list with PUBLIC: every role is a member of it.
        t.Policy("read_own", p => p.For(PolicyCommand.Select).To("reader", "PUBLIC", "reader").Using("owner = current_user").Comment("own rows"));
        t.Policy("share", p => p.For(PolicyCommand.Select).To("writer", "reader", "writer").Using("level < 2"));
        t.Policy("write_own", p => p.For(PolicyCommand.Insert).To("writer").WithCheck("owner = current_user"));
        t.Policy("cap", p => p.Using("level < 5").WithCheck("level < 5").Restrictive());
        t.Policy("everyone");
    });

    [Fact]
    public void A_table_declares_its_row_level_security_and_policies_with_roles_normalised()
    {
        var model = Build(Secured);

        var security = Assert.Single(model.RowSecurity);
        Assert.Equal(new TableSecurity("app", "documents", Enabled: true, Forced: true, ValueList.Create(
            new Policy("cap", PolicyCommand.All, Permissive: false, ValueList.Create("public"), "level < 5", "level < 5"),
            new Policy("everyone", Roles: ValueList.Create("public")),
            new Policy("read_own", PolicyCommand.Select, Roles: ValueList.Create("public"), Using: "owner = current_user", Comment: "own rows"),
            new Policy("share", PolicyCommand.Select, Roles: ValueList.Create("reader", "writer"), Using: "level < 2"),
            new Policy("write_own", PolicyCommand.Insert, Roles: ValueList.Create("writer"), WithCheck: "owner = current_user"))), security);
        Assert.Equal(5, model.Counts().Single(c => c.Key == "policies").Value);
        Assert.DoesNotContain("polic", DatabaseModel.SchemaObjectKinds, StringComparison.Ordinal); // a table-bound kind is not one pull looks for on its own
    }

    [Fact]
    public void Every_policy_mistake_is_reported_with_the_table_and_the_remedy()
    {
        var db = new SchemaBuilder();
        db.Table("t", t =>
        {
            t.Column("id", Types.Integer);
            t.Policy("p", p => p.For(PolicyCommand.Select).WithCheck("true"));
            t.Policy("p", p => p.For(PolicyCommand.Insert).Using("true"));
            t.Policy("d", p => p.For(PolicyCommand.Delete).Using("true").WithCheck("true"));
            t.Policy("me", p => p.To("CURRENT_USER"));
            t.Policy("blank", p => p.Using(" ").To(""));
        });

        var errors = Assert.Throws<SchemaValidationException>(() => db.Build()).Errors.Select(e => e.ToString()).ToList();

        Assert.Contains(errors, e => e.StartsWith("public.t policy p: a SELECT policy takes USING only (it writes no rows); use Using(…) instead of WithCheck(…)"));
        Assert.Contains(errors, e => e.StartsWith("public.t policy p: an INSERT policy takes WITH CHECK only"));
        Assert.Contains(errors, e => e.StartsWith("public.t: policy \"p\" is declared twice; a table's policies need different names"));
        Assert.Contains(errors, e => e.StartsWith("public.t policy d: a DELETE policy takes USING only"));
        Assert.Contains(errors, e => e.StartsWith("public.t policy me: role CURRENT_USER: PostgreSQL stores the role it stands for when the policy is created"));
        Assert.Contains(errors, e => e.StartsWith("public.t policy blank: the USING expression is empty"));
        Assert.Contains(errors, e => e.StartsWith("public.t policy blank: a role name is empty"));
    }

    [Fact]
    public void Pull_writes_what_builds_the_same_model()
    {
        var model = Build(db =>
        {
            Secured(db);
            db.Table("forced_only", t => { t.Column("id", Types.Integer); t.RowLevelSecurity(force: true, enable: false); });
            db.Table("plain", t => { t.Column("id", Types.Integer); t.RowLevelSecurity(); t.Policy("multi", p => p.Using("id > 0\nAND id < 10")); });
        });

        var files = CSharpSchemaWriter.Write(model, "Generated", "AppSchema");

        Assert.Contains("t.Policy(\"read_own\", p => p.For(PolicyCommand.Select).Using(\"owner = current_user\").Comment(\"own rows\"));", string.Concat(files.Select(f => f.Content)));
        Assert.Contains("t.Policy(\"share\", p => p.For(PolicyCommand.Select).To(\"reader\", \"writer\").Using(\"level < 2\"));", string.Concat(files.Select(f => f.Content)));
        Assert.Contains("t.RowLevelSecurity(force: true, enable: false);", string.Concat(files.Select(f => f.Content)));
        Assert.Equal(model, GeneratedSchemas.RoundTrip([model])[0]);
    }

    [Fact]
    public void A_snapshot_without_row_security_is_unchanged_and_one_with_it_reads_back_equal()
    {
        var old = SnapshotSerializer.Serialize(new Snapshot("0123456789abcdef0123456789abcdef", null, Build(db => db.Table("t", Documents)), []));
        Assert.DoesNotContain("rowSecurity", old);
        Assert.Empty(SnapshotSerializer.Deserialize(old, "snapshot.json").Schema.RowSecurity);

        var model = Build(Secured);
        var json = SnapshotSerializer.Serialize(new Snapshot("0123456789abcdef0123456789abcdef", null, model, []));

        Assert.Contains("\"rowSecurity\": [", json);
        Assert.Contains("\"restrictive\": true", json);
        Assert.Contains("\"command\": \"select\"", json);
        Assert.Equal(model, SnapshotSerializer.Deserialize(json, "snapshot.json").Schema);
        // Read both ways: the fast reader and the serializer give the same.
        Assert.Equal(json, SnapshotSerializer.Serialize(SnapshotSerializer.Deserialize(json, "snapshot.json")));
    }

    [Fact]
    public void A_snapshot_policy_with_an_unknown_command_is_refused_with_its_path()
    {
        var json = SnapshotSerializer.Serialize(new Snapshot("0123456789abcdef0123456789abcdef", null, Build(Secured), []))
            .Replace("\"command\": \"select\"", "\"command\": \"selekt\"", StringComparison.Ordinal);

        var error = Assert.Throws<SnapshotFormatException>(() => SnapshotSerializer.Deserialize(json, "snapshot.json"));

        Assert.Contains("rowSecurity[0].policies[2].command", error.Message);
    }

    [Fact]
    public void Creating_writes_the_table_then_its_row_level_security_and_policies()
    {
        var sql = Create(Secured);

        Assert.Equal("""
            CREATE SCHEMA "app";
            CREATE TABLE "app"."documents" (
                "id" integer NOT NULL,
                "owner" text NOT NULL,
                "level" integer,
                CONSTRAINT "documents_pkey" PRIMARY KEY ("id")
            );
            ALTER TABLE "app"."documents" ENABLE ROW LEVEL SECURITY;
            ALTER TABLE "app"."documents" FORCE ROW LEVEL SECURITY;
            CREATE POLICY "cap" ON "app"."documents" AS RESTRICTIVE TO PUBLIC USING (level < 5) WITH CHECK (level < 5);
            CREATE POLICY "everyone" ON "app"."documents" TO PUBLIC;
            CREATE POLICY "read_own" ON "app"."documents" FOR SELECT TO PUBLIC USING (owner = current_user);
            COMMENT ON POLICY "read_own" ON "app"."documents" IS 'own rows';
            CREATE POLICY "share" ON "app"."documents" FOR SELECT TO "reader", "writer" USING (level < 2);
            CREATE POLICY "write_own" ON "app"."documents" FOR INSERT TO "writer" WITH CHECK (owner = current_user);
            """, sql);
    }

    [Fact]
    public void Altering_roles_and_expressions_is_one_alter_and_removing_an_expression_re_creates_the_policy()
    {
        var up = Up(
            db => db.Table("t", t => { Documents(t); t.Policy("p", p => p.To("a").Using("level > 0").WithCheck("level > 0")); t.Policy("q", p => p.Using("true").WithCheck("true")); }),
            db => db.Table("t", t => { Documents(t); t.Policy("p", p => p.To("b").Using("level > 1").WithCheck("level > 0")); t.Policy("q", p => p.Using("true")); }));

        Assert.Equal("""
            DROP POLICY "q" ON "public"."t";
            ALTER POLICY "p" ON "public"."t" TO "b" USING (level > 1);
            CREATE POLICY "q" ON "public"."t" TO PUBLIC USING (true);
            """, up);
    }

    [Fact]
    public void A_dropped_table_takes_its_policies_and_a_new_table_same_name_gets_its_own()
    {
        var statements = Statements(
            db => db.Table("t", t => { t.Column("id", Types.Integer); t.RowLevelSecurity(); t.Policy("p", p => p.Using("id > 0")); }),
            db => db.Table("u", t => { t.Column("id", Types.Integer); t.RowLevelSecurity(); t.Policy("p", p => p.Using("id > 0")); }),
            "!table:public.t");

        Assert.DoesNotContain(statements, s => s.Sql.StartsWith("DROP POLICY", StringComparison.Ordinal));
        Assert.Contains(statements, s => s.Sql == "CREATE POLICY \"p\" ON \"public\".\"u\" TO PUBLIC USING (id > 0);");
    }

    [Fact]
    public void A_policy_whose_column_is_dropped_goes_before_the_column_and_one_over_a_retyped_column_comes_back_after_it()
    {
        var up = Up(
            db => db.Table("t", t => { Documents(t); t.Policy("p", p => p.Using("level > 0")); t.Policy("q", p => p.Using("owner <> ''")); }),
            db => db.Table("t", t => { t.Column("id", Types.Integer).PrimaryKey(); t.Column("level", Types.BigInt); t.Policy("p", p => p.Using("level > 0")); }));

        Assert.Equal("""
            DROP POLICY "p" ON "public"."t";
            DROP POLICY "q" ON "public"."t";
            ALTER TABLE "public"."t" DROP COLUMN "owner";
            ALTER TABLE "public"."t" ALTER COLUMN "level" TYPE bigint;
            CREATE POLICY "p" ON "public"."t" TO PUBLIC USING (level > 0);
            """, up);
    }

    [Fact]
    public void The_random_round_trips_generate_policies_of_every_command_and_every_policy_change()
    {
        var pairs = Enumerable.Range(1, 200).Select(seed => new RandomSchemaGenerator(seed).NextPair()).ToList();

        var policies = pairs.SelectMany(p => p.A.RowSecurity).SelectMany(s => s.Policies).ToList();
        foreach (var command in Enum.GetValues<PolicyCommand>())
            Assert.Contains(policies, p => p.Command == command);
        Assert.Contains(policies, p => !p.Permissive);
        Assert.Contains(pairs, p => p.A.RowSecurity.Any(s => s.Forced));
        foreach (var change in new[] { "row-level security enabled", "row-level security disabled", "row-level security forced", " added", " dropped", " changed", " now for ", " restrictive", " renamed to " })
            Assert.True(pairs.Any(p => p.Mutations.Any(m => (m.Contains(": policy", StringComparison.Ordinal) || m.Contains(": row-level", StringComparison.Ordinal)) && m.Contains(change, StringComparison.Ordinal))),
                $"no random pair has the change \"{change}\": " + string.Join(" | ", pairs.SelectMany(p => p.Mutations).Where(m => m.Contains(": policy", StringComparison.Ordinal) || m.Contains(": row-level", StringComparison.Ordinal)).Take(30)));
    }
}
