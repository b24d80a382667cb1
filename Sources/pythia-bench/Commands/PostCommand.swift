import ArgumentParser

/// Durable posting: how many posts/s the server commits for many concurrent posters, next
/// to what the same disk does with one SQLite commit per row.
struct PostCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "post",
        abstract: "Posts/s and POST latency with many concurrent posters, next to a bare loop of single-row SQLite commits."
    )

    @Option(help: "Users posting at once, each waiting for its answer before its next post.")
    var posters = 200

    @Option(help: "Seconds each measurement lasts.")
    var seconds = 5.0

    @Option(help: "Measurements (each on a fresh server and a fresh file).")
    var runs = 1

    @Flag(help: "Print JSON instead of a table.")
    var json = false

    @OptionGroup var server: ServerOptions

    func validate() throws {
        guard (1...10_000).contains(posters) else { throw ValidationError("--posters must be from 1 to 10000") }
        guard seconds > 0, seconds <= 3_600 else { throw ValidationError("--seconds must be above 0 and at most 3600") }
        guard (1...100).contains(runs) else { throw ValidationError("--runs must be from 1 to 100") }
    }

    func run() async throws {
        FileLimit.raiseToHard()
        var results: [PostRun] = []
        for _ in 0..<runs {
            let floor = try SQLiteCommitLoop.measure(seconds: seconds)
            let target = try await server.startTarget()
            let posting: PostLoad.Result
            do {
                posting = try await PostLoad(posters: posters, seconds: seconds).measure(target)
            } catch {
                await target.stop()
                throw error
            }
            await target.stop()
            let run = PostRun(posters: posters, posting: posting, singleRowCommitsPerSecond: floor)
            results.append(run)
            if !json { Format.printTable("post run \(results.count)", run.rows) }
        }
        if json { try Format.printJSON(results) }
    }
}
