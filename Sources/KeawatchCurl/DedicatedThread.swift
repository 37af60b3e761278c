internal import CCurl

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A detached POSIX thread for blocking C loops, kept off Swift's cooperative pool.
enum DedicatedThread {
    private final class Body {
        let run: () -> Void
        init(_ run: @escaping () -> Void) { self.run = run }
    }

    static func start(name: String, _ run: @escaping @Sendable () -> Void) {
        let body = Unmanaged.passRetained(
            Body {
                keawatch_name_thread(name)
                run()
            }
        ).toOpaque()
        #if canImport(Glibc)
        var thread = pthread_t()
        #else
        var thread: pthread_t?
        #endif
        let result = pthread_create(
            &thread,
            nil,
            { context in
                let body = Unmanaged<Body>.fromOpaque(context!).takeRetainedValue()
                body.run()
                return nil
            },
            body
        )
        precondition(result == 0, "pthread_create failed: \(result)")
        #if canImport(Glibc)
        pthread_detach(thread)
        #endif
    }
}
