using Strata.Dsl;
using Strata.Model;

namespace Strata.Tests.Sql;

/// <summary>Table inheritance (INHERITS): its SQL, its order, the validator's refusals, snapshot and pull's C#.</summary>
public sealed class TableInheritanceTests
{
    private static TableBuilder Items(SchemaBuilder db, bool withPrice = false) => db.Table("items", t =>
    {
        t.Column("id", Types.Integer).NotNull();
        t.Column("name", Types.Text);
        if (withPrice)
            t.Column("price", Types.Numeric(10, 2));
        t.Check("items_id_positive", "id > 0");
    });

    [Fact]
    public void A_child_is_created_after_its_parents_with_only_its_own_columns_and_INHERITS()
    {
        var sql = MigrationSql.Create(db =>
        {
            db.Table("a_special", t =>
            {
                t.Column("extra", Types.Text);
                t.Inherits("items", "other.tagged");
            });
            Items(db);
            db.Schema("other").Table("tagged", t => t.Column("tag", Types.Text));
        });

        var child = sql.IndexOf("CREATE TABLE \"public\".\"a_special\"", StringComparison.Ordinal);
        Assert.True(child > sql.IndexOf("CREATE TABLE \"public\".\"items\"", StringComparison.Ordinal));
        Assert.True(child > sql.IndexOf("CREATE TABLE \"other\".\"tagged\"", StringComparison.Ordinal));
        Assert.Contains("""
            CREATE TABLE "public"."a_special" (
                "extra" text
            ) INHERITS ("public"."items", "other"."tagged");
            """, sql);
    }

    [Fact]
    public void A_child_without_columns_of_its_own_needs_no_WithoutColumns()
    {
        var sql = MigrationSql.Create(db =>
        {
            Items(db);
            db.Table("copy", t => t.Inherits("items"));
        });

        Assert.Contains("CREATE TABLE \"public\".\"copy\" () INHERITS (\"public\".\"items\");", sql);
    }

    [Fact]
    public void A_parent_column_added_or_retyped_is_changed_on_the_parent_alone()
    {
        var up = MigrationSql.Up(
            db =>
            {
                Items(db);
                db.Table("special", t => { t.Column("name", Types.Text); t.Inherits("items"); });
            },
            db =>
            {
                db.Table("items", t =>
                {
                    t.Column("id", Types.BigInt).NotNull();
                    t.Column("name", Types.Varchar(50));
                    t.Column("price", Types.Numeric(10, 2));
                    t.Check("items_id_positive", "id > 0");
                });
                db.Table("special", t => { t.Column("name", Types.Varchar(50)); t.Inherits("items"); });
            });

        Assert.DoesNotContain("\"special\"", up);
        Assert.Contains("ALTER TABLE \"public\".\"items\" ADD COLUMN \"price\" numeric(10,2);", up);
        Assert.True(up.Contains("ALTER TABLE \"public\".\"items\" ALTER COLUMN \"name\" TYPE varchar(50)", StringComparison.Ordinal), up);
    }

    [Fact]
    public void A_dropped_parent_is_let_go_of_first_and_a_dropped_child_dropped_before_its_parent()
    {
        var up = MigrationSql.Up(
            db =>
            {
                Items(db);
                db.Table("kept", t => { t.Column("extra", Types.Text); t.Inherits("items"); });
                db.Table("gone", t => t.Inherits("items"));
            },
            db => db.Table("kept", t =>
            {
                t.Column("id", Types.Integer).NotNull();
                t.Column("extra", Types.Text);
            }));

        var lines = up.Split('\n');
        var noInherit = Array.IndexOf(lines, "ALTER TABLE \"public\".\"kept\" NO INHERIT \"public\".\"items\";");
        Assert.True(noInherit >= 0, up);
        Assert.True(Array.IndexOf(lines, "DROP TABLE \"public\".\"gone\";") < Array.IndexOf(lines, "DROP TABLE \"public\".\"items\";"));
        Assert.True(noInherit < Array.IndexOf(lines, "DROP TABLE \"public\".\"items\";"));
        // The parent's column the child now has as its own and does not declare goes; its check too.
        Assert.True(noInherit < Array.IndexOf(lines, "ALTER TABLE \"public\".\"kept\" DROP COLUMN \"name\";"), up);
        Assert.Contains("ALTER TABLE \"public\".\"kept\" DROP CONSTRAINT \"items_id_positive\";", up);
        Assert.DoesNotContain("ADD COLUMN", up);
    }

    [Fact]
    public void A_table_that_has_the_parents_columns_inherits_in_place_else_it_is_created_again()
    {
        void Plain(SchemaBuilder db, string name) => db.Table(name, t =>
        {
            t.Column("id", Types.Integer).NotNull();
            t.Column("name", Types.Text);
            t.Column("extra", Types.Text);
        });
        var inPlace = MigrationSql.Up(
            db => { Items(db); Plain(db, "customers"); },
            db =>
            {
                Items(db);
                db.Table("customers", t =>
                {
                    t.Column("id", Types.Integer).NotNull();
                    t.Column("name", Types.Text);
                    t.Column("extra", Types.Text);
                    t.Check("items_id_positive", "id > 0");
                    t.Inherits("items");
                });
            });
        var recreated = MigrationSql.Up(
            db => { Items(db); Plain(db, "customers"); },
            db =>
            {
                Items(db);
                db.Table("customers", t => { t.Column("extra", Types.Text); t.Inherits("items"); });
            });

        Assert.Equal("""
            ALTER TABLE "public"."customers" ADD CONSTRAINT "items_id_positive" CHECK (id > 0);
            ALTER TABLE "public"."customers" INHERIT "public"."items";
            """, inPlace);
        Assert.Contains("DROP TABLE \"public\".\"customers\";", recreated);
        Assert.Contains(") INHERITS (\"public\".\"items\");", recreated);
    }

