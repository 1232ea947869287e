/// The k-th value (1-based) of `values` in the order `before` (`<`: the k-th smallest,
/// `>`: the k-th largest), by quickselect with Hoare's partition: O(n) on average.
/// Pruning's thresholds and the jackpot search's swaps rank whole layers with it.
@inline(__always)
func quickselect<T>(_ values: [T], _ k: Int, _ before: (T, T) -> Bool) -> T {
    var a = values
    var lo = 0, hi = a.count - 1
    let target = k - 1
    while lo < hi {
        let pivot = a[(lo + hi) / 2]
        var i = lo, j = hi
        while i <= j {
            while before(a[i], pivot) { i += 1 }
            while before(pivot, a[j]) { j -= 1 }
            if i <= j { a.swapAt(i, j); i += 1; j -= 1 }
        }
        if target <= j { hi = j } else if target >= i { lo = i } else { return a[target] }
    }
    return a[target]
}
