import Foundation

/// What Tab offers at the prompt: the candidates for the text before the cursor, and
/// where that text starts (the candidates replace `line[start..<cursor]`).
public struct Completions: Equatable, Sendable {
    public var start: Int
    public var candidates: [String]
    public static let none = Completions(start: 0, candidates: [])

    /// The longest text every candidate starts with (what Tab inserts at once).
    public var commonPrefix: String {
        guard var prefix = candidates.first else { return "" }
        for c in candidates.dropFirst() {
            while !c.hasPrefix(prefix) { prefix.removeLast() }
        }
        return prefix
    }
}

/// Tab completion, as a pure function of the line, the cursor and the session. It reads
/// what the session declares and never runs code: names (variables, builtins, library
/// functions, the language's keywords); the keyword arguments of the call being typed,
/// from the builtin's `Param` declarations or the function's parameters; members after
/// a dot, from each type's member table (a record's fields, a table's columns); file
/// paths inside a string; meta-commands and their file arguments. At most
/// `maxCandidates` are offered, and nothing it does grows with a table's rows.
public enum Completion {
    public static let maxCandidates = 200

    /// The meta-commands the REPL knows (`REPL.command`).
    public static let metaCommands = [":help", ":vars", ":load", ":save", ":reset", ":time", ":tokens", ":ast", ":quit"]

    /// `cursor` counts characters from the start of the line; `directory` is where
    /// relative paths start (default: the current directory).
    public static func complete(_ line: String, cursor: Int, in interp: Interpreter, directory: String? = nil) -> Completions {
        let chars = Array(line.prefix(max(0, cursor)))
        let dir = directory ?? FileManager.default.currentDirectoryPath
        let trimmed = String(chars).drop(while: { $0 == " " })
        // Meta-commands: their names, then a file for :load and :save.
        if trimmed.hasPrefix(":") {
            let offset = chars.count - trimmed.count
            guard let space = trimmed.firstIndex(of: " ") else {
                return Completions(start: offset, candidates: metaCommands.filter { $0.hasPrefix(trimmed) })
            }
            let name = trimmed[..<space]
            guard name == ":load" || name == ":save" else { return .none }
            let argStart = offset + trimmed.distance(from: trimmed.startIndex, to: space) + 1
            let arg = String(chars[argStart...]).drop(while: { $0 == " " })
            return Completions(start: chars.count - arg.count, candidates: paths(String(arg), in: dir))
        }
        let scan = LineScan(chars)
        if scan.inComment { return .none }
        if let quote = scan.openString {
            let text = String(chars[(quote + 1)...])
            return Completions(start: quote + 1, candidates: paths(text, in: dir))
        }
        var wordStart = chars.count
        while wordStart > 0, isNameCharacter(chars[wordStart - 1]) { wordStart -= 1 }
        let word = String(chars[wordStart...])
        if word.first?.isNumber == true { return .none }
        // After a dot (not the range operator `..`): the members of what is before it.
        if wordStart > 0, chars[wordStart - 1] == ".", !(wordStart > 1 && chars[wordStart - 2] == ".") {
            guard let chain = nameChain(chars, endingAt: wordStart - 2), let owner = lookup(chain, in: interp) else { return .none }
            return Completions(start: wordStart, candidates: limited(memberNames(owner).filter { $0.hasPrefix(word) }))
        }
        var candidates: [String] = []
        if let call = scan.frames.last(where: { $0.bracket == "(" }), scan.frames.last?.bracket == "(",
           let callee = call.callee, let f = lookup(callee, in: interp) {
            candidates += keywordArguments(f, after: call).filter { $0.hasPrefix(word) }.map { $0 + "=" }
        }
        if !word.isEmpty {
            let hidden = !word.hasPrefix("_")
            let names = Set(interp.globalNames + Array(keywords)).filter { $0.hasPrefix(word) && !(hidden && $0.hasPrefix("_")) }
            candidates += names.sorted()
        }
        return Completions(start: wordStart, candidates: limited(candidates))
    }

    static func limited(_ xs: [String]) -> [String] { Array(xs.prefix(maxCandidates)) }

    static func isNameCharacter(_ c: Character) -> Bool { c.isLetter || c.isNumber || c == "_" }

    /// `a.b.c` ending at index `end` (its last character), as ["a", "b", "c"]; nil when
    /// what ends there is not a plain chain of names (a call, an index, a literal).
    static func nameChain(_ chars: [Character], endingAt end: Int) -> [String]? {
        var parts: [String] = [], i = end
        while true {
            var j = i
            while j >= 0, isNameCharacter(chars[j]) { j -= 1 }
            guard j < i else { return nil }
            let name = String(chars[(j + 1)...i])
            guard let first = name.first, !first.isNumber else { return nil }
            parts.insert(name, at: 0)
            guard j >= 1, chars[j] == ".", chars[j - 1] != "." else { break }
            i = j - 1
        }
        return parts
    }

