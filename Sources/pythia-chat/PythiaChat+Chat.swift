import ArgumentParser

extension PythiaChat {
    func runChat() async throws { throw ValidationError("the chat UI is not built yet") }
}
