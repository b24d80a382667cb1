/// The cluster's database did not answer in time when the server started.
struct ClusterStartTimeout: Error, CustomStringConvertible {
    let timeout: Duration

    var description: String {
        "no answer within \(timeout); check that PostgreSQL runs there, accepts this user and has this database"
    }
}
