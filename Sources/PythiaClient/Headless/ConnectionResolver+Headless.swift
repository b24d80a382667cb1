extension ConnectionResolver {
    /// The servers and token for a headless command, which has no local mode.
    ///
    /// - Throws: ``HeadlessFailure/usage(_:)`` when nothing usable is known.
    public func resolveServer() throws(HeadlessFailure) -> (servers: ServerList, token: String) {
        let resolved: ResolvedConnection
        do {
            resolved = try resolve()
        } catch {
            throw .usage(error.description)
        }
        guard case .remote(let servers, let token, _) = resolved else {
            throw .usage("no server known: give --server URL (and --token), or run `pythia-chat login` first")
        }
        return (servers, token)
    }
}
