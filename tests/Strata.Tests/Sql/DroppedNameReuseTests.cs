using Strata.Dsl;
using static Strata.Tests.Sql.MigrationSql;

namespace Strata.Tests.Sql;

public class DroppedNameReuseTests
{
    [Fact]
    public void A_sequence_renamed_to_the_name_of_a_dropped_one_finds_it_moved_aside()
    {
        var sql = Up(
            db => { db.Sequence("counter"); db.Sequence("tickets"); },
            db => db.Sequence("counter"),
            "sequence:public.tickets=public.counter");

        Assert.Equal("""
            ALTER SEQUENCE "public"."counter" RENAME TO "counter__strata_drop";
            ALTER SEQUENCE "public"."tickets" RENAME TO "counter";
            DROP SEQUENCE "public"."counter__strata_drop";
            """, sql);
    }

    [Fact]
    public void An_enum_replaced_by_a_table_of_its_name_moves_aside_before_the_table_takes_the_row_type_name()
    {
        var sql = Up(
            db => db.Enum("status", "open", "closed"),
            db => db.Table("status", t => t.Column("name", Types.Text).PrimaryKey()));

        Assert.Equal("""
            ALTER TYPE "public"."status" RENAME TO "status__strata_drop";
            CREATE TABLE "public"."status" (
                "name" text NOT NULL,
                CONSTRAINT "status_pkey" PRIMARY KEY ("name")
            );
            DROP TYPE "public"."status__strata_drop";
            """, sql);
    }

    [Fact]
    public void A_dropped_enum_whose_name_nothing_takes_is_simply_dropped()
    {
        var sql = Up(db => db.Enum("status", "open"), Empty);

        Assert.Equal("""
            DROP TYPE "public"."status";
            """, sql);
    }
}
