/// A growable scratch buffer owned by a layer: Floats (activations, gradients of
/// inputs) or Int32 (max pooling's argmax). Pointers into it stay valid until the next
/// `ensure` that grows it.
final class ScratchBuffer<Element: Numeric> {
    private(set) var ptr: UnsafeMutablePointer<Element>
    private(set) var capacity: Int

    init(_ capacity: Int = 0) {
        self.capacity = max(capacity, 1)
        ptr = .allocate(capacity: self.capacity)
        ptr.initialize(repeating: 0, count: self.capacity)
    }
    deinit { ptr.deallocate() }

    /// Makes room for n values (contents are not kept when it grows).
    @discardableResult
    func ensure(_ n: Int) -> UnsafeMutablePointer<Element> {
        if n > capacity {
            ptr.deallocate()
            capacity = n
            ptr = .allocate(capacity: n)
            ptr.initialize(repeating: 0, count: n)
        }
        return ptr
    }
}

typealias Buffer = ScratchBuffer<Float>
typealias IndexBuffer = ScratchBuffer<Int32>
