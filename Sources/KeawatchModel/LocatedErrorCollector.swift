/// Gathers the mistakes of one file instead of stopping at the first, so that a person fixing a
/// config or a rule file sees every problem in one run. Loading code reads each value through
/// `value(or:_:)` or `check(_:)`: a mistake is recorded and loading goes on with the fallback.
/// A syntax error ends the file (nothing after it can be read reliably).
///
/// A reference type on purpose: nested readers record into the same collector without threading
/// `inout` through every parsing function. It lives for one load and never crosses threads.
package final class LocatedErrorCollector {
    package let file: String
    /// The parsed document, once `parseDocument` succeeded: it orders the mistakes.
    package private(set) var document: JSONValue?
    private var found: [LocatedError] = []

    package init(file: String) {
        self.file = file
    }

    package var isEmpty: Bool { found.isEmpty }
    /// How many mistakes were recorded so far (a loader compares it to see whether one part had any).
    package var count: Int { found.count }

    /// Parses a file a person wrote (`JSONValue.parseDocument`: JSON, valid UTF-8); a syntax error
    /// is recorded with its line and column, and nil returned.
    package func parseDocument(_ bytes: [UInt8]) -> JSONValue? {
        do {
            let parsed = try JSONValue.parseDocument(bytes)
            document = parsed
            return parsed
        } catch {
            found.append(LocatedError(file: file, error))
            return nil
        }
    }

    package func record(_ error: JSONShapeError) {
        found.append(LocatedError(file: file, error))
    }

    package func record(_ error: LocatedError) {
        found.append(error)
    }

    /// The value `body` reads, or `fallback` when it finds a mistake (recorded).
    package func value<T>(or fallback: T, _ body: () throws(JSONShapeError) -> T) -> T {
        do {
            return try body()
        } catch {
            record(error)
            return fallback
        }
    }

    /// Runs a validation; its mistake, if any, is recorded. False when there was one.
    @discardableResult
    package func check(_ body: () throws(JSONShapeError) -> Void) -> Bool {
        do {
            try body()
            return true
        } catch {
            record(error)
            return false
        }
    }

    /// Records every key of `reader`'s object that was neither read nor is one of `known`, each as
    /// its own mistake (a key that was not read because reading stopped at an earlier mistake of
    /// the same object is not unknown).
    package func rejectUnknownKeys(_ reader: JSONObjectReader, known: [String]) {
        for error in reader.unknownKeys(known: known) { record(error) }
    }

    /// The mistakes in document order (a missing key sorts after the members of its object); ties
    /// keep the order they were found in.
    package var errors: [LocatedError] {
        guard let document else { return found }
        let keyed = found.enumerated().map { (offset, error) in
            (position: Self.position(of: error, in: document), offset: offset, error: error)
        }
        return keyed.sorted { lhs, rhs in
            lhs.position.lexicographicallyPrecedes(rhs.position)
                || lhs.position == rhs.position && lhs.offset < rhs.offset
        }.map(\.error)
    }

    private static func position(of error: LocatedError, in document: JSONValue) -> [Int] {
        switch error.location {
        case .path(let path): document.documentPosition(of: path)
        // Errors about the file itself (cannot read it) come first.
        case .line, nil: []
        }
    }
}

extension JSONValue {
    /// Where `path` is in this document, as member and element indexes from the root: paths compare
    /// in document order by comparing these lexicographically. A key the object does not have is
    /// placed after its members.
    package func documentPosition(of path: JSONPath) -> [Int] {
        var position: [Int] = []
        var current: JSONValue? = self
        for component in path.components {
            switch (component, current) {
            case (.key(let key), .object(let members)?):
                guard let index = members.members.firstIndex(where: { $0.key == key }) else {
                    position.append(members.count)
                    return position
                }
                position.append(index)
                current = members.members[index].value
            case (.index(let index), .array(let elements)?):
                position.append(index)
                current = elements.indices.contains(index) ? elements[index] : nil
            case (.index(let index), _):
                position.append(index)
                current = nil
            case (.key, _):
                return position
            }
        }
        return position
    }
}
