using Npgsql;
using Strata.IntegrationTests.Infrastructure;
using Strata.Model;
using Strata.Postgres.Introspection;
using Strata.Testing;

namespace Strata.IntegrationTests.Introspection;

public sealed class PostgresIntrospectorTests(PostgresFixture fixture) : IClassFixture<PostgresFixture>
{
    private static async Task<DatabaseModel> ReadAsync(TestDatabase database, IReadOnlyCollection<string>? excludeSchemas = null)
    {
        await using var connection = await database.OpenConnectionAsync();
        return await PostgresIntrospector.ReadAsync(connection, excludeSchemas);
    }

    private static ValueList<T> List<T>(params T[] items) => items;

    /// <summary>Compares item by item, so a failure shows the one record that differs.</summary>
    private static void AssertEach<T>(IReadOnlyList<T> expected, IReadOnlyList<T> actual)
    {
        for (var i = 0; i < Math.Min(expected.Count, actual.Count); i++)
            Assert.Equal(expected[i], actual[i]);
        Assert.Equal(expected.Count, actual.Count);
    }

    [Fact]
    public async Task Every_column_type_reads_back_as_its_model_type()
    {
        await using var database = await fixture.CreateDatabaseAsync("types", """
            CREATE TYPE mood AS ENUM ('sad', 'ok');
            CREATE SCHEMA billing;
            CREATE TYPE billing.status AS ENUM ('open');
            CREATE DOMAIN positive_int AS integer CHECK (VALUE > 0);
            CREATE TABLE everything (
                a smallint, b integer, c bigint,
                d numeric, e numeric(10,2), f numeric(7), g numeric(5,-2),
                h real, i double precision, j boolean, k text,
                l varchar, m varchar(20), n char, o char(3), p uuid, q date,
                r time, s time(3), t time with time zone, u timetz(2),
                v timestamp, w timestamp(0), x timestamptz, y timestamptz(6),
                z interval, aa interval(4), ab interval day to second,
                ac json, ad jsonb, ae bytea, af inet, ag cidr, ah macaddr,
                ai text[], aj varchar(20)[], ak integer[][], al mood, am mood[], an billing.status,
                ao tsvector, ap positive_int, aq numeric(12,4)[], ar macaddr8, "Mixed Case" int4
            );
            """);

        var columns = (await ReadAsync(database)).FindTable(new("public", "everything"))!.Columns;

        ValueList<Column> expected = List(
            new Column("a", new(TypeKind.SmallInt)),
            new Column("b", new(TypeKind.Integer)),
            new Column("c", new(TypeKind.BigInt)),
            new Column("d", new(TypeKind.Numeric)),
            new Column("e", new(TypeKind.Numeric, Precision: 10, Scale: 2)),
            new Column("f", new(TypeKind.Numeric, Precision: 7)),
            new Column("g", new(TypeKind.Numeric, Precision: 5, Scale: -2)),
            new Column("h", new(TypeKind.Real)),
            new Column("i", new(TypeKind.DoublePrecision)),
            new Column("j", new(TypeKind.Boolean)),
            new Column("k", new(TypeKind.Text)),
            new Column("l", new(TypeKind.Varchar)),
            new Column("m", new(TypeKind.Varchar, Length: 20)),
            new Column("n", new(TypeKind.Char, Length: 1)),
            new Column("o", new(TypeKind.Char, Length: 3)),
            new Column("p", new(TypeKind.Uuid)),
            new Column("q", new(TypeKind.Date)),
            new Column("r", new(TypeKind.Time)),
            new Column("s", new(TypeKind.Time, Precision: 3)),
            new Column("t", new(TypeKind.TimeTz)),
            new Column("u", new(TypeKind.TimeTz, Precision: 2)),
            new Column("v", new(TypeKind.Timestamp)),
            new Column("w", new(TypeKind.Timestamp, Precision: 0)),
            new Column("x", new(TypeKind.TimestampTz)),
            new Column("y", new(TypeKind.TimestampTz, Precision: 6)),
            new Column("z", new(TypeKind.Interval)),
            new Column("aa", new(TypeKind.Interval, Precision: 4)),
            new Column("ab", new(TypeKind.Raw, RawName: "interval day to second")),
            new Column("ac", new(TypeKind.Json)),
            new Column("ad", new(TypeKind.Jsonb)),
            new Column("ae", new(TypeKind.Bytea)),
            new Column("af", new(TypeKind.Inet)),
            new Column("ag", new(TypeKind.Cidr)),
            new Column("ah", new(TypeKind.MacAddr)),
            new Column("ai", new(TypeKind.Text, ArrayDimensions: 1)),
            new Column("aj", new(TypeKind.Varchar, Length: 20, ArrayDimensions: 1)),
            new Column("ak", new(TypeKind.Integer, ArrayDimensions: 2)),
            new Column("al", new(TypeKind.Enum, EnumName: new("public", "mood"))),
            new Column("am", new(TypeKind.Enum, EnumName: new("public", "mood"), ArrayDimensions: 1)),
            new Column("an", new(TypeKind.Enum, EnumName: new("billing", "status"))),
            new Column("ao", new(TypeKind.Raw, RawName: "tsvector")),
            new Column("ap", new(TypeKind.Domain, DomainName: new("public", "positive_int"))),
            new Column("aq", new(TypeKind.Numeric, Precision: 12, Scale: 4, ArrayDimensions: 1)),
            new Column("ar", new(TypeKind.Raw, RawName: "macaddr8")),
            new Column("Mixed Case", new(TypeKind.Integer)));
        AssertEach(expected, columns);
    }

