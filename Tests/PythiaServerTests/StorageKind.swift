/// Which storage a test server keeps its data in. Every server test that is not about
/// SQLite itself (its files, their permissions, its migrations) takes one as an argument
/// and runs on both; a PostgreSQL test server gets a fresh database of its own.
enum StorageKind: String, CaseIterable, Sendable, CustomStringConvertible {
    case sqlite, postgres

    var description: String { rawValue }
}
