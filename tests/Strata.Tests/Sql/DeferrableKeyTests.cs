using Strata.Dsl;

namespace Strata.Tests.Sql;

/// <summary>DEFERRABLE [INITIALLY DEFERRED] on primary keys and unique constraints, as foreign keys already had it.</summary>
public sealed class DeferrableKeyTests
{
    private static void Deferred(SchemaBuilder db) => db.Table("t", t =>
    {
        t.Column("id", Types.Integer).PrimaryKey();
        t.Column("code", Types.Text);
        t.Column("slot", Types.Integer);
        t.Unique("code").Deferrable();
        t.Unique("slot").NullsNotDistinct().Deferrable(initiallyDeferred: true);
        t.DeferrablePrimaryKey(initiallyDeferred: true);
    });

    private static void Immediate(SchemaBuilder db) => db.Table("t", t =>
    {
        t.Column("id", Types.Integer).PrimaryKey();
        t.Column("code", Types.Text).Unique();
        t.Column("slot", Types.Integer);
        t.Unique("slot").NullsNotDistinct();
    });

    [Fact]
    public void Deferrable_keys_are_created_with_their_timing()
    {
        Assert.Equal("""
            CREATE TABLE "public"."t" (
                "id" integer NOT NULL,
                "code" text,
                "slot" integer,
                CONSTRAINT "t_pkey" PRIMARY KEY ("id") DEFERRABLE INITIALLY DEFERRED,
                CONSTRAINT "t_code_key" UNIQUE ("code") DEFERRABLE,
                CONSTRAINT "t_slot_key" UNIQUE NULLS NOT DISTINCT ("slot") DEFERRABLE INITIALLY DEFERRED
            );
            """, MigrationSql.Create(Deferred));
    }

    [Fact]
    public void Changing_a_keys_timing_drops_and_adds_it_since_only_a_foreign_key_can_be_altered()
    {
        var up = MigrationSql.Up(Immediate, Deferred);

        Assert.Contains("""ALTER TABLE "public"."t" DROP CONSTRAINT "t_pkey";""", up);
        Assert.Contains("""ALTER TABLE "public"."t" ADD CONSTRAINT "t_pkey" PRIMARY KEY ("id") DEFERRABLE INITIALLY DEFERRED;""", up);
        Assert.Contains("""ALTER TABLE "public"."t" ADD CONSTRAINT "t_code_key" UNIQUE ("code") DEFERRABLE;""", up);
        Assert.Contains("""ALTER TABLE "public"."t" ADD CONSTRAINT "t_slot_key" UNIQUE NULLS NOT DISTINCT ("slot") DEFERRABLE INITIALLY DEFERRED;""", up);
        Assert.Empty(MigrationSql.Statements(Deferred, Deferred));
    }

    [Fact]
    public void Deferrable_keys_read_back_from_a_snapshot_and_pulls_CSharp() =>
        MigrationSql.AssertCarriedBySnapshotAndCSharp(MigrationSql.Build(Deferred), MigrationSql.Build(Immediate), "deferrable", "initiallyDeferred");

    [Fact]
    public void A_foreign_key_to_a_deferrable_key_is_refused_as_PostgreSQL_refuses_it()
    {
        var db = new SchemaBuilder();
        Deferred(db);
        db.Table("children", t => t.Column("t_code", Types.Text).References("t", "code"));

        var error = Assert.Single(Assert.Throws<SchemaValidationException>(db.Build).Errors).ToString();

        Assert.StartsWith("public.children: foreign key \"children_t_code_fkey\" references (code) of public.t", error);
        Assert.Contains("PostgreSQL lets no foreign key reference a deferrable key", error);
    }
}
