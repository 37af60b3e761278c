internal import CCurl

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The state of one transfer while libcurl runs it. Created by `CurlTransport`, then owned by the
/// loop thread: only that thread touches it after submission (hence `@unchecked Sendable`).
final class CurlTransfer: @unchecked Sendable {
    let request: CurlRequest
    private var continuation: CheckedContinuation<CurlResponse, any Error>?

    // Buffers libcurl reads from or writes into; they live as long as the transfer.
    var body: [UInt8] = []
    var protocolLines: [String] = []
    var headers: [(name: String, value: String)] = []
    var exceededLimit = false
    /// Set when a callback aborted the transfer on purpose; it explains the error libcurl returns.
    var abortReason: CurlError?
    /// For mail with credentials: refuses to go on when the server offers no AUTH.
    var mailAuthGuard: MailAuthGuard?
    var uploadOffset = 0
    var headerList: UnsafeMutablePointer<curl_slist>?
    var recipientList: UnsafeMutablePointer<curl_slist>?
    var upload: [UInt8] = []
    /// The POST body handed to libcurl by pointer; it must outlive the transfer.
    var postFields: UnsafeMutableRawBufferPointer?
    let errorBuffer = UnsafeMutablePointer<CChar>.allocate(capacity: Int(CURL_ERROR_SIZE) + 1)
    var easy: UnsafeMutableRawPointer?

    init(request: CurlRequest, continuation: CheckedContinuation<CurlResponse, any Error>) {
        self.request = request
        self.continuation = continuation
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
    }

    deinit {
        errorBuffer.deallocate()
        postFields?.deallocate()
    }

    /// Resumes the waiting task exactly once.
    func finish(_ result: Result<CurlResponse, CurlError>) {
        guard let continuation else { return }
        self.continuation = nil
        continuation.resume(with: result.mapError { $0 as any Error })
        if let headerList { curl_slist_free_all(headerList) }
        if let recipientList { curl_slist_free_all(recipientList) }
        headerList = nil
        recipientList = nil
    }

    /// Applies the request to a fresh (or reset) easy handle.
    func configure(_ easy: UnsafeMutableRawPointer) -> CURLcode {
        self.easy = easy
        var code = CURLE_OK
        func set(_ option: CURLoption, _ value: Int) {
            if code == CURLE_OK { code = keawatch_easy_setopt_long(easy, option, value) }
        }
        func set(_ option: CURLoption, _ value: String) {
            if code == CURLE_OK { code = keawatch_easy_setopt_string(easy, option, value) }
        }
        set(CURLOPT_URL, request.url)
        set(CURLOPT_NOSIGNAL, 1)
        set(CURLOPT_FOLLOWLOCATION, 0)
        set(CURLOPT_TIMEOUT_MS, request.timeout.curlMilliseconds)
        set(CURLOPT_CONNECTTIMEOUT_MS, request.connectTimeout.curlMilliseconds)
        set(CURLOPT_MAXFILESIZE_LARGE, request.maxResponseBytes)
        set(CURLOPT_SSL_VERIFYPEER, request.tls.insecureSkipVerify ? 0 : 1)
        set(CURLOPT_SSL_VERIFYHOST, request.tls.insecureSkipVerify ? 0 : 2)
        if let caFile = request.tls.caFile { set(CURLOPT_CAINFO, caFile) }
        if let certFile = request.tls.certFile { set(CURLOPT_SSLCERT, certFile) }
        if let keyFile = request.tls.keyFile { set(CURLOPT_SSLKEY, keyFile) }
        if let credentials = request.credentials {
            set(CURLOPT_USERNAME, credentials.username)
            set(CURLOPT_PASSWORD, credentials.password.value)
        }
        if code == CURLE_OK {
            code = keawatch_easy_setopt_pointer(easy, CURLOPT_ERRORBUFFER, errorBuffer)
        }
        let me = Unmanaged.passUnretained(self).toOpaque()
        if code == CURLE_OK { code = keawatch_easy_setopt_pointer(easy, CURLOPT_PRIVATE, me) }
        if code == CURLE_OK { code = keawatch_easy_setopt_pointer(easy, CURLOPT_WRITEDATA, me) }
        if code == CURLE_OK { code = keawatch_easy_setopt_pointer(easy, CURLOPT_HEADERDATA, me) }
        if code == CURLE_OK { code = keawatch_easy_setopt_write_function(easy, curlWriteBody) }
        if code == CURLE_OK { code = keawatch_easy_setopt_header_function(easy, curlWriteHeader) }

        switch request.payload {
        case .http(let method, let headerLines, let payload):
            set(CURLOPT_PROTOCOLS_STR, "http,https")
            for line in headerLines + ["Expect:"] {
                headerList = curl_slist_append(headerList, line)
            }
            if code == CURLE_OK { code = keawatch_easy_setopt_slist(easy, CURLOPT_HTTPHEADER, headerList) }
            if method == .post {
                // POSTFIELDS (not a read callback) lets libcurl send headers and body in one write.
                postFields = UnsafeMutableRawBufferPointer.allocate(byteCount: max(1, payload.count), alignment: 1)
                postFields?.copyBytes(from: payload)
                set(CURLOPT_POSTFIELDSIZE_LARGE, payload.count)
                if code == CURLE_OK {
                    code = keawatch_easy_setopt_pointer(easy, CURLOPT_POSTFIELDS, postFields?.baseAddress)
                }
            } else {
                set(CURLOPT_HTTPGET, 1)
                if method == .delete { set(CURLOPT_CUSTOMREQUEST, "DELETE") }
            }
        case .mail(let envelope):
            set(CURLOPT_PROTOCOLS_STR, "smtp,smtps")
            // libcurl 7.88 reuses a cached SMTP connection without re-checking TLS requirements.
            set(CURLOPT_FORBID_REUSE, 1)
            set(CURLOPT_FRESH_CONNECT, 1)
            switch envelope.startTLS {
            case .required: set(CURLOPT_USE_SSL, Int(CURLUSESSL_ALL.rawValue))
            case .opportunistic: set(CURLOPT_USE_SSL, Int(CURLUSESSL_TRY.rawValue))
            case .none: set(CURLOPT_USE_SSL, Int(CURLUSESSL_NONE.rawValue))
            }
            if request.credentials != nil {
                mailAuthGuard = MailAuthGuard(
                    willUpgrade: envelope.startTLS != .none && request.url.lowercased().hasPrefix("smtp://")
                )
            }
            set(CURLOPT_MAIL_FROM, "<\(envelope.from)>")
            for recipient in envelope.recipients {
                recipientList = curl_slist_append(recipientList, "<\(recipient)>")
            }
            if code == CURLE_OK { code = keawatch_easy_setopt_slist(easy, CURLOPT_MAIL_RCPT, recipientList) }
            set(CURLOPT_UPLOAD, 1)
            set(CURLOPT_INFILESIZE_LARGE, envelope.message.count)
            upload = envelope.message
            uploadOffset = 0
            if code == CURLE_OK { code = keawatch_easy_setopt_pointer(easy, CURLOPT_READDATA, me) }
            if code == CURLE_OK { code = keawatch_easy_setopt_read_function(easy, curlReadUpload) }
        }
        return code
    }

