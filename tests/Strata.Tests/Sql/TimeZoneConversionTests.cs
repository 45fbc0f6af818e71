using Strata.Dsl;
using static Strata.Tests.Sql.MigrationSql;

namespace Strata.Tests.Sql;

public class TimeZoneConversionTests
{
    [Fact]
    public void Adding_or_removing_a_time_zone_is_flagged_because_the_session_zone_reinterprets_the_values()
    {
        var statements = Statements(
            db => db.Table("t", t =>
            {
                t.Column("a", Types.Timestamp());
                t.Column("b", Types.TimestampTz());
                t.Column("c", Types.Time());
                t.Column("d", Types.TimeTz());
                t.Column("e", Types.Timestamp(3));
            }),
            db => db.Table("t", t =>
            {
                t.Column("a", Types.TimestampTz());
                t.Column("b", Types.Timestamp());
                t.Column("c", Types.TimeTz());
                t.Column("d", Types.Time());
                t.Column("e", Types.Timestamp(6));
            }));

        string? LossOf(string column) => statements.Single(s => s.Sql.Contains($"ALTER COLUMN \"{column}\" TYPE")).DataLoss;
        Assert.Equal("converts public.t.a from timestamp to timestamp with time zone in the session's TimeZone setting, which shifts the values unless they are in that zone", LossOf("a"));
        Assert.Contains("TimeZone", LossOf("b"));
        Assert.Contains("TimeZone", LossOf("c"));
        Assert.Contains("TimeZone", LossOf("d"));
        Assert.Null(LossOf("e"));
    }
}
