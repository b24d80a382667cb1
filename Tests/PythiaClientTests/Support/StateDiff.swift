import PythiaClient

/// The differences between two values as readable lines, one per changed leaf:
/// `channels[0].outbox[1].delivery: pending → failed(reason: "offline")`.
///
/// It walks both values with `Mirror`: structs field by field, arrays and ``MessageLog``s
/// element by element, dictionaries key by key, enums case by case. Only the parts that
/// differ are printed, so a state with thousands of messages still gives a short answer.
enum StateDiff {
    static func lines(_ old: Any, _ new: Any, path: String = "") -> [String] {
        if let old = old as? AnyHashable, let new = new as? AnyHashable, old == new { return [] }
        let oldMirror = mirror(of: old), newMirror = mirror(of: new)
        switch (oldMirror.displayStyle, newMirror.displayStyle) {
        case (.struct?, .struct?), (.class?, .class?), (.tuple?, .tuple?):
            // Dates, failures and the like read best as their description.
            if old is any CustomStringConvertible { return [leaf(old, new, path)] }
            let newChildren = Array(newMirror.children)
            var lines: [String] = []
            for (index, child) in oldMirror.children.enumerated() where index < newChildren.count {
                let label = child.label ?? ".\(index)"
                lines += Self.lines(child.value, newChildren[index].value, path: path.isEmpty ? label : "\(path).\(label)")
            }
            return lines.isEmpty ? [leaf(old, new, path)] : lines
        case (.collection?, .collection?):
            let oldItems = oldMirror.children.map(\.value), newItems = newMirror.children.map(\.value)
            var lines: [String] = []
            for index in 0..<max(oldItems.count, newItems.count) {
                let here = "\(path)[\(index)]"
                if index >= oldItems.count {
                    lines.append("\(here): added \(describe(newItems[index]))")
                } else if index >= newItems.count {
                    lines.append("\(here): removed \(describe(oldItems[index]))")
                } else {
                    lines += Self.lines(oldItems[index], newItems[index], path: here)
                }
            }
            return lines
        case (.dictionary?, .dictionary?):
            let oldPairs = pairs(oldMirror), newPairs = pairs(newMirror)
            var lines: [String] = []
            for key in Set(oldPairs.keys).union(newPairs.keys).sorted() {
                let here = "\(path)[\(key)]"
                switch (oldPairs[key], newPairs[key]) {
                case (let before?, let after?): lines += Self.lines(before, after, path: here)
                case (nil, let after?): lines.append("\(here): added \(describe(after))")
                case (let before?, nil): lines.append("\(here): removed \(describe(before))")
                case (nil, nil): break
                }
            }
            return lines
        case (.optional?, .optional?):
            guard let before = oldMirror.children.first?.value, let after = newMirror.children.first?.value else {
                return [leaf(old, new, path)]
            }
            return Self.lines(before, after, path: path)
        case (.enum?, .enum?):
            guard let before = oldMirror.children.first, let after = newMirror.children.first, before.label == after.label else {
                return [leaf(old, new, path)]
            }
            let inner = Self.lines(before.value, after.value, path: "\(path)(\(before.label ?? ""))")
            return inner.isEmpty ? [leaf(old, new, path)] : inner
        default:
            return [leaf(old, new, path)]
        }
    }

    /// A message log reads as the list of its messages, not as its chunks.
    private static func mirror(of value: Any) -> Mirror {
        if let log = value as? MessageLog { return Mirror(log, unlabeledChildren: Array(log), displayStyle: .collection) }
        return Mirror(reflecting: value)
    }

    private static func pairs(_ mirror: Mirror) -> [String: Any] {
        var result: [String: Any] = [:]
        for child in mirror.children {
            let pair = Array(Mirror(reflecting: child.value).children)
            guard pair.count == 2 else { continue }
            result[describe(pair[0].value)] = pair[1].value
        }
        return result
    }

    private static func leaf(_ old: Any, _ new: Any, _ path: String) -> String {
        "\(path.isEmpty ? "value" : path): \(describe(old)) → \(describe(new))"
    }

    private static func describe(_ value: Any) -> String {
        let text = value is String ? String(reflecting: value) : String(describing: value)
        return text.count > 300 ? String(text.prefix(300)) + "…" : text
    }
}
