import Foundation
import Logging

extension Session {
    /// Says the user has seen the channel's read marker: it goes away until new messages
    /// arrive while the channel is not being viewed.
    public func clearReadMarker(channelId: String) {
        apply(.readMarkerCleared(channelId: channelId))
    }

    /// Saves ``ChatState/lastRead`` to the read-positions file, when there is one.
    func persistReadPositions() {
        guard let url = configuration.readPositionsFile else { return }
        do {
            try ReadPositionsFile(url: url).save(store.state.lastRead)
        } catch {
            logger.warning("cannot save the read positions to \(url.path): \(error)")
        }
    }
}
