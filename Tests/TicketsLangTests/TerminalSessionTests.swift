import Foundation
import Testing

/// The real `tks` binary at a real (pseudo-)terminal, driven through tmux: Tab
/// completion, bracketed paste, plots sized to the window, Ctrl-C at the prompt.
/// Skipped, with the reason, where tmux is not installed.
struct TerminalSessionTests {
    static let tmuxPath: String? = {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        return path.split(separator: ":").map { "\($0)/tmux" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }()
    static var available: Bool { tmuxPath != nil && CommandLineTests.binary != nil }

    /// One tmux server of its own (its own socket) running tks in a window of a given size.
    final class Terminal {
        let socket = "tks-test-\(UUID().uuidString.prefix(8))"
        let folder: String

        init(width: Int = 100, height: Int = 30, environment: [String: String] = [:]) throws {
            folder = NSTemporaryDirectory() + "tickets-pty-\(UUID().uuidString)"
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            let env = (["TKS_HISTORY": folder + "/history", "TERM": "xterm-256color", "NO_COLOR": "1"].merging(environment) { $1 })
                .map { "\($0.key)='\($0.value)'" }.sorted().joined(separator: " ")
            let binary = try #require(CommandLineTests.binary)
            _ = try tmux(["new-session", "-d", "-x", "\(width)", "-y", "\(height)", "-c", folder, "env \(env) '\(binary)'"])
            _ = try waitFor { $0.contains("tks>") }
        }

        deinit {
            _ = try? tmux(["kill-server"])
            try? FileManager.default.removeItem(atPath: folder)
        }

        /// Runs a tmux command against this server and returns what it printed. It is
        /// spawned and waited for directly: Foundation's Process never saw the first
        /// command end (that command starts the server, which outlives it).
        @discardableResult
        func tmux(_ args: [String]) throws -> String {
            let tool = try #require(TerminalSessionTests.tmuxPath)
            let file = folder + "/tmux-\(UUID().uuidString).out"
            defer { try? FileManager.default.removeItem(atPath: file) }
            var actions = posix_spawn_file_actions_t()
            posix_spawn_file_actions_init(&actions)
            defer { posix_spawn_file_actions_destroy(&actions) }
            posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
            posix_spawn_file_actions_addopen(&actions, 1, file, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
            posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
            let argv = [tool, "-L", socket, "-f", "/dev/null"] + args
            var cArgs = argv.map { strdup($0) } + [nil]
            defer { for a in cArgs { free(a) } }
            // The test runner's threads block some signals; the server (and tks in it)
            // must start with none blocked and default actions, as from a shell.
            var attributes = posix_spawnattr_t()
            posix_spawnattr_init(&attributes)
            defer { posix_spawnattr_destroy(&attributes) }
            var none = sigset_t(), all = sigset_t()
            sigemptyset(&none)
            sigfillset(&all)
            posix_spawnattr_setsigmask(&attributes, &none)
            posix_spawnattr_setsigdefault(&attributes, &all)
            posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
            var pid: pid_t = 0
            guard posix_spawn(&pid, tool, &actions, &attributes, &cArgs, environ) == 0 else { throw CancellationError() }
            var status: Int32 = 0
            waitpid(pid, &status, 0)
            return (try? String(contentsOfFile: file, encoding: .utf8)) ?? ""
        }

        /// Types text literally (no key names).
        func type(_ text: String) throws { try tmux(["send-keys", "-l", text]) }
        /// Presses keys by name: "Enter", "Tab", "C-c", "C-u".
        func press(_ keys: String...) throws { try tmux(["send-keys"] + keys) }
        /// Pastes text as a terminal does: marked as a paste when tks asked for that.
        func paste(_ text: String) throws {
            try tmux(["set-buffer", "--", text])
            try tmux(["paste-buffer", "-p"])
        }
        /// Types a line and presses Enter.
        func enter(_ line: String) throws { try type(line); try press("Enter") }

        var screen: String { (try? tmux(["capture-pane", "-p"])) ?? "" }

        /// The screen once `done` holds of it (or after 15 seconds, whatever it is then).
        func waitFor(_ done: (String) -> Bool) throws -> String {
            let deadline = Date().addingTimeInterval(15)
            while Date() < deadline {
                let s = screen
                if done(s) { return s }
                Thread.sleep(forTimeInterval: 0.05)
            }
            return screen
        }

        /// The screen's last line with a prompt on it.
        func promptLine(_ s: String) -> String {
            s.split(separator: "\n").last { $0.hasPrefix("tks> ") || $0.hasPrefix("...> ") }.map(String.init) ?? ""
        }
    }

    @Test(.enabled(if: available, "tmux or the tks binary is missing (apt-get install -y tmux; swift build)"))
    func tabCompletesNamesKeywordArgumentsMembersAndPaths() throws {
        let t = try Terminal()
        try t.type("trai")   // "tra" offers transpose too
        try t.press("Tab")
        #expect(t.promptLine(try t.waitFor { $0.contains("tks> train") }) == "tks> train")
        try t.type("(net, data, ep")
        try t.press("Tab")
        #expect(t.promptLine(try t.waitFor { $0.contains("epochs=") }) == "tks> train(net, data, epochs=")
        try t.press("C-u")
        try t.enter("r = {acc: 0.9, abc: 2}")
        try t.type("r.a")
        try t.press("Tab")
        let listed = try t.waitFor { $0.contains("acc  abc") }
        #expect(listed.contains("acc  abc"))
        try t.press("C-u")
        _ = FileManager.default.createFile(atPath: t.folder + "/lesson.tks", contents: Data("print(\"from the lesson\")\n".utf8))
        try t.type("x = \"less")
        try t.press("Tab")
        #expect(t.promptLine(try t.waitFor { $0.contains("lesson.tks") }) == "tks> x = \"lesson.tks")
        try t.press("C-u")
        try t.type(":load les")
        try t.press("Tab")
        _ = try t.waitFor { $0.contains(":load lesson.tks") }
        try t.press("Enter")
        #expect(try t.waitFor { $0.contains("from the lesson") }.contains("from the lesson"))
        // A table of many rows and columns: Tab offers its columns at once, and the
        // session goes on.
        try t.enter("big = table([\"c1\", \"c2\"]); for i in 1..5000 big.add({c1: i, c2: i}) end; \"built\"")
        _ = try t.waitFor { $0.contains("\"built\"\ntks>") }
        try t.type("big.c")
        try t.press("Tab")
        try t.press("Tab")
        #expect(try t.waitFor { $0.contains("columns  c1       c2") }.contains("columns  c1       c2"))
        try t.press("C-u")
        try t.enter("len(big)")
        #expect(try t.waitFor { $0.contains("\n5000") }.contains("\n5000"))
    }

    @Test(.enabled(if: available, "tmux or the tks binary is missing (apt-get install -y tmux; swift build)"))
    func aPastedTranscriptRunsWholeWithoutPromptsOrOutput() throws {
        let t = try Terminal()
        // Tabs inside a paste are indentation, not completion; the output lines of the
        // transcript (10, 20) are skipped; the block runs once it is whole.
        try t.paste("tks> total = 0\ntks> for i in 1..2\n...> \ttotal += i * 100\n...> end\ntks> print(\"sum\", total)\nsum 300\n")
        let s = try t.waitFor { $0.contains("sum 300") }
        #expect(s.contains("tks> total = 0\n...> for i in 1..2\n...>     total += i * 100\n...> end\n...> print(\"sum\", total)\nsum 300"))
        // One pasted line goes where the cursor is, to be edited and entered.
        try t.type("print(")
        try t.paste("total + 1")
        try t.type(")")
        try t.press("Enter")
        #expect(try t.waitFor { $0.contains("\n301") }.contains("\n301"))
        #expect(!t.screen.contains("error"))
    }

    @Test(.enabled(if: available, "tmux or the tks binary is missing (apt-get install -y tmux; swift build)"))
    func plotsFitTheWindowAndCtrlCKeepsTheSession() throws {
        let t = try Terminal(width: 72, height: 30)
        try t.enter("p = plot([1, 4, 9, 16], title=\"squares\")")
        try t.enter("p")
        let s = try t.waitFor { $0.contains("squares") && $0.components(separatedBy: "tks>").count >= 4 }
        let lines = s.split(separator: "\n")
        #expect(lines.allSatisfy { $0.count <= 72 })
        #expect(s.contains("⠁") || s.contains("⣀") || s.contains("⠉"), "braille dots")
        try t.enter("while true")
        try t.enter("end")
        Thread.sleep(forTimeInterval: 0.3)
        try t.press("C-c")
        _ = try t.waitFor { $0.contains("interrupted") }
        try t.enter("1 + 1")
        let after = try t.waitFor { $0.contains("\n2\n") }
        #expect(after.contains("\n2\n"), "\(after)")

        let ascii = try Terminal(width: 60, height: 24, environment: ["TKS_ASCII": "1"])
        try ascii.enter("plot([1, 4, 9, 16], title=\"squares\")")
        let a = try ascii.waitFor { $0.contains("squares") && $0.contains("+--") }
        #expect(!a.contains("⠁") && !a.contains("┤") && a.split(separator: "\n").allSatisfy { $0.count <= 60 })
    }

    /// Ctrl-C in the middle of `train` and of `imp`, pressed at a real terminal: the
    /// statement's name holds what finished, marked partial, and the error says so at
    /// the user's line.
    @Test(.enabled(if: available, "tmux or the tks binary is missing (apt-get install -y tmux; swift build)"))
    func ctrlCKeepsTheFinishedEpochsAndLevels() throws {
        let t = try Terminal(width: 200, height: 40)
        let tiny = GoldenTests.root.appendingPathComponent("Tests/golden/data/tiny").path
        try t.enter("d = dataset(\"idx\", \"\(tiny)\")")
        try t.enter("net = mlp([64, 512, 512, 3], seed=0)")
        _ = try t.waitFor { $0.contains("mlp 64-512-512-3") }
        try t.enter("hs = train(net, d, epochs=100000, batch=1)")
        _ = try t.waitFor { $0.contains("epoch 2/100000") }
        try t.press("C-c")
        let s = try t.waitFor { $0.contains("(marked partial)") }
        #expect(s.contains("error: train: interrupted at epoch"), "\(s)")
        #expect(s.contains("hs holds the"), "\(s)")
        try t.press("C-l")
        try t.enter("len(hs) >= 1")
        let cleared = try t.waitFor { $0.contains("\ntrue") }
        #expect(cleared.contains("\ntrue"), "\(cleared)")
        #expect(!cleared.contains("interrupted"), "Ctrl-L clears the screen: \(cleared)")
        try t.enter("hs")
        #expect(try t.waitFor { $0.contains("(partial: interrupted;") }.contains("(partial: interrupted;"))

        try t.enter("t4 = imp(net, d, levels=8, epochs=1, batch=1)")
        // A permanent line per finished level, and the live bar of the level under way.
        let live = try t.waitFor { $0.contains("level 0/8  ") && $0.contains("level 1/8  epoch ") }
        #expect(live.contains("level 0/8  100.00% kept  acc"), "\(live)")
        #expect(live.contains("level 1/8  epoch "), "\(live)")
        try t.press("C-c")
        let i = try t.waitFor { $0.contains("t4 holds the") }
        #expect(i.contains("<repl>:1:6: error: train: interrupted"), "\(i)")
        #expect(i.contains("in imp, stdlib/lth.tks:"), "\(i)")
        try t.enter("t4.level[0]")
        #expect(try t.waitFor { $0.contains("\n0\n") }.contains("\n0\n"))
    }
}
