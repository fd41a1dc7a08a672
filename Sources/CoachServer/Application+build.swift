public import Hummingbird
import HummingbirdCore
public import Logging
import NIOCore
import ServiceLifecycle

/// Builds the Coach HTTP service: checks the exposure rule (throwing `ExposureError` for an
/// address beyond loopback with neither a token nor `insecure`; logging a warning for one with
/// `insecure`), loads the rules (throwing `RuleSetError` when they do not load), wires the
/// routes, limits, metrics and reloads. Run it with `runService()`, which
/// shuts down gracefully on SIGTERM and SIGINT, finishing the requests in flight.
///
/// ```swift
/// var configuration = CoachServerConfiguration()
/// configuration.rulesDirectory = "Rules"
/// let app = try buildApplication(configuration: configuration, logger: Logger(label: "coach"))
/// try await app.runService()
/// ```
public func buildApplication(
    configuration: CoachServerConfiguration,
    logger: Logger
) throws -> some ApplicationProtocol {
    try configuration.checkExposure()
    if let warning = configuration.exposureWarning {
        logger.warning("\(warning)", metadata: ["host": "\(configuration.host)"])
    }
    let metrics = ServerMetrics()
    let rules = try RuleService(directory: configuration.rulesDirectory, logger: logger, metrics: metrics)
    let lifecycle = ServerLifecycle()
    let router = buildRouter(configuration: configuration, rules: rules, metrics: metrics, lifecycle: lifecycle)

    var services: [any Service] = [ShutdownWatcher(lifecycle: lifecycle, logger: logger)]
    if configuration.reloadOnHangup { services.append(HangupReloader(rules: rules)) }
    if configuration.watch, let directory = configuration.rulesDirectory {
        services.append(RuleWatcher(rules: rules, directory: directory, interval: configuration.watchInterval))
    }
    let http = HTTP1Channel.Configuration(
        additionalChannelHandlers: [ReasonPhraseHandler.Installer()],
        idleTimeout: TimeAmount(configuration.idleTimeout),
        httpDecoderConfiguration: .init(
            maxHeaderFieldSize: configuration.maxHeaderBytes,
            maxHeaderListSize: configuration.maxHeaderBytes,
            maxHeaderFieldCount: 100
        )
    )
    return Application(
        router: router,
        server: .http1(configuration: http),
        configuration: ApplicationConfiguration(
            address: .hostname(configuration.host, port: configuration.port),
            serverName: "coach",
            availableConnectionsDelegate: MaximumAvailableConnections(configuration.maxConnections, logger: logger)
        ),
        services: services,
        onServerRunning: { channel in
            let address = channel.localAddress.map { "\($0.ipAddress ?? configuration.host):\($0.port ?? 0)" }
            logger.notice(
                "coach serve listening",
                metadata: ["address": "http://\(address ?? "\(configuration.host):\(configuration.port)")"])
        },
        logger: logger
    )
}

/// The router alone (what `buildApplication` serves), for tests and for services that mount
/// Coach's routes in their own application.
func buildRouter(
    configuration: CoachServerConfiguration,
    rules: RuleService,
    metrics: ServerMetrics,
    lifecycle: ServerLifecycle
) -> Router<BasicRequestContext> {
    let router = Router(context: BasicRequestContext.self, options: .autoGenerateHeadEndpoints)
    router.add(middleware: ObservabilityMiddleware(metrics: metrics))
    router.add(middleware: ProblemMiddleware())
    if let token = configuration.token {
        router.add(middleware: BearerTokenMiddleware(token: Array(token.utf8)))
    }
    router.add(middleware: TimeoutMiddleware(timeout: configuration.requestTimeout))
    router.add(middleware: MethodNotAllowedMiddleware())
    AdviceRoutes(rules: rules, metrics: metrics, configuration: configuration).add(to: router)
    RuleRoutes(rules: rules).add(to: router)
    ServiceRoutes(
        rules: rules, metrics: metrics, lifecycle: lifecycle,
        warnings: configuration.exposureWarning.map { [$0] } ?? [],
        openAPI: OpenAPIDocument.Cache(tokenRequired: configuration.token != nil)
    ).add(to: router)
    return router
}
