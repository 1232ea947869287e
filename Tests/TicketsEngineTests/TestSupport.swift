@testable import TicketsEngine

extension Network {
    /// The net's linear layers, in order (the tests' MLPs are made of them).
    var linears: [Linear] { layers.compactMap { $0 as? Linear } }
}

extension Dataset {
    /// A data set from Float rows, for tests: x (N, D) row-major.
    static func memory(name: String, trainX: [Float], trainY: [Int32], testX: [Float], testY: [Int32],
                       features: Int, classes: Int) throws -> Dataset {
        try Dataset(name: name, source: "memory", sampleShape: [features], classes: classes,
                    train: Split(trainX, labels: trainY, sampleSize: features),
                    test: Split(testX, labels: testY, sampleSize: features))
    }
}
