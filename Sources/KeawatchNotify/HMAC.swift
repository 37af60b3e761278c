internal import COpenSSL

/// HMAC-SHA256, hex-encoded: the webhook signature over the exact body bytes.
enum HMAC {
    static func sha256Hex(key: [UInt8], message: [UInt8]) -> String {
        var digest = [UInt8](repeating: 0, count: 32)
        let ok = key.withUnsafeBytes { keyBytes in
            message.withUnsafeBufferPointer { messageBytes in
                digest.withUnsafeMutableBufferPointer { out in
                    keawatch_hmac_sha256(
                        keyBytes.baseAddress,
                        Int32(key.count),
                        messageBytes.baseAddress,
                        message.count,
                        out.baseAddress
                    )
                }
            }
        }
        precondition(ok == 1, "HMAC-SHA256 failed")
        return digest.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
    }
}
