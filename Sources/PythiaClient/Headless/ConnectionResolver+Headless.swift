extension ConnectionResolver {
    /// The server and token for a headless command, which has no local mode.
    ///
    /// - Throws: ``HeadlessFailure/usage(_:)`` when nothing usable is known.
    public func resolveServer() throws(HeadlessFailure) -> (endpoint: ServerEndpoint, token: String) {
        let resolved: ResolvedConnection
        do {
            resolved = try resolve()
        } catch {
            throw .usage(error.description)
        }
        guard case .remote(let endpoint, let token, _) = resolved else {
            throw .usage("no server known: give --server URL (and --token), or run `pythia-chat login` first")
        }
        return (endpoint, token)
    }
}
