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

    @Flag(help: "Also post the same way to the bare epoll server (it answers 204 and stores nothing): the requests/s this machine carries for these posters whatever the server does.")
    var bare = false

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
            var run = PostRun(posters: posters, posting: posting, singleRowCommitsPerSecond: floor)
            if bare { run.bare = try await measureBare() }
            results.append(run)
            if !json { Format.printTable("post run \(results.count)", run.rows) }
        }
        if json { try Format.printJSON(results) }
    }

    /// The same posters against ``EpollBroadcastServer``, whose `/publish` has no subscribers.
    private func measureBare() async throws -> PostRun.Bare {
        let floor = try await FloorTarget.start(.epoll)
        do {
            let result = try await PostLoad(posters: posters, seconds: seconds).measure(floor, answered: 204)
            await floor.stop()
            return PostRun.Bare(result)
        } catch {
            await floor.stop()
            throw error
        }
    }
}
