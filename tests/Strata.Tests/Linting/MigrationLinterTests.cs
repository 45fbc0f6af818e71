using Strata.Postgres.Linting;
using Strata.Postgres.Migrations;

namespace Strata.Tests.Linting;

public class MigrationLinterTests
{
    private const string Users = """
        CREATE TABLE "public"."users" (
          "id" bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
          "email" text NOT NULL,
          "name" varchar(50),
          "score" numeric(10,2)
        );
        """;

    /// <summary>The findings of the last script, each script read as a migration after the ones before it.</summary>
    private static IReadOnlyList<LintFinding> Lint(LintSettings settings, params string[] ups)
    {
        var linter = new MigrationLinter(settings);
        IReadOnlyList<LintFinding> findings = [];
        for (var i = 0; i < ups.Length; i++)
            findings = linter.Lint(MigrationScript.Parse(ups[i], $"{i:D4}/up.sql"), $"{i:D4}/up.sql");
        return findings;
    }

    private static IReadOnlyList<LintFinding> Lint(params string[] ups) => Lint(LintSettings.Default, ups);

    private static List<string> Rules(IReadOnlyList<LintFinding> findings) => findings.Select(f => f.Rule.Id).ToList();

    /// <summary>Asserts one finding of <paramref name="rule"/> (and no other) and returns it.</summary>
    private static LintFinding Single(string rule, IReadOnlyList<LintFinding> findings)
    {
        Assert.Equal([rule], Rules(findings));
        return findings[0];
    }

    [Fact]
    public void A_new_table_with_good_types_has_no_findings() => Assert.Empty(Lint(Users));

    [Fact]
    public void A_plain_index_on_an_existing_table_is_an_error_at_its_line()
    {
        var finding = Single("index-not-concurrent", Lint(Users, "SELECT 1;\n--> statement-breakpoint\n\nCREATE INDEX users_email ON public.users (email);"));
        Assert.Equal(LintLevel.Error, finding.Level);
        Assert.Equal(4, finding.Line);
        Assert.Equal("0001/up.sql", finding.File);
        Assert.Contains("public.users", finding.Message);
    }

    [Fact]
    public void An_index_built_concurrently_outside_a_transaction_or_on_a_new_table_is_fine()
    {
        Assert.Empty(Lint(Users, "-- strata:no-transaction\n\nCREATE INDEX CONCURRENTLY users_email ON public.users (email);"));
        Assert.Empty(Lint(Users + "\n--> statement-breakpoint\nCREATE INDEX users_email ON public.users (email);"));
    }

    [Fact]
    public void Dropping_an_index_needs_concurrently_unless_the_migration_created_it()
    {
        Single("index-not-concurrent", Lint(Users, "DROP INDEX public.users_email;"));
        Assert.Empty(Lint(Users, "-- strata:no-transaction\n\nDROP INDEX CONCURRENTLY IF EXISTS public.users_email;"));
        Assert.Empty(Lint(Users, "CREATE TABLE t (a bigint);\n--> statement-breakpoint\nCREATE INDEX t_a ON t (a);\n--> statement-breakpoint\nDROP INDEX t_a;"));
    }

    [Fact]
    public void Concurrently_in_a_transactional_migration_fails_under_strata_migrate()
    {
        var finding = Single("concurrently-in-transaction", Lint(Users, "CREATE INDEX CONCURRENTLY users_email ON public.users (email);"));
        Assert.Contains("strata migrate fails", finding.Message);
    }

