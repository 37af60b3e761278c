package import Foundation

/// Locations inside the repository, found from this file's own path.
package enum Paths {
    package static let packageRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    package static func script(_ relativePath: String) -> String {
        packageRoot.appendingPathComponent(relativePath).path
    }

    /// The keawatch binary `swift test` built next to the test bundle (or `KEAWATCH_BIN`).
    package static var keawatchBinary: String {
        if let path = ProcessInfo.processInfo.environment["KEAWATCH_BIN"] { return path }
        let bundle = Bundle.main.bundleURL
        for directory in [bundle, bundle.deletingLastPathComponent()] {
            let candidate = directory.appendingPathComponent("keawatch").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return packageRoot.appendingPathComponent(".build/debug/keawatch").path
    }
}
