/// The pythia-chat release this build is: `pythia-chat --version` prints it, and `/metrics`
/// exports it as `pythia_build_info{version="…"} 1`.
public enum PythiaVersion {
    /// The version, `MAJOR.MINOR.PATCH`.
    public static let current = "0.1.0"
}
