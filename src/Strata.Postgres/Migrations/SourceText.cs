using System.Security.Cryptography;
using System.Text;

namespace Strata.Postgres.Migrations;

/// <summary>
/// Reads the text files Strata is given — migration scripts, seed files, snapshots, strata.sum — as strict
/// UTF-8: a byte that is not UTF-8 is refused with the file, line and byte offset instead of being turned
/// into U+FFFD and stored. A UTF-8 byte order mark is skipped. While it reads, it hashes the text as
/// <see cref="StrataSum.Hash"/> does (CRLF read as LF), so a file is read once for both.
/// </summary>
public sealed class SourceText : IDisposable
{
    private const int ChunkSize = 64 * 1024;

    private static readonly UTF8Encoding Strict = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly Stream _stream;
    private readonly string _name;
    private readonly Decoder _decoder = Strict.GetDecoder();
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private readonly byte[] _bytes = new byte[ChunkSize];
    private readonly char[] _chars = new char[Strict.GetMaxCharCount(ChunkSize)];
    private readonly StringBuilder _line = new();
    private int _charCount;
    private int _charIndex;
    private long _offset;
    private int _newlines;
    private bool _pendingCarriageReturn;
    private bool _first = true;
    private bool _ended;
    private string? _checksum;

    private SourceText(Stream stream, string name)
    {
        _stream = stream;
        _name = name;
    }

    /// <summary>Reads <paramref name="stream"/>, naming it <paramref name="name"/> (a path, or <c>resource:…</c>) in messages. The stream is disposed with this reader.</summary>
    public static SourceText Open(Stream stream, string name) => new(stream, name);