    [Fact]
    public async Task Defaults_not_null_generated_serial_and_identity_columns_read_back_in_normal_form()
    {
        await using var database = await fixture.CreateDatabaseAsync("columns", """
            CREATE TYPE mood AS ENUM ('sad', 'ok');
            CREATE SCHEMA billing;
            CREATE TYPE billing.state AS ENUM ('open');
            CREATE TABLE items (
                small_id smallserial,
                id serial,
                big_id bigserial,
                status text NOT NULL DEFAULT 'new',
                feeling mood DEFAULT 'ok',
                created_at timestamptz NOT NULL DEFAULT now(),
                price numeric(10,2) DEFAULT 0,
                quantity integer NOT NULL DEFAULT 1,
                total numeric GENERATED ALWAYS AS (price * quantity) STORED,
                active boolean DEFAULT true,
                tags text[] DEFAULT '{}',
                score integer DEFAULT -1,
                ratio double precision DEFAULT -0.5,
                code varchar(5) DEFAULT 'it''s',
                born date DEFAULT '2000-01-01',
                state billing.state DEFAULT 'open',
                label text DEFAULT 'x'::varchar,
                doc jsonb DEFAULT '{"a": 1}'::jsonb
            );
            CREATE TABLE ids (
                always_id bigint GENERATED ALWAYS AS IDENTITY,
                by_default_id integer GENERATED BY DEFAULT AS IDENTITY (START WITH 100 INCREMENT BY 5 CACHE 20),
                custom smallint GENERATED ALWAYS AS IDENTITY (MINVALUE 10 MAXVALUE 1000 CYCLE),
                descending bigint GENERATED BY DEFAULT AS IDENTITY (INCREMENT BY -1)
            );
            -- Owned by its column and its default, but nullable: not a serial (serial means NOT NULL too).
            CREATE SEQUENCE counter_seq;
            CREATE TABLE counters (n bigint DEFAULT nextval('counter_seq'));
            ALTER SEQUENCE counter_seq OWNED BY counters.n;
            CREATE SEQUENCE other_seq;
            CREATE TABLE borrowed (n bigint DEFAULT nextval('other_seq'));
            """);

        var model = await ReadAsync(database);

        AssertEach(List(
            new Column("small_id", new(TypeKind.SmallSerial), NotNull: true),
            new Column("id", new(TypeKind.Serial), NotNull: true),
            new Column("big_id", new(TypeKind.BigSerial), NotNull: true),
            new Column("status", new(TypeKind.Text), NotNull: true, Default: "'new'"),
            new Column("feeling", new(TypeKind.Enum, EnumName: new("public", "mood")), Default: "'ok'"),
            new Column("created_at", new(TypeKind.TimestampTz), NotNull: true, Default: "now()"),
            new Column("price", new(TypeKind.Numeric, Precision: 10, Scale: 2), Default: "0"),
            new Column("quantity", new(TypeKind.Integer), NotNull: true, Default: "1"),
            new Column("total", new(TypeKind.Numeric), GeneratedAs: "price * quantity::numeric"),
            new Column("active", new(TypeKind.Boolean), Default: "true"),
            new Column("tags", new(TypeKind.Text, ArrayDimensions: 1), Default: "'{}'"),
            new Column("score", new(TypeKind.Integer), Default: "-1"),
            new Column("ratio", new(TypeKind.DoublePrecision), Default: "-0.5"),
            new Column("code", new(TypeKind.Varchar, Length: 5), Default: "'it''s'"),
            new Column("born", new(TypeKind.Date), Default: "'2000-01-01'"),
            new Column("state", new(TypeKind.Enum, EnumName: new("billing", "state")), Default: "'open'"),
            new Column("label", new(TypeKind.Text), Default: "'x'::character varying"),
            new Column("doc", new(TypeKind.Jsonb), Default: "'{\"a\": 1}'")),
            model.FindTable(new("public", "items"))!.Columns);

        AssertEach(List(
            new Column("always_id", new(TypeKind.BigInt), NotNull: true, Identity: Identity.Always),
            new Column("by_default_id", new(TypeKind.Integer), NotNull: true,
                Identity: new Identity(IdentityGeneration.ByDefault, new SequenceOptions(StartWith: 100, IncrementBy: 5, Cache: 20))),
            new Column("custom", new(TypeKind.SmallInt), NotNull: true,
                Identity: new Identity(IdentityGeneration.Always, new SequenceOptions(MinValue: 10, MaxValue: 1000, Cycle: true))),
            new Column("descending", new(TypeKind.BigInt), NotNull: true,
                Identity: new Identity(IdentityGeneration.ByDefault, new SequenceOptions(IncrementBy: -1)))),
            model.FindTable(new("public", "ids"))!.Columns);

        Assert.Equal(
            new Column("n", new(TypeKind.BigInt), Default: "nextval('counter_seq'::regclass)"),
            model.FindTable(new("public", "counters"))!.Columns.Single());
        Assert.Equal(
            new Column("n", new(TypeKind.BigInt), Default: "nextval('other_seq'::regclass)"),
            model.FindTable(new("public", "borrowed"))!.Columns.Single());

        // The serials' and identities' own sequences are part of their columns.
        Assert.Equal(List(
                new Sequence("public", "counter_seq", SequenceOptions.Default),
                new Sequence("public", "other_seq", SequenceOptions.Default)),
            model.Sequences);
    }

