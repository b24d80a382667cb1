import PythiaTestSupport

extension ServeProcess {
    /// `pythia-chat --serve` as these tests want it: bcrypt's cheapest cost (the tests log in
    /// often, and cost 12 is slow on purpose) and no default channel (the tests make the
    /// channels they name). `environment` carries each test's own `PYTHIA_JWT_SECRET`.
    static func startForEndToEnd(
        port: Int = 0, database: String, environment: [String: String], arguments: [String] = []
    ) async throws -> ServeProcess {
        try await start(
            port: port, database: database, arguments: ["--bcrypt-cost", "4", "--default-channel", ""] + arguments,
            environment: environment)
    }
}
