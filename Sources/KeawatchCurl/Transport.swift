/// Performs transfers. `CurlTransport` is the real one; everything outbound goes through it.
package protocol Transport: Sendable {
    func perform(_ request: CurlRequest) async throws(CurlError) -> CurlResponse
}
