import Foundation
import PythiaProtocol
import PythiaTestSupport
import Testing

/// Any JSON value, read and validated by ``JSONReader/skipValue()`` and forgotten.
private struct AnyValue: JSONDecodable {
    init(json reader: inout JSONReader) throws(JSONError) {
        try reader.skipValue()
    }
}

/// The kind and offset of the error decoding `text` as `T` gives; `nil` if it decodes.
private func failure<T: JSONDecodable>(_ type: T.Type, _ text: String) -> JSONError? {
    do throws(JSONError) {
        _ = try PythiaJSON.decode(type, from: text)
        return nil
    } catch {
        return error
    }
}

@Suite struct JSONReaderTests {
    @Test func readsEveryEscape() throws {
        #expect(try PythiaJSON.decode(String.self, from: #""a\"b\\c\/d\be\ff\ng\rh\ti""#) == "a\"b\\c/d\u{8}e\u{C}f\ng\rh\ti")
        #expect(try PythiaJSON.decode(String.self, from: #""\u0041\u00e9\u20AC""#) == "Aé€")
        #expect(try PythiaJSON.decode(String.self, from: #""\u0000""#) == "\u{0}")
    }

    @Test func joinsSurrogatePairsAndKeepsRawUTF8() throws {
        #expect(try PythiaJSON.decode(String.self, from: #""\ud83d\ude00 \uD83D\uDC4D""#) == "😀 👍")
        #expect(try PythiaJSON.decode(String.self, from: "\"héllo 👍 日本\"") == "héllo 👍 日本")
        #expect(try PythiaJSON.decode([String].self, from: "[\"\", \"x\"]") == ["", "x"])
    }

    @Test func refusesBrokenStrings() {
        #expect(failure(String.self, #""\ud83d""#) == JSONError(.invalidUnicodeEscape, at: 1))
        #expect(failure(String.self, #""\ude00x""#) == JSONError(.invalidUnicodeEscape, at: 1))
        #expect(failure(String.self, #""ab\ud83d\u0041""#) == JSONError(.invalidUnicodeEscape, at: 9))
        #expect(failure(String.self, #""\u12G4""#) == JSONError(.invalidUnicodeEscape, at: 1))
        #expect(failure(String.self, #""\u12""#) == JSONError(.invalidUnicodeEscape, at: 1))
        #expect(failure(String.self, #""a\x""#) == JSONError(.invalidEscape, at: 2))
        #expect(failure(String.self, "\"a\nb\"") == JSONError(.controlCharacterInString, at: 2))
        #expect(failure(String.self, "\"abc") == JSONError(.unexpectedEnd, at: 4))
    }

    /// A string cut right after a backslash ends at the input's last byte, not one past it
    /// (found by the json-reader fuzz target: the offset pointed outside the input).
    @Test func placesTheEndOfAStringCutAfterABackslashInsideTheInput() {
        #expect(failure(String.self, #""abc\"#) == JSONError(.unexpectedEnd, at: 5))
        let frame = #"{"type":"pong","timestamp":"\"#
        #expect(failure(ServerEvent.self, frame) == JSONError(.unexpectedEnd, at: frame.utf8.count))
    }

