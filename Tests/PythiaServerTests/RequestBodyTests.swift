import Foundation
@testable import PythiaServer
import PythiaProtocol
import Testing

/// Request bodies are read once, by the reader that reads client frames, with the
/// contract's codes: `invalid_json` (400) for what is not a JSON object, `validation_error`
/// (422) naming the field otherwise.
@Suite struct RequestBodyTests {
    private func failure(_ body: String) -> RESTError? {
        do {
            _ = try RequestBody.decode(PostMessageRequest.self, from: Data(body.utf8))
            return nil
        } catch {
            return error
        }
    }

    @Test func aValidBodyIsRead() throws {
        let body = try RequestBody.decode(
            PostMessageRequest.self, from: Data(#"{"channel_id":"c","content":"hi \u00e9","client_id":null,"extra":[1,{"a":2}]}"#.utf8))
        #expect(body == PostMessageRequest(channelId: "c", content: "hi é", clientId: nil))
    }

    @Test(arguments: ["{oops", "[1]", "\"text\"", "", #"{"channel_id":"c","content":"x"} trailing"#])
    func whatIsNotAJSONObjectIs400(body: String) {
        let error = failure(body)
        #expect(error?.code == .invalidJSON)
    }

    @Test func aMissingFieldIs422NamingIt() {
        let error = failure(#"{"channel_id":"c"}"#)
        #expect(error?.code == .validationError)
        #expect(error?.detail == "field 'content' is required")
    }

    @Test func aFieldOfTheWrongTypeIs422NamingIt() {
        for body in [#"{"channel_id":"c","content":5}"#, #"{"channel_id":"c","content":null}"#, #"{"channel_id":["c"],"content":"x"}"#] {
            let error = failure(body)
            #expect(error?.code == .validationError)
            #expect(error?.detail.hasSuffix("has the wrong type") == true)
        }
    }
}
