using Cosched.Messaging;

namespace Cosched.Workloads.Npb.Mg;

/// <summary>MG's ghost-layer exchanges (mg.f90's comm3 and comm3_ex): per axis, each rank sends its
/// boundary planes to its two neighbours and stores theirs in its ghost planes, so the periodic
/// stencils see their neighbours' values.</summary>
internal sealed class MgHalo
{
    private readonly MgDecomposition _decomposition;
    private readonly Communicator _world;
    private readonly double[] _sendBuffer, _receiveLow, _receiveHigh;

    public MgHalo(MgDecomposition decomposition, Communicator world)
    {
        _decomposition = decomposition;
        _world = world;
        int largest = 0;
        for (int axis = 0; axis < 3; axis++) largest = Math.Max(largest, decomposition.Extent[axis, decomposition.Levels]);
        int face = 2 * largest * largest; // two planes: what the hand-over after interpolation sends
        _sendBuffer = new double[face];
        _receiveLow = new double[face];
        _receiveHigh = new double[face];
    }

    // NPB's message types: 100 (dir + 2 + 10 axis), axis 1..3, dir -1 or +1.
    private static int Tag(int axis, int direction) => 100 * (direction + 2 + 10 * (axis + 1));

    /// <summary>comm3: fills the ghost planes of a level's block from the neighbours, axis by axis
    /// (so edges and corners come along); a rank with no points on the level zeroes its block.</summary>
    public void Exchange(Span<double> u, int level)
    {
        var d = _decomposition;
        int n1 = d.Extent[0, level], n2 = d.Extent[1, level], n3 = d.Extent[2, level];
        if (d.Dead[level])
        {
            u[..(n1 * n2 * n3)].Clear();
            return;
        }
        for (int axis = 0; axis < 3; axis++)
        {
            int low = d.Neighbour[axis, 0, level], high = d.Neighbour[axis, 1, level];
            // Faces cover the interior of the axes not yet exchanged and all of those already done.
            var lastInterior = Plane(axis, n1, n2, n3, Extent(axis, n1, n2, n3) - 2);
            var firstInterior = Plane(axis, n1, n2, n3, 1);
            var lowGhost = Plane(axis, n1, n2, n3, 0);
            var highGhost = Plane(axis, n1, n2, n3, Extent(axis, n1, n2, n3) - 1);
            int count = lastInterior.Count;
            if (low == d.Rank && high == d.Rank)
            {
                // One rank along this axis: the periodic wrap is a local copy (NPB's comm1p).
                lastInterior.Gather(u, n1, n2, _sendBuffer);
                lowGhost.Scatter(_sendBuffer, n1, n2, u);
                firstInterior.Gather(u, n1, n2, _sendBuffer);
                highGhost.Scatter(_sendBuffer, n1, n2, u);
                continue;
            }
            // Upward: my last interior plane to the high neighbour, the low one's into my low ghost.
            lastInterior.Gather(u, n1, n2, _sendBuffer);
            _world.Sendrecv<double>(_sendBuffer.AsSpan(0, count), high, Tag(axis, +1), _receiveLow.AsSpan(0, count), low, Tag(axis, +1));
            lowGhost.Scatter(_receiveLow, n1, n2, u);
            // Downward: my first interior plane to the low neighbour, the high one's into my high ghost.
            firstInterior.Gather(u, n1, n2, _sendBuffer);
            _world.Sendrecv<double>(_sendBuffer.AsSpan(0, count), low, Tag(axis, -1), _receiveHigh.AsSpan(0, count), high, Tag(axis, -1));
            highGhost.Scatter(_receiveHigh, n1, n2, u);
        }
    }