    /// Translates libcurl's verdict into a response or a typed error.
    func complete(with code: CURLcode) -> Result<CurlResponse, CurlError> {
        guard let easy else { return .failure(.other(code: Int(code.rawValue), message: "no handle")) }
        if code != CURLE_OK {
            return .failure(error(for: code, easy: easy))
        }
        var status = 0
        _ = keawatch_easy_getinfo_long(easy, CURLINFO_RESPONSE_CODE, &status)
        var total: curl_off_t = 0
        _ = keawatch_easy_getinfo_off(easy, CURLINFO_TOTAL_TIME_T, &total)
        return .success(
            CurlResponse(
                status: status,
                headers: headers,
                protocolLines: protocolLines,
                body: body,
                duration: .microseconds(total)
            )
        )
    }

    private func error(for code: CURLcode, easy: UnsafeMutableRawPointer) -> CurlError {
        var detail = String(cString: errorBuffer)
        while let last = detail.last, last.isWhitespace { detail.removeLast() }
        let message = detail.isEmpty ? String(cString: curl_easy_strerror(code)) : detail
        if exceededLimit { return .responseTooLarge(limit: request.maxResponseBytes) }
        if let abortReason { return abortReason }
        switch code {
        case CURLE_OPERATION_TIMEDOUT:
            return .timeout(request.timeout)
        case CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY:
            return .dns(message)
        case CURLE_COULDNT_CONNECT:
            var osErrno = 0
            _ = keawatch_easy_getinfo_long(easy, CURLINFO_OS_ERRNO, &osErrno)
            return osErrno == Int(ECONNREFUSED) ? .connectionRefused(message) : .connectionLost(message)
        case CURLE_FILESIZE_EXCEEDED:
            return .responseTooLarge(limit: request.maxResponseBytes)
        case CURLE_SSL_CONNECT_ERROR, CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CERTPROBLEM,
            CURLE_SSL_CIPHER, CURLE_SSL_CACERT_BADFILE, CURLE_SSL_ENGINE_NOTFOUND, CURLE_SSL_ENGINE_SETFAILED,
            CURLE_USE_SSL_FAILED, CURLE_SSL_ISSUER_ERROR, CURLE_SSL_CRL_BADFILE, CURLE_SSL_PINNEDPUBKEYNOTMATCH,
            CURLE_SSL_INVALIDCERTSTATUS, CURLE_SSL_SHUTDOWN_FAILED, CURLE_SSL_CLIENTCERT:
            return .tls(message)
        case CURLE_GOT_NOTHING, CURLE_RECV_ERROR, CURLE_SEND_ERROR, CURLE_PARTIAL_FILE:
            return .connectionLost(message)
        case CURLE_UNSUPPORTED_PROTOCOL, CURLE_URL_MALFORMAT:
            return .unsupportedProtocol(message)
        case CURLE_LOGIN_DENIED, CURLE_AUTH_ERROR:
            return .authentication(message)
        default:
            return .other(code: Int(code.rawValue), message: message)
        }
    }

