import Foundation

/// Which storage a test server keeps its data in. Every server test that is not about
/// SQLite itself (its files, their permissions, its migrations) takes one as an argument
/// and runs on both; a PostgreSQL test server gets a fresh database of its own.
enum StorageKind: String, CaseIterable, Sendable, CustomStringConvertible {
    case sqlite, postgres

    /// The storages the suite runs on: both, unless `PYTHIA_TEST_STORAGES` names some
    /// (comma-separated), e.g. to time one or on a machine without PostgreSQL.
    static let tested: [StorageKind] = {
        guard let names = ProcessInfo.processInfo.environment["PYTHIA_TEST_STORAGES"], !names.isEmpty else { return allCases }
        return names.split(separator: ",").compactMap { StorageKind(rawValue: $0.trimmingCharacters(in: .whitespaces)) }
    }()

    var description: String { rawValue }
}
