import Foundation

extension TerminalText {
    /// A frame as `pythia-chat tail` prints it: one line of JSON in which no control
    /// character is raw.
    ///
    /// A frame that parses keeps its text, compacted onto one line when it spans several,
    /// with every control character (C1 and bidirectional controls included, which JSON
    /// itself lets through) written as `\uXXXX`; in valid JSON they can only stand inside
    /// strings, so the line means the same. A frame that does not parse is printed as a
    /// JSON string holding its text, never raw.
    public static func jsonLine(_ frame: String) -> String {
        guard let object = try? JSONSerialization.jsonObject(with: Data(frame.utf8), options: [.fragmentsAllowed]) else {
            return jsonString(frame)
        }
        var line = frame
        if frame.unicodeScalars.contains(where: { $0 == "\n" || $0 == "\r" || $0 == "\t" }) {
            // Outside strings these are white space, inside they would be invalid: re-encode.
            guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.fragmentsAllowed, .withoutEscapingSlashes]),
                  let compact = String(data: data, encoding: .utf8)
            else { return jsonString(frame) }
            line = compact
        }
        guard line.unicodeScalars.contains(where: isControl) else { return line }
        var escaped = String.UnicodeScalarView()
        for scalar in line.unicodeScalars {
            if isControl(scalar) { escaped.append(contentsOf: unicodeEscape(scalar).unicodeScalars) } else { escaped.append(scalar) }
        }
        return String(escaped)
    }

    /// `text` as a JSON string literal with every control character escaped.
    public static func jsonString(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            default: result += isControl(scalar) ? unicodeEscape(scalar) : String(scalar)
            }
        }
        return result + "\""
    }

    private static func unicodeEscape(_ scalar: Unicode.Scalar) -> String {
        let hex = String(scalar.value, radix: 16)
        return "\\u" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
    }
}
