using Strata.CodeGeneration;
using Strata.Dsl;
using Strata.Model;
using Strata.Snapshots;
using Strata.Tests.CodeGeneration;
using static Strata.Tests.Sql.MigrationSql;

namespace Strata.Tests.Sql;

/// <summary>
/// Roles and grants through the DSL, the validator, pull's C#, the snapshot, the differ's order and the SQL (the
/// PostgreSQL round trips are in the integration tests' PrivilegeScenarios).
/// </summary>
public class PrivilegeTests
{
    private static void Shop(SchemaBuilder db)
    {
        db.Role("app_user").Login();
        db.Role("authenticated").Existing();
        var app = db.Schema("app");
        app.Table("orders", t =>
        {
            t.Column("id", Types.Integer).PrimaryKey();
            t.Column("total", Types.Integer);
        });
        app.View("big_orders", "SELECT id FROM app.orders WHERE total > 100");
        app.Sequence("numbers");
        app.Function("answer", f => f.Returns(Types.Integer).Body("SELECT 42"));
        app.Grant(GrantOn.Schema(), "app_user", Privilege.Usage);
        app.Grant(GrantOn.Table("orders"), "app_user", Privilege.Select, Privilege.Insert);
        app.Grant(GrantOn.Table("big_orders"), "authenticated", withGrantOption: true, Privilege.Select);
        app.Grant(GrantOn.Sequence("numbers"), "app_user", Privilege.Usage);
        app.Grant(GrantOn.Function("answer()"), "app_user", Privilege.Execute);
        app.Grant(GrantOn.Table("app.orders"), "public", Privilege.References);
    }

