extension LoadPlan {
    /// This plan as `parts` plans for as many `load` children, each opening a run of the
    /// subscribers that follow each other (so a child of a cluster's plan reaches every
    /// process) from its own share of the source addresses; the senders all go to the first.
    ///
    /// One process holds as many connections as its open-file limit allows: more than that
    /// needs more processes.
    func split(into parts: Int) -> [LoadPlan] {
        let parts = max(1, min(parts, subscribers.count))
        guard parts > 1 else { return [self] }
        let share = (subscribers.count + parts - 1) / parts
        return (0..<parts).map { part in
            var plan = self
            plan.subscribers = Array(subscribers[min(part * share, subscribers.count)..<min((part + 1) * share, subscribers.count)])
            plan.senders = part == 0 ? senders : []
            if !sourceAddresses.isEmpty {
                let own = stride(from: part, to: sourceAddresses.count, by: parts).map { sourceAddresses[$0] }
                plan.sourceAddresses = own.isEmpty ? [sourceAddresses[part % sourceAddresses.count]] : own
            }
            return plan
        }
    }
}
