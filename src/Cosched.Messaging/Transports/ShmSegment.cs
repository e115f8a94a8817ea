using System.IO.MemoryMappedFiles;

namespace Cosched.Messaging.Transports;

/// <summary>The job's shared-memory file: a header, one doorbell slot per rank, and one
/// single-producer single-consumer ring per ordered pair of ranks.</summary>
/// <remarks>Layout: page 0 holds the header; then <c>ranks</c> slots of 128 bytes (doorbell and
/// membership, one cache-line pair each so neighbours never share a line); then the rings, each a
/// page of control (the consumer's tail) followed by the data area. Ring (i to j) is number
/// i*ranks+j. Pages of rings that are never used are never touched, so tmpfs stores nothing for them.</remarks>
public sealed unsafe class ShmSegment : IDisposable
{
    private const long Magic = 0x3130_4843_5343_4F43; // "COSCH01" little-endian
    private const int PageBytes = 4096;
    private const int SlotBytes = 128;

    private readonly MemoryMappedFile _file;
    private readonly MemoryMappedViewAccessor _view;
    private byte* _base;

    public int Ranks { get; }
    public int RingBytes { get; }
    public string Path { get; }

    private ShmSegment(string path, MemoryMappedFile file, MemoryMappedViewAccessor view)
    {
        Path = path;
        _file = file;
        _view = view;
        _view.SafeMemoryMappedViewHandle.AcquirePointer(ref _base);
        _base += _view.PointerOffset;
        if (*(long*)_base != Magic) throw new InvalidDataException($"{path} is not a Cosched shared-memory segment");
        Ranks = *(int*)(_base + 8);
        RingBytes = *(int*)(_base + 12);
    }

    /// <summary>Default data bytes per ring: room for several 32 KiB chunks in flight.</summary>
    public const int DefaultRingBytes = 256 * 1024;

    public static long SegmentBytes(int ranks, int ringBytes) => RingsOffset(ranks) + (long)ranks * ranks * (PageBytes + ringBytes);

    private static long RingsOffset(int ranks) => Align(PageBytes + (long)ranks * SlotBytes, PageBytes);

    private static long Align(long value, long to) => (value + to - 1) / to * to;

    /// <summary>Creates the file readable and writable by its owner only (mode 0600).</summary>
    public static ShmSegment Create(string path, int ranks, int ringBytes = DefaultRingBytes)
    {
        if (ringBytes < 8192 || (ringBytes & (ringBytes - 1)) != 0)
            throw new ArgumentException($"ring size must be a power of two of at least 8 KiB, got {ringBytes}");
        var options = new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.ReadWrite,
            UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
        };
        using (var stream = new FileStream(path, options))
        {
            stream.SetLength(SegmentBytes(ranks, ringBytes));
            Span<byte> header = stackalloc byte[16];
            BitConverter.TryWriteBytes(header, Magic);
            BitConverter.TryWriteBytes(header[8..], ranks);
            BitConverter.TryWriteBytes(header[12..], ringBytes);
            stream.Write(header);
        }
        return Open(path);
    }

    public static ShmSegment Open(string path)
    {
        var stream = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite);
        var file = MemoryMappedFile.CreateFromFile(stream, null, 0, MemoryMappedFileAccess.ReadWrite, HandleInheritability.None, leaveOpen: false);
        return new ShmSegment(path, file, file.CreateViewAccessor(0, 0, MemoryMappedFileAccess.ReadWrite));
    }

    /// <summary>The segment is a PCI device's memory (a QEMU guest's ivshmem BAR, opened through
    /// sysfs): other kernels share it, so its doorbells are polled (see <see cref="Doorbell"/>).</summary>
    public bool SharedAcrossKernels => Path.StartsWith("/sys/", StringComparison.Ordinal);

    internal Doorbell DoorbellOf(int rank) => new((int*)(_base + PageBytes + (long)rank * SlotBytes), SharedAcrossKernels);

    /// <summary>Membership word of a rank: nonzero once that rank has attached to this segment.
    /// Locality is decided from this table alone: a rank that can read a peer's mark here shares
    /// memory with it.</summary>
    internal long* MemberOf(int rank) => (long*)(_base + PageBytes + (long)rank * SlotBytes + 64);

    internal byte* RingControl(int from, int to) => _base + RingsOffset(Ranks) + ((long)from * Ranks + to) * (PageBytes + RingBytes);

    internal byte* RingData(int from, int to) => RingControl(from, to) + PageBytes;

    public void Dispose()
    {
        if (_base == null) return;
        _base = null;
        _view.SafeMemoryMappedViewHandle.ReleasePointer();
        _view.Dispose();
        _file.Dispose();
    }
}
