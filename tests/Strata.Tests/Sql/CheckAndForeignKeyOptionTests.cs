using Strata.Dsl;

namespace Strata.Tests.Sql;

/// <summary>CHECK … NO INHERIT and FOREIGN KEY … MATCH FULL, which pull used to read as a plain check and a MATCH SIMPLE key.</summary>
public sealed class CheckAndForeignKeyOptionTests
{
    private static void Define(SchemaBuilder db, bool options)
    {
        db.Table("parents", t =>
        {
            t.Column("a", Types.Integer).NotNull();
            t.Column("b", Types.Integer).NotNull();
            t.PrimaryKey("a", "b");
            t.Check("a_positive", "a > 0", noInherit: options);
        });
        db.Table("children", t =>
        {
            t.Column("a", Types.Integer);
            t.Column("b", Types.Integer);
            var key = t.ForeignKey("a", "b").References("parents", "a", "b");
            if (options)
                key.MatchFull();
        });
    }

    [Fact]
    public void The_options_are_created_and_a_change_drops_and_adds_the_constraint()
    {
        var create = MigrationSql.Create(db => Define(db, true));
        var up = MigrationSql.Up(db => Define(db, false), db => Define(db, true));

        Assert.Contains("""CONSTRAINT "a_positive" CHECK (a > 0) NO INHERIT""", create);
        Assert.Contains("""REFERENCES "public"."parents" ("a", "b") MATCH FULL;""", create);
        Assert.Contains("""ALTER TABLE "public"."parents" DROP CONSTRAINT "a_positive";""", up);
        Assert.Contains("""ALTER TABLE "public"."parents" ADD CONSTRAINT "a_positive" CHECK (a > 0) NO INHERIT;""", up);
        Assert.Contains("""ALTER TABLE "public"."children" ADD CONSTRAINT "children_a_b_fkey" FOREIGN KEY ("a", "b") REFERENCES "public"."parents" ("a", "b") MATCH FULL;""", up);
        Assert.Empty(MigrationSql.Statements(db => Define(db, true), db => Define(db, true)));
    }

    [Fact]
    public void The_options_read_back_from_a_snapshot_and_pulls_CSharp_and_are_absent_when_not_set() =>
        MigrationSql.AssertCarriedBySnapshotAndCSharp(MigrationSql.Build(db => Define(db, true)), MigrationSql.Build(db => Define(db, false)), "noInherit", "matchFull");
}
