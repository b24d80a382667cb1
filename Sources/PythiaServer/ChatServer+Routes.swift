import Hummingbird

extension ChatServer {
    static func makeRouter(_ service: ChatService) -> Router<ChatRequestContext> {
        let router = Router(context: ChatRequestContext.self)
        router.middlewares.add(LatencyMiddleware(metrics: service.metrics))
        router.middlewares.add(ErrorMiddleware())
        SystemRoutes(service: service).add(to: router)
        let api = router.group("api/v1")
        let authenticated = api.group()
            .add(middleware: AuthMiddleware(tokens: service.tokens, storage: service.storage))
        AuthRoutes(service: service).add(to: api.group("auth"), authenticated: authenticated.group("auth"))
        UserRoutes(service: service).add(to: authenticated.group("users"))
        ChannelRoutes(service: service).add(to: authenticated.group("channels"))
        MessageRoutes(service: service).add(to: authenticated.group("messages"))
        return router
    }
}
