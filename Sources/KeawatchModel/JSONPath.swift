/// A location inside a JSON document, printed as `$.targets[2].url`.
package struct JSONPath: Sendable, Equatable, Hashable, CustomStringConvertible {
    package enum Component: Sendable, Equatable, Hashable {
        case key(String)
        case index(Int)
    }

    package var components: [Component]

    package init(_ components: [Component] = []) {
        self.components = components
    }

    package static let root = JSONPath()

    package func appending(_ key: String) -> JSONPath {
        JSONPath(components + [.key(key)])
    }

    package func appending(_ index: Int) -> JSONPath {
        JSONPath(components + [.index(index)])
    }

    package var description: String {
        var text = "$"
        for component in components {
            switch component {
            case .key(let key):
                if key.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" }) {
                    text += ".\(key)"
                } else {
                    text += "[\"\(key)\"]"
                }
            case .index(let index):
                text += "[\(index)]"
            }
        }
        return text
    }
}

/// A value at a JSON path that is not what was expected.
package struct JSONShapeError: Error, Sendable, Equatable, CustomStringConvertible {
    package var path: JSONPath
    package var expected: String
    package var found: String?

    package init(path: JSONPath, expected: String, found: String? = nil) {
        self.path = path
        self.expected = expected
        self.found = found.map(Self.shortened)
    }

    /// A long bad value is shown by its start and length: a 50 MB value must not become a 50 MB message.
    static func shortened(_ text: String) -> String {
        let limit = 80
        guard text.utf8.count > limit + 20 else { return text }
        return "\(text.prefix(limit))… (\(text.utf8.count) bytes)"
    }

    package var description: String { "\(path): \(messageWithoutPath)" }

    /// The message without its location, for errors that print the location separately.
    package var messageWithoutPath: String {
        if let found { return "expected \(expected), found \(found)" }
        return "expected \(expected)"
    }
}