    /// <summary>comm3_ex: after interpolation onto a level where some ranks along an axis hold a
    /// single point and their neighbours none, the full ranks hand their boundary planes over.</summary>
    public void HandOver(Span<double> u, int level)
    {
        var d = _decomposition;
        int n1 = d.Extent[0, level], n2 = d.Extent[1, level], n3 = d.Extent[2, level];
        for (int axis = 0; axis < 3; axis++)
        {
            int low = d.Neighbour[axis, 0, level], high = d.Neighbour[axis, 1, level];
            int last = Extent(axis, n1, n2, n3) - 1;
            var single = Plane(axis, n1, n2, n3, 0, full: true);
            var pair = Slab(axis, n1, n2, n3, 0, 2);
            if (d.Takes[axis, level])
            {
                // Takers only receive and givers only send along an axis, so blocking receives in
                // NPB's order cannot wait on each other (NPB posts both first; same messages).
                _world.Recv<double>(_receiveHigh.AsSpan(0, single.Count), high, Tag(axis, -1));
                Plane(axis, n1, n2, n3, last, full: true).Scatter(_receiveHigh, n1, n2, u);
                _world.Recv<double>(_receiveLow.AsSpan(0, pair.Count), low, Tag(axis, +1));
                pair.Scatter(_receiveLow, n1, n2, u);
            }
            if (d.Gives[axis, level])
            {
                var upper = Slab(axis, n1, n2, n3, last - 1, 2);
                upper.Gather(u, n1, n2, _sendBuffer);
                _world.Send<double>(_sendBuffer.AsSpan(0, upper.Count), high, Tag(axis, +1));
                var second = Plane(axis, n1, n2, n3, 1, full: true);
                second.Gather(u, n1, n2, _sendBuffer);
                _world.Send<double>(_sendBuffer.AsSpan(0, second.Count), low, Tag(axis, -1));
            }
        }
    }

    private static int Extent(int axis, int n1, int n2, int n3) => axis switch { 0 => n1, 1 => n2, _ => n3 };

    /// <summary>The plane at <paramref name="index"/> along an axis; unless <paramref name="full"/>,
    /// only the interior along the axes that come later in the exchange (NPB's give3/take3 faces).</summary>
    private static Box Plane(int axis, int n1, int n2, int n3, int index, bool full = false) => axis switch
    {
        0 => full ? new Box(index, index + 1, 0, n2, 0, n3) : new Box(index, index + 1, 1, n2 - 1, 1, n3 - 1),
        1 => full ? new Box(0, n1, index, index + 1, 0, n3) : new Box(0, n1, index, index + 1, 1, n3 - 1),
        _ => new Box(0, n1, 0, n2, index, index + 1),
    };

    /// <summary><paramref name="count"/> whole planes from <paramref name="first"/> along an axis.</summary>
    private static Box Slab(int axis, int n1, int n2, int n3, int first, int count) => axis switch
    {
        0 => new Box(first, first + count, 0, n2, 0, n3),
        1 => new Box(0, n1, first, first + count, 0, n3),
        _ => new Box(0, n1, 0, n2, first, first + count),
    };

    /// <summary>A box [i1a, i1b) x [i2a, i2b) x [i3a, i3b) of a block, packed with i1 fastest.</summary>
    private readonly record struct Box(int I1a, int I1b, int I2a, int I2b, int I3a, int I3b)
    {
        public int Count => (I1b - I1a) * (I2b - I2a) * (I3b - I3a);

        public void Gather(ReadOnlySpan<double> u, int n1, int n2, Span<double> buffer)
        {
            int width = I1b - I1a, at = 0;
            if (width == 1)
            {
                // An x plane: one value per row, so no per-row copy call.
                var packed = buffer[..Count];
                for (int i3 = I3a; i3 < I3b; i3++)
                    for (int i2 = I2a; i2 < I2b; i2++)
                        packed[at++] = u[I1a + n1 * (i2 + n2 * i3)];
                return;
            }
            for (int i3 = I3a; i3 < I3b; i3++)
                for (int i2 = I2a; i2 < I2b; i2++, at += width)
                    u.Slice(I1a + n1 * (i2 + n2 * i3), width).CopyTo(buffer.Slice(at, width));
        }

        public void Scatter(ReadOnlySpan<double> buffer, int n1, int n2, Span<double> u)
        {
            int width = I1b - I1a, at = 0;
            if (width == 1)
            {
                var packed = buffer[..Count];
                for (int i3 = I3a; i3 < I3b; i3++)
                    for (int i2 = I2a; i2 < I2b; i2++)
                        u[I1a + n1 * (i2 + n2 * i3)] = packed[at++];
                return;
            }
            for (int i3 = I3a; i3 < I3b; i3++)
                for (int i2 = I2a; i2 < I2b; i2++, at += width)
                    buffer.Slice(at, width).CopyTo(u.Slice(I1a + n1 * (i2 + n2 * i3), width));
        }
    }
}
