import CFuzzDriver

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Runs libFuzzer with the program's arguments on `callback` and exits with its status.
/// `prepare` runs first: what it builds once (the built-in rule book, a service) is not counted
/// against the first input by the leak checker.
public func fuzzMain(
    prepare: () -> Void = { _ = FuzzInput.book },
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32
) -> Never {
    prepare()
    var argc = CommandLine.argc
    var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
    exit(LLVMFuzzerRunDriver(&argc, &argv, callback))
}