    [Fact]
    public async Task Stand_alone_sequences_read_back_with_only_their_non_default_options()
    {
        await using var database = await fixture.CreateDatabaseAsync("sequences", """
            CREATE SCHEMA app;
            CREATE SEQUENCE plain;
            CREATE SEQUENCE app.invoice_numbers AS integer START WITH 1000 INCREMENT BY 10 MINVALUE 1000 MAXVALUE 99999 CACHE 5 CYCLE;
            CREATE SEQUENCE small AS smallint;
            CREATE SEQUENCE countdown INCREMENT BY -2;
            CREATE SEQUENCE floor_only MINVALUE 50;
            COMMENT ON SEQUENCE plain IS 'the plain one';
            """);

        var model = await ReadAsync(database);

        Assert.Equal(List(
                // START WITH defaults to MINVALUE, so 1000 is the default here.
                new Sequence("app", "invoice_numbers", new SequenceOptions(DataType: "integer", IncrementBy: 10, MinValue: 1000, MaxValue: 99999, Cache: 5, Cycle: true)),
                new Sequence("public", "countdown", new SequenceOptions(IncrementBy: -2)),
                new Sequence("public", "floor_only", new SequenceOptions(MinValue: 50)),
                new Sequence("public", "plain", SequenceOptions.Default, "the plain one"),
                new Sequence("public", "small", new SequenceOptions(DataType: "smallint"))),
            model.Sequences);
        Assert.Equal(List("app"), model.Schemas);
    }