    [Fact]
    public void A_schema_declares_roles_and_grants_in_canonical_order()
    {
        var model = Build(Shop);

        Assert.Equal([new Role("app_user", Login: true), new Role("authenticated", Existing: true)], model.Roles);
        Assert.Equal(
        [
            new Grant(GrantTarget.Schema, "app", "", "app_user", Privilege.Usage),
            new Grant(GrantTarget.Function, "app", "answer()", "app_user", Privilege.Execute),
            new Grant(GrantTarget.Table, "app", "big_orders", "authenticated", Privilege.Select, WithGrantOption: true),
            new Grant(GrantTarget.Sequence, "app", "numbers", "app_user", Privilege.Usage),
            new Grant(GrantTarget.Table, "app", "orders", "app_user", Privilege.Select),
            new Grant(GrantTarget.Table, "app", "orders", "app_user", Privilege.Insert),
            new Grant(GrantTarget.Table, "app", "orders", "public", Privilege.References),
        ], model.Grants);
        Assert.Equal(7, model.Counts().Single(c => c.Key == "grants").Value);
        Assert.DoesNotContain("grant", DatabaseModel.SchemaObjectKinds, StringComparison.Ordinal);
        Assert.DoesNotContain("role", DatabaseModel.SchemaObjectKinds, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_privilege_mistake_is_reported_with_the_object_and_the_remedy()
    {
        var db = new SchemaBuilder();
        db.Role("reader").Existing().Login();
        db.Role("reader");
        db.Role("pg_monitor");
        db.Table("t", t => t.Column("id", Types.Integer));
        db.Grant(GrantOn.Table("t"), "stranger", Privilege.Select);
        db.Grant(GrantOn.Table("t"), "reader", Privilege.Execute);
        db.Grant(GrantOn.Table("missing"), "reader", Privilege.Select);
        db.Grant(GrantOn.Function("f(integer)"), "reader", Privilege.Execute);

        var errors = Assert.Throws<SchemaValidationException>(() => db.Build()).Errors.Select(e => e.ToString()).ToList();

        Assert.Contains(errors, e => e.StartsWith("role reader: an existing role's attributes are the server's"));
        Assert.Contains(errors, e => e.StartsWith("role reader: is declared twice"));
        Assert.Contains(errors, e => e.StartsWith("role pg_monitor: PostgreSQL reserves this name"));
        Assert.Contains(errors, e => e.StartsWith("grant on table public.t to stranger: role stranger is not declared; declare it with db.Role(\"stranger\")"));
        Assert.Contains(errors, e => e.StartsWith("grant on table public.t to reader: EXECUTE cannot be granted on a table; it takes SELECT, INSERT"));
        Assert.Contains(errors, e => e.StartsWith("grant on table public.missing to reader: no such table is declared"));
        Assert.Contains(errors, e => e.StartsWith("grant on function public.f(integer) to reader: no such function is declared; declare it, or name it as declared with its input types"));
    }

    [Fact]
    public void Pull_writes_what_builds_the_same_model()
    {
        var model = Build(Shop);

        var code = string.Concat(CSharpSchemaWriter.Write(model, "Generated", "AppSchema").Select(f => f.Content));

        Assert.Contains("db.Role(\"app_user\").Login();", code);
        Assert.Contains("db.Role(\"authenticated\").Existing();", code);
        Assert.Contains("db.Grant(GrantOn.Table(\"orders\"), \"app_user\", Privilege.Select, Privilege.Insert);", code);
        Assert.Contains("db.Grant(GrantOn.Table(\"big_orders\"), \"authenticated\", withGrantOption: true, Privilege.Select);", code);
        Assert.Equal(model, GeneratedSchemas.RoundTrip([model])[0]);
    }

    [Fact]
    public void A_snapshot_without_roles_or_grants_is_unchanged_and_one_with_them_reads_back_equal()
    {
        var old = SnapshotSerializer.Serialize(new Snapshot("0123456789abcdef0123456789abcdef", null, Build(db => db.Table("t", t => t.Column("id", Types.Integer))), []));
        Assert.DoesNotContain("\"roles\"", old);
        Assert.DoesNotContain("\"grants\"", old);

        var model = Build(Shop);
        var json = SnapshotSerializer.Serialize(new Snapshot("0123456789abcdef0123456789abcdef", null, model, []));

        Assert.Contains("\"grants\": [", json);
        Assert.Contains("\"existing\": true", json);
        Assert.Contains("\"withGrantOption\": true", json);
        Assert.Equal(model, SnapshotSerializer.Deserialize(json, "snapshot.json").Schema);
        Assert.Equal(json, SnapshotSerializer.Serialize(SnapshotSerializer.Deserialize(json, "snapshot.json")));
    }

    [Fact]
    public void Creating_makes_a_managed_role_when_missing_and_grants_after_every_object()
    {
        var sql = Create(Shop);
        var lines = sql.Split('\n');

        Assert.Equal(
            "DO $strata$ BEGIN IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = 'app_user') THEN CREATE ROLE \"app_user\"; END IF; END $strata$;",
            Assert.Single(lines, l => l.StartsWith("DO ", StringComparison.Ordinal)));
        Assert.Contains("ALTER ROLE \"app_user\" WITH LOGIN INHERIT NOCREATEDB NOCREATEROLE;", lines);
        Assert.DoesNotContain(lines, l => l.Contains("ROLE \"authenticated\"", StringComparison.Ordinal));
        var grants = lines.SkipWhile(l => !l.StartsWith("GRANT", StringComparison.Ordinal)).ToList();
        Assert.All(grants, l => Assert.StartsWith("GRANT", l, StringComparison.Ordinal));
        Assert.Equal(
        [
            "GRANT USAGE ON SCHEMA \"app\" TO \"app_user\";",
            "GRANT EXECUTE ON ROUTINE \"app\".\"answer\"() TO \"app_user\";",
            "GRANT SELECT ON TABLE \"app\".\"big_orders\" TO \"authenticated\" WITH GRANT OPTION;",
            "GRANT USAGE ON SEQUENCE \"app\".\"numbers\" TO \"app_user\";",
            "GRANT SELECT ON TABLE \"app\".\"orders\" TO \"app_user\";",
            "GRANT INSERT ON TABLE \"app\".\"orders\" TO \"app_user\";",
            "GRANT REFERENCES ON TABLE \"app\".\"orders\" TO PUBLIC;",
        ], grants);
    }

    [Fact]
    public void Revoking_goes_first_a_grant_option_is_revoked_alone_and_a_dropped_table_takes_its_grants()
    {
        var up = Up(
            db =>
            {
                db.Role("r");
                db.Table("t", t => t.Column("id", Types.Integer));
                db.Table("gone", t => t.Column("id", Types.Integer));
                db.Grant(GrantOn.Table("t"), "r", withGrantOption: true, Privilege.Select);
                db.Grant(GrantOn.Table("t"), "r", Privilege.Update);
                db.Grant(GrantOn.Table("gone"), "r", Privilege.Select);
            },
            db =>
            {
                db.Role("r");
                db.Table("t", t => t.Column("id", Types.Integer));
                db.Grant(GrantOn.Table("t"), "r", Privilege.Select, Privilege.Delete);
            });

        Assert.Equal("""
            REVOKE GRANT OPTION FOR SELECT ON TABLE "public"."t" FROM "r";
            REVOKE UPDATE ON TABLE "public"."t" FROM "r";
            DROP TABLE "public"."gone";
            GRANT DELETE ON TABLE "public"."t" TO "r";
            """, up);
    }

    [Fact]
    public void A_role_the_old_schema_managed_is_dropped_as_data_loss_and_an_existing_one_never()
    {
        var statements = Statements(
            db => { db.Role("managed"); db.Role("theirs").Existing(); },
            Empty);

        var drop = Assert.Single(statements);
        Assert.Equal("DROP ROLE IF EXISTS \"managed\";", drop.Sql);
        Assert.Equal("drops role managed, which the server's other databases may use", drop.DataLoss);
    }

    [Fact]
    public void A_managed_role_whose_attributes_change_is_altered_and_one_that_was_existing_gets_its_attributes()
    {
        var up = Up(
            db => { db.Role("a"); db.Role("b").Existing(); },
            db => { db.Role("a").CreateDb().NoInherit(); db.Role("b"); });

        Assert.Equal("""
            ALTER ROLE "a" WITH NOLOGIN NOINHERIT CREATEDB NOCREATEROLE;
            ALTER ROLE "b" WITH NOLOGIN INHERIT NOCREATEDB NOCREATEROLE;
            """, up);
    }

    [Fact]
    public void A_view_created_again_gets_its_grants_again_after_it()
    {
        var up = Up(
            db =>
            {
                db.Role("r");
                db.Table("t", t => { t.Column("id", Types.Integer); t.Column("n", Types.Integer); });
                db.View("v", "SELECT id, n FROM public.t");
                db.Grant(GrantOn.Table("v"), "r", Privilege.Select);
            },
            db =>
            {
                db.Role("r");
                db.Table("t", t => { t.Column("id", Types.Integer); t.Column("n", Types.Integer); });
                db.View("v", "SELECT n FROM public.t");
                db.Grant(GrantOn.Table("v"), "r", Privilege.Select);
            });

        var lines = up.Split('\n');
        Assert.Equal("GRANT SELECT ON TABLE \"public\".\"v\" TO \"r\";", lines[^1]);
        Assert.True(Array.FindIndex(lines, l => l.StartsWith("CREATE VIEW", StringComparison.Ordinal)) < lines.Length - 1, up);
    }

    [Fact]
    public void A_renamed_table_keeps_its_grants()
    {
        var up = Up(
            db => { db.Role("r"); db.Table("t", t => t.Column("id", Types.Integer)); db.Grant(GrantOn.Table("t"), "r", Privilege.Select); },
            db => { db.Role("r"); db.Table("u", t => t.Column("id", Types.Integer)); db.Grant(GrantOn.Table("u"), "r", Privilege.Select); },
            "table:public.t=public.u");

        Assert.Equal("ALTER TABLE \"public\".\"t\" RENAME TO \"u\";", up);
    }

    [Fact]
    public void An_enum_re_created_for_a_removed_value_has_its_revoked_usage_and_its_grants_again_after_it()
    {
        static Action<SchemaBuilder> Moods(params string[] values) => db =>
        {
            db.Role("r").Existing();
            var mood = db.Enum("mood", values);
            db.Table("t", t => t.Column("m", mood));
            db.Revoke(GrantOn.Type("mood"), "public", Privilege.Usage);
            db.Grant(GrantOn.Type("mood"), "r", Privilege.Usage);
        };

        var lines = Up(Moods("sad", "ok", "gone"), Moods("sad", "ok")).Split('\n');

        var created = Array.FindIndex(lines, l => l.StartsWith("CREATE TYPE \"public\".\"mood\"", StringComparison.Ordinal));
        Assert.True(created >= 0, string.Join("\n", lines));
        Assert.True(Array.IndexOf(lines, "REVOKE USAGE ON TYPE \"public\".\"mood\" FROM PUBLIC;") > created, string.Join("\n", lines));
        Assert.True(Array.IndexOf(lines, "GRANT USAGE ON TYPE \"public\".\"mood\" TO \"r\";") > created, string.Join("\n", lines));
    }

    [Fact]
    public void A_renamed_schema_type_routine_and_column_keep_their_grants_and_revoked_defaults()
    {
        static Action<SchemaBuilder> Vault(string schema, string type, string function, string column) => db =>
        {
            db.Role("r").Existing();
            var vault = db.Schema(schema);
            vault.Enum(type, "low", "high");
            vault.Table("t", t => t.Column(column, Types.Integer));
            vault.Function(function, f => f.Returns(Types.Integer).Body("SELECT 42"));
            vault.Grant(GrantOn.Schema(), "r", Privilege.Usage);
            vault.Revoke(GrantOn.Type(type), "public", Privilege.Usage);
            vault.Revoke(GrantOn.Function(function + "()"), "public", Privilege.Execute);
            vault.Grant(GrantOn.Columns("t", column), "r", Privilege.Select);
        };

        var schemaRenamed = Up(Vault("vault", "level", "secret", "n"), Vault("safe", "level", "secret", "n"), "schema:vault=safe");
        var objectsRenamed = Up(Vault("vault", "level", "secret", "n"), Vault("vault", "tier", "hidden", "m"), "enum:vault.level=vault.tier", "column:vault.t.n=m");

        Assert.Equal("ALTER SCHEMA \"vault\" RENAME TO \"safe\";", schemaRenamed);
        Assert.DoesNotContain("GRANT", objectsRenamed, StringComparison.Ordinal);
        Assert.DoesNotContain("REVOKE", objectsRenamed, StringComparison.Ordinal);
    }

    [Fact]
    public void The_sequence_of_an_identity_column_added_while_default_privileges_are_in_force_loses_what_the_schema_does_not_grant()
    {
        static Action<SchemaBuilder> Counters(bool identity) => db =>
        {
            db.Table("counters", t =>
            {
                t.Column("name", Types.Text);
                if (identity)
                    t.Column("id", Types.Integer).NotNull().Identity();
            });
            db.DefaultPrivileges().Grant(GrantTarget.Sequence, "public", Privilege.Select);
            db.DefaultPrivileges().Grant(GrantTarget.Table, "public", Privilege.Update);
        };

        var lines = Up(Counters(identity: false), Counters(identity: true)).Split('\n');

        Assert.Contains("REVOKE SELECT ON SEQUENCE \"public\".\"counters_id_seq\" FROM PUBLIC;", lines);
        // Default privileges give a new column nothing (its table had them already).
        Assert.DoesNotContain(lines, l => l.Contains("counters.id\"", StringComparison.Ordinal));
    }

    private static void Locked(SchemaBuilder db)
    {
        db.Role("auditor").Existing();
        db.Role("owner").Existing();
        var app = db.Schema("app");
        app.Enum("level", "low", "high");
        app.Function("secret", f => f.Returns(Types.Integer).Body("SELECT 42"));
        app.Revoke(GrantOn.Function("secret()"), "public", Privilege.Execute);
        app.Revoke(GrantOn.Type("level"), "public", Privilege.Usage);
        app.Grant(GrantOn.Function("secret()"), "auditor", Privilege.Execute);
        db.DefaultPrivileges().Grant(GrantTarget.Table, "auditor", withGrantOption: true, Privilege.Select).Revoke(GrantTarget.Function, "public", Privilege.Execute);
        db.DefaultPrivileges(forRole: "owner", inSchema: "app").Grant(GrantTarget.Sequence, "public", Privilege.Usage, Privilege.Select);
    }

    [Fact]
    public void Revoked_defaults_and_default_privileges_are_written_as_pull_writes_them_and_read_back_from_the_snapshot()
    {
        var model = Build(Locked);

        Assert.Contains(new Grant(GrantTarget.Function, "app", "secret()", "public", Privilege.Execute, Revoked: true), model.Grants);
        Assert.Equal(
        [
            new DefaultPrivilege("", "", GrantTarget.Table, "auditor", Privilege.Select, WithGrantOption: true),
            new DefaultPrivilege("", "", GrantTarget.Function, "public", Privilege.Execute, Revoked: true),
            new DefaultPrivilege("owner", "app", GrantTarget.Sequence, "public", Privilege.Select),
            new DefaultPrivilege("owner", "app", GrantTarget.Sequence, "public", Privilege.Usage),
        ], model.DefaultPrivileges);
        var code = string.Concat(CSharpSchemaWriter.Write(model, "Generated", "AppSchema").Select(f => f.Content));
        Assert.Contains("db.Revoke(GrantOn.Function(\"secret()\"), \"public\", Privilege.Execute);", code);
        Assert.Contains("db.DefaultPrivileges(forRole: \"owner\", inSchema: \"app\").Grant(GrantTarget.Sequence, \"public\", Privilege.Select, Privilege.Usage);", code);
        Assert.Contains("db.DefaultPrivileges().Revoke(GrantTarget.Function, \"public\", Privilege.Execute);", code);
        Assert.Equal(model, GeneratedSchemas.RoundTrip([model])[0]);
        var json = SnapshotSerializer.Serialize(new Snapshot("0123456789abcdef0123456789abcdef", null, model, []));
        Assert.Contains("\"defaultPrivileges\": [", json);
        Assert.Contains("\"revoked\": true", json);
        Assert.Equal(model, SnapshotSerializer.Deserialize(json, "snapshot.json").Schema);
        var plain = SnapshotSerializer.Serialize(new Snapshot("0123456789abcdef0123456789abcdef", null, Build(Shop), []));
        Assert.DoesNotContain("\"defaultPrivileges\"", plain);
        Assert.DoesNotContain("\"revoked\"", plain);
    }

    [Fact]
    public void Revoked_defaults_are_revoked_after_their_object_and_default_privileges_come_last_and_are_taken_back_first()
    {
        var lines = Create(Locked).Split('\n');

        var revoke = Array.IndexOf(lines, "REVOKE EXECUTE ON ROUTINE \"app\".\"secret\"() FROM PUBLIC;");
        Assert.True(revoke > Array.FindIndex(lines, l => l.StartsWith("CREATE FUNCTION", StringComparison.Ordinal)), string.Join('\n', lines));
        Assert.Contains("REVOKE USAGE ON TYPE \"app\".\"level\" FROM PUBLIC;", lines);
        Assert.Equal(
        [
            "ALTER DEFAULT PRIVILEGES GRANT SELECT ON TABLES TO \"auditor\" WITH GRANT OPTION;",
            "ALTER DEFAULT PRIVILEGES REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC;",
            "ALTER DEFAULT PRIVILEGES FOR ROLE \"owner\" IN SCHEMA \"app\" GRANT SELECT ON SEQUENCES TO PUBLIC;",
            "ALTER DEFAULT PRIVILEGES FOR ROLE \"owner\" IN SCHEMA \"app\" GRANT USAGE ON SEQUENCES TO PUBLIC;",
        ], lines[^4..]);

        var up = Up(Locked, db =>
        {
            db.Role("auditor").Existing();
            db.Role("owner").Existing();
            var app = db.Schema("app");
            app.Enum("level", "low", "high");
            app.Function("secret", f => f.Returns(Types.Integer).Body("SELECT 42"));
            db.DefaultPrivileges().Grant(GrantTarget.Table, "auditor", Privilege.Select);
        });
        // Taken back: the grant option alone, a revoked default given back, an entry revoked (the order is the planner's).
        Assert.Equal(
        [
            "ALTER DEFAULT PRIVILEGES FOR ROLE \"owner\" IN SCHEMA \"app\" REVOKE SELECT ON SEQUENCES FROM PUBLIC;",
            "ALTER DEFAULT PRIVILEGES FOR ROLE \"owner\" IN SCHEMA \"app\" REVOKE USAGE ON SEQUENCES FROM PUBLIC;",
            "ALTER DEFAULT PRIVILEGES GRANT EXECUTE ON FUNCTIONS TO PUBLIC;",
            "ALTER DEFAULT PRIVILEGES REVOKE GRANT OPTION FOR SELECT ON TABLES FROM \"auditor\";",
            "GRANT EXECUTE ON ROUTINE \"app\".\"secret\"() TO PUBLIC;",
            "GRANT USAGE ON TYPE \"app\".\"level\" TO PUBLIC;",
            "REVOKE EXECUTE ON ROUTINE \"app\".\"secret\"() FROM \"auditor\";",
        ], up.Split('\n').Order(StringComparer.Ordinal));
    }

    [Fact]
    public void A_table_created_while_default_privileges_are_in_force_loses_what_the_schema_does_not_grant()
    {
        var up = Up(
            db => { db.Role("r").Existing(); db.DefaultPrivileges().Grant(GrantTarget.Table, "r", Privilege.Select, Privilege.Insert); },
            db =>
            {
                db.Role("r").Existing();
                db.DefaultPrivileges().Grant(GrantTarget.Table, "r", Privilege.Select, Privilege.Insert);
                db.Table("t", t => t.Column("id", Types.Integer));
                db.Grant(GrantOn.Table("t"), "r", Privilege.Select);
            });

        var lines = up.Split('\n');
        Assert.StartsWith("CREATE TABLE", lines[0], StringComparison.Ordinal);
        Assert.Contains("REVOKE INSERT ON TABLE \"public\".\"t\" FROM \"r\";", lines);
        Assert.DoesNotContain(lines, l => l.StartsWith("REVOKE SELECT", StringComparison.Ordinal));
    }

    [Fact]
    public void Every_revoke_and_default_privilege_mistake_is_reported_with_the_remedy()
    {
        var db = new SchemaBuilder();
        db.Role("reader").Existing();
        db.Table("t", t => t.Column("id", Types.Integer));
        db.Function("f", f => f.Returns(Types.Integer).Body("SELECT 1"));
        db.Revoke(GrantOn.Table("t"), "public", Privilege.Select);
        db.Grant(GrantOn.Function("f()"), "public", Privilege.Execute);
        db.DefaultPrivileges(inSchema: "public").Grant(GrantTarget.Schema, "reader", Privilege.Usage);
        db.DefaultPrivileges(inSchema: "public").Revoke(GrantTarget.Function, "public", Privilege.Execute);
        db.DefaultPrivileges(forRole: "stranger").Revoke(GrantTarget.Table, "reader", Privilege.Execute);

        var errors = Assert.Throws<SchemaValidationException>(() => db.Build()).Errors.Select(e => e.ToString()).ToList();

        Assert.Contains(errors, e => e.StartsWith("grant on table public.t to public: SELECT is not a privilege PostgreSQL gives public on a table by default"));
        Assert.Contains(errors, e => e.StartsWith("grant on function public.f() to public: PUBLIC has EXECUTE on a function by default"));
        Assert.Contains(errors, e => e.StartsWith("default privileges in schema public on schemas to reader: PostgreSQL cannot use IN SCHEMA"));
        Assert.Contains(errors, e => e.StartsWith("default privileges in schema public on functions to public: default privileges in a schema only add"));
        Assert.Contains(errors, e => e.StartsWith("default privileges for role stranger on tables to reader: role stranger is not declared"));
        Assert.Contains(errors, e => e.StartsWith("default privileges for role stranger on tables to reader: EXECUTE cannot be granted on tables"));
        Assert.Contains(errors, e => e.StartsWith("default privileges for role stranger on tables to reader: only PUBLIC's built-in EXECUTE"));
    }

    [Fact]
    public void Column_grants_are_granted_after_their_column_written_by_pull_kept_in_the_snapshot_and_dropped_with_the_column()
    {
        static void People(SchemaBuilder db, bool withSalary)
        {
            db.Role("clerk").Existing();
            db.Table("people", t =>
            {
                t.Column("id", Types.Integer);
                t.Column("name", Types.Text);
                if (withSalary)
                    t.Column("salary", Types.Integer);
            });
            db.Grant(GrantOn.Columns("people", "id", "name"), "clerk", Privilege.Select);
            if (withSalary)
                db.Grant(GrantOn.Columns("people", "salary"), "clerk", withGrantOption: true, Privilege.Update);
        }

        var model = Build(db => People(db, withSalary: true));

        Assert.Contains(new Grant(GrantTarget.Table, "public", "people", "clerk", Privilege.Update, WithGrantOption: true, Column: "salary"), model.Grants);
        var code = string.Concat(CSharpSchemaWriter.Write(model, "Generated", "AppSchema").Select(f => f.Content));
        Assert.Contains("db.Grant(GrantOn.Columns(\"people\", \"salary\"), \"clerk\", withGrantOption: true, Privilege.Update);", code);
        Assert.Equal(model, GeneratedSchemas.RoundTrip([model])[0]);
        var json = SnapshotSerializer.Serialize(new Snapshot("0123456789abcdef0123456789abcdef", null, model, []));
        Assert.Contains("\"column\": \"salary\"", json);
        Assert.Equal(model, SnapshotSerializer.Deserialize(json, "snapshot.json").Schema);
        var lines = Create(db => People(db, withSalary: true)).Split('\n');
        Assert.Contains("GRANT UPDATE (\"salary\") ON TABLE \"public\".\"people\" TO \"clerk\" WITH GRANT OPTION;", lines);
        Assert.True(Array.FindIndex(lines, l => l.StartsWith("GRANT SELECT (\"id\")", StringComparison.Ordinal)) > Array.FindIndex(lines, l => l.StartsWith("CREATE TABLE", StringComparison.Ordinal)));

        // Dropped with its column: no REVOKE of a column that is gone.
        var up = Up(db => People(db, withSalary: true), db => People(db, withSalary: false));
        Assert.DoesNotContain("REVOKE", up, StringComparison.Ordinal);

        var db = new SchemaBuilder();
        db.Role("clerk").Existing();
        db.Table("people", t => t.Column("id", Types.Integer));
        db.Grant(GrantOn.Columns("people", "missing"), "clerk", Privilege.Select);
        db.Grant(GrantOn.Columns("people", "id"), "clerk", Privilege.Delete);
        var errors = Assert.Throws<SchemaValidationException>(() => db.Build()).Errors.Select(e => e.ToString()).ToList();
        Assert.Contains(errors, e => e.StartsWith("grant on column public.people.missing to clerk: public.people has no column missing"));
        Assert.Contains(errors, e => e.StartsWith("grant on column public.people.id to clerk: DELETE cannot be granted on a column; it takes SELECT, INSERT, UPDATE, REFERENCES"));
    }
}