    @Test func refusesInvalidUTF8() throws {
        for bytes: [UInt8] in [[0x22, 0xC3, 0x22], [0x22, 0xC0, 0xAF, 0x22], [0x22, 0xED, 0xA0, 0x80, 0x22], [0x22, 0xFF, 0x22]] {
            #expect(throws: JSONError.self) { try bytes.withUnsafeBytes { try JSONReader.decode(String.self, from: $0) } }
        }
        #expect(throws: JSONError(.invalidUTF8, at: 2)) {
            try ([0x22, 0x61, 0xF5, 0x80, 0x80, 0x80, 0x22] as [UInt8]).withUnsafeBytes { try JSONReader.decode(String.self, from: $0) }
        }
    }

    @Test func readsNumbers() throws {
        #expect(try PythiaJSON.decode(Int.self, from: "0") == 0)
        #expect(try PythiaJSON.decode(Int.self, from: " -42 ") == -42)
        #expect(try PythiaJSON.decode(Int.self, from: "9223372036854775807") == Int.max)
        #expect(try PythiaJSON.decode(Int.self, from: "-9223372036854775808") == Int.min)
        #expect(try PythiaJSON.decode(Int.self, from: "2.0") == 2)
        #expect(try PythiaJSON.decode(Int.self, from: "1e2") == 100)
        #expect(try PythiaJSON.decode(Int.self, from: "-0") == 0)
    }

    @Test func refusesMalformedNumbers() {
        #expect(failure(Int.self, "9223372036854775808") == JSONError(.notAnInteger, at: 0))
        #expect(failure(Int.self, "2.5") == JSONError(.notAnInteger, at: 0))
        #expect(failure(Int.self, "01") == JSONError(.trailingData, at: 1))
        #expect(failure(Int.self, "-") == JSONError(.unexpectedEnd, at: 1))
        #expect(failure(Int.self, "1.") == JSONError(.unexpectedEnd, at: 2))
        #expect(failure(Int.self, "1.e5") == JSONError(.invalidNumber, at: 2))
        #expect(failure(Int.self, "1e+") == JSONError(.unexpectedEnd, at: 3))
        #expect(failure(Int.self, "+1") == JSONError(.unexpectedByte(UInt8(ascii: "+")), at: 0))
        #expect(failure(AnyValue.self, "[1.5e3, -0, 0.25, 1E+2]") == nil)
    }

    @Test func limitsNesting() {
        let limit = JSONReader.maxDepth
        let deepest = String(repeating: "[", count: limit) + String(repeating: "]", count: limit)
        #expect(failure(AnyValue.self, deepest) == nil)
        let tooDeep = String(repeating: "[", count: limit + 1) + String(repeating: "]", count: limit + 1)
        #expect(failure(AnyValue.self, tooDeep) == JSONError(.tooDeep, at: limit))
        let objects = String(repeating: #"{"a":"#, count: 10_000)
        #expect(failure(AnyValue.self, objects) == JSONError(.tooDeep, at: 5 * limit))
    }

    @Test func validatesStructure() {
        #expect(failure(AnyValue.self, #" {"a": [true, false, null, {}, []], "b": {"c": "d"}} "#) == nil)
        #expect(failure(AnyValue.self, "") == JSONError(.unexpectedEnd, at: 0))
        #expect(failure(AnyValue.self, "   ") == JSONError(.unexpectedEnd, at: 3))
        #expect(failure(AnyValue.self, #"{"a":1,}"#) == JSONError(.unexpectedByte(UInt8(ascii: "}")), at: 7))
        #expect(failure(AnyValue.self, #"{,}"#) == JSONError(.unexpectedByte(UInt8(ascii: ",")), at: 1))
        #expect(failure(AnyValue.self, #"{"a" 1}"#) == JSONError(.unexpectedByte(UInt8(ascii: "1")), at: 5))
        #expect(failure(AnyValue.self, #"{"a":1 "b":2}"#) == JSONError(.unexpectedByte(UInt8(ascii: "\"")), at: 7))
        #expect(failure(AnyValue.self, #"{a:1}"#) == JSONError(.unexpectedByte(UInt8(ascii: "a")), at: 1))
        #expect(failure(AnyValue.self, "[1,]") == JSONError(.unexpectedByte(UInt8(ascii: "]")), at: 3))
        #expect(failure(AnyValue.self, "[,1]") == JSONError(.unexpectedByte(UInt8(ascii: ",")), at: 1))
        #expect(failure(AnyValue.self, "[1 2]") == JSONError(.unexpectedByte(UInt8(ascii: "2")), at: 3))
        #expect(failure(AnyValue.self, "tru") == JSONError(.unexpectedEnd, at: 3))
        #expect(failure(AnyValue.self, "nul!") == JSONError(.unexpectedByte(UInt8(ascii: "!")), at: 3))
        #expect(failure(AnyValue.self, "{} {}") == JSONError(.trailingData, at: 3))
        #expect(failure(AnyValue.self, "\u{0B}1") == JSONError(.unexpectedByte(0x0B), at: 0))
    }

    @Test func namesTheKindThatWasFound() {
        #expect(failure(String.self, "12") == JSONError(.typeMismatch(expected: .string, found: .number), at: 0))
        #expect(failure(Int.self, #""12""#) == JSONError(.typeMismatch(expected: .number, found: .string), at: 0))
        #expect(failure(Bool.self, "null") == JSONError(.typeMismatch(expected: .bool, found: .null), at: 0))
        #expect(failure([String].self, "{}") == JSONError(.typeMismatch(expected: .array, found: .object), at: 0))
        #expect(failure(User.self, "[]") == JSONError(.typeMismatch(expected: .object, found: .array), at: 0))
        let error = failure(User.self, #"{"id": "u", "username": 7}"#)
        #expect(error == JSONError(.typeMismatch(expected: .string, found: .number), at: 24))
        #expect(error?.description == "invalid JSON at byte 24: expected string, found number")
    }

    @Test func matchesKeysWithEscapes() throws {
        let user = try PythiaJSON.decode(User.self, from: #"{"\u0069d": "u1", "user\u006Eame": "al\u0069ce"}"#)
        #expect(user == User(id: "u1", username: "alice", email: ""))
    }

    /// Every prefix of valid frames, and frames with bytes changed at random, end in a value
    /// or an error with an offset inside the input — never a crash or a hang.
    @Test func survivesTruncatedAndCorruptedInput() throws {
        var generator = SeededGenerator(state: 0x5EED)
        let replacements: [UInt8] = Array(#"{}[]",:\"0-.eEtfnu "#.utf8) + [0x00, 0x0A, 0x80, 0xC3, 0xED, 0xF0, 0xFF]
        for frame in ServerEventTests.documentedFrames {
            let bytes = Array(frame.utf8)
            for length in 0..<bytes.count {
                let error = #expect(throws: JSONError.self) { try PythiaJSON.decode(ServerEvent.self, from: Data(bytes[..<length])) }
                #expect((0...length).contains(error?.offset ?? -1))
            }
            for _ in 0..<300 {
                var corrupted = bytes
                for _ in 0..<Int.random(in: 1...3, using: &generator) {
                    let index = Int.random(in: 0..<corrupted.count, using: &generator)
                    corrupted[index] = replacements.randomElement(using: &generator)!
                }
                do throws(JSONError) {
                    _ = try PythiaJSON.decode(ServerEvent.self, from: Data(corrupted))
                    _ = try PythiaJSON.decode(AnyValue.self, from: Data(corrupted))
                } catch {
                    #expect((0...corrupted.count).contains(error.offset))
                }
            }
        }
    }
}
