using Strata.Dsl;
using Strata.Model;

namespace Strata.Tests.Sql;

/// <summary>A narrowed MINVALUE or MAXVALUE first moves a sequence's current value inside the new bounds, never with RESTART.</summary>
public sealed class SequenceBoundsTests
{
    [Fact]
    public void Raising_an_identitys_minimum_moves_its_value_up_to_it_first_and_never_restarts_it()
    {
        var up = MigrationSql.Up(
            db => db.Table("t", t => t.Column("id", Types.Integer).Identity(IdentityGeneration.ByDefault)),
            db => db.Table("t", t => t.Column("id", Types.Integer).Identity(IdentityGeneration.ByDefault, new SequenceOptions(MinValue: 100, MaxValue: 1000))));

        Assert.Equal("""
            SELECT CASE WHEN v < 100 THEN pg_catalog.setval(s, 100, false) END FROM (SELECT s, COALESCE(pg_catalog.pg_sequence_last_value(s), (SELECT p.seqstart FROM pg_catalog.pg_sequence p WHERE p.seqrelid = s)) AS v FROM (SELECT pg_get_serial_sequence('"public"."t"', 'id')::regclass AS s) r) q;
            ALTER TABLE "public"."t" ALTER COLUMN "id" SET MINVALUE 100 SET MAXVALUE 1000 SET START WITH 100;
            """, up);
        Assert.DoesNotContain("RESTART", up);
    }

    [Fact]
    public void Lowering_a_descending_sequences_maximum_moves_its_value_down_to_it_first()
    {
        var up = MigrationSql.Up(
            db => db.Sequence("countdown", new SequenceOptions(IncrementBy: -1)),
            db => db.Sequence("countdown", new SequenceOptions(IncrementBy: -1, MaxValue: -50)));

        Assert.StartsWith("SELECT CASE WHEN v > -50 THEN pg_catalog.setval(s, -50, false) END FROM", up);
        Assert.EndsWith("MAXVALUE -50 START WITH -50;", up);
    }

    [Fact]
    public void Widening_bounds_needs_no_move()
    {
        var up = MigrationSql.Up(
            db => db.Sequence("numbers", new SequenceOptions(MinValue: 100, MaxValue: 1000)),
            db => db.Sequence("numbers", new SequenceOptions(MinValue: 10)));

        Assert.Equal("""ALTER SEQUENCE "public"."numbers" MINVALUE 10 NO MAXVALUE START WITH 10;""", up);
    }

    [Fact]
    public void Raising_a_sequences_minimum_moves_its_value_first()
    {
        var up = MigrationSql.Up(db => db.Sequence("numbers"), db => db.Sequence("numbers", new SequenceOptions(MinValue: 100)));

        Assert.StartsWith("""SELECT CASE WHEN v < 100 THEN pg_catalog.setval(s, 100, false) END FROM (SELECT s, """, up);
        Assert.Contains("""FROM (SELECT '"public"."numbers"'::regclass AS s) r) q;""", up);
        Assert.EndsWith("""ALTER SEQUENCE "public"."numbers" MINVALUE 100 START WITH 100;""", up);
    }

    [Fact]
    public void Lowering_a_maximum_below_an_unused_sequences_start_moves_it_to_its_new_start_only_when_nothing_was_drawn()
    {
        var up = MigrationSql.Up(
            db => db.Sequence("numbers", new SequenceOptions(StartWith: 500)),
            db => db.Sequence("numbers", new SequenceOptions(StartWith: 10, MaxValue: 100)));

        Assert.StartsWith("SELECT CASE WHEN v > 100 AND pg_catalog.pg_sequence_last_value(s) IS NULL THEN pg_catalog.setval(s, 10, false) END FROM", up);
        Assert.EndsWith("""ALTER SEQUENCE "public"."numbers" MAXVALUE 100 START WITH 10;""", up);
    }
}