    /// The value a chain of names stands for, read without running anything: a global,
    /// then record fields and object members. A table's members other than `last` are
    /// columns and lists, which have no members; they are not computed.
    static func lookup(_ chain: [String], in interp: Interpreter) -> Value? {
        guard let first = chain.first, var v = interp.lookup(first) else { return nil }
        for name in chain.dropFirst() {
            switch v {
            case .record(let r):
                guard let x = r[name] else { return nil }
                v = x
            case .object(let t as Table):
                guard name == "last" || name == "add", let x = t.member(name) else { return nil }
                v = x
            case .object(let o):
                guard o.memberNames.contains(name), let x = o.member(name) else { return nil }
                v = x
            default:
                return nil
            }
        }
        return v
    }

    /// The names after `x.`: a record's fields, an object's declared members.
    static func memberNames(_ v: Value) -> [String] {
        switch v {
        case .record(let r): return r.keys
        case .object(let o): return o.memberNames
        default: return []
        }
    }

    /// The parameters of a builtin or a function that the call has not filled yet,
    /// neither by position nor by keyword.
    static func keywordArguments(_ f: Value, after call: LineScan.Frame) -> [String] {
        let names: [String]
        switch f {
        case .builtin(let b): names = b.params.map(\.name)
        case .function(let c): names = c.decl.params.map(\.name)
        default: return []
        }
        // A variadic builtin's positional arguments fill none of its (keyword) parameters.
        let byPosition = f.isVariadicBuiltin ? 0 : call.positional
        return names.enumerated().filter { $0.offset >= byPosition && !call.keywords.contains($0.element) }.map(\.element)
    }

    /// Files and folders whose path starts with `text` (folders end in "/"); hidden ones
    /// only when asked for with a leading dot. `~` stands for the home folder.
    static func paths(_ text: String, in directory: String) -> [String] {
        let slash = text.lastIndex(of: "/")
        let folderText = slash.map { String(text[...$0]) } ?? ""
        let prefix = slash.map { String(text[text.index(after: $0)...]) } ?? text
        var folder = folderText.isEmpty ? directory : (folderText as NSString).expandingTildeInPath
        if !folder.hasPrefix("/") { folder = (directory as NSString).appendingPathComponent(folder) }
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return [] }
        var out: [String] = []
        for name in entries.sorted() where name.hasPrefix(prefix) && (prefix.hasPrefix(".") || !name.hasPrefix(".")) {
            var isDir: ObjCBool = false
            FileManager.default.fileExists(atPath: (folder as NSString).appendingPathComponent(name), isDirectory: &isDir)
            out.append(folderText + name + (isDir.boolValue ? "/" : ""))
            if out.count >= maxCandidates { break }
        }
        return out
    }
}

extension Value {
    var isVariadicBuiltin: Bool { if case .builtin(let b) = self { b.variadic } else { false } }
}

/// The line before the cursor read as far as completion needs: the brackets still open
/// (for a call: what is called, how many arguments it has by position, which keywords
/// it was given), and whether the cursor is inside a string or a comment.
struct LineScan {
    struct Frame {
        var bracket: Character
        /// For "(": the chain of names called (`t.add`), nil for `f(x)(`.
        var callee: [String]?
        var positional = 0
        var keywords: Set<String> = []
        var currentIsKeyword = false
    }
    private(set) var frames: [Frame] = []
    /// The index of the quote of a string still open at the cursor.
    private(set) var openString: Int?
    private(set) var inComment = false

    init(_ chars: [Character]) {
        var i = 0
        while i < chars.count {
            let c = chars[i]
            switch c {
            case "\"", "'":
                var j = i + 1
                while j < chars.count, chars[j] != c { j += chars[j] == "\\" ? 2 : 1 }
                if j >= chars.count { openString = i; return }
                i = j
            case "#":
                inComment = true
                return
            case "(", "[", "{":
                let callee = c == "(" && i > 0 ? Completion.nameChain(chars, endingAt: lastNonSpace(chars, before: i)) : nil
                frames.append(Frame(bracket: c, callee: callee))
            case ")", "]", "}":
                if !frames.isEmpty { frames.removeLast() }
            case "," where frames.last?.bracket == "(":
                if !frames[frames.count - 1].currentIsKeyword { frames[frames.count - 1].positional += 1 }
                frames[frames.count - 1].currentIsKeyword = false
            case "=" where frames.last?.bracket == "(":
                let before: Character? = i > 0 ? chars[i - 1] : nil
                let after: Character? = i + 1 < chars.count ? chars[i + 1] : nil
                if after != "=", !"=<>!+-*/".contains(before ?? " "),
                   let name = Completion.nameChain(chars, endingAt: lastNonSpace(chars, before: i)), name.count == 1 {
                    frames[frames.count - 1].keywords.insert(name[0])
                    frames[frames.count - 1].currentIsKeyword = true
                }
            default:
                break
            }
            i += 1
        }
    }

    /// The index of the last character before `i` that is not a space (-1 if none).
    private func lastNonSpace(_ chars: [Character], before i: Int) -> Int {
        var j = i - 1
        while j >= 0, chars[j] == " " { j -= 1 }
        return j
    }
}