    [Theory]
    [InlineData("ALTER TABLE public.users ADD CONSTRAINT users_email_check CHECK (email <> '');", "CHECK")]
    [InlineData("ALTER TABLE public.users ADD CONSTRAINT users_team_fk FOREIGN KEY (id) REFERENCES public.users (id);", "FOREIGN KEY")]
    public void A_constraint_added_to_an_existing_table_needs_not_valid(string statement, string kind)
    {
        Assert.Contains(kind, Single("constraint-not-valid", Lint(Users, statement)).Message);
        Assert.Empty(Lint(Users, statement.TrimEnd(';') + " NOT VALID;"));
        Assert.Empty(Lint(Users + "\n--> statement-breakpoint\n" + statement));
        Assert.Empty(Lint(Users, statement.TrimEnd(';') + " NOT VALID;", "ALTER TABLE public.users VALIDATE CONSTRAINT users_email_check;"));
    }

    [Fact]
    public void Validating_in_the_transaction_that_added_the_constraint_not_valid_holds_its_lock_through_the_scan()
    {
        const string add = "ALTER TABLE public.users ADD CONSTRAINT users_email_check CHECK (email <> '') NOT VALID;";
        const string validate = "ALTER TABLE public.users VALIDATE CONSTRAINT users_email_check;";
        Assert.Contains("in the transaction that added it NOT VALID", Single("constraint-not-valid", Lint(Users, add + "\n--> statement-breakpoint\n" + validate)).Message);
        Assert.Empty(Lint(Users, "-- strata:no-transaction\n\n" + add + "\n--> statement-breakpoint\n" + validate));
        Assert.Empty(Lint(Users, add, validate));
    }

    [Fact]
    public void Set_not_null_needs_a_validated_not_null_check_first()
    {
        const string setNotNull = "ALTER TABLE public.users ALTER COLUMN name SET NOT NULL;";
        Single("set-not-null", Lint(Users, setNotNull));
        // The safe form: the check added NOT VALID, validated in the following migration, then SET NOT NULL.
        Assert.Empty(Lint(Users,
            "ALTER TABLE public.users ADD CONSTRAINT users_name_not_null CHECK (\"name\" IS NOT NULL) NOT VALID;",
            "ALTER TABLE public.users VALIDATE CONSTRAINT users_name_not_null;\n--> statement-breakpoint\n" + setNotNull
                + "\n--> statement-breakpoint\nALTER TABLE public.users DROP CONSTRAINT users_name_not_null;"));
        // Not yet validated: the check does not spare the scan.
        Single("set-not-null", Lint(Users,
            "ALTER TABLE public.users ADD CONSTRAINT users_name_not_null CHECK (name IS NOT NULL) NOT VALID;\n--> statement-breakpoint\n" + setNotNull));
        // A check on another column does not count.
        Single("set-not-null", Lint(Users,
            "ALTER TABLE public.users ADD CONSTRAINT users_email_not_null CHECK (email IS NOT NULL) NOT VALID;",
            "ALTER TABLE public.users VALIDATE CONSTRAINT users_email_not_null;\n--> statement-breakpoint\n" + setNotNull));
        Assert.Empty(Lint(Users + "\n--> statement-breakpoint\n" + setNotNull));
    }

    [Theory]
    [InlineData("ALTER TABLE public.users ALTER COLUMN name TYPE integer USING name::integer;", true)]
    [InlineData("ALTER TABLE public.users ALTER COLUMN email TYPE varchar(20);", true)]
    [InlineData("ALTER TABLE public.users ALTER COLUMN score SET DATA TYPE numeric(8,2);", true)]
    [InlineData("ALTER TABLE public.users ALTER COLUMN score TYPE numeric(12,3);", true)]
    [InlineData("ALTER TABLE public.users ALTER COLUMN name TYPE varchar(100);", false)]
    [InlineData("ALTER TABLE public.users ALTER COLUMN name TYPE character varying;", false)]
    [InlineData("ALTER TABLE public.users ALTER COLUMN name TYPE text;", false)]
    [InlineData("ALTER TABLE public.users ALTER COLUMN score TYPE numeric(14,2);", false)]
    [InlineData("ALTER TABLE public.users ALTER COLUMN score TYPE numeric;", false)]
    public void A_type_change_rewrites_the_table_unless_it_only_widens(string statement, bool rewrites)
    {
        var findings = Lint(Users, statement);
        Assert.Equal(rewrites ? ["column-type-change"] : [], Rules(findings));
    }