    [Fact]
    public async Task Primary_keys_uniques_checks_and_foreign_keys_read_back_with_their_columns_in_order()
    {
        await using var database = await fixture.CreateDatabaseAsync("constraints", """
            CREATE SCHEMA crm;
            CREATE TABLE crm.accounts (region text, number int, email text, code text,
                CONSTRAINT accounts_pk PRIMARY KEY (number, region),
                CONSTRAINT accounts_email_key UNIQUE (email),
                CONSTRAINT accounts_code_region_key UNIQUE NULLS NOT DISTINCT (code, region));
            CREATE TABLE orders (
                id bigint PRIMARY KEY,
                account_region text, account_number int,
                parent_id bigint REFERENCES orders (id) ON DELETE CASCADE ON UPDATE SET NULL,
                amount numeric CHECK (amount > 0),
                status text,
                CONSTRAINT orders_status_check CHECK (status IN ('new', 'paid')),
                CONSTRAINT orders_account_fkey FOREIGN KEY (account_number, account_region)
                    REFERENCES crm.accounts (number, region) ON DELETE RESTRICT DEFERRABLE INITIALLY DEFERRED);
            CREATE TABLE notes (order_id bigint,
                CONSTRAINT notes_order_fkey FOREIGN KEY (order_id) REFERENCES orders ON DELETE SET DEFAULT ON UPDATE NO ACTION DEFERRABLE);
            """);

        var model = await ReadAsync(database);

        var accounts = model.FindTable(new("crm", "accounts"))!;
        Assert.Equal(new PrimaryKey("accounts_pk", List("number", "region")), accounts.PrimaryKey);
        Assert.Equal(List(
                new UniqueConstraint("accounts_code_region_key", List("code", "region"), NullsNotDistinct: true),
                new UniqueConstraint("accounts_email_key", List("email"))),
            accounts.Uniques);
        Assert.True(accounts.Columns[0].NotNull && accounts.Columns[1].NotNull);
        Assert.Empty(accounts.Indexes); // the constraints' own indexes are not listed

        var orders = model.FindTable(new("public", "orders"))!;
        Assert.Equal(new PrimaryKey("orders_pkey", List("id")), orders.PrimaryKey);
        Assert.Equal(List(
                new CheckConstraint("orders_amount_check", "amount > 0::numeric"),
                new CheckConstraint("orders_status_check", "status = ANY (ARRAY['new'::text, 'paid'::text])")),
            orders.Checks);
        Assert.Equal(List(
                new ForeignKey("orders_account_fkey", List("account_number", "account_region"), new("crm", "accounts"), List("number", "region"),
                    OnDelete: ReferentialAction.Restrict, Deferrable: true, InitiallyDeferred: true),
                new ForeignKey("orders_parent_id_fkey", List("parent_id"), new("public", "orders"), List("id"),
                    OnDelete: ReferentialAction.Cascade, OnUpdate: ReferentialAction.SetNull)),
            orders.ForeignKeys);

        Assert.Equal(
            new ForeignKey("notes_order_fkey", List("order_id"), new("public", "orders"), List("id"), OnDelete: ReferentialAction.SetDefault, Deferrable: true),
            model.FindTable(new("public", "notes"))!.ForeignKeys.Single());
    }

