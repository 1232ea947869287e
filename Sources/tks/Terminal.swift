@preconcurrency import Foundation

/// The size of the terminal standard output goes to, in columns and rows: $COLUMNS and
/// $LINES when set (a user's override), else the window's size as the kernel knows it
/// (TIOCGWINSZ, asked each time, so a resized window gets plots of its new size); nil
/// when standard output is not a terminal.
func terminalSize() -> (columns: Int, rows: Int)? {
    let env = ProcessInfo.processInfo.environment
    var size = winsize()
    let known = isatty(STDOUT_FILENO) != 0 && ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0 && size.ws_col > 0
    let columns = env["COLUMNS"].flatMap(Int.init) ?? (known ? Int(size.ws_col) : nil)
    let rows = env["LINES"].flatMap(Int.init) ?? (known ? Int(size.ws_row) : nil)
    guard let columns, columns > 0 else { return nil }
    return (columns, rows ?? 24)
}

/// Writes out what `print` has buffered, before standard error speaks or the process
/// ends. (fflush(NULL) flushes every output stream, standard output among them, without
/// naming the C global that Swift 6 counts as shared mutable state.)
func flushStandardOutput() { fflush(nil) }
