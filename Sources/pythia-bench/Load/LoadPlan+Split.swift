extension LoadPlan {
    /// This plan as `parts` plans for as many `load` children, each opening its share of the
    /// subscribers (every `parts`-th, so each child reaches every server of a cluster) and from
    /// its own source address when the plan has several; the senders all go to the first.
    ///
    /// One process holds as many connections as its open-file limit allows: more than that
    /// needs more processes.
    func split(into parts: Int) -> [LoadPlan] {
        let parts = max(1, min(parts, subscribers.count))
        guard parts > 1 else { return [self] }
        return (0..<parts).map { part in
            var plan = self
            plan.subscribers = stride(from: part, to: subscribers.count, by: parts).map { subscribers[$0] }
            plan.senders = part == 0 ? senders : []
            if !sourceAddresses.isEmpty {
                plan.sourceAddresses = stride(from: part, to: sourceAddresses.count, by: parts).map { sourceAddresses[$0] }
                if plan.sourceAddresses.isEmpty { plan.sourceAddresses = [sourceAddresses[part % sourceAddresses.count]] }
            }
            return plan
        }
    }
}