    [Fact]
    public async Task Indexes_read_back_with_keys_order_method_include_predicate_and_operator_class()
    {
        await using var database = await fixture.CreateDatabaseAsync("indexes", """
            CREATE TABLE people (id int PRIMARY KEY, email text, name varchar(50), age int, deleted_at timestamptz,
                tags text[], bio text, "Nick Name" text, score int, code text, unique_code text UNIQUE);
            CREATE INDEX people_email_idx ON people (email);
            CREATE UNIQUE INDEX people_lower_email_idx ON people (lower(email)) WHERE deleted_at IS NULL;
            CREATE INDEX people_age_name_idx ON people (age DESC, name NULLS FIRST) INCLUDE (email, id);
            CREATE INDEX people_desc_nulls_last_idx ON people (score DESC NULLS LAST, age ASC NULLS LAST, id DESC NULLS FIRST);
            CREATE INDEX people_tags_idx ON people USING gin (tags);
            CREATE INDEX people_id_hash_idx ON people USING hash (id);
            CREATE INDEX people_deleted_brin_idx ON people USING brin (deleted_at);
            CREATE INDEX people_name_pattern_idx ON people (name varchar_pattern_ops, code text_pattern_ops);
            CREATE INDEX people_sum_idx ON people ((age + score), "Nick Name");
            CREATE UNIQUE INDEX people_code_nnd_idx ON people (code) NULLS NOT DISTINCT;
            """);

        var indexes = (await ReadAsync(database)).FindTable(new("public", "people"))!.Indexes;

        Assert.Equal(List(
                new Model.Index("people_age_name_idx",
                    List(new IndexElement("age", Direction: SortDirection.Descending), new IndexElement("name", Nulls: NullsOrder.First)),
                    Include: List("email", "id")),
                new Model.Index("people_code_nnd_idx", List(IndexElement.OnColumn("code")), Unique: true, NullsNotDistinct: true),
                new Model.Index("people_deleted_brin_idx", List(IndexElement.OnColumn("deleted_at")), Method: "brin"),
                new Model.Index("people_desc_nulls_last_idx", List(
                    new IndexElement("score", Direction: SortDirection.Descending, Nulls: NullsOrder.Last),
                    new IndexElement("age"),
                    new IndexElement("id", Direction: SortDirection.Descending))),
                new Model.Index("people_email_idx", List(IndexElement.OnColumn("email"))),
                new Model.Index("people_id_hash_idx", List(IndexElement.OnColumn("id")), Method: "hash"),
                new Model.Index("people_lower_email_idx", List(IndexElement.OnExpression("lower(email)")), Unique: true, Where: "deleted_at IS NULL"),
                new Model.Index("people_name_pattern_idx", List(
                    new IndexElement("name", OperatorClass: "varchar_pattern_ops"),
                    new IndexElement("code", OperatorClass: "text_pattern_ops"))),
                new Model.Index("people_sum_idx", List(IndexElement.OnExpression("age + score"), IndexElement.OnColumn("Nick Name"))),
                new Model.Index("people_tags_idx", List(IndexElement.OnColumn("tags")), Method: "gin")),
            indexes);
    }

    [Fact]
    public async Task Enums_views_materialized_views_and_comments_read_back()
    {
        await using var database = await fixture.CreateDatabaseAsync("views", """
            CREATE SCHEMA reports;
            CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');
            ALTER TYPE mood ADD VALUE 'meh' BEFORE 'ok';
            CREATE TYPE reports.empty AS ENUM ();
            COMMENT ON TYPE mood IS 'how it went';
            CREATE TABLE users (id int PRIMARY KEY, name text, feeling mood);
            CREATE TABLE orders (id int, user_id int, total numeric);
            COMMENT ON TABLE users IS 'people who sign in';
            COMMENT ON COLUMN users.name IS 'display name';
            CREATE VIEW user_names AS SELECT id, name FROM users;
            CREATE VIEW reports.user_totals AS
                SELECT u.id, sum(o.total) AS total FROM users u JOIN orders o ON o.user_id = u.id GROUP BY u.id;
            CREATE MATERIALIZED VIEW reports.top_users AS SELECT id FROM reports.user_totals WHERE total > 100 WITH NO DATA;
            CREATE VIEW constant AS SELECT 1 AS one;
            COMMENT ON VIEW user_names IS 'names only';
            COMMENT ON MATERIALIZED VIEW reports.top_users IS 'refreshed nightly';
            """);

        var model = await ReadAsync(database);

        Assert.Equal(List(
                new EnumType("public", "mood", List("sad", "meh", "ok", "happy"), "how it went"),
                new EnumType("reports", "empty", ValueList<string>.Empty)),
            model.Enums);

        var users = model.FindTable(new("public", "users"))!;
        Assert.Equal("people who sign in", users.Comment);
        Assert.Equal("display name", users.FindColumn("name")!.Comment);
        Assert.Null(users.FindColumn("id")!.Comment);

        Assert.Equal(List(
                new View("public", "constant", "SELECT 1 AS one", DependsOn: ValueList<QualifiedName>.Empty),
                new View("public", "user_names", "SELECT users.id,\n    users.name\n   FROM users",
                    DependsOn: List(new QualifiedName("public", "users")), Comment: "names only"),
                new View("reports", "top_users", "SELECT user_totals.id\n   FROM reports.user_totals\n  WHERE user_totals.total > 100::numeric",
                    Materialized: true, DependsOn: List(new QualifiedName("reports", "user_totals")), Comment: "refreshed nightly"),
                new View("reports", "user_totals",
                    "SELECT u.id,\n    sum(o.total) AS total\n   FROM users u\n     JOIN orders o ON o.user_id = u.id\n  GROUP BY u.id",
                    DependsOn: List(new QualifiedName("public", "orders"), new QualifiedName("public", "users")))),
            model.Views);
    }

