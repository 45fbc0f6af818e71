using Strata.Diffing;

namespace Strata.Tests.Diffing;

public class OwnedSequenceTests
{
    [Fact]
    public void The_sequence_of_a_serial_or_identity_column_is_named_table_column_seq()
    {
        Assert.Equal("users_id_seq", OwnedSequence.Name("users", "id"));
    }

    [Theory]
    // Both read back from PostgreSQL 15 after CREATE TABLE with such names.
    [InlineData(60, 2, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa_id_seq")]
    [InlineData(60, 40, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaa_bbbbbbbbbbbbbbbbbbbbbbbbbbbbb_seq")]
    public void Long_names_are_shortened_the_way_PostgreSQL_shortens_them(int tableLength, int columnLength, string expected)
    {
        var table = new string('a', tableLength);
        var column = columnLength == 2 ? "id" : new string('b', columnLength);

        Assert.Equal(expected, OwnedSequence.Name(table, column));
    }
}
