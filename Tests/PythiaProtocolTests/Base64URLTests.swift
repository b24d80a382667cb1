import Foundation
import PythiaProtocol
import Testing

@Suite struct Base64URLTests {
    @Test func decodesTheVectorsOfRFC4648WithoutPadding() {
        let vectors = ["": "", "Zg": "f", "Zm8": "fo", "Zm9v": "foo", "Zm9vYg": "foob", "Zm9vYmE": "fooba", "Zm9vYmFy": "foobar"]
        for (encoded, plain) in vectors {
            #expect(Base64URL.decode(utf8: encoded.utf8) == Array(plain.utf8), "\(encoded)")
        }
    }

    @Test func everyByteValueDecodesAsFoundationReadsItsBase64() {
        let bytes = (0..<3).flatMap { _ in (0...255).map { UInt8($0) } }
        for length in [bytes.count, bytes.count - 1, bytes.count - 2] {
            let slice = Array(bytes.prefix(length))
            let encoded = Data(slice).base64EncodedString().replacingOccurrences(of: "+", with: "-")
                .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
            #expect(encoded.contains("-") && encoded.contains("_"))
            #expect(Base64URL.decode(utf8: encoded.utf8) == slice)
        }
    }

    @Test func refusesPaddingOtherAlphabetsImpossibleLengthsAndOtherCharacters() {
        for text in ["Zm9v=", "Zg==", "Z", "Zm9vY", "Zm+v", "Zm/v", "Zm9v\n", " Zm9v", "Zm9é", "Zm\u{0}v"] {
            #expect(Base64URL.decode(utf8: text.utf8) == nil, "\(text.debugDescription)")
        }
    }
}
