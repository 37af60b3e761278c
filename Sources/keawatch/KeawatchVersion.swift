/// The version `keawatch --version` prints. `packaging/build-deb` writes the package's version here
/// for the build and puts this text back afterwards; a build from a checkout says `dev`.
enum KeawatchVersion {
    static let text = "0.0.0-dev"
}
