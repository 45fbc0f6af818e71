using Npgsql;
using Strata.Diffing;
using Strata.Dsl;
using Strata.IntegrationTests.Infrastructure;
using Strata.Model;
using Strata.Postgres.Execution;
using Strata.Postgres.Introspection;
using Strata.Postgres.Migrations;
using Strata.Postgres.Sql;
using Strata.Testing;

namespace Strata.IntegrationTests.Migrations;

/// <summary>
/// generate's safe forms (<see cref="PostgresSqlGenerator.GenerateSafe"/>, written by <see cref="MigrationWriter"/>) applied
/// by the Migrator to a database whose tables already hold rows: what they leave reads back as the plain forms leave it,
/// each part of the pair leaves the model its snapshot holds, and the pair rolls back.
/// </summary>
public sealed class SafeFormTests(PostgresFixture fixture) : IClassFixture<PostgresFixture>, IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "strata-safe-" + Guid.NewGuid().ToString("N")[..12]);

    public void Dispose()
    {
        if (Directory.Exists(_folder))
            Directory.Delete(_folder, recursive: true);
    }

    private static DatabaseModel Build(Action<SchemaBuilder> define)
    {
        var builder = new SchemaBuilder();
        define(builder);
        return builder.Build();
    }

    private static DatabaseModel Shop(bool changed) => Build(db =>
    {
        db.Table("customers", t =>
        {
            t.Column("id", Types.Integer).PrimaryKey();
            t.Column("email", Types.Text);
            if (changed)
                t.Unique("email");
        });
        db.Table("orders", t =>
        {
            t.Column("id", Types.Integer);
            t.Column("customer_id", Types.Integer);
            t.Column("total", Types.Integer);
            // NOT NULL on a column with rows: through a validated check.
            var code = t.Column("code", Types.Text);
            if (changed)
            {
                code.NotNull();
                t.PrimaryKey("id");
                t.Column("customer_email", Types.Text);
                t.ForeignKey("customer_id").References("customers", "id");
                // A foreign key onto the unique key built in the same change: after it, in the online part.
                t.ForeignKey("customer_email").References("customers", "email");
                t.Check("orders_total_positive", "total >= 0");
                t.Index("customer_id");
            }
            else
            {
                t.Index("total");
            }
        });
        if (changed)
        {
            // A table created by the change gets the plain forms.
            db.Table("refunds", t =>
            {
                t.Column("id", Types.Integer).PrimaryKey();
                t.Column("order_id", Types.Integer).References("orders", "id");
                t.Index("order_id");
            });
        }
    });

    private async Task<IReadOnlyList<WrittenMigration>> GenerateAsync(string id, DatabaseModel schema, MigrationSafety safety = MigrationSafety.On)
    {
        var directory = await MigrationDirectory.LoadAsync(_folder);
        var previous = await directory.LatestSnapshotAsync();
        var diff = SchemaDiffer.Diff(previous?.Schema ?? DatabaseModel.Empty, schema, RenameDecisions.None);
        return await MigrationWriter.WriteChangesAsync(directory, id, previous, schema, diff, RenameDecisions.None, safety, default);
    }

    private async Task<MigrateResult> MigrateAsync(TestDatabase database, string? to = null) =>
        await new Migrator(database.DataSource, MigrationSource.FromDirectory(await MigrationDirectory.LoadAsync(_folder)), new MigratorOptions { TargetId = to }).ApplyAsync();

    private static async Task<DatabaseModel> ReadAsync(TestDatabase database)
    {
        await using var connection = await database.OpenConnectionAsync();
        return ManagedObjects.WithoutTrackingTable(await PostgresIntrospector.ReadAsync(connection, ["public"]), HistoryTable.DefaultName);
    }

    /// <summary>The model as the plain forms leave it: built in an empty database and read back, in PostgreSQL's printed forms.</summary>
    private async Task<DatabaseModel> PlainlyBuiltAsync(DatabaseModel model, string prefix)
    {
        await using var database = await fixture.CreateDatabaseAsync(prefix);
        foreach (var statement in PostgresSqlGenerator.CreateAll(model))
            await database.ExecuteAsync(statement.Sql);
        return await ReadAsync(database);
    }

    private static void AssertSameCatalog(DatabaseModel expected, DatabaseModel actual) =>
        Assert.Empty(SchemaDiffer.Diff(actual, expected, RenameDecisions.None).Changes);

    private async Task<TestDatabase> ShopWithRowsAsync(string prefix, string customers = "(1, 'a@x'), (2, 'b@x')")
    {
        Assert.Single(await GenerateAsync("0000_shop", Shop(changed: false)));
        var database = await fixture.CreateDatabaseAsync(prefix);
        await MigrateAsync(database);
        await database.ExecuteAsync($"INSERT INTO customers (id, email) VALUES {customers}");
        await database.ExecuteAsync("INSERT INTO orders (id, customer_id, total, code) VALUES (1, 1, 10, 'A'), (2, 2, 0, 'B')");
        return database;
    }

    [Fact]
    public async Task Each_safe_form_applies_to_tables_with_rows_leaves_the_plain_forms_catalog_and_the_pair_rolls_back()
    {
        await using var database = await ShopWithRowsAsync("safe_shop");

        var written = await GenerateAsync("0001_tighten", Shop(changed: true));

        Assert.Equal(["0001_tighten", "0002_tighten" + MigrationWriter.OnlineSuffix], written.Select(w => w.Migration.Id));
        var transactional = await File.ReadAllTextAsync(written[0].Migration.UpPath);
        var online = await File.ReadAllTextAsync(written[1].Migration.UpPath);
        Assert.DoesNotContain("strata:no-transaction", transactional);
        Assert.Contains("ADD CONSTRAINT \"orders_total_positive\" CHECK (total >= 0) NOT VALID;", transactional);
        Assert.Contains("ADD CONSTRAINT \"orders_customer_id_fkey\" FOREIGN KEY (\"customer_id\") REFERENCES \"public\".\"customers\" (\"id\") NOT VALID;", transactional);
        Assert.Contains("ADD CONSTRAINT \"orders_code_not_null\" CHECK (\"code\" IS NOT NULL) NOT VALID;", transactional);
        Assert.DoesNotContain("SET NOT NULL", transactional);
        // The new table's index is built plainly in the transaction; the existing tables' ones concurrently online.
        Assert.Contains("CREATE INDEX \"refunds_order_id_idx\"", transactional);
        Assert.StartsWith("-- strata:no-transaction\n", online);
        Assert.Contains("CREATE INDEX CONCURRENTLY \"orders_customer_id_idx\"", online);
        Assert.Contains("DROP INDEX CONCURRENTLY \"public\".\"orders_total_idx\";", online);
        Assert.Contains("CREATE UNIQUE INDEX CONCURRENTLY \"customers_email_key\"", online);
        Assert.Contains("ADD CONSTRAINT \"customers_email_key\" UNIQUE USING INDEX \"customers_email_key\";", online);
        Assert.Contains("ADD CONSTRAINT \"orders_pkey\" PRIMARY KEY USING INDEX \"orders_pkey\";", online);
        Assert.Contains("VALIDATE CONSTRAINT \"orders_total_positive\";", online);
        Assert.Contains("VALIDATE CONSTRAINT \"orders_customer_id_fkey\";", online);
        Assert.True(online.IndexOf("UNIQUE USING INDEX \"customers_email_key\"", StringComparison.Ordinal)
            < online.IndexOf("\"orders_customer_email_fkey\" FOREIGN KEY", StringComparison.Ordinal), online);
        Assert.True(online.IndexOf("VALIDATE CONSTRAINT \"orders_code_not_null\"", StringComparison.Ordinal)
            < online.IndexOf("ALTER COLUMN \"code\" SET NOT NULL", StringComparison.Ordinal), online);
        Assert.Contains("DROP CONSTRAINT \"orders_code_not_null\";", online);

        // The first part alone leaves the model its snapshot holds (what status and drift compare with).
        await MigrateAsync(database, to: "0001");
        var intermediate = (await written[0].Migration.ReadSnapshotAsync()).Schema;
        AssertSameCatalog(await PlainlyBuiltAsync(intermediate, "safe_shop_mid"), await ReadAsync(database));

        await MigrateAsync(database);
        var target = await PlainlyBuiltAsync(Shop(changed: true), "safe_shop_plain");
        AssertSameCatalog(target, await ReadAsync(database));
        Assert.Equal(2L, await database.CountRowsAsync("public.orders"));
        Assert.Equal(0L, await database.ScalarAsync<long>("SELECT count(*) FROM pg_constraint WHERE NOT convalidated"));
        var latest = await (await MigrationDirectory.LoadAsync(_folder)).LatestSnapshotAsync();
        Assert.Equal(Shop(changed: true), latest!.Schema);

        var migrator = new Migrator(database.DataSource, MigrationSource.FromDirectory(await MigrationDirectory.LoadAsync(_folder)));
        await migrator.RollbackAsync(new RollbackOptions { Steps = 1 });
        AssertSameCatalog(await PlainlyBuiltAsync(intermediate, "safe_shop_mid2"), await ReadAsync(database));
        // As the first part left them: the check, the foreign key and the NOT NULL helpers (code, and id for the primary key) NOT VALID again.
        Assert.Equal(["orders_code_not_null", "orders_customer_id_fkey", "orders_id_not_null", "orders_total_positive"],
            (await database.QueryAsync("SELECT conname FROM pg_constraint WHERE NOT convalidated ORDER BY conname")).Select(r => (string)r[0]!));
        // The transactional part drops what it added (the new table, the new column): data loss, accepted here.
        await migrator.RollbackAsync(new RollbackOptions { Steps = 1, AcceptDataLoss = true });
        AssertSameCatalog(await PlainlyBuiltAsync(Shop(changed: false), "safe_shop_before"), await ReadAsync(database));
        Assert.Equal(2L, await database.CountRowsAsync("public.orders"));
    }

    [Fact]
    public async Task A_concurrent_unique_build_over_duplicates_fails_and_after_the_data_is_fixed_the_rerun_leaves_no_invalid_index()
    {
        await using var database = await ShopWithRowsAsync("safe_dupes", customers: "(1, 'same@x'), (2, 'same@x')");
        var withUnique = Build(db =>
        {
            db.Table("customers", t =>
            {
                t.Column("id", Types.Integer).PrimaryKey();
                t.Column("email", Types.Text);
                t.Unique("email");
            });
            db.Table("orders", t =>
            {
                t.Column("id", Types.Integer);
                t.Column("customer_id", Types.Integer);
                t.Column("total", Types.Integer);
                t.Column("code", Types.Text);
                t.Index("total");
            });
        });
        var written = Assert.Single(await GenerateAsync("0001_unique_email", withUnique));
        Assert.StartsWith("-- strata:no-transaction\n", await File.ReadAllTextAsync(written.Migration.UpPath));

        var failure = await Assert.ThrowsAsync<MigrationFailedException>(() => MigrateAsync(database));
        Assert.Equal(PostgresErrorCodes.UniqueViolation, failure.SqlState);
        Assert.Equal(1L, await database.ScalarAsync<long>("SELECT count(*) FROM pg_index WHERE NOT indisvalid"));

        await database.ExecuteAsync("UPDATE customers SET email = 'other@x' WHERE id = 2");
        await MigrateAsync(database);

        Assert.Equal(0L, await database.ScalarAsync<long>("SELECT count(*) FROM pg_index WHERE NOT indisvalid"));
        AssertSameCatalog(await PlainlyBuiltAsync(withUnique, "safe_dupes_plain"), await ReadAsync(database));
    }

    [Fact]
    public async Task Safety_off_writes_the_plain_forms_in_one_transactional_migration()
    {
        await using var database = await ShopWithRowsAsync("safe_off");

        var written = Assert.Single(await GenerateAsync("0001_tighten", Shop(changed: true), MigrationSafety.Off));

        var up = await File.ReadAllTextAsync(written.Migration.UpPath);
        Assert.DoesNotContain("CONCURRENTLY", up);
        Assert.DoesNotContain("NOT VALID", up);
        Assert.DoesNotContain("strata:no-transaction", up);
        Assert.Contains("ALTER COLUMN \"code\" SET NOT NULL;", up);
        await MigrateAsync(database);
        AssertSameCatalog(await PlainlyBuiltAsync(Shop(changed: true), "safe_off_plain"), await ReadAsync(database));
    }

    [Fact]
    public async Task A_type_change_that_rewrites_the_table_is_called_out_above_its_statement_and_a_widening_varchar_is_not()
    {
        var before = Build(db => db.Table("items", t =>
        {
            t.Column("id", Types.Integer).PrimaryKey();
            t.Column("count", Types.Integer);
            t.Column("label", Types.Varchar(10));
        }));
        var after = Build(db => db.Table("items", t =>
        {
            t.Column("id", Types.Integer).PrimaryKey();
            t.Column("count", Types.BigInt);
            t.Column("label", Types.Varchar(20));
            t.Column("token", Types.Uuid).DefaultSql("gen_random_uuid()");
        }));
        await GenerateAsync("0000_items", before);

        var written = Assert.Single(await GenerateAsync("0001_wider", after));

        var up = await File.ReadAllTextAsync(written.Migration.UpPath);
        Assert.Contains("-- rewrite: changing public.items.count from integer to bigint rewrites the whole table", up);
        Assert.Contains("-- rewrite: adding public.items.token rewrites the whole table under ACCESS EXCLUSIVE: its default calls gen_random_uuid(), which is volatile", up);
        Assert.DoesNotContain("items.label", up);
        await using var database = await fixture.CreateDatabaseAsync("safe_rewrite");
        await MigrateAsync(database);
        AssertSameCatalog(await PlainlyBuiltAsync(after, "safe_rewrite_plain"), await ReadAsync(database));
    }
}
