import ArgumentParser

extension PythiaChat {
    func runServer() async throws { throw ValidationError("--serve is not built yet") }
}
