internal import CYAML

/// Reads one YAML document into `YAMLNode`s with the system libyaml's event parser. Every node
/// keeps its line and column; aliases are expanded here, within `YAMLLimits`.
struct YAMLReader {
    let file: String
    let limits: YAMLLimits

    /// A failure to read the document: where, and why.
    struct Failure: Error {
        var diagnostic: Diagnostic
    }

    private final class Frame {
        enum Kind { case sequence, mapping }
        let kind: Kind
        let anchor: String?
        let location: SourceLocation
        var items: [YAMLNode] = []
        /// Nodes in this collection once expanded, itself included.
        var size = 1
        init(kind: Kind, anchor: String?, location: SourceLocation) {
            self.kind = kind
            self.anchor = anchor
            self.location = location
        }
    }

    /// Parses `text`; an empty document yields `nil`.
    func read(_ text: String) throws(Failure) -> YAMLNode? {
        var bytes = Array(text.utf8)
        if bytes.count > limits.maxFileBytes {
            throw Failure(
                diagnostic: Self.fileTooLarge(file, size: bytes.count, prefix: bytes, limit: limits.maxFileBytes))
        }
        let places = Places(file: file, bytes: bytes)
        bytes.append(0)
        var outcome: Result<YAMLNode?, Failure> = .success(nil)
        bytes.withUnsafeBufferPointer { buffer in
            outcome = parse(buffer, places: places)
        }
        return try outcome.get()
    }

    /// The error for a file of `size` bytes over `limit`, placed at the first character past
    /// the limit (`prefix` holds at least the file's first `limit` bytes).
    static func fileTooLarge(_ file: String, size: Int, prefix: some Collection<UInt8>, limit: Int) -> Diagnostic {
        let place = TextPosition(offset: limit, in: prefix)
        return Diagnostic(
            .error,
            code: "file-too-large",
            "the file is \(size) bytes; the limit is \(limit) bytes, passed here",
            at: SourceLocation(file: file, line: place.line, column: place.column)
        )
    }

    private func fail(_ message: String, code: String, at location: SourceLocation) -> Failure {
        Failure(diagnostic: Diagnostic(.error, code: code, message, at: location))
    }

    /// Turns libyaml's marks into places as `SourceLines` counts them.
    private struct Places {
        let file: String
        /// Where the text ends.
        let end: TextPosition
        /// Whether the text starts with a byte-order mark, which libyaml counts as a column.
        let byteOrderMark: Bool

        init(file: String, bytes: [UInt8]) {
            self.file = file
            end = TextPosition(offset: bytes.count, in: bytes)
            byteOrderMark = bytes.starts(with: [0xEF, 0xBB, 0xBF])
        }

        /// The 1-based place of a mark. At the end of a text without a final line break,
        /// libyaml marks the start of a line after the last; that place is the end of the last
        /// line.
        func location(_ mark: yaml_mark_t) -> SourceLocation {
            let line = Int(mark.line) + 1
            var column = Int(mark.column) + 1
            if line == 1, byteOrderMark { column = max(1, column - 1) }
            if line > end.line || (line == end.line && column > end.column) {
                return SourceLocation(file: file, line: end.line, column: end.column)
            }
            return SourceLocation(file: file, line: line, column: column)
        }
    }

    private func string(_ pointer: UnsafeMutablePointer<yaml_char_t>?, length: Int? = nil) -> String? {
        guard let pointer else { return nil }
        let count = length ?? strlen(UnsafeRawPointer(pointer).assumingMemoryBound(to: CChar.self))
        return String(decoding: UnsafeBufferPointer(start: pointer, count: count), as: UTF8.self)
    }

