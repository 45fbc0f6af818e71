using Strata.Dsl;
using static Strata.Tests.Sql.MigrationSql;

namespace Strata.Tests.Sql;

public class ForeignKeysOfDroppedTablesTests
{
    [Fact]
    public void A_dropped_tables_foreign_key_goes_before_the_key_it_references_is_dropped()
    {
        var sql = Up(
            db =>
            {
                db.Table("parent", t => t.Column("id", Types.Integer).PrimaryKey());
                db.Table("child", t => t.Column("parent_id", Types.Integer).References("parent", "id"));
            },
            db => db.Table("parent", t => t.Column("id", Types.Integer).NotNull()));

        Assert.Equal("""
            ALTER TABLE "public"."child" DROP CONSTRAINT "child_parent_id_fkey";
            ALTER TABLE "public"."parent" DROP CONSTRAINT "parent_pkey";
            DROP TABLE "public"."child";
            """, sql);
    }
}
