using Strata.Dsl;
using static Strata.Tests.Sql.MigrationSql;

namespace Strata.Tests.Sql;

public class SerialTurnedPlainTests
{
    [Fact]
    public void A_renamed_serial_column_turned_plain_drops_its_sequence_under_the_name_the_rename_gave_it()
    {
        var sql = Up(
            db => db.Table("t", t => t.Column("id", Types.Serial)),
            db => db.Table("t", t => t.Column("ident", Types.Integer)),
            "column:public.t.id=ident");

        Assert.Equal("""
            ALTER TABLE "public"."t" RENAME COLUMN "id" TO "ident";
            ALTER SEQUENCE "public"."t_id_seq" RENAME TO "t_ident_seq";
            ALTER TABLE "public"."t" ALTER COLUMN "ident" DROP DEFAULT;
            DROP SEQUENCE "public"."t_ident_seq";
            ALTER TABLE "public"."t" ALTER COLUMN "ident" DROP NOT NULL;
            """, sql);
    }
}
