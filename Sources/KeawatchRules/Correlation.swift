package import KeawatchModel

/// Which alerts explain which: while an alert of a `causes` rule fires, alerts of the `explains`
/// rules with the same values of the `equal` labels are its symptoms. A symptom is not a page of
/// its own: it is listed inside its cause's message and resolved with it. Shipped with the default
/// rules (`"correlations"` in a rule file) so that operators can read and override them.
package struct Correlation: Sendable, Equatable {
    /// Rule names whose alerts are the cause.
    package var causes: [String]
    /// Rule names whose alerts such a cause explains.
    package var explains: [String]
    /// Labels both alerts must share (typically `pair`); an alert without one of them is not matched.
    package var equal: [String]
    /// What it says, in words (optional, for people reading the rule file).
    package var description: String
    /// Where the entry was defined, for messages: the file and the JSON path (`$.correlations[2]`).
    package var file: String
    package var path: JSONPath

    package init(
        causes: [String],
        explains: [String],
        equal: [String] = ["pair"],
        description: String = "",
        file: String = "",
        path: JSONPath = .root
    ) {
        self.causes = causes
        self.explains = explains
        self.equal = equal
        self.description = description
        self.file = file
        self.path = path
    }
}
