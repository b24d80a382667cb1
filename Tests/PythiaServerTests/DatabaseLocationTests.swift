import Foundation
@testable import PythiaServer
import Testing

/// `--db` and `PYTHIA_DATABASE_URL`: a PostgreSQL URL, a file path, or a clear refusal.
@Suite struct DatabaseLocationTests {
    @Test func aPostgresURLIsReadPercentDecodedAndShownWithoutItsPassword() throws {
        let location = try DatabaseLocation.parse("postgres://chat%20user:p%40ss%3Aw%2Frd@db.example.com:6543/pythia%5Fprod")
        guard case .postgres(let postgres) = location else { Issue.record("not PostgreSQL: \(location)"); return }
        #expect(postgres.host == "db.example.com" && postgres.port == 6543)
        #expect(postgres.username == "chat user" && postgres.password == "p@ss:w/rd" && postgres.database == "pythia_prod")
        #expect(postgres.tlsMode == .prefer)
        #expect(!location.description.contains("p@ss") && !location.description.contains("p%40ss"))
        #expect(location.description == "postgres://chat user@db.example.com:6543/pythia_prod")
    }

    @Test func postgresqlSchemeDefaultPortIPv6AndSSLModes() throws {
        guard case .postgres(let plain) = try DatabaseLocation.parse("postgresql://pythia@[::1]/chat?sslmode=disable") else {
            Issue.record("not PostgreSQL"); return
        }
        #expect(plain.host == "::1" && plain.port == 5432 && plain.password == nil && plain.tlsMode == .disable)
        #expect(plain.address == "[::1]:5432")
        for mode in PostgresLocation.TLSMode.allCases {
            #expect(try PostgresLocation(url: "postgres://u@h/d?sslmode=\(mode.rawValue)").tlsMode == mode)
        }
    }

    @Test(arguments: [
        ("mysql://u@h/d", DatabaseLocationError.unsupportedScheme("mysql")),
        ("file:///var/lib/chat.sqlite", .unsupportedScheme("file")),
        ("HTTPS://h/d", .unsupportedScheme("HTTPS")),
        ("postgres://u@h/d?sslmode=allow", .unsupportedOption("sslmode=allow")),
        ("postgres://u@h/d?application_name=x", .unsupportedOption("the option 'application_name'")),
    ])
    func otherSchemesAndOptionsAreRefusedNeverTakenForAPath(_ text: String, _ expected: DatabaseLocationError) {
        #expect(throws: expected) { try DatabaseLocation.parse(text) }
    }

    @Test(arguments: ["postgres://h/d", "postgres://u@/d", "postgres://u@h", "postgres://u@h/", "postgres://u@h/a/b", "postgres://u@h:70000/d"])
    func malformedURLsSayWhatIsWrong(_ text: String) {
        #expect { try DatabaseLocation.parse(text) } throws: { error in
            guard case .malformed = error as? DatabaseLocationError else { return false }
            return !(error as? DatabaseLocationError)!.description.contains(":p@")
        }
    }

    @Test func aPathStaysSQLiteAndTheFlagWinsOverTheEnvironment() throws {
        #expect(try DatabaseLocation.parse("/var/lib/pythia/chat.sqlite") == .sqlite(path: "/var/lib/pythia/chat.sqlite"))
        #expect(try DatabaseLocation.parse("relative:name.sqlite") == .sqlite(path: "relative:name.sqlite"))
        let environment = [DatabaseLocation.environmentKey: "postgres://u@h/d"]
        #expect(try DatabaseLocation.resolve(flag: "/tmp/x.sqlite", environment: environment) == .sqlite(path: "/tmp/x.sqlite"))
        #expect(try DatabaseLocation.resolve(flag: nil, environment: environment) == .postgres(try PostgresLocation(url: "postgres://u@h/d")))
        #expect(try DatabaseLocation.resolve(flag: nil, environment: [:]) == .sqlite(path: ServerConfiguration.defaultDatabasePath))
    }

    @Test func theOldInitialiserStillMeansSQLite() {
        var configuration = ServerConfiguration(port: 0, databasePath: "/tmp/a.sqlite")
        #expect(configuration.database == .sqlite(path: "/tmp/a.sqlite"))
        configuration.databasePath = "/tmp/b.sqlite"
        #expect(configuration.database == .sqlite(path: "/tmp/b.sqlite"))
    }
}
