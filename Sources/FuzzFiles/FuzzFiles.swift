// A libFuzzer target over every file parser: IDX, gzip, CIFAR records, safetensors,
// .npy, .npz (zip, deflate), checkpoints built from what those decode, and tables as
// CSV and JSON. Built and run by scripts/fuzz; an ordinary build makes a stub. A parser
// may reject any input with an error; it may never trap or read past its buffer.
import Foundation
import TicketsLang

#if FUZZING
/// SwiftPM names an executable's entry point `<target>_main`; it hands over to
/// libFuzzer's driver, which calls the function below with each input.
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(_ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
                         _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt) -> CInt

@_cdecl("FuzzFiles_main")
public func fuzzfilesMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var argc = argc, argv = argv
    return LLVMFuzzerRunDriver(&argc, &argv) { data, size in fuzzFiles(data ?? UnsafePointer(bitPattern: 1)!, size) }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzFiles(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    Fuzzing.parseFiles(Array(UnsafeBufferPointer(start: data, count: size)))
    return 0
}
#else
@main struct FuzzFilesStub {
    static func main() { print("FuzzFiles: a libFuzzer target; build and run it with scripts/fuzz") }
}
#endif