    fileprivate func receiveBody(_ chunk: UnsafeBufferPointer<UInt8>) -> Bool {
        guard body.count + chunk.count <= request.maxResponseBytes else {
            exceededLimit = true
            return false
        }
        body.append(contentsOf: chunk)
        return true
    }

    /// One header line (HTTP) or server reply line (SMTP), CRLF included. False aborts the transfer.
    fileprivate func receiveHeader(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var end = bytes.count
        while end > 0 && (bytes[end - 1] == 0x0A || bytes[end - 1] == 0x0D || bytes[end - 1] == 0x20) { end -= 1 }
        guard end > 0 else { return true }
        let line = UnsafeBufferPointer(rebasing: bytes[0..<end])
        guard case .http = request.payload else {
            let text = String(decoding: line, as: UTF8.self)
            if protocolLines.count < 200 { protocolLines.append(text) }
            if var guardState = mailAuthGuard {
                let verdict = guardState.receive(text)
                mailAuthGuard = guardState
                if let verdict {
                    abortReason = verdict
                    return false
                }
            }
            return true
        }
        if line.starts(with: Self.httpPrefix) {
            headers.removeAll()  // a new response (after 100-continue or similar) starts over
            protocolLines = [String(decoding: line, as: UTF8.self)]
        } else if let colon = line.firstIndex(of: UInt8(ascii: ":")) {
            var valueStart = colon + 1
            while valueStart < end && (line[valueStart] == 0x20 || line[valueStart] == 0x09) { valueStart += 1 }
            let name = String(
                decoding: line[0..<colon].map { $0 >= 0x41 && $0 <= 0x5A ? $0 + 0x20 : $0 },
                as: UTF8.self
            )
            let value = String(decoding: UnsafeBufferPointer(rebasing: line[valueStart..<end]), as: UTF8.self)
            headers.append((name: name, value: value))
        }
        return true
    }

    private static let httpPrefix = Array("HTTP/".utf8)

    fileprivate func readUpload(into buffer: UnsafeMutableRawBufferPointer) -> Int {
        let count = min(buffer.count, upload.count - uploadOffset)
        guard count > 0 else { return 0 }
        upload.withUnsafeBytes { source in
            buffer.copyMemory(from: UnsafeRawBufferPointer(rebasing: source[uploadOffset..<(uploadOffset + count)]))
        }
        uploadOffset += count
        return count
    }
}

private func curlWriteBody(
    _ data: UnsafeMutablePointer<CChar>?,
    _ size: Int,
    _ count: Int,
    _ context: UnsafeMutableRawPointer?
) -> Int {
    guard let data, let context else { return 0 }
    let transfer = Unmanaged<CurlTransfer>.fromOpaque(context).takeUnretainedValue()
    let length = size * count
    let chunk = UnsafeBufferPointer(start: UnsafeRawPointer(data).assumingMemoryBound(to: UInt8.self), count: length)
    return transfer.receiveBody(chunk) ? length : 0
}

private func curlWriteHeader(
    _ data: UnsafeMutablePointer<CChar>?,
    _ size: Int,
    _ count: Int,
    _ context: UnsafeMutableRawPointer?
) -> Int {
    guard let data, let context else { return 0 }
    let transfer = Unmanaged<CurlTransfer>.fromOpaque(context).takeUnretainedValue()
    let length = size * count
    let keepGoing = transfer.receiveHeader(
        UnsafeBufferPointer(start: UnsafeRawPointer(data).assumingMemoryBound(to: UInt8.self), count: length)
    )
    return keepGoing ? length : 0
}

private func curlReadUpload(
    _ buffer: UnsafeMutablePointer<CChar>?,
    _ size: Int,
    _ count: Int,
    _ context: UnsafeMutableRawPointer?
) -> Int {
    guard let buffer, let context else { return Int(CURL_READFUNC_ABORT) }
    let transfer = Unmanaged<CurlTransfer>.fromOpaque(context).takeUnretainedValue()
    return transfer.readUpload(into: UnsafeMutableRawBufferPointer(start: buffer, count: size * count))
}
