using Strata.Snapshots;
using Strata.Tests.Docs;

namespace Strata.Tests.Snapshots;

public class SnapshotFileTests
{
    // Every snapshot.json kept in the repository (samples, test apps): ids are hashes of these bytes and
    // strata.sum lists them, so the codec must write back exactly what it read.
    public static TheoryData<string> SnapshotFiles()
    {
        var files = new TheoryData<string>();
        foreach (var file in Directory.EnumerateFiles(DocCommandTests.RepositoryRoot, "snapshot.json", SearchOption.AllDirectories)
                     .Select(f => Path.GetRelativePath(DocCommandTests.RepositoryRoot, f).Replace('\\', '/'))
                     .Where(f => !f.Split('/').Any(part => part is "bin" or "obj" or "out" or "node_modules" || part.StartsWith('.')))
                     .Order(StringComparer.Ordinal))
            files.Add(file);
        return files;
    }

    [Fact]
    public void The_repository_has_snapshot_files_to_check()
    {
        Assert.True(SnapshotFiles().Count >= 6, "the samples and the hosting test app hold snapshot.json files");
    }

    [Theory]
    [MemberData(nameof(SnapshotFiles))]
    public void A_snapshot_file_in_the_repository_reads_and_writes_back_byte_for_byte(string file)
    {
        var bytes = File.ReadAllBytes(Path.Combine(DocCommandTests.RepositoryRoot, file));

        var snapshot = SnapshotSerializer.Deserialize(System.Text.Encoding.UTF8.GetString(bytes), file);

        Assert.Equal(bytes, SnapshotSerializer.SerializeToUtf8Bytes(snapshot));
        Assert.Equal(System.Text.Encoding.UTF8.GetString(bytes), SnapshotSerializer.Serialize(snapshot));
    }
}
