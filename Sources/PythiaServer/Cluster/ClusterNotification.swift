/// A `NOTIFY` payload on ``ClusterEventLog/channel``: `e ID JSON` (a stored event, inline),
/// `e ID` (a stored event too large to go inline: read it back), `t JSON` (an ephemeral one).
enum ClusterNotification: Equatable {
    case event(id: Int64, json: String?)
    case ephemeral(json: String)

    /// The payload to send: a stored event goes inline when it fits under NOTIFY's limit.
    var payload: String {
        switch self {
        case .event(let id, let json?):
            let inline = "e \(id) \(json)"
            return inline.utf8.count < ClusterEventLog.notifyLimit ? inline : "e \(id)"
        case .event(let id, nil):
            return "e \(id)"
        case .ephemeral(let json):
            return "t \(json)"
        }
    }

    /// The SQL expression of a stored event's ``payload``, from the SQL expressions of its id
    /// and its JSON: the statement that stores events notifies too, in the same round trip.
    /// Same rule as ``payload`` (PostgreSQL counts bytes as `utf8.count` does), which
    /// `ClusterEventLogTests` checks on a live database at the limit.
    static func eventPayloadSQL(id: String, json: String) -> String {
        let inline = "'e ' || \(id) || ' ' || \(json)"
        return "CASE WHEN octet_length(\(inline)) < \(ClusterEventLog.notifyLimit) THEN \(inline) ELSE 'e ' || \(id) END"
    }

    /// Reads a payload; `nil` for one this build does not know.
    init?(payload: String) {
        let parts = payload.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: false)
        switch parts.first {
        case "e":
            guard parts.count >= 2, let id = Int64(parts[1]) else { return nil }
            self = .event(id: id, json: parts.count == 3 ? String(parts[2]) : nil)
        case "t":
            guard let json = payload.split(separator: " ", maxSplits: 1).dropFirst().first else { return nil }
            self = .ephemeral(json: String(json))
        default:
            return nil
        }
    }
}
