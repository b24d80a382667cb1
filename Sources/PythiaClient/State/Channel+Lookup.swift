public import PythiaProtocol

extension Channel {
    /// A channel name as a user types it (`#General`, `general`), in the form names are compared in.
    public static func lookupName(_ typed: String) -> String {
        (typed.hasPrefix("#") ? String(typed.dropFirst()) : typed).lowercased()
    }
}
