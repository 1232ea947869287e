/// help() by topic: `help("plots")` lists one group's functions with the first line
/// of each one's help; `help("prompt")` and `help("language")` explain the prompt and
/// the language in a screenful; `help(net)` on a value lists its members.

/// The topics besides the groups, with their text.
let helpTopicPages: [(name: String, text: String)] = [
    ("prompt", """
    At the prompt
      Tab            completes names, keyword arguments (train(net, data, ep<Tab>),
                     members after a dot (net.<Tab>, t.<Tab> for a table's columns) and
                     file names inside strings
      ?name          help(name); ?plots shows a topic
      ans            the value last shown
      :vars          your variables, with their types and sizes
      :load F.tks    runs a script into the session     :reset  forgets your variables
      :save F.md     the session as a Markdown handout, plots as SVG files beside it
      :save F.html   the session as one web page, plots inline (no script, no network)
      :time <code>   runs and times code                :quit   leaves (or Ctrl-D)
    Paste whole blocks: lines copied from a transcript run without their tks> and ...>
    prompts, and the lines of output between them are skipped. Ctrl-C stops a running
    loop or train at its next step. Plots draw in braille at the window's size;
    TKS_ASCII=1 draws them in plain characters. tks --notebook lesson.tks out.html
    makes the same handout from a script.
    """),
    ("language", """
    The language
      x = 1; x += 1               variables; numbers, "strings {x} interpolated", true, nil
      [1, 2, 3]   {acc: 0.9}      lists (0-based, xs[-1] the last) and records (r.acc)
      1..10                       a range, both ends included
      if c ... elif c ... else ... end      while c ... end      for x in xs ... end
      fn f(a, b=2) ... end        functions; callers may name arguments: f(1, b=3)
      and or not  == != < <= > >=  + - * / % ^
    Blocks close with `end`, so the prompt waits for it. docs/language.md has the rest.
    """),
]

/// The name a group is asked for by: the first word of its title, in lower case
/// ("Masks and pruning" → "masks", "Experiments (stdlib/lth.tks)" → "experiments").
func topicKey(_ title: String) -> String {
    String(title.prefix(while: { $0.isLetter })).lowercased()
}

/// The text of `help("topic")`, or nil when `name` is no topic.
func helpTopic(_ name: String, _ ctx: BuiltinContext) -> String? {
    let key = name.lowercased()
    if let page = helpTopicPages.first(where: { $0.name == key }) { return page.text }
    let groups = ctx.helpGroups.filter { topicKey($0.title) == key || $0.title.lowercased() == key }
    guard !groups.isEmpty else { return nil }
    var out: [String] = []
    for group in groups {
        out.append(group.title)
        let width = group.names.map(\.count).max() ?? 0
        for name in group.names {
            let doc: String?
            switch ctx.lookup(name) {
            case .builtin(let b)?: doc = b.doc
            case .function(let c)?: doc = c.doc
            default: doc = nil
            }
            out.append("  " + name.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + firstSentence(doc ?? ""))
        }
    }
    return (out + ["help(name) tells more about one."]).joined(separator: "\n")
}

/// The topics `help()` lists at its end.
func helpTopicNames(_ ctx: BuiltinContext) -> [String] {
    var keys: [String] = []
    for group in ctx.helpGroups where group.title != "Your functions" {
        let k = topicKey(group.title)
        if !k.isEmpty && !keys.contains(k) { keys.append(k) }
    }
    return keys + helpTopicPages.map(\.name)
}

/// `help(x)` for a value that is no function: what it is and its members.
func valueHelp(_ v: Value) -> String? {
    switch v {
    case .object(let o as any DeclaredMembers):
        let docs = memberDocs(o)
        let width = docs.map(\.0.count).max() ?? 0
        return (["a \(o.typeName): \(valueSummary(v))", "  Members:"]
                + docs.map { "    " + $0.0.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + $0.1 }
                + (o.extraMemberNames.isEmpty ? [] : ["    also: " + o.extraMemberNames.prefix(20).joined(separator: ", ")
                                                      + (o.extraMemberNames.count > 20 ? ", ..." : "")])).joined(separator: "\n")
    case .record(let r):
        return "a record with fields " + (r.keys.isEmpty ? "(none)" : r.keys.joined(separator: ", "))
    default:
        return nil
    }
}

/// A type's declared members with their documentation.
private func memberDocs<T: DeclaredMembers>(_ o: T) -> [(String, String)] { T.memberDocs }

/// The first sentence of a help text, on one line, cut at a word to at most 80
/// characters ("et al." and "e.g." do not end a sentence).
func firstSentence(_ doc: String) -> String {
    let words = doc.split(whereSeparator: { $0 == " " || $0.isNewline }).map(String.init)
    var out: [String] = []
    for w in words {
        out.append(w)
        if w.hasSuffix("."), !["al.", "e.g.", "i.e.", "cf.", "vs."].contains(w) { break }
    }
    var text = out.joined(separator: " ")
    if text.hasSuffix(".") { text.removeLast() }
    guard text.count > 80 else { return text }
    var cut = ""
    for w in text.split(separator: " ") {
        if cut.count + w.count + 1 > 77 { break }
        cut += (cut.isEmpty ? "" : " ") + w
    }
    return cut + " ..."
}
