import TicketsEngine

/// A data set seen from the language.
final class DatasetObject: DeclaredMembers {
    let data: Dataset
    init(_ d: Dataset) { data = d }
    var typeName: String { "dataset" }
    func describe() -> String {
        let v = data.validation.map { "  validation \($0.count) × \(data.sampleSize)" } ?? ""
        return "\(data.name)  train \(data.train.count) × \(data.sampleSize)\(v)  test \(data.test.count) × \(data.sampleSize)  \(data.classes) classes  (from \(data.source))"
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
    ]
}