    [Fact]
    public void A_type_change_on_a_column_whose_type_no_earlier_migration_shows_is_reported()
    {
        var finding = Single("column-type-change", Lint("ALTER TABLE public.legacy ALTER COLUMN note TYPE text;"));
        Assert.Contains("no earlier migration here shows", finding.Message);
    }

    [Fact]
    public void Renames_of_a_column_or_table_break_the_running_application()
    {
        Assert.Contains("public.users.name", Single("rename", Lint(Users, "ALTER TABLE public.users RENAME COLUMN name TO full_name;")).Message);
        Assert.Contains("public.accounts", Single("rename", Lint(Users, "ALTER TABLE public.users RENAME TO accounts;")).Message);
        Assert.Empty(Lint(Users + "\n--> statement-breakpoint\nALTER TABLE public.users RENAME TO accounts;"));
    }

    [Fact]
    public void A_renamed_table_keeps_its_columns_for_later_migrations()
    {
        Assert.Empty(Lint(Users, "ALTER TABLE public.users RENAME TO accounts;", "ALTER TABLE public.accounts ALTER COLUMN name TYPE text;"));
    }

    [Fact]
    public void Drops_lose_data_and_break_the_running_application_when_an_earlier_migration_created_the_object()
    {
        Assert.Equal(["drop-column", "backward-incompatible"], Rules(Lint(Users, "ALTER TABLE public.users DROP COLUMN name;")));
        Assert.Equal(["drop-table", "backward-incompatible"], Rules(Lint(Users, "DROP TABLE public.users;")));
        // A table no migration here created (made by hand): the data loss, not the running application.
        Assert.Equal(["drop-table"], Rules(Lint("DROP TABLE IF EXISTS public.legacy CASCADE;")));
        Assert.Empty(Lint(Users + "\n--> statement-breakpoint\nDROP TABLE public.users;"));
    }

    [Fact]
    public void A_required_column_needs_a_default_on_an_existing_table()
    {
        Single("required-column-without-default", Lint(Users, "ALTER TABLE public.users ADD COLUMN age integer NOT NULL;"));
        Assert.Empty(Lint(Users, "ALTER TABLE public.users ADD COLUMN age integer NOT NULL DEFAULT 0;"));
        Assert.Empty(Lint(Users, "ALTER TABLE public.users ADD COLUMN age integer;"));
        Assert.Empty(Lint(Users + "\n--> statement-breakpoint\nALTER TABLE public.users ADD COLUMN age integer NOT NULL;"));
    }

    [Theory]
    [InlineData("ALTER TABLE public.users ADD COLUMN token uuid NOT NULL DEFAULT gen_random_uuid();", "gen_random_uuid")]
    [InlineData("ALTER TABLE public.users ADD COLUMN seen timestamptz DEFAULT clock_timestamp();", "clock_timestamp")]
    [InlineData("ALTER TABLE public.users ADD COLUMN n double precision DEFAULT (random() * 10);", "random")]
    [InlineData("ALTER TABLE public.users ADD COLUMN n bigserial;", "nextval")]
    [InlineData("ALTER TABLE public.users ADD COLUMN n bigint GENERATED BY DEFAULT AS IDENTITY;", "identity")]
    public void A_volatile_default_on_an_existing_table_rewrites_it(string statement, string named)
    {
        Assert.Contains(named, Single("volatile-default", Lint(Users, statement)).Message);
        Assert.Empty(Lint(Users + "\n--> statement-breakpoint\n" + statement));
    }

    [Fact]
    public void A_constant_or_stable_default_is_cheap()
    {
        Assert.Empty(Lint(Users, "ALTER TABLE public.users ADD COLUMN created timestamptz NOT NULL DEFAULT now();"));
        Assert.Empty(Lint(Users, "ALTER TABLE public.users ADD COLUMN state text NOT NULL DEFAULT 'random()';"));
    }

