// HMAC-SHA256 from OpenSSL's libcrypto (already loaded by libcurl), for webhook signatures.
#ifndef KEAWATCH_COPENSSL_SHIM_H
#define KEAWATCH_COPENSSL_SHIM_H

#include <openssl/evp.h>
#include <openssl/hmac.h>

/// Writes the 32-byte HMAC-SHA256 of `data` under `key` to `out`; returns 1 on success.
static inline int keawatch_hmac_sha256(const void *key, int key_length, const unsigned char *data, size_t data_length,
                                       unsigned char *out) {
    unsigned int length = 32;
    return HMAC(EVP_sha256(), key, key_length, data, data_length, out, &length) != NULL && length == 32;
}

#endif
