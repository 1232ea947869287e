/// A growable scratch buffer of Floats owned by a layer (activations, gradients of
/// inputs). Pointers into it stay valid until the next `ensure` that grows it.
final class Buffer {
    private(set) var ptr: UnsafeMutablePointer<Float>
    private(set) var capacity: Int

    init(_ capacity: Int = 0) {
        self.capacity = max(capacity, 1)
        ptr = .allocate(capacity: self.capacity)
        ptr.initialize(repeating: 0, count: self.capacity)
    }
    deinit { ptr.deallocate() }

    /// Makes room for n values (contents are not kept when it grows).
    @discardableResult
    func ensure(_ n: Int) -> UnsafeMutablePointer<Float> {
        if n > capacity {
            ptr.deallocate()
            capacity = n
            ptr = .allocate(capacity: n)
            ptr.initialize(repeating: 0, count: n)
        }
        return ptr
    }
}
