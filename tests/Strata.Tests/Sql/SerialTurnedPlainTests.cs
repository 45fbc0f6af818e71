using Strata.Dsl;
using static Strata.Tests.Sql.MigrationSql;

namespace Strata.Tests.Sql;

public class SerialTurnedPlainTests
{
    [Fact]
    public void A_renamed_serial_column_turned_plain_drops_its_sequence_first_under_its_old_name()
    {
        var sql = Up(
            db => db.Table("t", t => t.Column("id", Types.Serial)),
            db => db.Table("t", t => t.Column("ident", Types.Integer)),
            "column:public.t.id=ident");

        Assert.Equal("""
            ALTER TABLE "public"."t" ALTER COLUMN "id" DROP DEFAULT;
            DROP SEQUENCE "public"."t_id_seq";
            ALTER TABLE "public"."t" RENAME COLUMN "id" TO "ident";
            ALTER TABLE "public"."t" ALTER COLUMN "ident" DROP NOT NULL;
            """, sql);
    }

    [Fact]
    public void A_serial_column_turned_plain_frees_its_sequences_name_for_a_sequence_of_the_new_model()
    {
        var sql = Up(
            db => db.Table("tickets", t => t.Column("id", Types.Serial)),
            db =>
            {
                db.Sequence("tickets_id_seq");
                db.Table("tickets", t => t.Column("id", Types.Integer).NotNull().DefaultSql("nextval('tickets_id_seq'::regclass)"));
            });

        var dropped = sql.IndexOf("DROP SEQUENCE \"public\".\"tickets_id_seq\";", StringComparison.Ordinal);
        var created = sql.IndexOf("CREATE SEQUENCE \"public\".\"tickets_id_seq\"", StringComparison.Ordinal);
        Assert.True(dropped >= 0 && created > dropped, sql);
        Assert.True(sql.IndexOf("SET DEFAULT nextval", StringComparison.Ordinal) > created, sql);
    }
}