    private func parse(_ buffer: UnsafeBufferPointer<UInt8>, places: Places) -> Result<YAMLNode?, Failure> {
        func location(_ mark: yaml_mark_t) -> SourceLocation { places.location(mark) }
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) == 1 else {
            return .failure(
                fail(
                    "cannot initialise the YAML parser", code: "yaml",
                    at: SourceLocation(file: file, line: 1, column: 1))
            )
        }
        defer { yaml_parser_delete(&parser) }
        yaml_parser_set_input_string(&parser, buffer.baseAddress, buffer.count - 1)
        yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING)

        var stack: [Frame] = []
        var anchors: [String: (node: YAMLNode, size: Int)] = [:]
        var root: YAMLNode?
        var aliases = 0
        var nodes = 0
        var documents = 0

        func add(_ node: YAMLNode, size: Int, anchor: String?) {
            if let anchor { anchors[anchor] = (node, size) }
            if let top = stack.last {
                top.items.append(node)
                top.size += size
            } else {
                root = node
            }
        }

        while true {
            var event = yaml_event_t()
            guard yaml_parser_parse(&parser, &event) == 1 else {
                var problem = parser.problem.map { String(cString: $0) } ?? "malformed YAML"
                let context = parser.context.map { " \(String(cString: $0))" } ?? ""
                var place = location(parser.problem_mark)
                if parser.error == YAML_READER_ERROR {
                    // The reader (encoding, control characters) gives a byte offset, not a mark.
                    let text = UnsafeBufferPointer(rebasing: buffer[..<(buffer.count - 1)])
                    let position = TextPosition(offset: Int(parser.problem_offset), in: text)
                    place = SourceLocation(file: file, line: position.line, column: position.column)
                    if parser.problem_value >= 0 {
                        problem += " (U+\(String(parser.problem_value, radix: 16, uppercase: true).leftPadded(to: 4)))"
                    }
                }
                return .failure(fail("invalid YAML: \(problem)\(context)", code: "yaml-syntax", at: place))
            }
            defer { yaml_event_delete(&event) }
            let start = location(event.start_mark)
            let end = location(event.end_mark)

            switch event.type {
            case YAML_STREAM_END_EVENT:
                return .success(root)
            case YAML_DOCUMENT_START_EVENT:
                documents += 1
                if documents > 1 {
                    return .failure(
                        Failure(
                            diagnostic: Diagnostic(
                                .error,
                                code: "yaml-documents",
                                "a rule file holds one YAML document; found a second",
                                at: start
                            )
                        )
                    )
                }
            case YAML_SCALAR_EVENT:
                nodes += 1
                let scalar = event.data.scalar
                let text = string(scalar.value, length: Int(scalar.length)) ?? ""
                let plain = scalar.style == YAML_PLAIN_SCALAR_STYLE
                add(
                    YAMLNode(content: .scalar(text, plain: plain), location: start, end: end),
                    size: 1,
                    anchor: string(scalar.anchor)
                )
            case YAML_SEQUENCE_START_EVENT, YAML_MAPPING_START_EVENT:
                nodes += 1
                if stack.count >= limits.maxDepth {
                    return .failure(
                        Failure(
                            diagnostic: Diagnostic(
                                .error,
                                code: "yaml-depth",
                                "YAML nests deeper than \(limits.maxDepth) levels",
                                at: start
                            )
                        )
                    )
                }
                let isSequence = event.type == YAML_SEQUENCE_START_EVENT
                let anchor =
                    isSequence ? string(event.data.sequence_start.anchor) : string(event.data.mapping_start.anchor)
                stack.append(Frame(kind: isSequence ? .sequence : .mapping, anchor: anchor, location: start))
            case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
                guard let frame = stack.popLast() else { break }
                let content: YAMLNode.Content
                switch frame.kind {
                case .sequence:
                    content = .sequence(frame.items)
                case .mapping:
                    var pairs: [(key: YAMLNode, value: YAMLNode)] = []
                    pairs.reserveCapacity(frame.items.count / 2)
                    var index = 0
                    while index + 1 < frame.items.count {
                        pairs.append((frame.items[index], frame.items[index + 1]))
                        index += 2
                    }
                    content = .mapping(pairs)
                }
                add(
                    YAMLNode(content: content, location: frame.location, end: end),
                    size: frame.size,
                    anchor: frame.anchor
                )
            case YAML_ALIAS_EVENT:
                aliases += 1
                let name = string(event.data.alias.anchor) ?? ""
                guard aliases <= limits.maxAliases else {
                    return .failure(
                        Failure(
                            diagnostic: Diagnostic(
                                .error,
                                code: "yaml-aliases",
                                "more than \(limits.maxAliases) YAML aliases in one file",
                                at: start
                            )
                        )
                    )
                }
                guard let target = anchors[name] else {
                    return .failure(
                        Failure(
                            diagnostic: Diagnostic(
                                .error, code: "yaml-alias", "unknown YAML anchor '\(name)'", at: start)
                        )
                    )
                }
                nodes += target.size
                guard nodes <= limits.maxNodes else {
                    return .failure(
                        Failure(
                            diagnostic: Diagnostic(
                                .error,
                                code: "yaml-expansion",
                                "YAML aliases expand to more than \(limits.maxNodes) nodes",
                                at: start
                            )
                        )
                    )
                }
                add(target.node, size: target.size, anchor: nil)
            default:
                break
            }
            if nodes > limits.maxNodes {
                return .failure(
                    Failure(
                        diagnostic: Diagnostic(
                            .error,
                            code: "yaml-expansion",
                            "YAML holds more than \(limits.maxNodes) nodes",
                            at: start
                        )
                    )
                )
            }
        }
    }
}

extension String {
    /// The string with zeros in front up to `width` characters (hexadecimal code points).
    fileprivate func leftPadded(to width: Int) -> String {
        String(repeating: "0", count: max(0, width - count)) + self
    }
}