    [Theory]
    [InlineData("missing", "inherits from public.nowhere, which is not declared")]
    [InlineData("partitioned", "which is partitioned; PostgreSQL cannot inherit from a partitioned table")]
    [InlineData("cycle", "which inherits from it; PostgreSQL refuses circular inheritance")]
    [InlineData("type", "declares inherited column \"name\" of public.items with another type")]
    [InlineData("two parents", "is inherited from public.items and public.labels with different types")]
    [InlineData("twice", "inherits from public.items twice")]
    public void The_validator_refuses_what_PostgreSQL_refuses(string @case, string message)
    {
        var db = new SchemaBuilder();
        Items(db);
        switch (@case)
        {
            case "missing":
                db.Table("c", t => t.Inherits("nowhere"));
                break;
            case "partitioned":
                db.Table("p", t => { t.Column("at", Types.Date); t.PartitionByRange("at"); });
                db.Table("c", t => t.Inherits("p"));
                break;
            case "cycle":
                db.Table("a", t => t.Inherits("b"));
                db.Table("b", t => t.Inherits("a"));
                break;
            case "type":
                db.Table("c", t => { t.Column("name", Types.Integer); t.Inherits("items"); });
                break;
            case "two parents":
                db.Table("labels", t => t.Column("name", Types.Varchar(10)));
                db.Table("c", t => t.Inherits("items", "labels"));
                break;
            case "twice":
                db.Table("c", t => t.Inherits("items", "items"));
                break;
        }

        var errors = Assert.Throws<SchemaValidationException>(db.Build).Errors.Select(e => e.ToString()).ToList();

        Assert.Contains(errors, e => e.Contains(message, StringComparison.Ordinal));
    }

    [Fact]
    public void A_child_may_name_its_parents_columns_in_its_keys_and_indexes()
    {
        var model = MigrationSql.Build(db =>
        {
            Items(db);
            db.Table("special", t =>
            {
                t.Column("extra", Types.Text);
                t.PrimaryKey("id");
                t.Index("name");
                t.Inherits("items");
            });
        });

        Assert.Equal([new QualifiedName("public", "items")], model.FindTable(new QualifiedName("public", "special"))!.Inherits.ToArray());
    }

    [Fact]
    public void A_child_whose_key_and_index_name_inherited_columns_diffs_empty_against_itself()
    {
        static void Schema(SchemaBuilder db)
        {
            Items(db);
            db.Table("special", t =>
            {
                t.Column("extra", Types.Text);
                t.PrimaryKey("id");
                t.Index("name");
                t.Inherits("items");
            });
        }

        Assert.Equal("", MigrationSql.Up(Schema, Schema));
    }

    [Fact]
    public void Inheritance_reads_back_from_a_snapshot_and_pulls_CSharp_and_a_plain_table_writes_none()
    {
        var model = MigrationSql.Build(db =>
        {
            Items(db);
            db.Schema("other").Table("tagged", t => t.Column("tag", Types.Text));
            db.Table("special", t => { t.Column("extra", Types.Text); t.Inherits("items", "other.tagged"); });
            db.Table("bare", t => t.Inherits("special"));
        });
        var plain = MigrationSql.Build(db => Items(db));
        var json = Strata.Snapshots.SnapshotSerializer.Serialize(new Strata.Snapshots.Snapshot("0123456789abcdef0123456789abcdef", null, model, []));

        Assert.Contains("\"inherits\": [", json);
        MigrationSql.AssertCarriedBySnapshotAndCSharp(model, plain);
        Assert.DoesNotContain("inherits", Strata.Snapshots.SnapshotSerializer.Serialize(new Strata.Snapshots.Snapshot("0123456789abcdef0123456789abcdef", null, plain, [])));
    }

    [Fact]
    public void The_random_round_trips_generate_inheriting_tables_and_their_changes()
    {
        var pairs = Enumerable.Range(1, 200).Select(seed => new Strata.IntegrationTests.Random.RandomSchemaGenerator(seed).NextPair()).ToList();

        var tables = pairs.SelectMany(p => p.A.Tables.Concat(p.B.Tables)).ToList();
        Assert.Contains(tables, t => t.Inherits.Count > 1);
        Assert.Contains(tables, t => t.Inherits.Count == 1 && tables.Any(p => p.QualifiedName == t.Inherits[0] && p.Inherits.Count > 0));
        foreach (var change in new[] { "added", "parent column added", "parent column retyped", "parent column dropped", "child added", "child dropped", "second parent", "parent dropped", "NO INHERIT check" })
            Assert.True(pairs.Any(p => p.Mutations.Any(m => m.StartsWith("inheritance", StringComparison.Ordinal) && m.Contains(change, StringComparison.Ordinal))),
                $"no random pair has the inheritance change \"{change}\"");
    }
}