    /// <summary>Opens the file at <paramref name="path"/> for reading.</summary>
    public static SourceText OpenFile(string path) =>
        new(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.Asynchronous | FileOptions.SequentialScan), path);

    /// <summary>The whole text of the file at <paramref name="path"/>.</summary>
    /// <exception cref="MigrationFileException">A byte that is not UTF-8, naming the line and byte offset.</exception>
    public static async Task<string> ReadFileAsync(string path, CancellationToken ct = default)
    {
        using var reader = OpenFile(path);
        return await reader.ReadToEndAsync(ct);
    }

    /// <summary>The whole text of <paramref name="stream"/>.</summary>
    /// <exception cref="MigrationFileException">A byte that is not UTF-8, naming the line and byte offset.</exception>
    public static async Task<string> ReadAsync(Stream stream, string name, CancellationToken ct = default)
    {
        using var reader = Open(stream, name);
        return await reader.ReadToEndAsync(ct);
    }

    /// <summary>The text's <see cref="StrataSum.Hash"/>, once all of it has been read.</summary>
    public string Checksum => _checksum ?? throw new InvalidOperationException("The checksum is known once the whole text is read.");

    /// <summary>
    /// The next line without its "\n" (nor a "\r" before it), or null at the end. As string.Split('\n') does,
    /// the text after the last "\n" is a line too, even when empty.
    /// </summary>
    public async ValueTask<string?> ReadLineAsync(CancellationToken ct = default)
    {
        if (_ended)
            return null;
        while (true)
        {
            var newline = Array.IndexOf(_chars, '\n', _charIndex, _charCount - _charIndex);
            if (newline >= 0)
            {
                _line.Append(_chars, _charIndex, newline - _charIndex);
                _charIndex = newline + 1;
                return TakeLine();
            }
            _line.Append(_chars, _charIndex, _charCount - _charIndex);
            _charIndex = _charCount = 0;
            if (!await FillAsync(ct))
            {
                _ended = true;
                return TakeLine();
            }
        }
    }

    private string TakeLine()
    {
        var length = _line.Length > 0 && _line[^1] == '\r' ? _line.Length - 1 : _line.Length;
        var text = _line.ToString(0, length);
        _line.Clear();
        return text;
    }

    /// <summary>The rest of the text, as it is (CRLF kept).</summary>
    public async Task<string> ReadToEndAsync(CancellationToken ct = default)
    {
        var text = new StringBuilder();
        do
        {
            text.Append(_chars, _charIndex, _charCount - _charIndex);
            _charIndex = _charCount = 0;
        }
        while (await FillAsync(ct));
        _ended = true;
        return text.ToString();
    }

    /// <summary>
    /// The checksum Strata took of a file before it refused bytes that are not UTF-8: the text decoded with
    /// U+FFFD for them (a byte order mark of any kind honoured). Only for comparing with what was recorded then.
    /// </summary>
    public async Task<string> ReadLenientChecksumAsync(CancellationToken ct = default)
    {
        using var reader = new StreamReader(_stream, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, leaveOpen: true);
        return StrataSum.Hash(await reader.ReadToEndAsync(ct));
    }

    /// <summary>The file could not be read at all (as opposed to read and found wrong).</summary>
    public static bool IsReadFailure(MigrationFileException e) => e.InnerException is IOException or UnauthorizedAccessException;

    /// <summary>The file holds bytes that are not UTF-8.</summary>
    public static bool IsNotUtf8(MigrationFileException e) => e.InnerException is DecoderFallbackException;

    /// <summary>Reads the rest of the text without keeping it, for its <see cref="Checksum"/>.</summary>
    public async Task<string> ReadChecksumAsync(CancellationToken ct = default)
    {
        while (await FillAsync(ct))
        {
        }
        _ended = true;
        return Checksum;
    }

    /// <summary>Reads and decodes the next chunk; false at the end of the stream.</summary>
    private async ValueTask<bool> FillAsync(CancellationToken ct)
    {
        if (_checksum is not null)
            return false;
        int read;
        try
        {
            read = await _stream.ReadAtLeastAsync(_bytes, ChunkSize, throwOnEndOfStream: false, ct);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new MigrationFileException(_name, null, "the file cannot be read: " + e.Message, e);
        }
        var start = 0;
        if (_first)
        {
            _first = false;
            if (read >= 3 && _bytes[0] == 0xEF && _bytes[1] == 0xBB && _bytes[2] == 0xBF)
                start = 3;
        }
        var last = read < ChunkSize;
        var bytes = _bytes.AsSpan(start, read - start);
        try
        {
            _charCount = _decoder.GetChars(bytes, _chars, flush: last);
        }
        catch (DecoderFallbackException e)
        {
            throw NotUtf8(bytes, start, e);
        }
        _charIndex = 0;
        Hash(bytes, last);
        _newlines += bytes.Count((byte)'\n');
        _offset += read;
        if (last)
            _checksum = "h1:" + Convert.ToBase64String(_hash.GetHashAndReset());
        return read > 0 || _charCount > 0;
    }

    // The hash of the text with "\r\n" read as "\n": strict UTF-8 decodes and re-encodes to the same bytes,
    // so the bytes are hashed as they are, but for a "\r" before a "\n" (held back when it ends a chunk).
    private void Hash(ReadOnlySpan<byte> bytes, bool last)
    {
        if (_pendingCarriageReturn)
        {
            _pendingCarriageReturn = false;
            if (bytes.IsEmpty || bytes[0] != '\n')
                _hash.AppendData("\r"u8);
        }
        while (!bytes.IsEmpty)
        {
            var cr = bytes.IndexOf((byte)'\r');
            if (cr < 0)
            {
                _hash.AppendData(bytes);
                break;
            }
            _hash.AppendData(bytes[..cr]);
            if (cr + 1 == bytes.Length)
            {
                if (last)
                    _hash.AppendData("\r"u8);
                else
                    _pendingCarriageReturn = true;
                break;
            }
            if (bytes[cr + 1] != '\n')
                _hash.AppendData("\r"u8);
            bytes = bytes[(cr + 1)..];
        }
    }

    private MigrationFileException NotUtf8(ReadOnlySpan<byte> chunk, int start, DecoderFallbackException e)
    {
        // The index is the bad byte's place in this chunk (negative when a sequence began in the chunk before).
        var index = Math.Max(e.Index, 0);
        var offset = _offset + start + e.Index;
        var line = _newlines + chunk[..Math.Min(index, chunk.Length)].Count((byte)'\n') + 1;
        var bad = e.BytesUnknown is { Length: > 0 } unknown ? string.Join(" ", unknown.Select(b => "0x" + b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture))) : "a byte";
        return new MigrationFileException(_name, line,
            $"byte offset {offset} ({bad}) is not UTF-8. Strata reads migration, seed and snapshot files as UTF-8 and will not guess: "
            + "save the file as UTF-8 (for example `iconv -f latin1 -t utf-8`), or write the character as an escape (E'caf\\u00e9')", e);
    }

    public void Dispose()
    {
        _stream.Dispose();
        _hash.Dispose();
    }
}
