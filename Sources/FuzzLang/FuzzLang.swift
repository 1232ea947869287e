// A libFuzzer target over the whole language: lexer, parser, interpreter and the
// builtins, engine calls included (on the small shapes the fuzzer reaches). Built and
// run by scripts/fuzz; an ordinary build makes a stub that says so. Nothing it runs
// may trap: every input ends in a value or a TicketsError.
import Foundation
import TicketsLang

#if FUZZING
/// SwiftPM names an executable's entry point `<target>_main`; it hands over to
/// libFuzzer's driver, which calls the function below with each input.
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(_ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
                         _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt) -> CInt

@_cdecl("FuzzLang_main")
public func fuzzlangMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var argc = argc, argv = argv
    return LLVMFuzzerRunDriver(&argc, &argv) { data, size in fuzzLanguage(data ?? UnsafePointer(bitPattern: 1)!, size) }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzLanguage(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    Fuzzing.runSource(String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self))
    return 0
}
#else
@main struct FuzzLangStub {
    static func main() { print("FuzzLang: a libFuzzer target; build and run it with scripts/fuzz") }
}
#endif
