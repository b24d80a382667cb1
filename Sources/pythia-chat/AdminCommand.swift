import ArgumentParser

/// `pythia-chat admin`: the operator's commands, on the database of `--serve`.
struct Admin: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "admin",
        abstract: "Administer a server's database: users, channels, backup, restore, export, purge.",
        discussion: """
            Each command works on the database of `pythia-chat --serve` (--db: a SQLite file, \
            default $XDG_DATA_HOME/pythia-chat/pythia.sqlite, or a postgres:// URL) and is safe \
            while servers run, except restore, which refuses then; backup and restore are for \
            SQLite files (pg_dump and pg_restore do them on PostgreSQL). Each prints what it did; a failure is one line on \
            standard error starting with "pythia-chat admin: " and exit status 1.
            """,
        subcommands: [AdminUsers.self, AdminChannels.self, AdminBackup.self, AdminRestore.self, AdminExport.self, AdminPurge.self]
    )
}