    [Theory]
    [InlineData("CREATE TABLE t (id serial PRIMARY KEY);", "serial")]
    [InlineData("CREATE TABLE t (id integer GENERATED ALWAYS AS IDENTITY, CONSTRAINT t_pkey PRIMARY KEY (id));", "integer")]
    [InlineData("CREATE TABLE t (id int4 NOT NULL, PRIMARY KEY (id));", "int4")]
    [InlineData("CREATE TABLE t (id smallint PRIMARY KEY);", "32,767")]
    public void An_integer_primary_key_will_overflow(string statement, string named) =>
        Assert.Contains(named, Single("integer-primary-key", Lint(statement)).Message);

    [Fact]
    public void A_bigint_primary_key_or_an_integer_column_is_fine()
    {
        Assert.Empty(Lint("CREATE TABLE t (id bigserial PRIMARY KEY, n integer);"));
        Assert.Empty(Lint("CREATE TABLE t (id uuid PRIMARY KEY);"));
    }

    [Theory]
    [InlineData("CREATE TABLE t (code char(3));", "char-type")]
    [InlineData("CREATE TABLE t (code character(3));", "char-type")]
    [InlineData("CREATE TABLE t (at timestamp);", "timestamp-without-time-zone")]
    [InlineData("CREATE TABLE t (at timestamp(3) without time zone);", "timestamp-without-time-zone")]
    [InlineData("ALTER TABLE public.users ADD COLUMN at timestamp;", "timestamp-without-time-zone")]
    public void Char_and_timestamp_without_time_zone_are_warnings(string statement, string rule) =>
        Assert.Equal(LintLevel.Warning, Single(rule, Lint(Users, statement)).Level);

    [Theory]
    [InlineData("CREATE TABLE t (code varchar(3), name character varying, at timestamptz, b timestamp(3) with time zone);")]
    [InlineData("CREATE TABLE t (note text DEFAULT 'char(3) timestamp');")]
    public void Varchar_and_timestamptz_are_fine(string statement) => Assert.Empty(Lint(statement));

    [Fact]
    public void Unique_and_primary_key_constraints_on_an_existing_table_need_a_concurrently_built_index()
    {
        Single("unique-not-using-index", Lint(Users, "ALTER TABLE public.users ADD CONSTRAINT users_email_key UNIQUE (email);"));
        Single("unique-not-using-index", Lint(Users, "ALTER TABLE public.users ADD COLUMN code text UNIQUE;"));
        Assert.Empty(Lint(Users, "ALTER TABLE public.users ADD CONSTRAINT users_email_key UNIQUE USING INDEX users_email_key;"));
        Assert.Empty(Lint(Users + "\n--> statement-breakpoint\nALTER TABLE public.users ADD CONSTRAINT users_email_key UNIQUE (email);"));
    }

    [Fact]
    public void Missing_lock_timeout_is_off_by_default_and_found_when_turned_on()
    {
        const string alter = "ALTER TABLE public.users ADD COLUMN age integer;";
        Assert.Empty(Lint(Users, alter));
        var on = new LintSettings(new Dictionary<string, LintLevel> { ["missing-lock-timeout"] = LintLevel.Warning });
        Assert.Equal(LintLevel.Warning, Single("missing-lock-timeout", Lint(on, Users, alter)).Level);
        Assert.Empty(Lint(on, Users, "SET lock_timeout = '5s';\n--> statement-breakpoint\n" + alter));
        Assert.Empty(Lint(on, Users, "SELECT set_config('lock_timeout', '5s', true);\n--> statement-breakpoint\n" + alter));
        Assert.Empty(Lint(on, Users + "\n--> statement-breakpoint\n" + alter));
    }

