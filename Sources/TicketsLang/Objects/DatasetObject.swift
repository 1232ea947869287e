import TicketsEngine

/// A data set seen from the language.
final class DatasetObject: DeclaredMembers {
    let data: Dataset
    init(_ d: Dataset) { data = d }
    var typeName: String { "dataset" }
    func describe() -> String {
        let v = data.validation.map { "  validation \($0.count) × \(data.sampleSize)" } ?? ""
        let n = data.normalization == nil ? "" : "  normalized"
        return "\(data.name)  train \(data.train.count) × \(data.sampleSize)\(v)  test \(data.test.count) × \(data.sampleSize)  \(data.classes) classes\(n)  (from \(data.source))"
    }
    static let members: [Member<DatasetObject>] = [
        Member("name", "its name") { .string($0.data.name) },
        Member("train", "the number of training examples") { .int($0.data.train.count) },
        Member("test", "the number of test examples") { .int($0.data.test.count) },
        Member("validation", "the number of validation examples (0 without a validation split)") { .int($0.data.validation?.count ?? 0) },
        Member("features", "values per example") { .int($0.data.sampleSize) },
        Member("shape", "the shape of one example, e.g. [1, 28, 28]") { .list($0.data.sampleShape.map { .int($0) }) },
        Member("classes", "the number of classes") { .int($0.data.classes) },
        Member("source", "the folder it was read from") { .string($0.data.source) },
        Member("mean", "each channel's mean in the training split, as normalize= subtracts it (nil without normalisation)") {
            $0.data.normalization.map { .list($0.mean.map { .number(Double($0)) }) } ?? .null
        },
        Member("std", "each channel's standard deviation in the training split, as normalize= divides by it (nil without)") {
            $0.data.normalization.map { .list($0.std.map { .number(Double($0)) }) } ?? .null
        },
    ]
}
