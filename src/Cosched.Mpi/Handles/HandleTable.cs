
namespace Cosched.Mpi;

/// <summary>Integer handles for objects of one kind (communicators, requests, datatypes, ...): the
/// predefined ones at fixed numbers below <c>firstFree</c>, the rest allocated and reused. 0 is the
/// kind's null handle. Used from the one thread that calls MPI (MPI_THREAD_FUNNELED).</summary>
internal sealed class HandleTable<T>(string kind, ErrorClass invalid, int firstFree) where T : class
{
    private readonly List<T?> _items = Enumerable.Repeat<T?>(null, firstFree).ToList();
    private readonly Stack<int> _free = new();

    public void Predefine(int handle, T item) => _items[handle] = item;

    public int Add(T item)
    {
        if (_free.TryPop(out int handle))
        {
            _items[handle] = item;
            return handle;
        }
        _items.Add(item);
        return _items.Count - 1;
    }

    /// <summary>The object behind <paramref name="handle"/>; an MPI error of the kind's class when there is none.</summary>
    public T Get(int handle) =>
        Find(handle) ?? throw new MpiException(invalid, handle == 0 ? $"the null {kind} handle" : $"{handle} is not a valid {kind} handle");

    /// <summary>The object behind <paramref name="handle"/>, or null when there is none (no error raised).</summary>
    public T? Find(int handle) => (uint)handle < (uint)_items.Count ? _items[handle] : null;

    public bool IsPredefined(int handle) => handle < firstFree;

    /// <summary>Releases a handle (predefined ones stay).</summary>
    public void Remove(int handle)
    {
        Get(handle);
        if (IsPredefined(handle)) throw new MpiException(invalid, $"the predefined {kind} {handle} cannot be freed");
        _items[handle] = null;
        _free.Push(handle);
    }
}