    [Fact]
    public void A_rule_set_off_or_raised_in_the_settings_is_applied()
    {
        var settings = new LintSettings(new Dictionary<string, LintLevel> { ["drop-column"] = LintLevel.Off, ["char-type"] = LintLevel.Error });
        Assert.Equal(["backward-incompatible"], Rules(Lint(settings, Users, "ALTER TABLE public.users DROP COLUMN name;")));
        Assert.Equal(LintLevel.Error, Single("char-type", Lint(settings, "CREATE TABLE t (c char(2));")).Level);
    }

    [Fact]
    public void A_lint_ignore_line_silences_its_rules_for_the_statement_below_it_only()
    {
        var findings = Lint(Users, """
            -- strata:lint-ignore drop-column, backward-incompatible
            ALTER TABLE public.users DROP COLUMN name;
            --> statement-breakpoint
            ALTER TABLE public.users DROP COLUMN score;
            """);
        Assert.Equal(["drop-column", "backward-incompatible"], Rules(findings));
        Assert.All(findings, f => Assert.Equal(4, f.Line));
    }

    [Fact]
    public void A_lint_ignore_inside_a_statement_silences_that_statement()
    {
        Assert.Empty(Lint(Users, """
            CREATE INDEX users_email
              -- strata:lint-ignore index-not-concurrent
              ON public.users (email);
            """));
    }

    [Fact]
    public void A_lint_ignore_file_directive_silences_its_rules_in_the_whole_file()
    {
        var findings = Lint(Users, """
            -- strata:lint-ignore-file drop-column,backward-incompatible

            ALTER TABLE public.users DROP COLUMN name;
            --> statement-breakpoint
            ALTER TABLE public.users DROP COLUMN score;
            --> statement-breakpoint
            CREATE INDEX users_email ON public.users (email);
            """);
        Assert.Equal(["index-not-concurrent"], Rules(findings));
    }

    [Fact]
    public void A_lint_ignore_naming_an_unknown_rule_is_an_error_naming_the_rules()
    {
        var finding = Single("lint-ignore", Lint(Users, "-- strata:lint-ignore drop-colum\nSELECT 1;"));
        Assert.Equal(1, finding.Line);
        Assert.Equal(LintLevel.Error, finding.Level);
        Assert.Contains("\"drop-colum\" is not a rule of strata lint; the rules are index-not-concurrent,", finding.Message);
    }

    [Fact]
    public void A_down_script_that_drops_a_column_or_table_loses_data()
    {
        var linter = new MigrationLinter(LintSettings.Default);
        var up = MigrationScript.Parse(Users + "\n--> statement-breakpoint\nALTER TABLE public.users ADD COLUMN age integer;", "up.sql");
        var down = MigrationScript.Parse("ALTER TABLE public.users DROP COLUMN age;\n--> statement-breakpoint\nDROP TABLE \"public\".\"users\";", "down.sql");
        var findings = linter.Lint(up, "up.sql", down, "down.sql");
        Assert.Equal(["down-data-loss", "down-data-loss"], Rules(findings));
        Assert.Equal([1, 3], findings.Select(f => f.Line));
        Assert.All(findings, f => Assert.Equal("down.sql", f.File));
        Assert.Contains("public.users.age", findings[0].Message);
    }

    [Fact]
    public void Words_in_strings_comments_and_bodies_are_not_statements()
    {
        Assert.Empty(Lint(Users, """
            /* CREATE INDEX x ON public.users (email); */
            DO $$ BEGIN EXECUTE 'CREATE INDEX x ON public.users (email)'; END $$;
            """));
    }

    [Fact]
    public void Every_rule_has_an_id_a_why_and_a_safe_form()
    {
        Assert.Equal(LintRules.All.Count, LintRules.All.Select(r => r.Id).Distinct().Count());
        Assert.All(LintRules.All, r => Assert.False(string.IsNullOrWhiteSpace(r.Why) || string.IsNullOrWhiteSpace(r.SafeForm)));
    }
}