    [Fact]
    public async Task Excluded_and_system_schemas_are_not_read_and_public_is_implicit()
    {
        await using var database = await fixture.CreateDatabaseAsync("schemas", """
            CREATE SCHEMA strata;
            CREATE TABLE strata.__strata_migrations (id text PRIMARY KEY);
            CREATE SCHEMA "Sales Team";
            CREATE TABLE "Sales Team"."Leads" ("Lead Id" int);
            CREATE SCHEMA empty_one;
            CREATE TEMP TABLE scratch (x int);
            CREATE TABLE public.plain ();
            """);

        var model = await ReadAsync(database, ["strata"]);

        Assert.Equal(List("Sales Team", "empty_one"), model.Schemas);
        Assert.Equal(List(new QualifiedName("Sales Team", "Leads"), new QualifiedName("public", "plain")), model.Tables.Select(t => t.QualifiedName).ToValueList());
        Assert.Equal(new Table("public", "plain", ValueList<Column>.Empty), model.FindTable(new("public", "plain")));
    }

    [Fact]
    public async Task An_empty_database_reads_as_the_empty_model()
    {
        await using var database = await fixture.CreateDatabaseAsync("empty");
        Assert.Equal(DatabaseModel.Empty, await ReadAsync(database));
    }

    [Fact]
    public async Task Reading_inside_the_callers_transaction_leaves_its_search_path_as_it_was()
    {
        await using var database = await fixture.CreateDatabaseAsync("in_transaction", """
            CREATE SCHEMA app;
            CREATE TYPE app.kind AS ENUM ('a');
            CREATE TABLE app.things (label text DEFAULT ('a'::app.kind)::text);
            """);
        await using var connection = await database.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using (var set = new NpgsqlCommand("SET LOCAL search_path = app, public", connection))
            await set.ExecuteNonQueryAsync();

        var model = await PostgresIntrospector.ReadAsync(connection);

        // Printed as seen from search_path = public, whatever the caller's setting.
        Assert.Equal("('a'::app.kind)::text", model.FindTable(new("app", "things"))!.Columns.Single().Default);
        await using var show = new NpgsqlCommand("SHOW search_path", connection);
        Assert.Equal("app, public", await show.ExecuteScalarAsync());
    }

    [Fact]
    public async Task Partitions_are_read_with_their_parent_and_bound_and_extension_objects_are_not_read_as_tables_or_views()
    {
        await using var database = await fixture.CreateDatabaseAsync("partitions", """
            CREATE TABLE measurements (taken date NOT NULL, value int) PARTITION BY RANGE (taken);
            CREATE TABLE measurements_2026 PARTITION OF measurements FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
            CREATE INDEX measurements_taken_idx ON measurements (taken);
            -- pg_stat_statements puts two views (and functions) into public; they are the extension's, not the schema's.
            CREATE EXTENSION pg_stat_statements;
            CREATE EXTENSION citext;
            CREATE TABLE handles (name citext);
            """);

        var model = await ReadAsync(database);

        Assert.Equal(
            new Table("public", "measurements",
                List(new Column("taken", new(TypeKind.Date), NotNull: true), new Column("value", new(TypeKind.Integer))),
                Indexes: List(new Model.Index("measurements_taken_idx", List(IndexElement.OnColumn("taken")))),
                Partitioning: new TablePartitioning("RANGE (taken)")),
            model.Tables[1]);
        // The partition has its parent's columns (not modelled) and the index PostgreSQL attached to the parent's.
        Assert.Equal(
            new Table("public", "measurements_2026", List<Column>(),
                Partitioning: new TablePartitioning(Parent: new("public", "measurements"), Bound: "FOR VALUES FROM ('2026-01-01') TO ('2027-01-01')")),
            model.Tables[2]);
        Assert.Equal(new Table("public", "handles", List(new Column("name", new(TypeKind.Raw, RawName: "citext")))), model.Tables[0]);
        Assert.Equal(3, model.Tables.Count);
        Assert.Empty(model.Views);
    }
}
