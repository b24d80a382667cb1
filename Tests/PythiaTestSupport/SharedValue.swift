import Synchronization

/// A value shared between a test and the closures it hands to a server or a task.
public final class SharedValue<Value: Sendable>: Sendable {
    private let value: Mutex<Value>

    /// A shared `value`.
    public init(_ value: Value) { self.value = Mutex(value) }

    /// The value now.
    public var current: Value { value.withLock { $0 } }

    /// Changes the value under the lock and returns what `body` returns.
    @discardableResult
    public func update<Result: Sendable>(_ body: @Sendable (inout Value) -> Result) -> Result {
        value.withLock { body(&$0) }
    }
}
